// The mock BigCommerce's webhook API (edge/mock/webhooks.cpp serves it):
//
//   GET|POST /bigcommerce/stores/{hash}/v3/hooks          {"data": ..., "meta": {}}, 200 on create
//   PUT|DELETE /bigcommerce/stores/{hash}/v3/hooks/{id}
//
// Destinations only HTTPS on port 443. A delivery echoes the custom
// headers the hook was registered with (BigCommerce's only way to let a
// receiver authenticate it).
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/mock/internal.h"

namespace onramp::mock {

const MockHookApi& bigcommerce_mock_hooks() {
    static const MockHookApi api{
        .collection = "/bigcommerce/stores/{hash}/v3/hooks",
        .item_prefix = "/bigcommerce/stores/{hash}/v3/hooks/",
        .item_suffix = "",
        .topic_key = "scope",
        .destination_key = "destination",
        .created_status = 200,
        .allowed =
            [](State& s, const http::Request& req) {
                return req.param("hash") == demo::kBigCommerceStoreHash &&
                       req.header("X-Auth-Token") == demo::kBigCommerceToken && !revoked(s, "bigcommerce");
            },
        .unwrap = [](const json& b) { return b; },
        .wrap =
            [](const json& j, bool list) {
                json meta = list ? json{{"pagination", {{"total", j.size()}, {"count", j.size()}, {"per_page", 50},
                                                        {"current_page", 1}, {"total_pages", 1}}}}
                                 : json::object();
                return json{{"data", j}, {"meta", meta}};
            },
        // BigCommerce does return the hook's headers.
        .visible =
            [](const MockHook& h) {
                return json{{"id", h.id},
                            {"client_id", "onramp-demo"},
                            {"store_hash", demo::kBigCommerceStoreHash},
                            {"scope", h.topic},
                            {"destination", h.destination},
                            {"headers", h.headers},
                            {"is_active", h.active},
                            {"created_at", 1735689600},
                            {"updated_at", 1735689600}};
            },
        .error = [](int status, const std::string& message) { return reply({{"status", status}, {"title", message}}, status); },
        .destination_refused =
            [](const http::ParsedUrl& u) {
                return u.scheme != "https" || u.port != 443 ? std::string("destination must be HTTPS on port 443")
                                                            : std::string();
            },
        .delivery =
            [](const MockHook& h, const std::string& topic, int64_t id, http::FetchRequest& out) {
                out.body = json{{"scope", topic},
                                {"store_id", "1001234"},
                                {"data", {{"type", topic.find("order") != std::string::npos ? "order" : "product"},
                                          {"id", id}}},
                                {"hash", crypto::hex_encode(crypto::random_bytes(20))},
                                {"created_at", int64_t(std::time(nullptr))},
                                {"producer", std::string("stores/") + demo::kBigCommerceStoreHash}}
                               .dump();
                for (const auto& [k, v] : h.headers.items())
                    if (v.is_string()) out.headers.emplace(k, v.get<std::string>());
            },
    };
    return api;
}

}  // namespace onramp::mock
