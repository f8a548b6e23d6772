// Shopify: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(app client secret, raw body)).
//
// Follows Shopify/shopify-api-js lib/webhooks/validate.ts: an empty body is
// rejected, and the five headers Shopify always sends are required (the SDK
// reports them as MissingHeaders). No timestamp is signed, so replay
// protection is de-duplication on X-Shopify-Webhook-Id by the inbox.
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/shopify/webhook.h"
#include "edge/webhooks/internal.h"

namespace onramp::webhooks::detail {

namespace {

constexpr std::string_view kHmac = "X-Shopify-Hmac-Sha256";
constexpr std::string_view kOtherRequired[] = {"X-Shopify-Topic", "X-Shopify-Shop-Domain",
                                               "X-Shopify-API-Version", "X-Shopify-Webhook-Id"};

}  // namespace

Verdict verify_shopify(const Delivery& d, const Secrets& secrets, int64_t /*now*/) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();

    Verdict error;
    auto header = single_header(d.headers, kHmac, &error);
    if (!header) return error;

    std::string missing;
    for (auto name : kOtherRequired) {
        if (has_header(d.headers, name)) continue;
        missing += missing.empty() ? "" : ", ";
        missing += name;
    }
    if (!missing.empty())
        return fail(
            Failure::missing_header,
            "missing header " + missing + " (Shopify always sends it; its SDK rejects without)");
    if (d.body.empty())
        return fail(Failure::malformed, "empty body: Shopify always sends a payload");

    auto mac = crypto::base64_decode(*header);
    if (!mac) return fail(Failure::bad_encoding, "bad base64 in " + std::string(kHmac));
    if (mac->size() != 32)
        return fail(Failure::bad_encoding, std::string(kHmac) + " decodes to " +
                                               std::to_string(mac->size()) +
                                               " bytes; HMAC-SHA256 has 32");

    for (auto key : keys) {
        if (crypto::constant_time_equal(crypto::hmac_sha256(key, d.body), *mac))
            return accept(header_or_empty(d.headers, "X-Shopify-Webhook-Id"),
                          header_or_empty(d.headers, "X-Shopify-Topic"));
    }
    return fail(Failure::mismatch,
                "signature mismatch: " + std::string(kHmac) +
                    " is not the HMAC of this body under the configured client secret");
}

}  // namespace onramp::webhooks::detail

namespace onramp::webhooks {

std::string sign_shopify(std::string_view client_secret, std::string_view body) {
    return crypto::base64_encode(crypto::hmac_sha256(client_secret, body));
}

}  // namespace onramp::webhooks

namespace onramp::platforms::shopify {

using namespace webhooks;

namespace {

// The HMAC, and the headers Shopify always sends where the delivery has none.
void sign(Delivery& d, const Secrets& s, int64_t) {
    const std::pair<std::string_view, std::string_view> always[] = {{"X-Shopify-Topic", "orders/create"},
                                                                     {"X-Shopify-Shop-Domain", "example.myshopify.com"},
                                                                     {"X-Shopify-API-Version", "2024-04"},
                                                                     {"X-Shopify-Webhook-Id", "example-1"}};
    for (const auto& [name, value] : always)
        if (!detail::has_header(d.headers, name)) detail::set_header(d, name, std::string(value));
    detail::set_header(d, "X-Shopify-Hmac-Sha256", sign_shopify(s.keys.front(), d.body));
}

}  // namespace

const Scheme& scheme() {
    static const Scheme s{
        .name = "shopify",
        .verify = detail::verify_shopify,
        .sign = sign,
        .example_secrets = [](bool) { return Secrets{.keys = {"shpss_example_client_secret"}}; },
        .classify = [](const std::string& topic, const nlohmann::json& doc) {
            return resource_topic(topic, doc, "products", "orders", '/', "/delete");
        },
        .manual_steps = [](const std::string& url) {
            return nlohmann::json::array(
                {"Shopify admin > Settings > Notifications > Webhooks: create a webhook for each product and order "
                 "event with URL " + url + " (JSON).",
                 "Deliveries are signed with the app's client secret. " + paste_secret_note()});
        },
    };
    return s;
}

}  // namespace onramp::platforms::shopify
