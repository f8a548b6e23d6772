// Signers for Standard Webhooks (see sign.h), mirroring the sender's code
// cited in the verifier (standard_webhooks.cpp).
#include "edge/webhooks/sign.h"

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"

namespace onramp::webhooks {

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

}  // namespace onramp::webhooks
