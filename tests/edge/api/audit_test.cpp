// Specification of the audit log: what is recorded, who may read it, and
// that it never holds a password or token.
#include <doctest/doctest.h>

#include "edge/api/views.h"
#include "edge/support/test_app.h"

using nlohmann::json;
using onramp::testing::Reply;
using onramp::testing::TestApp;

TEST_SUITE("audit") {

TEST_CASE("sign-ins, org and member changes are recorded with actor and request id") {
    TestApp t;
    t.make_user("op@onramp.test", "pw-123456", true);
    t.post("/api/v1/auth/login", {{"email", "op@onramp.test"}, {"password", "wrong"}});
    std::string op = t.login("op@onramp.test", "pw-123456");
    std::string org = t.post("/api/v1/orgs", {{"name", "Acme"}}, op).json()["id"];
    t.post("/api/v1/orgs/" + org + "/members", {{"email", "m@acme.test"}, {"role", "manager"}}, op);

    Reply r = t.get("/api/v1/audit", op);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json items = r.json()["items"];
    std::vector<std::string> actions;
    for (auto& e : items) actions.push_back(e["action"]);
    REQUIRE(actions.size() == 4);
    CHECK(actions[0] == "invitation.created");  // newest first: adding a member invites them
    CHECK(actions[1] == "org.created");
    CHECK(actions[2] == "login.succeeded");
    CHECK(actions[3] == "login.failed");
    auto created = r.json()["items"][1];
    CHECK(created["actor_email"] == "op@onramp.test");
    CHECK(created["org_id"] == org);
    CHECK(created["request_id"] == "test-request");
    CHECK(r.body.find("pw-123456") == std::string::npos);
    CHECK(r.body.find(op) == std::string::npos);
}

TEST_CASE("filter by action prefix and paginate with a cursor") {
    TestApp t;
    t.make_user("op@onramp.test", "pw-123456", true);
    std::string op = t.login("op@onramp.test", "pw-123456");
    for (int i = 0; i < 5; ++i) t.post("/api/v1/orgs", {{"name", "Org " + std::to_string(i)}}, op);
    auto page1 = t.get("/api/v1/audit?action=org&limit=3", op).json();
    CHECK(page1["items"].size() == 3);
    REQUIRE(page1["next_cursor"].is_string());
    auto page2 = t.get("/api/v1/audit?action=org&limit=3&cursor=" + page1["next_cursor"].get<std::string>(), op).json();
    CHECK(page2["items"].size() == 2);
    CHECK(page2["next_cursor"].is_null());
    CHECK(t.get("/api/v1/audit?limit=0", op).status == 422);
}

TEST_CASE("filter by actor, organization and time range; entries carry the names a person reads") {
    TestApp t;
    t.make_user("op@onramp.test", "pw-123456", true);
    t.make_user("other@onramp.test", "pw-123456", true);
    std::string op = t.login("op@onramp.test", "pw-123456");
    std::string acme = t.post("/api/v1/orgs", {{"name", "Acme"}}, op).json()["id"];
    t.clock += 600;  // later, within the first sign-in's access token
    std::string other = t.login("other@onramp.test", "pw-123456");
    std::string globex = t.post("/api/v1/orgs", {{"name", "Globex"}}, other).json()["id"];

    auto actions = [&](const std::string& query) {
        Reply r = t.get("/api/v1/audit?" + query, op);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        std::string out;  // "action org_name; ...", newest first
        const json body = r.json();
        for (const json& e : body["items"])
            out += (out.empty() ? "" : "; ") + e["action"].get<std::string>() + " " + e["org_name"].dump();
        return out;
    };
    CHECK(actions("action=org&actor=OTHER@") == "org.created \"Globex\"");
    CHECK(actions("action=org&org_id=" + acme) == "org.created \"Acme\"");
    const std::string later = onramp::api::iso8601(t.clock);
    CHECK(actions("action=org&since=" + later) == "org.created \"Globex\"");
    CHECK(actions("action=org&until=" + later) == "org.created \"Acme\"");

    json created = t.get("/api/v1/audit?action=org.created&org_id=" + globex, op).json()["items"][0];
    CHECK(created["object_name"] == "Globex");
    CHECK(created["org_id"] == globex);

    Reply bad = t.get("/api/v1/audit?since=yesterday", op);
    CHECK(bad.status == 422);
    CHECK(bad.body.find("since") != std::string::npos);
}

TEST_CASE("managers read their org's entries only; other roles cannot read") {
    TestApp t;
    std::string acme = t.make_org("Acme"), globex = t.make_org("Globex");
    t.add_member(acme, t.make_user("ann@acme.test", "pw-123456"), "manager");
    t.add_member(acme, t.make_user("carl@acme.test", "pw-123456"), "csr");
    t.add_member(globex, t.make_user("gina@globex.test", "pw-123456"), "manager");
    std::string ann = t.login("ann@acme.test", "pw-123456");
    std::string carl = t.login("carl@acme.test", "pw-123456");
    std::string gina = t.login("gina@globex.test", "pw-123456");
    t.call("PATCH", "/api/v1/orgs/" + acme, json{{"name", "Acme 2"}}.dump(), ann);
    t.call("PATCH", "/api/v1/orgs/" + globex, json{{"name", "Globex 2"}}.dump(), gina);

    auto mine = t.get("/api/v1/audit", ann).json()["items"];
    REQUIRE(mine.size() == 1);
    CHECK(mine[0]["org_id"] == acme);
    CHECK(t.get("/api/v1/audit?org_id=" + globex, ann).status == 404);
    CHECK(t.get("/api/v1/audit", carl).status == 403);
    CHECK(t.get("/api/v1/audit").status == 401);
}

}  // TEST_SUITE
