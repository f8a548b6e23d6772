// The mock platforms' webhook registration APIs, and a control endpoint
// that makes the mock send a signed delivery to the hooks registered for a
// topic, the way the platform would after an edit:
//
//   BigCommerce  GET|POST /bigcommerce/stores/{hash}/v3/hooks          {"data": ..., "meta": {}}
//                PUT|DELETE /bigcommerce/stores/{hash}/v3/hooks/{id}   one per scope + destination (else 422)
//   Shopify      GET|POST /shopify/{shop}/admin/api/{v}/webhooks.json   {"webhook(s)": ...}, 201 on create
//                PUT|DELETE /shopify/{shop}/admin/api/{v}/webhooks/{id}.json
//   WooCommerce  GET|POST /woocommerce/wp-json/wc/v3/webhooks            bare objects, 201 on create;
//                PUT|DELETE /woocommerce/wp-json/wc/v3/webhooks/{id}     "secret" write-only
//
//   POST /_mock/webhooks/send  {"platform", "topic", "id"}  -> {"sent": N, "statuses": [...]}
//
// Destinations as the platforms accept them: BigCommerce only HTTPS on
// port 443, Shopify only HTTPS (422 otherwise). A loopback destination is
// let through, so that a demo edge on http://127.0.0.1:PORT gets deliveries.
//
// Sent deliveries are signed with what the registration carried: the
// BigCommerce hook's custom headers echoed, WooCommerce's
// X-WC-Webhook-Signature with the hook's secret, Shopify's
// X-Shopify-Hmac-Sha256 with the demo app's client secret (edge/webhooks/sign.h).
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"
#include "edge/platforms/shopify/webhook.h"
#include "edge/platforms/woocommerce/webhook.h"

