// /api/v1/onboarding: the phased onboarding (README, "Phased onboarding,
// invitations, onboarding links").
// Documents (Phase 3) are edge/api/documents.cpp, invitations (Phase 5)
// edge/api/invitations.cpp; where the org stands is edge/onboarding/progress.h.
//
//   POST /api/v1/onboarding/company-basics                Phase 1
//   POST /api/v1/onboarding/callrail/connect | /test      Phase 2, the body is the credentials
//   POST /api/v1/onboarding/twilio/connect   | /test
//   POST /api/v1/onboarding/platforms/{platform}/connect | /test
//                                                         Phase 2 for any platform:
//                                                         {credentials, name, sync_frequency,
//                                                          perform_initial_sync}
//   POST /api/v1/onboarding/goals                         Phase 4
//   POST /api/v1/onboarding/verify                        Phase 6: the four checks
//   GET  /api/v1/onboarding/status                        progress, and the saved answers
//   GET  /api/v1/onboarding/events                        the onboarding events table
//
// Every success is the envelope {success, data, meta} that clients of this
// API expect; errors are problem+json
// (edge/api/onboarding_org.h says who may call and for which org).
// Idempotency: saving a phase twice is not an error; the answers are
// replaced, nothing is duplicated, and step_already_completed says the phase
// was done before. Connecting a platform the org already connected replaces
// that connection's credentials (tested first) instead of adding a second
// one. An Idempotency-Key header replays the first response exactly.
#include <nlohmann/json.hpp>

#include "edge/api/onboarding_org.h"
#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/connections/service.h"
#include "edge/onboarding/progress.h"
#include "edge/store/accounts.h"
#include "shared/json.h"
#include "shared/onboarding/state_json.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;
namespace ob = onramp::onboarding;

