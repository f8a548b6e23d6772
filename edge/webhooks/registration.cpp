// The platforms' webhook APIs are reached through the connectors' wire
// layer (edge/connectors/wire.h), so registration gets the same SSRF
// guard for typed hosts, rate budget and retries as every other call.
#include "edge/webhooks/registration.h"

#include "edge/connections/credentials.h"
#include "edge/connectors/wire.h"
#include "edge/platforms/bigcommerce/webhook.h"

namespace onramp::webhooks {

namespace {

using nlohmann::json;

struct Api {
    const connectors::Platform& platform;
    connectors::CallContext ctx;
    connectors::ProxyTarget target;
    std::string id;  // platform id
};

Problem refused(const connectors::Failure& f) {
    Problem p = bad_gateway("The platform refused the webhook registration: " + f.message +
                            (f.platform_message.empty() ? "" : " (" + f.platform_message + ")"));
    return p;
}

connectors::Outcome<json> call(Api& api, const std::string& step, const std::string& method, const std::string& path,
                               const json* body) {
    connectors::wire::Request r;
    r.step = step;
    r.method = method;
    r.url = api.target.base_url + path;
    r.headers = api.target.headers;
    if (body) {
        r.body = body->dump();
        r.content_type = "application/json";
    }
    r.retryable = method == "GET";
    if (api.id == "woocommerce") {
        r.typed_host = !connectors::wire::has_override(api.ctx, "woocommerce");
        r.host_field = "site_url";
    }
    return connectors::wire::call_json(api.platform, api.ctx, r);
}

struct Hook {
    std::string id, topic, destination;
};

std::string text(const json& j, const char* key) { return connectors::wire::text(j, key); }

connectors::Outcome<std::vector<Hook>> list_hooks(Api& api) {
    std::string path = api.id == "bigcommerce" ? "/v3/hooks" : api.id == "shopify" ? "/webhooks.json"
                                                                                   : "/webhooks?per_page=100";
    auto got = call(api, "list_webhooks", "GET", path, nullptr);
    if (!got) return got.failure();
    const json* items = &*got;
    if (api.id == "bigcommerce" && got->is_object() && got->contains("data")) items = &(*got)["data"];
    if (api.id == "shopify" && got->is_object() && got->contains("webhooks")) items = &(*got)["webhooks"];
    std::vector<Hook> out;
    if (!items->is_array()) return out;
    for (const json& h : *items) {
        if (!h.is_object()) continue;
        Hook hook{text(h, "id"), text(h, api.id == "bigcommerce" ? "scope" : "topic"), ""};
        hook.destination = text(h, api.id == "bigcommerce" ? "destination"
                                   : api.id == "shopify"   ? "address"
                                                           : "delivery_url");
        out.push_back(std::move(hook));
    }
    return out;
}

json hook_body(const std::string& platform, const std::string& topic, const std::string& url,
               const std::string& secret) {
    if (platform == "bigcommerce")
        return {{"scope", topic},
                {"destination", url},
                {"is_active", true},
                {"headers", {{std::string(kBigCommerceSecretHeader), secret}}}};
    if (platform == "shopify") return {{"webhook", {{"topic", topic}, {"address", url}, {"format", "json"}}}};
    return {{"name", "Onramp " + topic}, {"topic", topic}, {"delivery_url", url}, {"secret", secret},
            {"status", "active"}};
}

std::string hook_path(const std::string& platform, const std::string& id) {
    std::string safe = connectors::wire::path_id(id);
    if (platform == "bigcommerce") return "/v3/hooks/" + safe;
    if (platform == "shopify") return "/webhooks/" + safe + ".json";
    return "/webhooks/" + safe;
}

std::string created_id(const std::string& platform, const json& j) {
    if (platform == "bigcommerce" && j.is_object() && j.contains("data")) return text(j["data"], "id");
    if (platform == "shopify" && j.is_object() && j.contains("webhook")) return text(j["webhook"], "id");
    return text(j, "id");
}

// The platform, its credentials and the API base for this connection.
Result<Api> open_api(App& app, const store::Connection& conn) {
    const connectors::Platform* platform = connectors::find_platform(conn.platform);
    if (!platform || !supports_registration(conn.platform))
        return unprocessable({{"platform", conn.platform + " has no webhook registration API; follow the steps shown"}},
                             "This platform's webhooks are set up by hand.");
    connectors::Credentials creds;
    {
        auto db = app.store->lease();
        auto loaded = connections::load_credentials(*app.vault, *db, conn, platform->entry());
        if (!loaded) return loaded.problem();
        creds = std::move(*loaded);
    }
    Api api{*platform, app.contexts->for_connection(conn.id, platform->entry()), {}, conn.platform};
    auto target = platform->proxy(creds, api.ctx);
    if (!target) return refused(target.failure());
    api.target = std::move(*target);
    return api;
}

}  // namespace

bool supports_registration(const std::string& platform) {
    return platform == "bigcommerce" || platform == "shopify" || platform == "woocommerce";
}

std::vector<std::string> registration_topics(const std::string& platform) {
    if (platform == "bigcommerce")
        return {"store/product/created", "store/product/updated", "store/product/deleted",
                "store/product/inventory/updated", "store/sku/created", "store/sku/updated", "store/sku/deleted",
                "store/sku/inventory/updated", "store/order/created", "store/order/updated"};
    if (platform == "shopify")
        return {"products/create", "products/update", "products/delete", "orders/create", "orders/updated"};
    if (platform == "woocommerce")
        return {"product.created", "product.updated", "product.deleted", "product.restored", "order.created",
                "order.updated", "order.deleted"};
    return {};
}

namespace {

// The connection a hook addressed to this deployment belongs to:
// "{public_url}/webhooks/{scheme}/{connection_id}" → the id, else "".
std::string our_connection(const Config& config, const std::string& destination) {
    std::string prefix = webhooks_base_url(config);
    if (destination.compare(0, prefix.size(), prefix) != 0) return "";
    std::string rest = destination.substr(prefix.size());
    size_t slash = rest.find('/');
    return slash == std::string::npos ? "" : rest.substr(slash + 1);
}

// Hooks this deployment left for connections that no longer exist (a
// deletion the platform did not hear about): they would only deliver into
// 404s, and a new connection to the same store would see them as doubles.
connectors::Outcome<bool> remove_orphans(App& app, Api& api, const std::vector<Hook>& hooks) {
    for (const Hook& h : hooks) {
        std::string owner = our_connection(app.config, h.destination);
        if (owner.empty()) continue;
        {
            auto db = app.store->lease();
            if (store::find_connection_any_org(*db, owner)) continue;
        }
        auto gone = call(api, "delete_webhook", "DELETE", hook_path(api.id, h.id), nullptr);
        if (!gone && gone.failure().http_status != 404) return gone.failure();
    }
    return true;
}

// Keeps the outcome on the endpoint for the webhooks view: the hooks that
// exist on the platform (`made`, null: unchanged) and the refusal, if any.
// Hooks made before a refusal part-way are kept with the earlier ones, so
// a deletion still finds them.
Endpoint record(App& app, const store::Connection& conn, const json* made, const Problem* refusal) {
    auto db = app.store->lease();
    Endpoint e = find_endpoint(*db, conn.id).value_or(
        fresh_endpoint(conn, std::string(default_scheme(conn.platform).name), app.now()));
    if (made && !refusal) {
        e.registered = *made;
        e.registered_at = app.now();
    } else if (made) {
        json kept = *made;
        for (const json& old : e.registered) {
            bool again = false;
            for (const json& h : *made) again = again || h["id"] == old["id"];
            if (!again) kept.push_back(old);
        }
        e.registered = kept;
    }
    e.registration_state = refusal ? "failed" : "registered";
    e.registration_error = refusal ? std::optional<std::string>(refusal->detail) : std::nullopt;
    e.registration_attempted_at = app.now();
    e.updated_at = app.now();
    save_endpoint(*db, e);
    return e;
}

Problem failed(App& app, const store::Connection& conn, const json* made, const connectors::Failure& f) {
    Problem p = refused(f);
    record(app, conn, made, &p);
    return p;
}

}  // namespace

Result<Endpoint> register_hooks(App& app, const store::Connection& conn) {
    auto api = open_api(app, conn);
    if (!api) {
        Problem p = api.problem();
        if (p.status == 502) record(app, conn, nullptr, &p);
        return p;
    }
    const Scheme& scheme = default_scheme(conn.platform);
    std::string url = webhook_url(app.config, conn, scheme);
    std::string secret;
    {
        auto db = app.store->lease();
        auto e = find_endpoint(*db, conn.id);
        Secrets s = &scheme_of(conn, e) == &scheme ? load_secrets(*app.vault, *db, conn, e, app.now()) : Secrets{};
        if (!s.keys.empty()) secret = s.keys.front();
    }
    if (secret.empty()) {
        if (!can_generate_secret(scheme))
            return unprocessable({{"secret", "set the app's client secret (PUT .../webhooks/secret) first: " +
                                                 conn.platform + " signs deliveries with it"}},
                                 "The webhook secret is not set.");
        secret = generate_secret(scheme);
        auto db = app.store->lease();
        store::Tx tx(*db);
        auto e = set_secret(*app.vault, *db, conn, scheme, secret, 0, app.now());
        if (!e) return e.problem();
        tx.commit();
    }

    auto existing = list_hooks(*api);
    if (!existing) return failed(app, conn, nullptr, existing.failure());
    if (auto cleaned = remove_orphans(app, *api, *existing); !cleaned)
        return failed(app, conn, nullptr, cleaned.failure());
    json registered = json::array();
    for (const std::string& topic : registration_topics(conn.platform)) {
        const Hook* found = nullptr;
        for (const Hook& h : *existing)
            if (h.topic == topic && h.destination == url) found = &h;
        json body = hook_body(conn.platform, topic, url, secret);
        std::string id;
        if (found) {
            id = found->id;
            // Shopify's secret is the app's, not the hook's: nothing to update.
            if (conn.platform != "shopify") {
                auto put = call(*api, "update_webhook", "PUT", hook_path(conn.platform, id), &body);
                if (!put) return failed(app, conn, &registered, put.failure());
            }
        } else {
            auto made = call(*api, "create_webhook", "POST", conn.platform == "bigcommerce" ? "/v3/hooks"
                                                             : conn.platform == "shopify" ? "/webhooks.json"
                                                                                          : "/webhooks",
                             &body);
            if (!made) return failed(app, conn, &registered, made.failure());
            id = created_id(conn.platform, *made);
        }
        registered.push_back({{"topic", topic}, {"id", id}});
    }
    return record(app, conn, &registered, nullptr);
}

Result<Endpoint> unregister_hooks(App& app, const store::Connection& conn) {
    auto api = open_api(app, conn);
    if (!api) return api.problem();
    auto db = app.store->lease();
    auto e = find_endpoint(*db, conn.id);
    if (!e) return fresh_endpoint(conn, std::string(default_scheme(conn.platform).name), app.now());
    for (const json& h : e->registered) {
        std::string id = text(h, "id");
        if (id.empty()) continue;
        auto gone = call(*api, "delete_webhook", "DELETE", hook_path(conn.platform, id), nullptr);
        if (!gone && gone.failure().http_status != 404) return refused(gone.failure());
    }
    e->registered = json::array();
    e->registered_at.reset();
    e->registration_state = "removed";
    e->registration_error.reset();
    e->updated_at = app.now();
    save_endpoint(*db, *e);
    return *e;
}

json manual_steps(const std::string& platform, const Scheme& scheme, const std::string& url) {
    if (supports_registration(platform)) {
        json steps = json::array({"Onramp creates the hooks on " + platform +
                                  " by itself once nothing is missing (see \"registration\"); Register tries again."});
        if (scheme.manual_steps)
            for (const json& step : scheme.manual_steps(url)) steps.push_back("Or by hand: " + step.get<std::string>());
        return steps;
    }
    return scheme.manual_steps ? scheme.manual_steps(url) : json::array();
}

}  // namespace onramp::webhooks
