// /api/dashboard/integrations: a signed-in user's own CRM integrations
// (README, "Per-user integrations"). Each is a connection owned by the user (connections.user_id);
// nobody else sees it, not even the org's managers, and another user's id
// answers 404 like a missing one. Providers: edge/integrations/providers.h.
//
//   GET    /api/dashboard/integrations/providers   provider definitions and their form fields
//   GET    /api/dashboard/integrations             the caller's integrations
//   GET    /api/dashboard/integrations/active?provider=CHATWOOT
//                                                  what applies to the caller: their own active
//                                                  integration, else the environment's, else 404
//   POST   /api/dashboard/integrations/create      {name, type: "CRM", configuration, org_id?} → 201
//   POST   /api/dashboard/integrations/test        {type, configuration} → the test, nothing stored
//   GET    /api/dashboard/integrations/{id}
//   PUT    /api/dashboard/integrations/{id}        {name?, isActive?, configuration?}
//   POST   /api/dashboard/integrations/{id}/test   tests the stored credentials again
//   DELETE /api/dashboard/integrations/{id}        → {"success": true}
//
// The organization an integration belongs to is the caller's only one,
// or the `org_id` they name when they belong to several.
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/step_failure.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/connections/service.h"
#include "edge/integrations/providers.h"
#include "shared/validation/fields.h"
#include "shared/validation/validate.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using integrations::Provider;
using nlohmann::json;

