// The mock Shopify's webhook API (edge/mock/webhooks.cpp serves it):
//
//   GET|POST /shopify/{shop}/admin/api/{v}/webhooks.json     {"webhook(s)": ...}, 201 on create
//   PUT|DELETE /shopify/{shop}/admin/api/{v}/webhooks/{id}.json
//
// Addresses only HTTPS. Shopify signs every delivery with the app's client
// secret, not a per-hook one: X-Shopify-Hmac-Sha256 (edge/webhooks/sign.h).
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/mock/internal.h"
#include "edge/platforms/shopify/webhook.h"

namespace onramp::mock {

const MockHookApi& shopify_mock_hooks() {
    static const MockHookApi api{
        .collection = "/shopify/{shop}/admin/api/{version}/webhooks.json",
        .item_prefix = "/shopify/{shop}/admin/api/{version}/webhooks/",
        .item_suffix = ".json",
        .topic_key = "topic",
        .destination_key = "address",
        .created_status = 201,
        .allowed =
            [](State& s, const http::Request& req) {
                return req.param("shop") == demo::kShopifyDomain && shopify_token_accepted(s, req);
            },
        .unwrap = [](const json& b) { return b.contains("webhook") && b["webhook"].is_object() ? b["webhook"] : json::object(); },
        .wrap = [](const json& j, bool list) { return json{{list ? "webhooks" : "webhook", j}}; },
        .visible =
            [](const MockHook& h) {
                return json{{"id", h.id}, {"address", h.destination}, {"topic", h.topic}, {"format", "json"},
                            {"api_version", "2024-04"}};
            },
        .error = [](int status, const std::string& message) { return reply({{"errors", message}}, status); },
        .destination_refused =
            [](const http::ParsedUrl& u) { return u.scheme != "https" ? std::string("address must use HTTPS") : std::string(); },
        .delivery =
            [](const MockHook&, const std::string& topic, int64_t id, http::FetchRequest& out) {
                out.body = json{{"id", id}}.dump();
                out.headers.emplace("X-Shopify-Topic", topic);
                out.headers.emplace("X-Shopify-Shop-Domain", demo::kShopifyDomain);
                out.headers.emplace("X-Shopify-API-Version", "2024-04");  // the version the connector registers with
                out.headers.emplace("X-Shopify-Webhook-Id", crypto::hex_encode(crypto::random_bytes(16)));
                out.headers.emplace("X-Shopify-Hmac-Sha256", webhooks::sign_shopify(demo::kShopifyAppSecret, out.body));
            },
    };
    return api;
}

}  // namespace onramp::mock
