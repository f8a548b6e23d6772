// Signers for every webhook scheme (see sign.h); each mirrors the platform's
// sending code cited in the matching verifier file.
#include "edge/webhooks/sign.h"

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/webhooks/internal.h"

namespace onramp::webhooks {

std::string sign_shopify(std::string_view client_secret, std::string_view body) {
    return crypto::base64_encode(crypto::hmac_sha256(client_secret, body));
}

std::string sign_woocommerce(std::string_view secret, std::string_view body) {
    return crypto::base64_encode(crypto::hmac_sha256(detail::wp_specialchars_decode(secret), body));
}

std::string sign_stripe(std::string_view secret, int64_t timestamp, std::string_view body) {
    std::string t = std::to_string(timestamp);
    std::string payload = t + "." + std::string(body);
    return "t=" + t + ",v1=" + crypto::hex_encode(crypto::hmac_sha256(secret, payload));
}

std::string sign_twilio(std::string_view auth_token, std::string_view url,
                        const std::vector<std::pair<std::string, std::string>>& params) {
    std::string s = std::string(url) + detail::twilio_params_suffix(params, false);
    return crypto::base64_encode(crypto::hmac_sha1(auth_token, s));
}

std::string twilio_url_with_body_hash(std::string_view url, std::string_view body) {
    std::string out(url);
    out += out.find('?') == std::string::npos ? '?' : '&';
    return out + "bodySHA256=" + crypto::hex_encode(crypto::sha256(body));
}

std::string sign_standard_webhooks_raw(std::string_view key, std::string_view id, int64_t timestamp,
                                       std::string_view body) {
    std::string to_sign =
        std::string(id) + "." + std::to_string(timestamp) + "." + std::string(body);
    return "v1," + crypto::base64_encode(crypto::hmac_sha256(key, to_sign));
}

std::optional<std::string> sign_standard_webhooks(std::string_view whsec_secret,
                                                  std::string_view id, int64_t timestamp,
                                                  std::string_view body) {
    if (whsec_secret.substr(0, 6) == "whsec_") whsec_secret.remove_prefix(6);
    auto key = crypto::base64_decode(whsec_secret);
    if (!key) return std::nullopt;
    return sign_standard_webhooks_raw(*key, id, timestamp, body);
}

std::string sign_callrail(std::string_view token, std::string_view body,
                          const CallRailOptions& options) {
    std::string mac = options.algorithm == MacAlgorithm::sha1 ? crypto::hmac_sha1(token, body)
                                                              : crypto::hmac_sha256(token, body);
    return options.encoding == SignatureEncoding::hex ? crypto::hex_encode(mac)
                                                      : crypto::base64_encode(mac);
}

std::string sign_chatwoot(std::string_view secret, int64_t timestamp, std::string_view body) {
    std::string to_sign = std::to_string(timestamp) + "." + std::string(body);
    return "sha256=" + crypto::hex_encode(crypto::hmac_sha256(secret, to_sign));
}

}  // namespace onramp::webhooks