namespace {

std::string connect_error(const Provider& p) {
    return p.id == "CHATWOOT" ? "Failed to connect to Chatwoot" : "Failed to connect to your CRM";
}

// The stored settings in the camelCase clients of this API use: {provider, baseUrl, accountId,
// apiKey: "••••1234", features}.
json configuration_json(const store::Connection& c, const Provider& p) {
    json out = {{"provider", p.id}};
    const connectors::Connector* entry = connectors::find_connector(c.platform);
    for (const auto& [k, v] : c.config.items()) {
        if (k == "features" || k == "crm_name") continue;
        const connectors::Field* f = entry ? entry->find_field(k) : nullptr;
        out[f ? integrations::seed_name(*f) : k] = v;
    }
    for (const auto& [k, v] : c.masked.items()) {
        const connectors::Field* f = entry ? entry->find_field(k) : nullptr;
        out[f ? integrations::seed_name(*f) : k] = v;
    }
    if (c.config.contains("features")) out["features"] = c.config["features"];
    if (c.config.contains("crm_name")) out["crmName"] = c.config["crm_name"];
    return out;
}

json integration_json(const store::Connection& c) {
    const Provider* p = integrations::provider_for_platform(c.platform);
    auto when = [](const std::optional<int64_t>& t) { return t ? json(iso8601(*t)) : json(nullptr); };
    return {{"id", c.id},
            {"name", c.name},
            {"type", "CRM"},
            {"provider", p ? json(p->id) : json(nullptr)},
            {"isActive", c.status != "disabled"},
            {"status", c.status},
            {"configuration", p ? configuration_json(c, *p) : json::object()},
            {"userId", c.user_id ? json(*c.user_id) : json(nullptr)},
            {"orgId", c.org_id},
            {"lastTestedAt", when(c.last_test_at)},
            {"lastTestOk", c.last_test_ok ? json(*c.last_test_ok) : json(nullptr)},
            {"lastError", c.last_error ? json(*c.last_error) : json(nullptr)},
            {"createdAt", iso8601(c.created_at)},
            {"updatedAt", iso8601(c.updated_at)}};
}

// The caller's integrations in orgs they still belong to.
std::vector<store::Connection> own_integrations(App& app, const Call& c) {
    auto db = app.store->lease();
    std::vector<store::Connection> out;
    for (store::Connection& conn : store::list_user_connections(*db, c.who->user_id))
        if (integrations::provider_for_platform(conn.platform) && c.who->can_read(conn.org_id)) out.push_back(conn);
    return out;
}

Result<store::Connection> own_integration(App& app, const Call& c) {
    std::string id = c.req.param("id");
    for (store::Connection& conn : own_integrations(app, c))
        if (conn.id == id) return conn;
    return not_found("No such integration.");
}

// `type` is the integration's kind; CRM is the only one.
void check_type(Fields& f, bool required) {
    auto t = f.opt_choice("type", {"CRM"});
    if (!t && required) f.fail("type", "is required: CRM");
}

// The org for a new integration: the one named, or the caller's only one.
std::optional<std::string> pick_org(const Call& c, Fields& f, bool* foreign) {
    auto named = f.opt_text("org_id", 64);
    if (named) {
        if (!c.who->can_read(*named)) *foreign = true;
        return named;
    }
    if (c.who->memberships.size() == 1) return c.who->memberships.front().org_id;
    f.fail("org_id", c.who->memberships.empty() ? "is required: you belong to no organization"
                                                : "is required: you belong to several organizations; name one");
    return std::nullopt;
}

Result<Response> providers(App&, const Call&) {
    json out = integrations::providers_json();
    out["success"] = true;
    return Response::json(out);
}

Result<Response> list(App& app, const Call& c) {
    json items = json::array();
    for (const store::Connection& conn : own_integrations(app, c)) items.push_back(integration_json(conn));
    return Response::json({{"success", true}, {"integrations", items}, {"total", items.size()}});
}

Result<Response> get_one(App& app, const Call& c) {
    auto conn = own_integration(app, c);
    if (!conn) return conn.problem();
    return Response::json({{"success", true}, {"integration", integration_json(*conn)}});
}

// Backward compatibility with deployments configured by environment: the
// user's own integration first, then the environment's global credentials,
// else an error.
Result<Response> active(App& app, const Call& c) {
    std::string id = c.req.query_value("provider");
    const Provider* p = integrations::find_provider(id.empty() ? "CHATWOOT" : id);
    if (!p || !p->available()) return unprocessable({{"provider", "choose CHATWOOT or CUSTOM"}});
    std::optional<store::Connection> newest;
    for (const store::Connection& conn : own_integrations(app, c))
        if (conn.platform == p->platform && conn.status != "disabled" && (!newest || conn.created_at > newest->created_at))
            newest = conn;
    if (newest) return Response::json({{"success", true}, {"source", "user"}, {"integration", integration_json(*newest)}});
    if (auto env = integrations::environment_credentials(*p, app.env)) {
        const connectors::Connector* entry = connectors::find_connector(p->platform);
        validation::Validation v = validation::validate_credentials(*entry, *env);
        if (v.ok()) {
            json configuration = {{"provider", p->id}};
            for (const auto& [k, val] : validation::masked_credentials(*entry, v.values))
                configuration[integrations::seed_name(*entry->find_field(k))] = val;
            return Response::json({{"success", true}, {"source", "environment"}, {"configuration", configuration}});
        }
    }
    Problem none = not_found("No " + std::string(p->name) + " integration is configured for you, and the server has "
                             "no global one. Add an integration under Dashboard → Integrations.");
    none.error_code = "no_integration";
    return none;
}

Result<Response> create(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    auto name = f.opt_text("name", 200);
    check_type(f, true);
    bool foreign = false;
    auto org = pick_org(c, f, &foreign);
    auto configuration = f.opt_object("configuration");
    if (!configuration) f.fail("configuration", "is required: {provider, ...credentials}");
    if (foreign) return not_found("No such organization.");
    if (!f.ok()) return step_failure(f.problem(), "validation");
    auto parsed = integrations::parse_configuration(*configuration, nullptr);
    if (!parsed) return step_failure(parsed.problem(), "validation");

    connections::Draft d;
    d.org_id = *org;
    d.user_id = c.who->user_id;
    d.platform = std::string(parsed->provider->platform);
    d.name = name.value_or(parsed->crm_name.empty() ? std::string(parsed->provider->name) : parsed->crm_name);
    d.credentials = parsed->credentials;
    bool sync_contacts = parsed->features && parsed->features->value("syncContacts", false);
    d.sync_frequency = sync_contacts ? "daily" : "manual";
    d.perform_initial_sync = sync_contacts;
    auto saved = connections::create(app, d, c.who, &c.req);
    if (!saved) return step_failure(saved.problem(), "validation");
    if (!saved->connection) return test_refused(d.platform, saved->test, "connection_test", connect_error(*parsed->provider));

    store::Connection row = *saved->connection;
    if (parsed->features || !parsed->crm_name.empty()) {
        if (parsed->features) row.config["features"] = *parsed->features;
        if (!parsed->crm_name.empty()) row.config["crm_name"] = parsed->crm_name;
        auto db = app.store->lease();
        store::update_connection(*db, row);
    }
    Response r = Response::json({{"success", true},
                                 {"integration", integration_json(row)},
                                 {"connection_test", connections::test_json(d.platform, saved->test)}},
                                201);
    r.set_header("Location", "/api/dashboard/integrations/" + row.id);
    return r;
}

Result<Response> test(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    check_type(f, false);
    auto configuration = f.opt_object("configuration");
    if (!configuration) f.fail("configuration", "is required: {provider, ...credentials}");
    if (!f.ok()) return step_failure(f.problem(), "validation");
    auto parsed = integrations::parse_configuration(*configuration, nullptr);
    if (!parsed) return step_failure(parsed.problem(), "validation");
    std::string platform(parsed->provider->platform);
    auto t = connections::test_only(app, platform, parsed->credentials);
    if (!t) return step_failure(t.problem(), "validation");
    {
        auto db = app.store->lease();
        json detail = {{"platform", platform}, {"success", t->ok()}};
        audit(*db, app.now(), c.who, &c.req, {"credential.tested", "", "connector", platform, detail});
    }
    json out = connections::test_json(platform, *t);
    out["message"] = t->ok() ? "Connected to " + t->verified.account_name + "."
                             : connect_error(*parsed->provider) + ": " + t->failure->message;
    return Response::json(out);
}

Result<Response> update(App& app, const Call& c) {
    auto conn = own_integration(app, c);
    if (!conn) return conn.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    auto name = f.opt_text("name", 200);
    auto is_active = f.opt_bool("isActive");
    check_type(f, false);
    auto configuration = f.opt_object("configuration");
    for (const auto& [k, v] : body->items())
        if (k != "name" && k != "isActive" && k != "type" && k != "configuration") f.fail(k, "is not a field of an integration");
    if (!f.ok()) return step_failure(f.problem(), "validation");
    const Provider* provider = integrations::provider_for_platform(conn->platform);
    std::optional<integrations::Configuration> parsed;
    if (configuration) {
        auto p = integrations::parse_configuration(*configuration, provider);
        if (!p) return step_failure(p.problem(), "validation");
        parsed = *p;
    }

    store::Connection row = *conn;
    if (parsed && !parsed->credentials.empty()) {
        // New credentials are tested first; on refusal the old ones stay.
        auto saved = connections::rotate(app, row, parsed->credentials, c.who, &c.req);
        if (!saved) return step_failure(saved.problem(), "validation");
        if (!saved->connection) return test_refused(row.platform, saved->test, "connection_test", connect_error(*provider));
        row = *saved->connection;
        for (const char* kept : {"features", "crm_name"})
            if (conn->config.contains(kept)) row.config[kept] = conn->config[kept];
    }
    if (parsed && parsed->features) row.config["features"] = *parsed->features;
    if (parsed && !parsed->crm_name.empty()) row.config["crm_name"] = parsed->crm_name;
    if (name) row.name = *name;
    if (is_active) row.status = !*is_active ? "disabled" : (row.last_test_ok.value_or(true) ? "active" : "error");
    row.updated_at = app.now();
    auto db = app.store->lease();
    store::Tx tx(*db);
    store::update_connection(*db, row);
    json changed = json::array();
    for (const auto& [k, v] : body->items()) changed.push_back(k);
    audit(*db, app.now(), c.who, &c.req, {"integration.updated", row.org_id, "connection", row.id, {{"fields", changed}}});
    tx.commit();
    return Response::json({{"success", true}, {"integration", integration_json(row)}});
}

Result<Response> retest(App& app, const Call& c) {
    auto conn = own_integration(app, c);
    if (!conn) return conn.problem();
    auto t = connections::retest(app, *conn, c.who, &c.req);
    if (!t) return t.problem();
    json out = connections::test_json(conn->platform, *t);
    const Provider* provider = integrations::provider_for_platform(conn->platform);
    out["message"] = t->ok() ? "Connected to " + t->verified.account_name + "."
                             : connect_error(*provider) + ": " + t->failure->message;
    return Response::json(out);
}

Result<Response> remove(App& app, const Call& c) {
    auto conn = own_integration(app, c);
    if (!conn) return conn.problem();
    if (!connections::remove(app, conn->org_id, conn->id, c.who, &c.req)) return not_found("No such integration.");
    return Response::json({{"success", true}});
}

}  // namespace

void add_integration_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    const std::string base = "/api/dashboard/integrations";
    r.add({"GET", base + "/providers", Access::User, Body::None, bind(providers)});
    r.add({"GET", base, Access::User, Body::None, bind(list)});
    r.add({"GET", base + "/active", Access::User, Body::None, bind(active)});
    r.add({"POST", base + "/create", Access::User, Body::Json, bind(create)});
    r.add({"POST", base + "/test", Access::User, Body::Json, bind(test)});
    r.add({"GET", base + "/{id}", Access::User, Body::None, bind(get_one)});
    r.add({"PUT", base + "/{id}", Access::User, Body::Json, bind(update)});
    r.add({"POST", base + "/{id}/test", Access::User, Body::None, bind(retest)});
    r.add({"DELETE", base + "/{id}", Access::User, Body::None, bind(remove)});
}

}  // namespace onramp::api
