// Stripe (https://stripe.com/docs/webhooks#verify-manually):
//   Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>][,v0=...]
//   v1 = hex(HMAC-SHA256(UTF-8 of the whole "whsec_..." secret, "{t}.{body}")).
//
// Follows stripe-python stripe/_webhook.py (WebhookSignature.verify_header)
// and stripe-dotnet EventUtility: items split on ',', each on its first '=';
// the first t= counts; valid if any v1 matches (v0 and other schemes are
// ignored; no v1 at all is an error); the MAC is checked before the age.
// The secret is NOT base64-decoded, unlike Svix's whsec_ secrets: the same
// prefix means different key bytes (key confusion would silently fail).
//
// Security: the timestamp is inside the MAC, so rejecting t older than the
// tolerance stops replay of a captured delivery. Like every Stripe SDK, only
// the past is bounded; a future t is accepted.
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/stripe/webhook.h"
#include "edge/webhooks/internal.h"

namespace onramp::webhooks {

std::string sign_stripe(std::string_view secret, int64_t timestamp, std::string_view body) {
    std::string t = std::to_string(timestamp);
    std::string payload = t + "." + std::string(body);
    return "t=" + t + ",v1=" + crypto::hex_encode(crypto::hmac_sha256(secret, payload));
}

}  // namespace onramp::webhooks

namespace onramp::webhooks::detail {

namespace {

constexpr std::string_view kHeader = "Stripe-Signature";

bool is_lower_hex(std::string_view s) {
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

Verdict verify_stripe(const Delivery& d, const Secrets& secrets, int64_t now) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();

    Verdict error;
    auto header = single_header(d.headers, kHeader, &error);
    if (!header) return error;

    std::optional<std::string_view> t_text;
    std::vector<std::string_view> v1;
    std::string_view rest = *header;
    while (true) {
        size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        size_t eq = item.find('=');
        if (eq != std::string_view::npos) {
            std::string_view k = item.substr(0, eq), v = item.substr(eq + 1);
            if (k == "t" && !t_text) t_text = v;
            if (k == "v1") v1.push_back(v);
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (!t_text) return fail(Failure::malformed, "Stripe-Signature has no t= timestamp");
    auto t = parse_unix_seconds(*t_text);
    if (!t)
        return fail(Failure::malformed, "Stripe-Signature t= is not a Unix timestamp: " + quoted(*t_text));
    if (v1.empty()) return fail(Failure::malformed, "Stripe-Signature has no v1= signature");

    // The SDKs sign the parsed integer ("%d"), not the header text.
    std::string signed_payload = std::to_string(*t) + "." + d.body;
    bool matched = false;
    for (auto key : keys) {
        std::string expected = crypto::hex_encode(crypto::hmac_sha256(key, signed_payload));
        for (auto sig : v1)
            if (crypto::constant_time_equal(expected, sig)) matched = true;
        if (matched) break;
    }
    if (!matched) {
        bool any_well_formed = false;
        for (auto sig : v1) any_well_formed |= sig.size() == 64 && is_lower_hex(sig);
        if (!any_well_formed)
            return fail(Failure::bad_encoding,
                        "bad hex in Stripe-Signature: no v1 is 64 lowercase hex digits");
        return fail(Failure::mismatch,
                    "signature mismatch: no v1 in Stripe-Signature matches this body and t under "
                    "the configured whsec_ secret");
    }
    if (*t < now - secrets.tolerance_seconds)
        return fail(Failure::timestamp, "timestamp outside tolerance: t=" +
                                            describe_skew(*t, now, secrets.tolerance_seconds));
    return accept(json_member(d.body, "id"), json_member(d.body, "type"));
}

}  // namespace onramp::webhooks::detail

namespace onramp::platforms::stripe {

using namespace webhooks;

namespace {

// Events are refetched rather than applied (edge/webhooks/topics.h): every
// payment_intent.* event carries the PaymentIntent, charge.refunded the
// Charge whose payment_intent changed its refunded amount, refund.* and
// charge.refund.updated the Refund (https://stripe.com/docs/api/events/types).
Action classify(const std::string& topic, const nlohmann::json& doc) {
    using connectors::Resource;
    if (topic.rfind("payment_intent.", 0) == 0)
        return act(Action::refetch, Resource::payments, id_at(doc, {"data", "object", "id"}), topic);
    if (topic == "charge.refunded")
        return act(Action::refetch, Resource::payments, id_at(doc, {"data", "object", "payment_intent"}), topic);
    if (topic.rfind("refund.", 0) == 0 || topic == "charge.refund.updated")
        return act(Action::refetch, Resource::refunds, id_at(doc, {"data", "object", "id"}), topic);
    return ignored("Stripe " + (topic.empty() ? std::string("events without a type") : topic) + " is not synced");
}

}  // namespace

const Scheme& scheme() {
    static const Scheme s{
        .name = "stripe",
        .verify = detail::verify_stripe,
        .sign = [](Delivery& d, const Secrets& s, int64_t now) {
            detail::set_header(d, "Stripe-Signature", sign_stripe(s.keys.front(), now, d.body));
        },
        .example_secrets = [](bool) { return Secrets{.keys = {"whsec_example_stripe_secret"}}; },
        .topic_from_body = [](const std::string& body, const std::string&) { return detail::json_member(body, "type"); },
        .classify = classify,
        .manual_steps = [](const std::string& url) {
            return nlohmann::json::array(
                {"Stripe Dashboard > Developers > Webhooks > Add endpoint: " + url,
                 "Send it the events payment_intent.*, charge.refunded and refund.*; others are kept but not synced.",
                 "Reveal the endpoint's signing secret (whsec_...). " + paste_secret_note()});
        },
    };
    return s;
}

}  // namespace onramp::platforms::stripe