namespace onramp::mock {

namespace {

bool bigcommerce_allowed(State& s, const http::Request& req) {
    return req.param("hash") == demo::kBigCommerceStoreHash && req.header("X-Auth-Token") == demo::kBigCommerceToken &&
           !revoked(s, "bigcommerce");
}

bool shopify_allowed(State& s, const http::Request& req) {
    return req.param("shop") == demo::kShopifyDomain && shopify_token_accepted(s, req);
}

bool woocommerce_allowed(State& s, const http::Request& req) {
    std::string expected = "Basic " + crypto::base64_encode(std::string(demo::kWooKey) + ":" + demo::kWooSecret);
    return req.header("Authorization") == expected && !revoked(s, "woocommerce");
}

// The hook as the platform shows it; secrets stay write-only except the
// BigCommerce headers, which BigCommerce does return.
json visible(const MockHook& h) {
    if (h.platform == "bigcommerce")
        return {{"id", h.id},           {"client_id", "onramp-demo"}, {"store_hash", demo::kBigCommerceStoreHash},
                {"scope", h.topic},     {"destination", h.destination}, {"headers", h.headers},
                {"is_active", h.active}, {"created_at", 1735689600},   {"updated_at", 1735689600}};
    if (h.platform == "shopify")
        return {{"id", h.id}, {"address", h.destination}, {"topic", h.topic}, {"format", "json"},
                {"api_version", "2024-04"}};
    return {{"id", h.id},
            {"name", "Onramp " + h.topic},
            {"status", h.active ? "active" : "paused"},
            {"topic", h.topic},
            {"delivery_url", h.destination}};
}

json list_of(State& s, const std::string& platform) {
    std::lock_guard<std::mutex> lock(s.mu);
    json out = json::array();
    for (const MockHook& h : s.hooks)
        if (h.platform == platform) out.push_back(visible(h));
    return out;
}

MockHook* find_hook(State& s, const std::string& platform, const std::string& id) {
    for (MockHook& h : s.hooks)
        if (h.platform == platform && std::to_string(h.id) == id) return &h;
    return nullptr;
}

// Why the platform would refuse to deliver to `url`, or "".
std::string destination_refused(const std::string& platform, const std::string& url) {
    http::ParsedUrl u;
    if (!http::parse_url(url, u)) return "the destination is not an absolute http(s) URL";
    if (u.host == "localhost" || u.host == "::1" || u.host.rfind("127.", 0) == 0) return "";
    if (platform == "bigcommerce" && (u.scheme != "https" || u.port != 443))
        return "destination must be HTTPS on port 443";
    if (platform == "shopify" && u.scheme != "https") return "address must use HTTPS";
    return "";
}

// Creates or updates a hook from a request body already unwrapped to the
// platform's fields. Returns the stored hook, or nullopt with `error` set.
std::optional<MockHook> save_hook(State& s, const std::string& platform, const json& b, const std::string& id,
                                  std::string* error) {
    auto str = [&](const char* k) { return b.contains(k) && b[k].is_string() ? b[k].get<std::string>() : ""; };
    const char* topic_key = platform == "bigcommerce" ? "scope" : "topic";
    const char* dest_key = platform == "bigcommerce" ? "destination" : platform == "shopify" ? "address" : "delivery_url";
    std::lock_guard<std::mutex> lock(s.mu);
    MockHook* h = id.empty() ? nullptr : find_hook(s, platform, id);
    if (!id.empty() && !h) {
        *error = "not found";
        return std::nullopt;
    }
    MockHook next = h ? *h : MockHook{};
    if (!h) {
        next.platform = platform;
        next.topic = str(topic_key);
        next.destination = str(dest_key);
        if (next.topic.empty() || next.destination.empty()) {
            *error = std::string(topic_key) + " and " + dest_key + " are required";
            return std::nullopt;
        }
        for (const MockHook& other : s.hooks)
            if (other.platform == platform && other.topic == next.topic && other.destination == next.destination) {
                *error = "a hook for this topic and destination exists";
                return std::nullopt;
            }
    } else if (!str(dest_key).empty()) {
        next.destination = str(dest_key);
    }
    if (std::string why = destination_refused(platform, next.destination); !why.empty()) {
        *error = why;
        return std::nullopt;
    }
    if (!h) next.id = s.next_hook_id++;
    if (b.contains("headers") && b["headers"].is_object()) next.headers = b["headers"];
    if (b.contains("secret") && b["secret"].is_string()) next.secret = b["secret"].get<std::string>();
    if (b.contains("is_active") && b["is_active"].is_boolean()) next.active = b["is_active"].get<bool>();
    if (b.contains("status") && b["status"].is_string()) next.active = b["status"] == "active";
    if (h)
        *h = next;
    else
        s.hooks.push_back(next);
    return next;
}

bool remove_hook(State& s, const std::string& platform, const std::string& id, json* removed) {
    std::lock_guard<std::mutex> lock(s.mu);
    for (auto it = s.hooks.begin(); it != s.hooks.end(); ++it)
        if (it->platform == platform && std::to_string(it->id) == id) {
            *removed = visible(*it);
            s.hooks.erase(it);
            return true;
        }
    return false;
}

http::Response shaped_error(const std::string& platform, int status, const std::string& message) {
    if (platform == "bigcommerce") return reply({{"status", status}, {"title", message}}, status);
    if (platform == "shopify") return reply({{"errors", message}}, status);
    return reply({{"code", "woocommerce_rest_error"}, {"message", message}, {"data", {{"status", status}}}}, status);
}

http::Response no_error_shape(int status, const std::string& message, double) { return reply({{"message", message}}, status); }

// Routes of one platform's hook API. `unwrap` takes the request body to
// the hook's fields; `wrap` puts a hook (or list) into the answer's shape.
void add_platform(http::Router& r, State& s, const std::string& platform, const std::string& collection,
                  const std::string& item_prefix, const std::string& item_suffix,
                  std::function<bool(State&, const http::Request&)> allowed, std::function<json(const json&)> unwrap,
                  std::function<json(const json&, bool list)> wrap) {
    auto gate = [&s, platform, allowed](const std::function<http::Response(const http::Request&)>& work) {
        return [&s, platform, allowed, work](const http::Request& req) {
            if (!allowed(s, req)) return shaped_error(platform, 401, "Unauthorized");
            return work(req);
        };
    };
    add_route(r, s, platform, no_error_shape, "GET", collection,
              gate([&s, platform, wrap](const http::Request&) { return reply(wrap(list_of(s, platform), true)); }));
    add_route(r, s, platform, no_error_shape, "POST", collection,
              gate([&s, platform, unwrap, wrap](const http::Request& req) {
                  json body = json::parse(req.body, nullptr, false);
                  std::string error;
                  auto h = body.is_object() ? save_hook(s, platform, unwrap(body), "", &error) : std::nullopt;
                  if (!h) return shaped_error(platform, 422, error.empty() ? "malformed body" : error);
                  return reply(wrap(visible(*h), false), platform == "bigcommerce" ? 200 : 201);
              }));
    // Shopify's "{id}.json" is one path segment: the router takes it whole.
    std::string item = item_prefix + "{id}";
    auto id_of = [item_suffix](const http::Request& req) {
        std::string id = req.param("id");
        if (!item_suffix.empty() && id.size() > item_suffix.size() &&
            id.compare(id.size() - item_suffix.size(), item_suffix.size(), item_suffix) == 0)
            id.resize(id.size() - item_suffix.size());
        return id;
    };
    add_route(r, s, platform, no_error_shape, "PUT", item, gate([&s, platform, unwrap, wrap, id_of](const http::Request& req) {
                  json body = json::parse(req.body, nullptr, false);
                  std::string error;
                  auto h = body.is_object() ? save_hook(s, platform, unwrap(body), id_of(req), &error)
                                            : std::nullopt;
                  if (!h) return shaped_error(platform, error == "not found" ? 404 : 422, error);
                  return reply(wrap(visible(*h), false));
              }));
    add_route(r, s, platform, no_error_shape, "DELETE", item, gate([&s, platform, wrap, id_of](const http::Request& req) {
                  json removed;
                  if (!remove_hook(s, platform, id_of(req), &removed)) return shaped_error(platform, 404, "not found");
                  return reply(wrap(removed, false));
              }));
}

// The body the platform would send for `topic` about object `id`.
std::string delivery_body(const std::string& platform, const std::string& topic, int64_t id) {
    if (platform == "bigcommerce")
        return json{{"scope", topic},
                    {"store_id", "1001234"},
                    {"data", {{"type", topic.find("order") != std::string::npos ? "order" : "product"}, {"id", id}}},
                    {"hash", crypto::hex_encode(crypto::random_bytes(20))},
                    {"created_at", int64_t(std::time(nullptr))},
                    {"producer", std::string("stores/") + demo::kBigCommerceStoreHash}}
            .dump();
    return json{{"id", id}}.dump();
}

json send_deliveries(State& s, const std::string& platform, const std::string& topic, int64_t id) {
    std::vector<MockHook> targets;
    {
        std::lock_guard<std::mutex> lock(s.mu);
        for (const MockHook& h : s.hooks)
            if (h.platform == platform && h.topic == topic && h.active) targets.push_back(h);
    }
    json statuses = json::array();
    for (const MockHook& h : targets) {
        http::FetchRequest req;
        req.method = "POST";
        req.url = h.destination;
        req.content_type = "application/json";
        req.body = delivery_body(platform, topic, id);
        if (platform == "bigcommerce") {
            for (const auto& [k, v] : h.headers.items())
                if (v.is_string()) req.headers.emplace(k, v.get<std::string>());
        } else if (platform == "shopify") {
            // Shopify signs every delivery with the app's client secret, not a per-hook one.
            req.headers.emplace("X-Shopify-Topic", topic);
            req.headers.emplace("X-Shopify-Shop-Domain", demo::kShopifyDomain);
            req.headers.emplace("X-Shopify-API-Version", "2024-04");  // the version the connector registers with
            req.headers.emplace("X-Shopify-Webhook-Id", crypto::hex_encode(crypto::random_bytes(16)));
            req.headers.emplace("X-Shopify-Hmac-Sha256", webhooks::sign_shopify(demo::kShopifyAppSecret, req.body));
        } else {
            req.headers.emplace("X-WC-Webhook-Topic", topic);
            req.headers.emplace("X-WC-Webhook-ID", std::to_string(h.id));
            req.headers.emplace("X-WC-Webhook-Delivery-ID", crypto::hex_encode(crypto::random_bytes(8)));
            req.headers.emplace("X-WC-Webhook-Signature", webhooks::sign_woocommerce(h.secret, req.body));
        }
        http::FetchResult res = http::fetch(req);
        statuses.push_back(res.ok() ? res.response.status : 0);
    }
    return {{"sent", targets.size()}, {"statuses", statuses}};
}

}  // namespace

void add_webhook_apis(http::Router& r, State& s) {
    auto same = [](const json& b) { return b; };
    add_platform(
        r, s, "bigcommerce", "/bigcommerce/stores/{hash}/v3/hooks", "/bigcommerce/stores/{hash}/v3/hooks/", "",
        bigcommerce_allowed, same, [](const json& j, bool list) {
            json meta = list ? json{{"pagination", {{"total", j.size()}, {"count", j.size()}, {"per_page", 50},
                                                    {"current_page", 1}, {"total_pages", 1}}}}
                             : json::object();
            return json{{"data", j}, {"meta", meta}};
        });
    add_platform(
        r, s, "shopify", "/shopify/{shop}/admin/api/{version}/webhooks.json", "/shopify/{shop}/admin/api/{version}/webhooks/",
        ".json", shopify_allowed,
        [](const json& b) { return b.contains("webhook") && b["webhook"].is_object() ? b["webhook"] : json::object(); },
        [](const json& j, bool list) { return json{{list ? "webhooks" : "webhook", j}}; });
    add_platform(r, s, "woocommerce", "/woocommerce/wp-json/wc/v3/webhooks", "/woocommerce/wp-json/wc/v3/webhooks/",
                 "", woocommerce_allowed, same, [](const json& j, bool) { return j; });

    http::Route send;
    send.method = "POST";
    send.pattern = "/_mock/webhooks/send";
    send.access = http::Access::Public;
    send.body = http::Body::Raw;
    send.handler = [&s](const http::Call& c) -> Result<http::Response> {
        json b = json::parse(c.req.body, nullptr, false);
        if (!b.is_object() || !b.contains("platform") || !b["platform"].is_string() || !b.contains("topic") ||
            !b["topic"].is_string() || !b.contains("id") || !b["id"].is_number_integer())
            return reply({{"error", "send {\"platform\", \"topic\", \"id\"}"}}, 400);
        return reply(send_deliveries(s, b["platform"], b["topic"], b["id"].get<int64_t>()));
    };
    r.add(std::move(send));
}

}  // namespace onramp::mock