namespace {

constexpr const char* kBase = "/api/v1/onboarding";

// Verify takes "{}"; an empty body is accepted as the same.
Result<json> optional_body(const Call& c) {
    if (c.req.body.empty()) return json::object();
    return http::parse_json_object(c.req);
}

// --- shared pieces of the handlers ---------------------------------------------

std::string webhook_url(const App& app, const std::string& platform, const std::string& connection_id) {
    return app.config.public_url + "/webhooks/" + platform + "/" + connection_id;
}

// A link may name the platforms its client may connect (links.h).
Status platform_allowed(const Call& c, const std::string& platform) {
    if (!c.who->may_use_platform(platform)) return forbidden("This onboarding link does not include " + platform + ".");
    return ok_status();
}

Problem test_failed(const std::string& platform, const connectors::TestOutcome& t) {
    Problem p = unprocessable({}, t.failure->message);
    p.error_code = "connection_test_failed";
    p.title = "The platform did not accept these credentials";
    p.extensions_json = dump_json(connections::test_json(platform, t));
    if (t.failure->retry_after_s > 0) p.retry_after = t.failure->retry_after_s;
    return p;
}

// The org-wide connection to this platform, if the org has one.
std::optional<store::Connection> existing_connection(App& app, const std::string& org_id, const std::string& platform) {
    auto db = app.store->lease();
    for (store::Connection& conn : store::list_connections(*db, org_id))
        if (conn.platform == platform && !conn.user_id) return conn;
    return std::nullopt;
}

struct ConnectRequest {
    std::string platform;
    json credentials;
    std::string name;
    std::string sync_frequency = "daily";
    bool perform_initial_sync = false;
};

// Phase 2: test, then store (or replace the stored credentials of the
// platform's existing connection), then mark the phase.
Result<Response> connect(App& app, const Call& c, const std::string& org_id, const ConnectRequest& r) {
    if (auto allowed = platform_allowed(c, r.platform); !allowed) return allowed.problem();
    if (!connectors::find_connector(r.platform))
        return not_found("No connector named '" + r.platform.substr(0, 64) + "'. GET /api/v1/connectors lists them.");
    auto current = existing_connection(app, org_id, r.platform);
    ob::Progress before;
    {
        auto db = app.store->lease();
        before = ob::progress_of(*db, ob::load(*db, org_id));
    }
    Result<connections::Saved> saved = [&]() -> Result<connections::Saved> {
        if (current) return connections::rotate(app, *current, r.credentials, c.who, &c.req);
        connections::Draft d;
        d.org_id = org_id;
        d.platform = r.platform;
        d.name = r.name;
        d.sync_frequency = r.sync_frequency;
        d.credentials = r.credentials;
        d.perform_initial_sync = r.perform_initial_sync;
        return connections::create(app, d, c.who, &c.req);
    }();
    if (!saved) return saved.problem();
    if (!saved->connection) return test_failed(r.platform, saved->test);
    const store::Connection& conn = *saved->connection;

    bool call_tracking = r.platform == "callrail" || r.platform == "twilio";
    std::optional<std::string> number;
    if (auto it = conn.config.find("primary_tracking_number"); it != conn.config.end() && it->is_string())
        number = it->get<std::string>();
    auto db = app.store->lease();
    store::Tx tx(*db);
    ob::save_call_tracking(*db, org_id, call_tracking ? std::optional(r.platform) : std::nullopt, number, app.now());
    ob::Completion done = ob::after_fact(before, ob::Phase::call_tracking);
    ob::record_event(*db, org_id, c.who->user_id, "call_tracking", current ? "credentials_replaced" : "connected",
                     {{"platform", r.platform}, {"connection_id", conn.id}}, app.now());
    tx.commit();
    json data = {{"success", true},
                 {"provider", r.platform},
                 {"onboarding_step", ob::wire_name(done.next)},
                 {"webhook_url", webhook_url(app, r.platform, conn.id)},
                 {"step_already_completed", done.already_completed},
                 {"connection_id", conn.id},
                 {"verified", connections::verified_json(saved->test.verified)},
                 {"sync_run_id", nullable(saved->sync_run_id)}};
    return Response::json(envelope(data, c, org_id), current ? 200 : 201);
}

// Phase 2's test: the platform's verdict is the answer (200 either way);
// only a malformed request is an error.
Result<Response> test_platform(App& app, const Call& c, const std::string& org_id, const std::string& platform,
                               const json& credentials) {
    if (auto allowed = platform_allowed(c, platform); !allowed) return allowed.problem();
    auto outcome = connections::test_only(app, platform, credentials);
    if (!outcome) return outcome.problem();
    json detail = {{"platform", platform}, {"success", outcome->ok()}};
    if (!outcome->ok()) detail["cause"] = std::string(connectors::to_string(outcome->failure->cause));
    {
        auto db = app.store->lease();
        audit(*db, app.now(), c.who, &c.req, {"credential.tested", org_id, "connector", platform, detail});
    }
    auto current = existing_connection(app, org_id, platform);
    json data = {{"success", outcome->ok()},
                 {"connected", outcome->ok()},
                 {"webhook_url", current ? json(webhook_url(app, platform, current->id)) : json(nullptr)},
                 {"message", outcome->ok() ? std::string("Connection successful") : outcome->failure->message},
                 {"verified", connections::verified_json(outcome->verified)}};
    if (!outcome->ok()) data.update(connections::failure_json(*outcome->failure));
    return Response::json(envelope(data, c, org_id));
}

// --- handlers ------------------------------------------------------------------

Result<Response> company_basics(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    auto basics = ob::read_company_basics(*body);
    if (!basics) return basics.problem();

    auto db = app.store->lease();
    store::Tx tx(*db);
    auto record = store::find_org(*db, *org);
    if (!record) return not_found("No such organization.");
    ob::Completion done = ob::save_company_basics(*db, *org, *basics, app.now());
    // The organization is the company: its name follows the client's answer.
    if (record->name != basics->company_name) {
        record->name = basics->company_name;
        record->updated_at = app.now();
        store::update_org(*db, *record);
    }
    const char* action = done.already_completed ? "updated" : "completed";
    ob::record_event(*db, *org, c.who->user_id, "company_basics", action, {{"company_name", basics->company_name}},
                     app.now());
    audit(*db, app.now(), c.who, &c.req,
          {"onboarding.company_basics_saved", *org, "org", *org, {{"company_name", basics->company_name}}});
    tx.commit();
    return Response::json(envelope({{"success", true},
                                    {"company_id", *org},
                                    {"onboarding_step", ob::wire_name(done.next)},
                                    {"step_already_completed", done.already_completed}},
                                   c, *org));
}

// The bodies for CallRail and Twilio are the credentials themselves.
Result<Response> seed_connect(App& app, const Call& c, const std::string& platform) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    return connect(app, c, *org, {platform, *body, "", "daily", false});
}

Result<Response> seed_test(App& app, const Call& c, const std::string& platform) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    return test_platform(app, c, *org, platform, *body);
}

Result<Response> callrail_connect(App& app, const Call& c) { return seed_connect(app, c, "callrail"); }
Result<Response> callrail_test(App& app, const Call& c) { return seed_test(app, c, "callrail"); }
Result<Response> twilio_connect(App& app, const Call& c) { return seed_connect(app, c, "twilio"); }
Result<Response> twilio_test(App& app, const Call& c) { return seed_test(app, c, "twilio"); }

Result<Response> platform_connect(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    ConnectRequest r;
    r.platform = c.req.param("platform");
    r.name = f.opt_text("name", 200).value_or("");
    r.sync_frequency = f.opt_choice("sync_frequency", {"manual", "hourly", "daily", "weekly"}).value_or("daily");
    r.perform_initial_sync = f.opt_bool("perform_initial_sync").value_or(false);
    auto creds = f.opt_object("credentials");
    if (!creds) f.fail("credentials", "Send the credentials as an object of field names and values.");
    if (!f.ok()) return f.problem();
    r.credentials = *creds;
    return connect(app, c, *org, r);
}

