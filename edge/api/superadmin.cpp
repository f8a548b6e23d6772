// /api/superadmin: an operator creates API-integrated clients (a client's
// organization, manager and connection in one call) and watches their syncs. Operators
// only: everyone else gets 403, a caller without credentials 401.
//
//   GET  /api/superadmin/api-platforms              the platforms a client can be created with,
//                                                   with their credential fields (catalog)
//   POST /api/superadmin/test-api-connection        {platform, credentials} → the test, nothing stored
//   POST /api/superadmin/clients/api-integration    {company_name, email, password, platform,
//                                                    credentials, sync_frequency, ...} → 201
//   GET  /api/superadmin/clients                    every client: connections and sync success rate
//   GET  /api/superadmin/clients/{org_id}/sync-history?limit=&offset=
//                                                   the client's runs, newest first, and its rate
//
// The shapes follow the other client-creation endpoints ("success" on every
// answer, the step where a failure happened); the README documents them
// ("Operator client creation").
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/step_failure.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/auth/passwords.h"
#include "edge/onboarding/new_client.h"
#include "edge/sync/history.h"
#include "shared/connectors/catalog_json.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

namespace {

// Operators create clients of e-commerce platforms here; the call-tracking and
// CRM connectors belong to the other flows.
bool offered(const connectors::Connector& c) { return c.category == connectors::Category::commerce; }

Result<Response> api_platforms(App&, const Call&) {
    json platforms = json::array();
    for (const connectors::Connector& c : connectors::connectors())
        if (offered(c)) platforms.push_back(c);
    return Response::json({{"success", true},
                           {"platforms", platforms},
                           {"sync_frequencies", {"hourly", "daily", "weekly", "manual"}},
                           {"default_sync_frequency", "daily"}});
}

// The platform field, or a 422 naming it.
std::string platform_field(Fields& f) {
    std::string id = f.text("platform", 64);
    const connectors::Connector* c = id.empty() ? nullptr : connectors::find_connector(id);
    if (!id.empty() && (!c || !offered(*c))) f.fail("platform", "Choose one of the platforms GET /api/superadmin/api-platforms lists.");
    return id;
}

Result<Response> test_api_connection(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string platform = platform_field(f);
    auto creds = f.opt_object("credentials");
    if (!creds) f.fail("credentials", "Send the credentials as an object of field names and values.");
    if (!f.ok()) return f.problem();
    auto t = connections::test_only(app, platform, *creds);
    if (!t) return t.problem();
    json detail = {{"platform", platform}, {"success", t->ok()}};
    if (!t->ok()) detail["cause"] = std::string(connectors::to_string(t->failure->cause));
    {
        auto db = app.store->lease();
        audit(*db, app.now(), c.who, &c.req, {"credential.tested", "", "connector", platform, detail});
    }
    json out = connections::test_json(platform, *t);
    out["message"] = t->ok() ? "Connected to " + t->verified.account_name + "." : t->failure->message;
    Response r = Response::json(out);
    if (!t->ok() && t->failure->retry_after_s > 0) r.set_header("Retry-After", std::to_string(t->failure->retry_after_s));
    return r;
}

Result<Response> create_client(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    onboarding::NewClient nc;
    nc.org_name = f.text("company_name", 200);
    nc.tier = f.opt_choice("subscription_tier", {"starter", "growth", "enterprise"}).value_or("growth");
    std::string email = f.text("email", 254);
    std::string password = f.text("password", 1024);
    nc.user_full_name = f.opt_text("full_name", 200).value_or("");
    if (!email.empty() && !looks_like_email(email)) f.fail("email", "is not an e-mail address");
    if (!password.empty() && password.size() < auth::kMinPasswordLength) f.fail("password", "Use at least 8 characters.");
    f.opt_choice("input_method", {"api"});
    nc.connection.platform = platform_field(f);
    nc.connection.name = f.opt_text("connection_name", 200).value_or("");
    nc.connection.sync_frequency = f.opt_choice("sync_frequency", {"manual", "hourly", "daily", "weekly"}).value_or("daily");
    nc.connection.perform_initial_sync = f.opt_bool("perform_initial_sync").value_or(true);
    auto creds = f.opt_object("credentials");
    if (!creds) f.fail("credentials", "Send the credentials as an object of field names and values.");
    if (!f.ok()) return step_failure(f.problem(), "validation");
    nc.user_email = email;
    nc.password = password;
    nc.connection.credentials = *creds;

    auto made = onboarding::create_client(app, nc, c.who, &c.req);
    if (!made) {
        const Problem& p = made.problem();
        return step_failure(p, p.error_code == "email_taken" ? "user_creation" : "validation");
    }
    if (!made->created) return test_refused(nc.connection.platform, made->test, "connection_test", "API connection test failed");
    const onboarding::ClientCreated& cc = *made->created;
    json connection = connections::connection_json(*cc.saved.connection);
    json out = {{"success", true},
                {"client", org_json(cc.org)},
                {"user", {{"id", cc.user->id}, {"email", cc.user->email}, {"full_name", cc.user->full_name}}},
                {"connection", connection},
                {"connection_test", connections::test_json(nc.connection.platform, cc.saved.test)},
                {"sync_run_id", cc.saved.sync_run_id ? json(*cc.saved.sync_run_id) : json(nullptr)}};
    Response r = Response::json(out, 201);
    r.set_header("Location", "/api/superadmin/clients/" + cc.org.id + "/sync-history");
    return r;
}

json connection_summary(const store::Connection& conn) {
    json j = connections::connection_json(conn);
    j.erase("credentials");  // the overview needs no settings, masked or not
    return j;
}

Result<Response> list_clients(App& app, const Call&) {
    auto db = app.store->lease();
    json items = json::array();
    for (const store::Org& o : store::list_orgs(*db)) {
        json conns = json::array();
        for (const store::Connection& conn : store::list_connections(*db, o.id))
            if (!conn.user_id) conns.push_back(connection_summary(conn));
        items.push_back({{"organization", org_json(o)}, {"connections", conns},
                         {"sync", sync::stats_json(sync::org_sync_stats(*db, o.id))}});
    }
    return Response::json({{"success", true}, {"clients", items}, {"total", items.size()}});
}

// A non-negative integer query value within [min, max]; `fallback` when absent.
std::optional<int> query_int(const http::Request& req, const char* name, int fallback, int min, int max) {
    std::string v = req.query_value(name);
    if (v.empty()) return fallback;
    if (v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    int n = std::stoi(v);
    if (n < min || n > max) return std::nullopt;
    return n;
}

Result<Response> sync_history(App& app, const Call& c) {
    std::string org_id = c.req.param("org_id");
    auto limit = query_int(c.req, "limit", 50, 1, 200);
    auto offset = query_int(c.req, "offset", 0, 0, 1000000);
    std::map<std::string, std::string> errors;
    if (!limit) errors["limit"] = "must be a whole number from 1 to 200";
    if (!offset) errors["offset"] = "must be a whole number, 0 or more";
    if (!errors.empty()) return unprocessable(errors);
    auto db = app.store->lease();
    auto org = store::find_org(*db, org_id);
    if (!org) return not_found("No such client.");
    json runs = json::array();
    for (const sync::Run& r : sync::org_runs(*db, org_id, *limit, *offset)) runs.push_back(sync::run_json(r));
    return Response::json({{"success", true},
                           {"organization", org_json(*org)},
                           {"stats", sync::stats_json(sync::org_sync_stats(*db, org_id))},
                           {"runs", runs},
                           {"limit", *limit},
                           {"offset", *offset}});
}

}  // namespace

void add_superadmin_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    const std::string base = "/api/superadmin";
    r.add({"GET", base + "/api-platforms", Access::Operator, Body::None, bind(api_platforms)});
    r.add({"POST", base + "/test-api-connection", Access::Operator, Body::Json, bind(test_api_connection)});
    r.add({"POST", base + "/clients/api-integration", Access::Operator, Body::Json, bind(create_client)});
    r.add({"GET", base + "/clients", Access::Operator, Body::None, bind(list_clients)});
    r.add({"GET", base + "/clients/{org_id}/sync-history", Access::Operator, Body::None, bind(sync_history)});
}

}  // namespace onramp::api
