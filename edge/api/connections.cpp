// /api/v1/orgs/{org_id}/connections: the platforms an organization
// connected. The rules live in edge/connections/service.h;
// this file is the REST shape around them.
//
//   POST   .../connections                    manager  {platform, name, credentials,
//                                                       perform_initial_sync, sync_frequency}
//   GET    .../connections                    member   list (per-user integrations: their owner only),
//                                                      each with dead_letters: its webhook deliveries
//                                                      that gave up, until replayed
//   GET    .../connections/{id}               member   one
//   PATCH  .../connections/{id}               manager  {name, sync_frequency}
//   PUT    .../connections/{id}/credentials   manager  {credentials}: tested, then replaces
//   POST   .../connections/{id}/test          manager  tests the stored credentials again
//   DELETE .../connections/{id}               manager  credentials and synced data go too
//
// A platform that refuses the credentials answers 422 "connection_test_failed"
// with the test's step, cause and message as problem extension members, and
// nothing is stored (or, for a rotation, the old credentials stay).
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/connections/service.h"
#include "edge/webhooks/inbox.h"
#include "shared/json.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

bool sees_connection(const auth::Principal& who, const store::Connection& conn) {
    if (conn.user_id && *conn.user_id != who.user_id) return false;
    return who.may_use_platform(conn.platform);
}

Result<store::Connection> visible_connection(App& app, const Call& c, bool manage) {
    auto org = manage ? managed_org(c) : readable_org(c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    auto conn = store::find_connection(*db, *org, c.req.param("id"));
    if (!conn || !sees_connection(*c.who, *conn)) return not_found("No such connection.");
    return *conn;
}

namespace {

Problem test_failed(const std::string& platform, const connectors::TestOutcome& t) {
    Problem p = unprocessable({}, t.failure->message);
    p.error_code = "connection_test_failed";
    p.title = "The platform did not accept these credentials";
    p.extensions_json = dump_json(connections::test_json(platform, t));
    if (t.failure->retry_after_s > 0) p.retry_after = t.failure->retry_after_s;
    return p;
}

Result<Response> create(App& app, const Call& c) {
    auto org = managed_org(c);
    if (!org) return org.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    connections::Draft d;
    d.org_id = *org;
    d.platform = f.text("platform", 64);
    d.name = f.opt_text("name", 200).value_or("");
    d.sync_frequency = f.opt_choice("sync_frequency", {"manual", "hourly", "daily", "weekly"}).value_or("daily");
    d.perform_initial_sync = f.opt_bool("perform_initial_sync").value_or(false);
    auto creds = f.opt_object("credentials");
    if (!creds) f.fail("credentials", "Send the credentials as an object of field names and values.");
    if (!f.ok()) return f.problem();
    d.credentials = *creds;
    auto saved = connections::create(app, d, c.who, &c.req);
    if (!saved) return saved.problem();
    if (!saved->connection) return test_failed(d.platform, saved->test);
    json out = connections::connection_json(*saved->connection);
    out["test"] = connections::test_json(d.platform, saved->test);
    out["sync_run_id"] = saved->sync_run_id ? json(*saved->sync_run_id) : json(nullptr);
    out["webhooks"] = saved->webhooks;
    Response r = Response::json(out, 201);
    r.set_header("Location", "/api/v1/orgs/" + *org + "/connections/" + saved->connection->id);
    return r;
}

Result<Response> list(App& app, const Call& c) {
    auto org = readable_org(c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    // The console's clients overview reads this list: a connection whose
    // webhook deliveries gave up needs a person (web/screens/console/data.h).
    json items = json::array();
    for (const store::Connection& conn : store::list_connections(*db, *org)) {
        if (!sees_connection(*c.who, conn)) continue;
        json item = connections::connection_json(conn);
        item["dead_letters"] = webhooks::dead_letters(*db, conn.id);
        items.push_back(std::move(item));
    }
    return Response::json({{"items", items}, {"total", items.size()}});
}

Result<Response> get_one(App& app, const Call& c) {
    auto conn = visible_connection(app, c, false);
    if (!conn) return conn.problem();
    return Response::json(connections::connection_json(*conn));
}

Result<Response> patch(App& app, const Call& c) {
    auto conn = visible_connection(app, c, true);
    if (!conn) return conn.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    auto name = f.opt_text("name", 200);
    auto freq = f.opt_choice("sync_frequency", {"manual", "hourly", "daily", "weekly"});
    for (const auto& [k, v] : body->items())
        if (k != "name" && k != "sync_frequency")
            f.fail(k, k == "credentials" ? "is changed with PUT .../credentials, which tests them first"
                                         : "is not a field of a connection");
    if (!f.ok()) return f.problem();
    if (name) conn->name = *name;
    if (freq) conn->sync_frequency = *freq;
    conn->updated_at = app.now();
    auto db = app.store->lease();
    store::update_connection(*db, *conn);
    return Response::json(connections::connection_json(*conn));
}

Result<Response> rotate(App& app, const Call& c) {
    auto conn = visible_connection(app, c, true);
    if (!conn) return conn.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    auto creds = f.opt_object("credentials");
    if (!creds) f.fail("credentials", "Send the new credentials as an object of field names and values.");
    if (!f.ok()) return f.problem();
    auto saved = connections::rotate(app, *conn, *creds, c.who, &c.req);
    if (!saved) return saved.problem();
    if (!saved->connection) return test_failed(conn->platform, saved->test);
    json out = connections::connection_json(*saved->connection);
    out["test"] = connections::test_json(conn->platform, saved->test);
    out["webhooks"] = saved->webhooks;
    return Response::json(out);
}

Result<Response> retest(App& app, const Call& c) {
    auto conn = visible_connection(app, c, true);
    if (!conn) return conn.problem();
    auto t = connections::retest(app, *conn, c.who, &c.req);
    if (!t) return t.problem();
    return Response::json(connections::test_json(conn->platform, *t));
}

Result<Response> remove(App& app, const Call& c) {
    auto conn = visible_connection(app, c, true);
    if (!conn) return conn.problem();
    if (!connections::remove(app, conn->org_id, conn->id, c.who, &c.req)) return not_found("No such connection.");
    return Response::empty();
}

}  // namespace

void add_connection_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    const std::string base = "/api/v1/orgs/{org_id}/connections";
    r.add({"POST", base, Access::User, Body::Json, bind(create)});
    r.add({"GET", base, Access::User, Body::None, bind(list)});
    r.add({"GET", base + "/{id}", Access::User, Body::None, bind(get_one)});
    r.add({"PATCH", base + "/{id}", Access::User, Body::Json, bind(patch)});
    r.add({"PUT", base + "/{id}/credentials", Access::User, Body::Json, bind(rotate)});
    r.add({"POST", base + "/{id}/test", Access::User, Body::None, bind(retest)});
    r.add({"DELETE", base + "/{id}", Access::User, Body::None, bind(remove)});
}

}  // namespace onramp::api