Result<Response> platform_test(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    auto creds = f.opt_object("credentials");
    if (!creds) f.fail("credentials", "Send the credentials as an object of field names and values.");
    if (!f.ok()) return f.problem();
    return test_platform(app, c, *org, c.req.param("platform"), *creds);
}

Result<Response> goals(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    auto goals = ob::read_goals(*body);
    if (!goals) return goals.problem();
    auto db = app.store->lease();
    store::Tx tx(*db);
    ob::Completion done = ob::save_goals(*db, *org, *goals, app.now());
    json fields = json::array();
    for (const auto& [k, v] : goals->items()) fields.push_back(k);
    ob::record_event(*db, *org, c.who->user_id, "goals_preferences", done.already_completed ? "updated" : "completed",
                     {{"fields", fields}}, app.now());
    audit(*db, app.now(), c.who, &c.req, {"onboarding.goals_saved", *org, "org", *org});
    tx.commit();
    return Response::json(envelope({{"success", true},
                                    {"onboarding_step", ob::wire_name(done.next)},
                                    {"step_already_completed", done.already_completed}},
                                   c, *org));
}

Result<Response> verify(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto body = optional_body(c);
    if (!body) return body.problem();
    auto db = app.store->lease();
    store::Tx tx(*db);
    ob::Record record = ob::load(*db, *org);
    ob::Checks checks = ob::checks_of(*db, record, app.now());
    ob::Verification v = ob::verify(checks);
    std::optional<int64_t> completed_at = record.completed_at;
    if (v.passed && !completed_at) {
        completed_at = ob::mark_completed(*db, *org, app.now());
        audit(*db, app.now(), c.who, &c.req, {"onboarding.completed", *org, "org", *org});
    }
    ob::record_event(*db, *org, c.who->user_id, "verification", v.passed ? "passed" : "failed",
                     {{"checks", ob::checks_json(checks)}}, app.now());
    tx.commit();
    json data = {{"success", v.passed},
                 {"onboarding_completed", completed_at.has_value()},
                 {"onboarding_completed_at", iso8601_or_null(completed_at)},
                 {"checks", ob::checks_json(checks)},
                 {"errors", v.errors}};
    // Only when there is something to say, so the documented shape stays as it was otherwise.
    if (!v.notes.empty()) data["notes"] = v.notes;
    return Response::json(envelope(std::move(data), c, *org));
}

Result<Response> status(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    ob::Record record = ob::load(*db, *org);
    ob::Progress p = ob::progress_of(*db, record);
    return Response::json(envelope({{"company_id", *org},
                                    {"onboarding_step", ob::wire_name(ob::current_phase(p))},
                                    {"onboarding_completed", p.completed},
                                    {"onboarding_completed_at", iso8601_or_null(record.completed_at)},
                                    {"progress", ob::progress_json(p)},
                                    {"company", ob::basics_json(record.basics)},
                                    {"call_provider", nullable(record.call_provider)},
                                    {"goals", record.goals}},
                                   c, *org));
}

Result<Response> events(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    json items = json::array();
    for (const ob::Event& e : ob::events_of(*db, *org))
        items.push_back({{"id", e.id},
                         {"company_id", e.org_id},
                         {"user_id", nullable(e.user_id)},
                         {"step", e.step},
                         {"action", e.action},
                         {"metadata", e.metadata},
                         {"timestamp", iso8601(e.timestamp)}});
    size_t total = items.size();
    return Response::json(envelope({{"events", std::move(items)}, {"total", total}}, c, *org));
}

}  // namespace

void add_onboarding_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    std::string base = kBase;
    r.add({"POST", base + "/company-basics", Access::User, Body::Json, bind(company_basics)});
    r.add({"POST", base + "/callrail/connect", Access::User, Body::Json, bind(callrail_connect)});
    r.add({"POST", base + "/callrail/test", Access::User, Body::Json, bind(callrail_test)});
    r.add({"POST", base + "/twilio/connect", Access::User, Body::Json, bind(twilio_connect)});
    r.add({"POST", base + "/twilio/test", Access::User, Body::Json, bind(twilio_test)});
    r.add({"POST", base + "/platforms/{platform}/connect", Access::User, Body::Json, bind(platform_connect)});
    r.add({"POST", base + "/platforms/{platform}/test", Access::User, Body::Json, bind(platform_test)});
    r.add({"POST", base + "/goals", Access::User, Body::Json, bind(goals)});
    r.add({"POST", base + "/verify", Access::User, Body::Json, bind(verify)});
    r.add({"GET", base + "/status", Access::User, Body::None, bind(status)});
    r.add({"GET", base + "/events", Access::User, Body::None, bind(events)});
}

}  // namespace onramp::api
