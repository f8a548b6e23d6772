// BigCommerce: two official pages disagree on whether callbacks are signed
// (docs/platforms/bigcommerce.md), so both mechanisms are checked:
//
// 1. Always: the custom header Onramp sets at registration
//    ("headers": {"X-Onramp-Webhook-Secret": "<random>"}), which BigCommerce
//    echoes on every callback. Its value must equal one of Secrets::keys.
// 2. When the delivery carries webhook-signature (https-webhook-overview.mdx):
//    the Standard Webhooks signature, key = raw UTF-8 bytes of the app's
//    client secret (BigCommerce's sample base64-encodes it only because the
//    standardwebhooks library base64-decodes). It must verify against
//    Secrets::bigcommerce_client_secrets when those are configured; without
//    them the header secret alone decides.
//
// Security: the header secret is a bearer credential, so it is compared as
// SHA-256 digests in constant time — neither a differing byte's position nor
// the configured secret's length leaks through timing. It cannot stop replay
// of a captured delivery (TLS does that); the inbox de-duplicates on the
// payload's "hash".
#include "edge/crypto/digest.h"
#include "edge/platforms/bigcommerce/webhook.h"
#include "edge/webhooks/sign.h"
#include "edge/webhooks/internal.h"

namespace onramp::webhooks::detail {

Verdict verify_bigcommerce(const Delivery& d, const Secrets& secrets, int64_t now) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();

    Verdict error;
    auto presented = single_header(d.headers, kBigCommerceSecretHeader, &error);
    if (!presented) {
        if (error.failure == Failure::missing_header)
            error.reason +=
                " (set in the hook's \"headers\" at registration; re-register the hook)";
        return error;
    }
    std::string presented_digest = crypto::sha256(*presented);
    bool matched = false;
    for (auto key : keys)
        if (crypto::constant_time_equal(crypto::sha256(key), presented_digest)) matched = true;
    if (!matched)
        return fail(Failure::mismatch, std::string(kBigCommerceSecretHeader) +
                                           " does not match the secret set at registration");

    bool signed_delivery = has_header(d.headers, "webhook-signature") ||
                           has_header(d.headers, "webhook-id") ||
                           has_header(d.headers, "webhook-timestamp");
    std::string delivery_id;
    if (signed_delivery) {
        std::vector<std::string> client_secrets;
        for (auto s : usable_keys(secrets.bigcommerce_client_secrets))
            client_secrets.emplace_back(s);
        if (!client_secrets.empty()) {
            Verdict v =
                verify_standard_webhooks(d, client_secrets, false, secrets.tolerance_seconds, now);
            if (!v.valid) return v;
            delivery_id = v.delivery_id;
        }
    }
    if (delivery_id.empty()) delivery_id = json_member(d.body, "hash");
    return accept(std::move(delivery_id), json_member(d.body, "scope"));
}

}  // namespace onramp::webhooks::detail

namespace onramp::platforms::bigcommerce {

using namespace webhooks;

namespace {

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

Action classify(const std::string& topic, const nlohmann::json& doc) {
    using connectors::Resource;
    if (topic == "store/product/deleted") return act(Action::remove, Resource::products, id_at(doc, {"data", "id"}), topic);
    if (starts_with(topic, "store/product/")) {
        std::string id = id_at(doc, {"data", "inventory", "product_id"});
        if (id.empty()) id = id_at(doc, {"data", "id"});
        return act(Action::refetch, Resource::products, id, topic);
    }
    if (starts_with(topic, "store/sku/")) {
        std::string id = id_at(doc, {"data", "sku", "product_id"});
        if (id.empty()) id = id_at(doc, {"data", "inventory", "product_id"});
        return act(Action::refetch, Resource::products, id, topic);
    }
    if (starts_with(topic, "store/order/")) return act(Action::refetch, Resource::orders, id_at(doc, {"data", "id"}), topic);
    return ignored("topic " + topic + " is not synced");
}

// The header secret always; with a client secret configured, the Standard
// Webhooks signature BigCommerce adds as well.
void sign(Delivery& d, const Secrets& s, int64_t now) {
    detail::set_header(d, kBigCommerceSecretHeader, s.keys.front());
    if (s.bigcommerce_client_secrets.empty()) return;
    std::string id = detail::header_or(d, "webhook-id", "bc_example");
    detail::set_header(d, "webhook-id", id);
    detail::set_header(d, "webhook-timestamp", std::to_string(now));
    detail::set_header(d, "webhook-signature",
                       sign_standard_webhooks_raw(s.bigcommerce_client_secrets.front(), id, now, d.body));
}

}  // namespace

const Scheme& scheme() {
    static const Scheme s{
        .name = "bigcommerce",
        .verify = detail::verify_bigcommerce,
        .sign = sign,
        .example_secrets = [](bool variant) {
            Secrets s{.keys = {"onramp-header-secret"}};
            if (variant) s.bigcommerce_client_secrets.push_back("bigcommerce-app-client-secret");
            return s;
        },
        .secret_generated = true,
        .classify = classify,
        .manual_steps = [](const std::string& url) {
            return nlohmann::json::array(
                {"Create a webhook (POST /v3/hooks) for each product and order scope with destination " + url +
                 " and the header X-Onramp-Webhook-Secret set to the secret Onramp generated."});
        },
    };
    return s;
}

}  // namespace onramp::platforms::bigcommerce
