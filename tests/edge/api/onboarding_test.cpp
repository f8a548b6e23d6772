// Specification of the phased onboarding API: each documented request body
// (README, "Phased onboarding, invitations, onboarding links") gets the
// documented response shape back; the flow runs start
// to finish to onboarding_completed: true; the error matrix (401, 403 for a
// csr, another tenant 404, 400 malformed, 413 oversized, 422 wrong types)
// changes nothing; repeating a phase is idempotent and says
// step_already_completed; every step lands in the onboarding events table.
#include <doctest/doctest.h>

#include <set>

#include "edge/api/views.h"
#include "edge/onboarding/onboarding_fixture.h"

using nlohmann::json;
using onramp::testing::OnboardingApp;
using onramp::testing::Reply;

namespace {

const std::string kBase = "/api/v1/onboarding";

std::set<std::string> keys(const json& j) {
    std::set<std::string> out;
    for (const auto& [k, v] : j.items()) out.insert(k);
    return out;
}

// A complete Phase 1 (company basics) request body.
json company_body() {
    return {{"company_name", "Acme Roofing Co"},
            {"company_phone", "+1-555-123-4567"},
            {"company_email", "info@acmeroofing.com"},
            {"company_domain", "acmeroofing.com"},
            {"company_address", "123 Main St, City, State 12345"},
            {"industry", "roofing"},
            {"timezone", "America/New_York"},
            {"team_size", 15},
            {"admin_name", "John Doe"},
            {"admin_email", "john@acmeroofing.com"}};
}

// A complete Phase 4 (goals and preferences) request body.
json goals_body() {
    return {{"primary_goals", {"Increase conversion rate", "Reduce response time", "Improve customer satisfaction"}},
            {"target_metrics",
             {{"conversion_rate", 0.25}, {"response_time_hours", 2}, {"customer_satisfaction_score", 4.5}}},
            {"notification_preferences", {{"email", true}, {"sms", false}, {"in_app", true}}},
            {"quiet_hours_start", "20:00"},
            {"quiet_hours_end", "08:00"}};
}

json ok_data(const Reply& r, int status = 200) {
    REQUIRE_MESSAGE(r.status == status, r.body);
    json body = r.json();
    REQUIRE(body["success"] == true);
    REQUIRE(body.contains("meta"));
    return body["data"];
}

// A sales rep joins through an invitation: the team_members check.
void add_sales_rep(OnboardingApp& a) {
    Reply inv = a.post(kBase + "/invite-user", {{"email", "rep@acmeroofing.com"}, {"role", "sales_rep"}}, a.ann);
    std::string url = ok_data(inv, 201)["invite_url"];
    std::string token = url.substr(url.rfind('/') + 1);
    Reply acc = a.post("/api/v1/invitations/accept", {{"token", token}, {"password", "rep-password"}, {"name", "Rep"}}, "");
    REQUIRE_MESSAGE(acc.status == 200, acc.body);
}

}  // namespace

