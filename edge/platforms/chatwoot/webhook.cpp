// Chatwoot (4.x): X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(webhook
// secret, "{X-Chatwoot-Timestamp}.{raw body}")>, X-Chatwoot-Timestamp: Unix
// seconds, X-Chatwoot-Delivery: a UUID.
//
// Not read in Chatwoot's own source (the indexed trigger.rb predates signing
// and sends nothing); six independent integrations agree on this shape
// (docs/platforms/chatwoot.md). Older Chatwoot releases do not sign at all and are
// rejected: verification is never skipped.
//
// Security: the timestamp is inside the MAC; deliveries more than 300 s from
// now either way are rejected so a captured one cannot be replayed later.
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/chatwoot/webhook.h"
#include "edge/webhooks/internal.h"

namespace onramp::webhooks::detail {

namespace {

constexpr std::string_view kSignature = "X-Chatwoot-Signature";
constexpr std::string_view kTimestamp = "X-Chatwoot-Timestamp";

}  // namespace

Verdict verify_chatwoot(const Delivery& d, const Secrets& secrets, int64_t now) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();

    Verdict error;
    auto header = single_header(d.headers, kSignature, &error);
    if (!header) return error;
    auto ts_text = single_header(d.headers, kTimestamp, &error);
    if (!ts_text) return error;

    constexpr std::string_view prefix = "sha256=";
    if (header->substr(0, prefix.size()) != prefix)
        return fail(Failure::malformed,
                    std::string(kSignature) + " does not start with \"sha256=\"");
    auto mac = crypto::hex_decode(header->substr(prefix.size()));
    if (!mac) return fail(Failure::bad_encoding, "bad hex in " + std::string(kSignature));
    if (mac->size() != 32)
        return fail(Failure::bad_encoding, std::string(kSignature) + " decodes to " +
                                               std::to_string(mac->size()) +
                                               " bytes; HMAC-SHA256 has 32");
    auto ts = parse_unix_seconds(*ts_text);
    if (!ts)
        return fail(Failure::malformed, std::string(kTimestamp) + " is not a Unix timestamp: " + detail::quoted(*ts_text));

    // The header text is what Chatwoot signed, so sign it verbatim.
    std::string to_sign = std::string(*ts_text) + "." + d.body;
    bool matched = false;
    for (auto key : keys)
        if (crypto::constant_time_equal(crypto::hmac_sha256(key, to_sign), *mac)) {
            matched = true;
            break;
        }
    if (!matched)
        return fail(Failure::mismatch, "signature mismatch: " + std::string(kSignature) +
                                           " does not match this timestamp and body under the "
                                           "webhook secret");
    if (*ts < now - secrets.tolerance_seconds || *ts > now + secrets.tolerance_seconds)
        return fail(Failure::timestamp, "timestamp outside tolerance: " + std::string(kTimestamp) +
                                            " " +
                                            describe_skew(*ts, now, secrets.tolerance_seconds));
    return accept(header_or_empty(d.headers, "X-Chatwoot-Delivery"), json_member(d.body, "event"));
}

}  // namespace onramp::webhooks::detail

namespace onramp::webhooks {

std::string sign_chatwoot(std::string_view secret, int64_t timestamp, std::string_view body) {
    std::string to_sign = std::to_string(timestamp) + "." + std::string(body);
    return "sha256=" + crypto::hex_encode(crypto::hmac_sha256(secret, to_sign));
}

}  // namespace onramp::webhooks

namespace onramp::platforms::chatwoot {

using namespace webhooks;

const Scheme& scheme() {
    static const Scheme s{
        .name = "chatwoot",
        .verify = detail::verify_chatwoot,
        .sign = [](Delivery& d, const Secrets& s, int64_t now) {
            detail::set_header(d, "X-Chatwoot-Timestamp", std::to_string(now));
            detail::set_header(d, "X-Chatwoot-Signature", sign_chatwoot(s.keys.front(), now, d.body));
        },
        .example_secrets = [](bool) { return Secrets{.keys = {"chatwoot-webhook-secret"}}; },
        .topic_from_body = [](const std::string& body, const std::string&) {
            return detail::json_member(body, "event");
        },
        .classify = [](const std::string& topic, const nlohmann::json& doc) {
            if (topic == "contact_created" || topic == "contact_updated")
                return act(Action::refetch, connectors::Resource::contacts, id_at(doc, {"id"}), topic);
            return ignored(topic.empty() ? "delivery has no topic" : "topic " + topic + " is not synced");
        },
        .manual_steps = [](const std::string& url) {
            return nlohmann::json::array({"Chatwoot > Settings > Integrations > Webhooks > Add new webhook: " + url +
                                              " with contact_created and contact_updated.",
                                          "Copy the webhook secret Chatwoot shows. " + paste_secret_note()});
        },
    };
    return s;
}

}  // namespace onramp::platforms::chatwoot
