// The mock WooCommerce's webhook API (edge/mock/webhooks.cpp serves it):
//
//   GET|POST /woocommerce/wp-json/wc/v3/webhooks          bare objects, 201 on create
//   PUT|DELETE /woocommerce/wp-json/wc/v3/webhooks/{id}   "secret" write-only
//
// A delivery is signed with the hook's own secret: X-WC-Webhook-Signature
// (edge/webhooks/sign.h).
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/mock/internal.h"
#include "edge/platforms/woocommerce/webhook.h"

namespace onramp::mock {

const MockHookApi& woocommerce_mock_hooks() {
    static const MockHookApi api{
        .collection = "/woocommerce/wp-json/wc/v3/webhooks",
        .item_prefix = "/woocommerce/wp-json/wc/v3/webhooks/",
        .item_suffix = "",
        .topic_key = "topic",
        .destination_key = "delivery_url",
        .created_status = 201,
        .allowed =
            [](State& s, const http::Request& req) {
                std::string expected =
                    "Basic " + crypto::base64_encode(std::string(demo::kWooKey) + ":" + demo::kWooSecret);
                return req.header("Authorization") == expected && !revoked(s, "woocommerce");
            },
        .unwrap = [](const json& b) { return b; },
        .wrap = [](const json& j, bool) { return j; },
        .visible =
            [](const MockHook& h) {
                return json{{"id", h.id},
                            {"name", "Onramp " + h.topic},
                            {"status", h.active ? "active" : "paused"},
                            {"topic", h.topic},
                            {"delivery_url", h.destination}};
            },
        .error =
            [](int status, const std::string& message) {
                return reply({{"code", "woocommerce_rest_error"}, {"message", message}, {"data", {{"status", status}}}},
                             status);
            },
        .destination_refused = nullptr,
        .delivery =
            [](const MockHook& h, const std::string& topic, int64_t id, http::FetchRequest& out) {
                out.body = json{{"id", id}}.dump();
                out.headers.emplace("X-WC-Webhook-Topic", topic);
                out.headers.emplace("X-WC-Webhook-ID", std::to_string(h.id));
                out.headers.emplace("X-WC-Webhook-Delivery-ID", crypto::hex_encode(crypto::random_bytes(8)));
                out.headers.emplace("X-WC-Webhook-Signature", webhooks::sign_woocommerce(h.secret, out.body));
            },
    };
    return api;
}

}  // namespace onramp::mock