TEST_SUITE("onboarding.api") {

TEST_CASE("company-basics: a full body answers company_id and onboarding_step, and moves to call_tracking") {
    OnboardingApp a;
    json d = ok_data(a.post(kBase + "/company-basics", company_body(), a.ann));
    CHECK(keys(d) == std::set<std::string>{"success", "company_id", "onboarding_step", "step_already_completed"});
    CHECK(d["success"] == true);
    CHECK(d["company_id"] == a.acme);
    CHECK(d["onboarding_step"] == "call_tracking");
    CHECK(d["step_already_completed"] == false);

    // The organization takes the company's name; status shows the answers.
    json org = a.get("/api/v1/orgs/" + a.acme, a.ann).json();
    CHECK(org["name"] == "Acme Roofing Co");
    json s = ok_data(a.get(kBase + "/status", a.ann));
    CHECK(s["company"]["company_domain"] == "acmeroofing.com");
    CHECK(s["company"]["team_size"] == 15);
}

TEST_CASE("company-basics twice: step_already_completed, answers replaced, nothing duplicated") {
    OnboardingApp a;
    ok_data(a.post(kBase + "/company-basics", company_body(), a.ann));
    json changed = company_body();
    changed["company_phone"] = "+1-555-000-1111";
    json d = ok_data(a.post(kBase + "/company-basics", changed, a.ann));
    CHECK(d["step_already_completed"] == true);
    CHECK(d["onboarding_step"] == "call_tracking");
    CHECK(a.count("SELECT COUNT(*) FROM onboarding") == 1);
    CHECK(ok_data(a.get(kBase + "/status", a.ann))["company"]["company_phone"] == "+1-555-000-1111");
}

TEST_CASE("company-basics without company_address or timezone: accepted, and the timezone defaults") {
    OnboardingApp a;
    json body = company_body();
    body.erase("company_address");
    body.erase("timezone");
    ok_data(a.post(kBase + "/company-basics", body, a.ann));
    json s = ok_data(a.get(kBase + "/status", a.ann));
    CHECK(s["company"]["company_address"].is_null());
    CHECK(s["company"]["timezone"] == "America/New_York");
}

TEST_CASE("an Idempotency-Key replays the first response exactly") {
    OnboardingApp a;
    std::map<std::string, std::string> key{{"Idempotency-Key", "basics-1"}};
    Reply first = a.post(kBase + "/company-basics", company_body(), a.ann, key);
    Reply again = a.post(kBase + "/company-basics", company_body(), a.ann, key);
    CHECK(again.status == first.status);
    CHECK(again.body == first.body);
    CHECK(again.header("Idempotent-Replayed") == "true");
    CHECK(a.count("SELECT COUNT(*) FROM onboarding_events WHERE step = 'company_basics'") == 1);
}

TEST_CASE("callrail: test answers connected and a webhook URL and stores nothing; connect stores and moves on") {
    OnboardingApp a;
    ok_data(a.post(kBase + "/company-basics", company_body(), a.ann));
    std::string before = a.t.snapshot();
    json t = ok_data(a.post(kBase + "/callrail/test", OnboardingApp::callrail_body(), a.ann));
    CHECK(t["success"] == true);
    CHECK(t["connected"] == true);
    CHECK(t["message"] == "Connection successful");
    CHECK(t.contains("webhook_url"));
    CHECK(a.t.snapshot() == before);

    Reply r = a.post(kBase + "/callrail/connect", OnboardingApp::callrail_body(), a.ann);
    json d = ok_data(r, 201);
    for (const char* k : {"success", "provider", "onboarding_step", "webhook_url", "step_already_completed"})
        CHECK_MESSAGE(d.contains(k), k);
    CHECK(d["provider"] == "callrail");
    CHECK(d["onboarding_step"] == "document_ingestion");
    CHECK(d["step_already_completed"] == false);
    std::string id = d["connection_id"];
    CHECK(d["webhook_url"] == "https://onramp.example/webhooks/callrail/" + id);
    // The key went to the vault, masked in views, never in the response.
    CHECK(r.body.find(OnboardingApp::callrail_body()["api_key"].get<std::string>()) == std::string::npos);
    json s = ok_data(a.get(kBase + "/status", a.ann));
    CHECK(s["call_provider"] == "callrail");
    CHECK(s["progress"]["call_tracking"] == true);

    // Once connected, test names the connection's webhook URL.
    json t2 = ok_data(a.post(kBase + "/callrail/test", OnboardingApp::callrail_body(), a.ann));
    CHECK(t2["webhook_url"] == d["webhook_url"]);
}

TEST_CASE("callrail connect twice replaces the credentials of the one connection") {
    OnboardingApp a;
    json first = ok_data(a.post(kBase + "/callrail/connect", OnboardingApp::callrail_body(), a.ann), 201);
    json again = ok_data(a.post(kBase + "/callrail/connect", OnboardingApp::callrail_body(), a.ann), 200);
    CHECK(again["step_already_completed"] == true);
    CHECK(again["connection_id"] == first["connection_id"]);
    CHECK(a.count("SELECT COUNT(*) FROM connections WHERE platform = 'callrail'") == 1);
}

TEST_CASE("twilio: test and connect bodies, and its webhook URL") {
    OnboardingApp a;
    json t = ok_data(a.post(kBase + "/twilio/test", OnboardingApp::twilio_body(), a.ann));
    CHECK(t["connected"] == true);
    json d = ok_data(a.post(kBase + "/twilio/connect", OnboardingApp::twilio_body(), a.ann), 201);
    CHECK(d["provider"] == "twilio");
    CHECK(d["webhook_url"] == "https://onramp.example/webhooks/twilio/" + d["connection_id"].get<std::string>());
    // Phases may come in any order: company basics is still the current one.
    CHECK(d["onboarding_step"] == "company_basics");
}

TEST_CASE("a refused key: test answers connected false with the reason; connect is 422 and stores nothing") {
    OnboardingApp a;
    json bad = OnboardingApp::callrail_body();
    bad["api_key"] = "wrong_callrail_key_0123456789";
    json t = ok_data(a.post(kBase + "/callrail/test", bad, a.ann));
    CHECK(t["success"] == false);
    CHECK(t["connected"] == false);
    CHECK(t["cause"] == "credential_rejected");
    CHECK_FALSE(t["message"].get<std::string>().empty());

    std::string before = a.t.snapshot();
    Reply r = a.post(kBase + "/callrail/connect", bad, a.ann);
    CHECK(r.status == 422);
    CHECK(r.json()["error_code"] == "connection_test_failed");
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("missing or invalid credential fields are 422 naming each field, for both platforms") {
    OnboardingApp a;
    std::string before = a.t.snapshot();
    Reply r = a.post(kBase + "/callrail/connect", {{"account_id", "123456"}}, a.ann);
    REQUIRE(r.status == 422);
    CHECK(r.json()["errors"].contains("api_key"));
    Reply tw = a.post(kBase + "/twilio/connect", {{"account_sid", "XX12"}, {"auth_token", 42}}, a.ann);
    REQUIRE(tw.status == 422);
    CHECK(tw.json()["errors"].contains("account_sid"));
    CHECK(tw.json()["errors"].contains("auth_token"));
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("any platform connects through platforms/{platform}/connect") {
    OnboardingApp a;
    json body = {{"credentials", onramp::mock::demo_credentials()["bigcommerce"]}};
    json t = ok_data(a.post(kBase + "/platforms/bigcommerce/test", body, a.ann));
    CHECK(t["connected"] == true);
    json d = ok_data(a.post(kBase + "/platforms/bigcommerce/connect", body, a.ann), 201);
    CHECK(d["provider"] == "bigcommerce");
    CHECK(ok_data(a.get(kBase + "/status", a.ann))["progress"]["call_tracking"] == true);
    CHECK(a.post(kBase + "/platforms/myspace/connect", {{"credentials", json::object()}}, a.ann).status == 404);
}

TEST_CASE("goals: a full body answers onboarding_step and step_already_completed") {
    OnboardingApp a;
    ok_data(a.post(kBase + "/company-basics", company_body(), a.ann));
    ok_data(a.post(kBase + "/callrail/connect", OnboardingApp::callrail_body(), a.ann), 201);
    a.upload_document(a.ann, "sales_script.txt");
    json d = ok_data(a.post(kBase + "/goals", goals_body(), a.ann));
    CHECK(keys(d) == std::set<std::string>{"success", "onboarding_step", "step_already_completed"});
    CHECK(d["onboarding_step"] == "team_invites");
    CHECK(d["step_already_completed"] == false);
    CHECK(ok_data(a.post(kBase + "/goals", goals_body(), a.ann))["step_already_completed"] == true);
    CHECK(ok_data(a.get(kBase + "/status", a.ann))["goals"] == goals_body());
}

TEST_CASE("goals with wrong types are 422 naming each field, and store nothing") {
    OnboardingApp a;
    std::string before = a.t.snapshot();
    Reply r = a.post(kBase + "/goals",
                     {{"primary_goals", "grow"},
                      {"target_metrics", {{"conversion_rate", "high"}}},
                      {"notification_preferences", {{"email", "yes"}, {"pager", true}}},
                      {"quiet_hours_start", "25:00"}},
                     a.ann);
    REQUIRE(r.status == 422);
    json e = r.json()["errors"];
    for (const char* k : {"primary_goals", "target_metrics", "notification_preferences.email",
                          "notification_preferences.pager", "quiet_hours_start"})
        CHECK_MESSAGE(e.contains(k), k);
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("verify with phases missing: success false, the four checks and their messages") {
    OnboardingApp a;
    ok_data(a.post(kBase + "/company-basics", company_body(), a.ann));
    ok_data(a.post(kBase + "/callrail/connect", OnboardingApp::callrail_body(), a.ann), 201);
    json d = ok_data(a.post(kBase + "/verify", json::object(), a.ann));
    CHECK(d == json{{"success", false},
                    {"onboarding_completed", false},
                    {"onboarding_completed_at", nullptr},
                    {"checks",
                     {{"company_basics", true}, {"call_tracking", true}, {"documents", false}, {"team_members", false}}},
                    {"errors",
                     {"No documents uploaded or documents still processing", "No team members (CSR or sales rep) added"}}});
}

TEST_CASE("a document still pending does not pass the documents check") {
    OnboardingApp a;
    a.upload_document(a.ann, "policy.txt");
    json d = ok_data(a.post(kBase + "/verify", json::object(), a.ann));
    CHECK(d["checks"]["documents"] == false);
    a.ingest();
    CHECK(ok_data(a.post(kBase + "/verify", json::object(), a.ann))["checks"]["documents"] == true);
}

TEST_CASE("the whole flow, phase by phase in order, ends onboarding_completed: true") {
    OnboardingApp a;
    ok_data(a.post(kBase + "/company-basics", company_body(), a.ann));
    ok_data(a.post(kBase + "/callrail/test", OnboardingApp::callrail_body(), a.ann));
    ok_data(a.post(kBase + "/callrail/connect", OnboardingApp::callrail_body(), a.ann), 201);
    a.upload_document(a.ann, "sales_script.txt");
    CHECK(a.ingest() == 1);
    ok_data(a.post(kBase + "/goals", goals_body(), a.ann));

    json s = ok_data(a.get(kBase + "/status", a.ann));
    CHECK(s["company_id"] == a.acme);
    CHECK(s["onboarding_step"] == "team_invites");
    CHECK(s["onboarding_completed"] == false);
    CHECK(s["onboarding_completed_at"].is_null());
    CHECK(s["progress"] == json{{"company_basics", true},
                                {"call_tracking", true},
                                {"documents", true},
                                {"goals_preferences", true},
                                {"team_invites", false}});

    add_sales_rep(a);
    CHECK(ok_data(a.get(kBase + "/status", a.ann))["onboarding_step"] == "verification");
    a.t.clock += 60;
    json v = ok_data(a.post(kBase + "/verify", json::object(), a.ann));
    CHECK(v["success"] == true);
    CHECK(v["onboarding_completed"] == true);
    CHECK(v["onboarding_completed_at"] == onramp::api::iso8601(a.t.clock));
    CHECK(v["errors"] == json::array());
    CHECK(v["checks"] == json{{"company_basics", true}, {"call_tracking", true}, {"documents", true},
                              {"team_members", true}});

    // Completion is a milestone: verifying again keeps its first time.
    a.t.clock += 60;
    CHECK(ok_data(a.t.call("POST", kBase + "/verify", "", a.ann))["onboarding_completed_at"] == v["onboarding_completed_at"]);
    json done = ok_data(a.get(kBase + "/status", a.ann));
    CHECK(done["onboarding_step"] == "completed");
    CHECK(done["onboarding_completed"] == true);

    // Every step is in the events table, oldest first.
    json events = ok_data(a.get(kBase + "/events", a.ann))["events"];
    std::vector<std::string> steps;
    for (const json& e : events) steps.push_back(e["step"].get<std::string>() + "." + e["action"].get<std::string>());
    CHECK(steps == std::vector<std::string>{"company_basics.completed", "call_tracking.connected",
                                            "goals_preferences.completed", "team_invites.invited",
                                            "team_invites.accepted", "verification.passed", "verification.passed"});
    CHECK(events[0]["user_id"] == a.ann_id);
    CHECK(events[0]["company_id"] == a.acme);
}

TEST_CASE("a pending team invitation does not block finishing, and verify says it is pending") {
    OnboardingApp a;
    ok_data(a.post(kBase + "/company-basics", company_body(), a.ann));
    ok_data(a.post(kBase + "/callrail/connect", OnboardingApp::callrail_body(), a.ann), 201);
    a.upload_document(a.ann, "sales_script.txt");
    REQUIRE(a.ingest() == 1);
    ok_data(a.post(kBase + "/goals", goals_body(), a.ann));

    // Withdrawn, the invitation no longer counts.
    json first = ok_data(a.post(kBase + "/invite-user", {{"email", "rep@acmeroofing.com"}, {"role", "sales_rep"}}, a.ann), 201);
    REQUIRE(a.t.call("DELETE", kBase + "/invited-users/" + first["invite_id"].get<std::string>(), "", a.ann).status < 300);
    json refused = ok_data(a.post(kBase + "/verify", json::object(), a.ann));
    CHECK(refused["success"] == false);
    CHECK(refused["checks"]["team_members"] == false);
    CHECK_FALSE(refused.contains("notes"));

    ok_data(a.post(kBase + "/invite-user", {{"email", "rep@acmeroofing.com"}, {"role", "sales_rep"}}, a.ann), 201);
    json v = ok_data(a.post(kBase + "/verify", json::object(), a.ann));
    CHECK(v["success"] == true);
    CHECK(v["onboarding_completed"] == true);
    CHECK(v["checks"]["team_members"] == true);
    CHECK(v["notes"] == json::array({"1 team invitation is still pending: it counts once accepted"}));
}

TEST_CASE("every endpoint: no token 401, a csr or member 403, another tenant 404, and nothing changes") {
    OnboardingApp a;
    a.t.add_member(a.acme, a.t.make_user("cora@acme.test", "pw-123456"), "csr");
    std::string cora = a.t.login("cora@acme.test", "pw-123456");
    struct Endpoint {
        std::string method, path;
        json body;
    };
    std::vector<Endpoint> endpoints = {
        {"POST", kBase + "/company-basics", company_body()},
        {"POST", kBase + "/callrail/connect", OnboardingApp::callrail_body()},
        {"POST", kBase + "/callrail/test", OnboardingApp::callrail_body()},
        {"POST", kBase + "/twilio/connect", OnboardingApp::twilio_body()},
        {"POST", kBase + "/twilio/test", OnboardingApp::twilio_body()},
        {"POST", kBase + "/goals", goals_body()},
        {"POST", kBase + "/invite-user", {{"email", "x@acme.test"}, {"role", "csr"}}},
        {"GET", kBase + "/invited-users", nullptr},
        {"POST", kBase + "/verify", json::object()},
        {"GET", kBase + "/status", nullptr},
        {"GET", kBase + "/events", nullptr},
    };
    std::string before = a.t.snapshot();
    for (const Endpoint& e : endpoints) {
        CAPTURE(e.path);
        std::string body = e.body.is_null() ? "" : e.body.dump();
        Reply none = a.t.call(e.method, e.path, body, "");
        CHECK(none.status == 401);
        CHECK(none.content_type == "application/problem+json");
        CHECK(a.t.call(e.method, e.path, body, "not-a-token").status == 401);
        Reply csr = a.t.call(e.method, e.path, body, a.carl);
        CHECK(csr.status == 403);
        CHECK(csr.json()["error_code"] == "forbidden");
        CHECK(a.t.call(e.method, e.path, body, cora).status == 403);
        CHECK(a.t.call(e.method, e.path, body, a.gina, {{"X-Org-Id", a.acme}}).status == 404);
        CHECK(a.t.call(e.method, e.path, body, a.op, {{"X-Org-Id", "org_missing"}}).status == 404);
    }
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("every POST: malformed JSON 400, oversized 413, not an object 422, and nothing changes") {
    OnboardingApp a;
    std::string before = a.t.snapshot();
    for (const char* p : {"/company-basics", "/callrail/connect", "/callrail/test", "/twilio/connect", "/twilio/test",
                          "/goals", "/invite-user", "/verify"}) {
        std::string path = kBase + p;
        CAPTURE(path);
        Reply malformed = a.t.call("POST", path, "{\"company_name\": ", a.ann);
        CHECK(malformed.status == 400);
        CHECK(malformed.json()["error_code"] == "malformed_json");
        std::string huge = "{\"company_name\": \"" + std::string(2 << 20, 'a') + "\"}";
        CHECK(a.t.call("POST", path, huge, a.ann).status == 413);
        CHECK(a.t.call("POST", path, "[1, 2]", a.ann).status == 422);
        CHECK(a.t.call("POST", path, "{}", a.ann, {{"Content-Type", "text/plain"}}).status == 415);
    }
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("company-basics with wrong types or formats is 422 naming every field") {
    OnboardingApp a;
    std::string before = a.t.snapshot();
    Reply r = a.post(kBase + "/company-basics",
                     {{"company_name", 42},
                      {"company_phone", "call us"},
                      {"company_email", "not-an-email"},
                      {"company_domain", "https://acme.com/"},
                      {"timezone", "New York"},
                      {"team_size", "15"},
                      {"admin_email", "john@"}},
                     a.ann);
    REQUIRE(r.status == 422);
    json e = r.json()["errors"];
    for (const char* k : {"company_name", "company_phone", "company_email", "company_domain", "timezone", "team_size",
                          "admin_email"})
        CHECK_MESSAGE(e.contains(k), k);
    CHECK(e["company_domain"].get<std::string>().find("Invalid domain format") != std::string::npos);
    CHECK(a.post(kBase + "/company-basics", json::object(), a.ann).json()["errors"].contains("company_name"));
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("operators and managers of several orgs name the org with X-Org-Id") {
    OnboardingApp a;
    Reply unnamed = a.post(kBase + "/company-basics", company_body(), a.op);
    CHECK(unnamed.status == 422);
    CHECK(unnamed.json()["errors"].contains("X-Org-Id"));
    json d = ok_data(a.post(kBase + "/company-basics", company_body(), a.op, {{"X-Org-Id", a.globex}}));
    CHECK(d["company_id"] == a.globex);
    CHECK(ok_data(a.get(kBase + "/status", a.gina))["progress"]["company_basics"] == true);
    CHECK(ok_data(a.get(kBase + "/status", a.ann))["progress"]["company_basics"] == false);
}

TEST_CASE("one tenant's onboarding is invisible to another") {
    OnboardingApp a;
    ok_data(a.post(kBase + "/company-basics", company_body(), a.ann));
    ok_data(a.post(kBase + "/callrail/connect", OnboardingApp::callrail_body(), a.ann), 201);
    json s = ok_data(a.get(kBase + "/status", a.gina));
    CHECK(s["company_id"] == a.globex);
    CHECK(s["progress"]["company_basics"] == false);
    CHECK(s["progress"]["call_tracking"] == false);
    CHECK(ok_data(a.get(kBase + "/events", a.gina))["total"] == 0);
}

}  // TEST_SUITE
