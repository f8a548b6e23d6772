// CallRail: a MAC of the raw body under the company's signing token, in a
// request header.
//
// UNCONFIRMED: CallRail's support page says only that a "secret, random token
// for every company ... is used with the request payload to generate a hash
// signature that is passed as a request header" (docs/platforms/callrail.md). Header,
// algorithm and encoding are therefore per-connection options; the defaults
// (header "Signature", HMAC-SHA1, base64) are the most common third-party
// reading, not vendor text. Check one real delivery with `onramp-edge
// webhook-verify --platform callrail ...` before relying on them.
// No timestamp is known to be signed: replay protection is de-duplication.
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/callrail/webhook.h"
#include "edge/webhooks/internal.h"

namespace onramp::webhooks::detail {

Verdict verify_callrail(const Delivery& d, const Secrets& secrets, int64_t /*now*/) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();
    const CallRailOptions& o = secrets.callrail;
    if (o.header.empty())
        return fail(Failure::bad_secret, "no CallRail signature header configured");

    Verdict error;
    auto header = single_header(d.headers, o.header, &error);
    if (!header) return error;

    bool hex = o.encoding == SignatureEncoding::hex;
    auto mac = hex ? crypto::hex_decode(*header) : crypto::base64_decode(*header);
    if (!mac)
        return fail(Failure::bad_encoding,
                    std::string(hex ? "bad hex in " : "bad base64 in ") + o.header);
    size_t want = o.algorithm == MacAlgorithm::sha1 ? 20 : 32;
    if (mac->size() != want)
        return fail(Failure::bad_encoding, o.header + " decodes to " + std::to_string(mac->size()) +
                                               " bytes; HMAC-" +
                                               (want == 20 ? "SHA1 has 20" : "SHA256 has 32") +
                                               " (check the configured algorithm)");

    for (auto key : keys) {
        std::string expected = o.algorithm == MacAlgorithm::sha1 ? crypto::hmac_sha1(key, d.body)
                                                                 : crypto::hmac_sha256(key, d.body);
        if (crypto::constant_time_equal(expected, *mac)) return accept();
    }
    return fail(Failure::mismatch, "signature mismatch: " + o.header +
                                       " is not the HMAC of this body under the signing token");
}

}  // namespace onramp::webhooks::detail

namespace onramp::webhooks {

std::string sign_callrail(std::string_view token, std::string_view body, const CallRailOptions& options) {
    std::string mac = options.algorithm == MacAlgorithm::sha1 ? crypto::hmac_sha1(token, body)
                                                              : crypto::hmac_sha256(token, body);
    return options.encoding == SignatureEncoding::hex ? crypto::hex_encode(mac) : crypto::base64_encode(mac);
}

}  // namespace onramp::webhooks

namespace onramp::platforms::callrail {

using namespace webhooks;

const Scheme& scheme() {
    static const Scheme s{
        .name = "callrail",
        .verify = detail::verify_callrail,
        .sign = [](Delivery& d, const Secrets& s, int64_t) {
            detail::set_header(d, s.callrail.header, sign_callrail(s.keys.front(), d.body, s.callrail));
        },
        .example_secrets = [](bool variant) {
            Secrets s{.keys = {"callrail-signing-token"}};
            if (variant) {
                s.callrail.algorithm = MacAlgorithm::sha256;
                s.callrail.encoding = SignatureEncoding::hex;
            }
            return s;
        },
        .topic_from_body = [](const std::string&, const std::string&) { return std::string("call"); },
        .classify = [](const std::string& topic, const nlohmann::json& doc) {
            std::string id = id_at(doc, {"resource_id"});
            if (id.empty()) id = id_at(doc, {"id"});
            return act(Action::refetch, connectors::Resource::calls, id, topic.empty() ? "call" : topic);
        },
        .manual_steps = [](const std::string& url) {
            return nlohmann::json::array(
                {"CallRail > Settings > Integrations > Webhooks: add " + url + " for post-call events.",
                 "Copy the company's signature token. " + paste_secret_note()});
        },
    };
    return s;
}

}  // namespace onramp::platforms::callrail
