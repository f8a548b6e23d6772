// The platforms' webhook APIs are reached through the connectors' wire
// layer (edge/connectors/wire.h), so registration gets the same SSRF
// guard for typed hosts, rate budget and retries as every other call.
#include "edge/webhooks/registration.h"

#include "edge/connections/credentials.h"
#include "edge/connectors/wire.h"
#include "edge/platforms/module.h"

namespace onramp::webhooks {

namespace {

using nlohmann::json;

struct Api {
    const connectors::Platform& platform;
    const HookApi& hooks;
    connectors::CallContext ctx;
    connectors::ProxyTarget target;
    std::string id;  // platform id
    connectors::Credentials creds;
};

const HookApi* hook_api(const std::string& platform) {
    const platforms::Module* m = platforms::find_module(platform);
    return m ? m->hooks : nullptr;
}

Problem refused(const connectors::Failure& f) {
    Problem p = bad_gateway("The platform refused the webhook registration: " + f.message +
                            (f.platform_message.empty() ? "" : " (" + f.platform_message + ")"));
    return p;
}

// `path` with each {field} naming a credential replaced by its value, as
// one path segment (HookApi's paths).
std::string expand(const std::string& path, const connectors::Credentials& creds) {
    std::string out;
    for (size_t i = 0; i < path.size();) {
        size_t close = path[i] == '{' ? path.find('}', i) : std::string::npos;
        auto value = close == std::string::npos ? creds.end() : creds.find(path.substr(i + 1, close - i - 1));
        if (value == creds.end()) {
            out += path[i++];
            continue;
        }
        out += connectors::wire::path_id(value->second);
        i = close + 1;
    }
    return out;
}

connectors::Outcome<json> call(Api& api, const std::string& step, const std::string& method, const std::string& path,
                               const json* body) {
    connectors::wire::Request r;
    r.step = step;
    r.method = method;
    r.url = api.target.base_url + expand(path, api.creds);
    r.headers = api.target.headers;
    if (body) {
        r.body = body->dump();
        r.content_type = "application/json";
    }
    r.retryable = method == "GET";
    if (!api.hooks.typed_host_field.empty()) {
        r.typed_host = !connectors::wire::has_override(api.ctx, api.id);
        r.host_field = api.hooks.typed_host_field;
    }
    return connectors::wire::call_json(api.platform, api.ctx, r);
}

struct Hook {
    std::string id, topic, destination;
};

std::string text(const json& j, const char* key) { return connectors::wire::text(j, key); }

connectors::Outcome<std::vector<Hook>> list_hooks(Api& api) {
    auto got = call(api, "list_webhooks", "GET", api.hooks.list_path, nullptr);
    if (!got) return got.failure();
    const json* items = &*got;
    if (!api.hooks.list_member.empty() && got->is_object() && got->contains(api.hooks.list_member))
        items = &(*got)[api.hooks.list_member];
    std::vector<Hook> out;
    if (!items->is_array()) return out;
    for (const json& h : *items) {
        if (!h.is_object()) continue;
        out.push_back({text(h, "id"), text(h, api.hooks.topic_key.c_str()), text(h, api.hooks.destination_key.c_str())});
    }
    return out;
}

std::string created_id(const HookApi& hooks, const json& j) {
    if (!hooks.created_member.empty() && j.is_object() && j.contains(hooks.created_member))
        return text(j[hooks.created_member], "id");
    return text(j, "id");
}

// The platform, its credentials and the API base for this connection.
Result<Api> open_api(App& app, const store::Connection& conn) {
    const connectors::Platform* platform = connectors::find_platform(conn.platform);
    const HookApi* hooks = hook_api(conn.platform);
    if (!platform || !hooks)
        return unprocessable({{"platform", conn.platform + " has no webhook registration API; follow the steps shown"}},
                             "This platform's webhooks are set up by hand.");
    connectors::Credentials creds;
    {
        auto db = app.store->lease();
        auto loaded = connections::load_credentials(*app.vault, *db, conn, platform->entry());
        if (!loaded) return loaded.problem();
        creds = std::move(*loaded);
    }
    Api api{*platform, *hooks, app.contexts->for_connection(conn.id, platform->entry()), {}, conn.platform, creds};
    auto target = platform->proxy(creds, api.ctx);
    if (!target) return refused(target.failure());
    api.target = std::move(*target);
    return api;
}

}  // namespace

bool supports_registration(const std::string& platform) { return hook_api(platform) != nullptr; }

std::vector<std::string> registration_topics(const std::string& platform) {
    const HookApi* hooks = hook_api(platform);
    return hooks ? hooks->topics : std::vector<std::string>{};
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
        auto gone = call(api, "delete_webhook", "DELETE", api.hooks.hook_path(connectors::wire::path_id(h.id)), nullptr);
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

    if (api->hooks.subscription) {
        std::string fields;
        for (const std::string& topic : registration_topics(conn.platform)) fields += (fields.empty() ? "" : ",") + topic;
        json body = api->hooks.body(fields, url, secret);
        auto made = call(*api, "subscribe", "POST", api->hooks.create_path, &body);
        if (!made) return failed(app, conn, nullptr, made.failure());
        json registered = json::array({{{"topic", fields}, {"id", "subscription"}}});
        return record(app, conn, &registered, nullptr);
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
        json body = api->hooks.body(topic, url, secret);
        std::string id;
        if (found) {
            id = found->id;
            // A secret that is the app's, not the hook's, leaves nothing to update.
            if (api->hooks.secret_per_hook) {
                auto put = call(*api, "update_webhook", "PUT", api->hooks.hook_path(connectors::wire::path_id(id)), &body);
                if (!put) return failed(app, conn, &registered, put.failure());
            }
        } else {
            auto made = call(*api, "create_webhook", "POST", api->hooks.create_path, &body);
            if (!made) return failed(app, conn, &registered, made.failure());
            id = created_id(api->hooks, *made);
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
        std::string path = api->hooks.subscription ? api->hooks.create_path
                                                   : api->hooks.hook_path(connectors::wire::path_id(id));
        auto gone = call(*api, "delete_webhook", "DELETE", path, nullptr);
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
