// Specification of /api/v1/orgs and members, and of tenant isolation: every
// org-scoped endpoint is probed with no token, another tenant's ids, the
// wrong role, malformed, oversized, mistyped and wrongly typed bodies, and
// the database must be unchanged after each rejection.
#include <doctest/doctest.h>

#include "edge/store/db.h"
#include "edge/support/test_app.h"

using nlohmann::json;
using onramp::testing::Reply;
using onramp::testing::TestApp;

namespace {

// Two tenants: acme (ann = manager, carl = csr) and globex (gina = manager),
// plus an operator.
struct Tenants {
    TestApp t;
    std::string acme, globex, ann, carl, gina, op;
    std::string carl_id, gina_id;
    Tenants() {
        acme = t.make_org("Acme");
        globex = t.make_org("Globex");
        t.add_member(acme, t.make_user("ann@acme.test", "pw-123456"), "manager");
        carl_id = t.make_user("carl@acme.test", "pw-123456");
        t.add_member(acme, carl_id, "csr");
        gina_id = t.make_user("gina@globex.test", "pw-123456");
        t.add_member(globex, gina_id, "manager");
        t.make_user("op@onramp.test", "pw-123456", true);
        ann = t.login("ann@acme.test", "pw-123456");
        carl = t.login("carl@acme.test", "pw-123456");
        gina = t.login("gina@globex.test", "pw-123456");
        op = t.login("op@onramp.test", "pw-123456");
    }
};

struct Endpoint {
    const char* method;
    std::string path;
    json good_body;       // null: no body
    bool manager_only;
};

std::vector<Endpoint> org_endpoints(const Tenants& s) {
    std::string o = "/api/v1/orgs/" + s.acme;
    return {
        {"GET", o, nullptr, false},
        {"PATCH", o, {{"name", "Acme Inc"}}, true},
        {"GET", o + "/members", nullptr, false},
        {"POST", o + "/members", {{"email", "new@acme.test"}, {"role", "sales_rep"}}, true},
        {"PATCH", o + "/members/" + s.carl_id, {{"role", "sales_rep"}}, true},
        {"DELETE", o + "/members/" + s.carl_id, nullptr, true},
    };
}

// The token at the end of an invitation's link.
std::string token_in(const json& invitation) {
    std::string url = invitation["invite_url"];
    return url.substr(url.rfind('/') + 1);
}

}  // namespace

TEST_SUITE("orgs") {

TEST_CASE("operators create orgs; others may not") {
    Tenants s;
    Reply r = s.t.post("/api/v1/orgs", {{"name", "Initech"}}, s.op);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    CHECK(r.json()["name"] == "Initech");
    CHECK(r.json()["subscription_tier"] == "growth");
    std::string before = s.t.snapshot();
    CHECK(s.t.post("/api/v1/orgs", {{"name", "Nope"}}, s.ann).status == 403);
    CHECK(s.t.post("/api/v1/orgs", {{"name", "Nope"}}).status == 401);
    CHECK(s.t.snapshot() == before);
}

TEST_CASE("listing orgs: operators see all, members see their own") {
    Tenants s;
    CHECK(s.t.get("/api/v1/orgs", s.op).json()["items"].size() == 2);
    auto mine = s.t.get("/api/v1/orgs", s.ann).json()["items"];
    REQUIRE(mine.size() == 1);
    CHECK(mine[0]["id"] == s.acme);
}

TEST_CASE("a manager renames the org; only an operator changes the plan") {
    Tenants s;
    std::string path = "/api/v1/orgs/" + s.acme;
    Reply r = s.t.call("PATCH", path, json{{"name", "Acme Inc"}}.dump(), s.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["name"] == "Acme Inc");
    CHECK(s.t.call("PATCH", path, json{{"subscription_tier", "enterprise"}}.dump(), s.ann).status == 422);
    CHECK(s.t.call("PATCH", path, json{{"subscription_tier", "enterprise"}}.dump(), s.op).status == 200);
    CHECK(s.t.call("PATCH", path, json{{"colour", "red"}}.dump(), s.op).json()["errors"]["colour"] ==
          "is not a field of an organization");
}

TEST_CASE("a refused field carries its message's code and values beside the English") {
    Tenants s;
    Reply r = s.t.call("PATCH", "/api/v1/orgs/" + s.acme, json{{"name", std::string(300, 'x')}}.dump(), s.ann);
    REQUIRE_MESSAGE(r.status == 422, r.body);
    const json body = r.json();
    CHECK(body["errors"]["name"] == "must be at most 200 characters");
    CHECK(body["error_codes"]["name"] == json{{"code", "max_chars"}, {"params", {{"max", "200"}}}});
}

TEST_CASE("members: adding invites, the person accepts; change role, remove; the last manager stays") {
    Tenants s;
    std::string base = "/api/v1/orgs/" + s.acme + "/members";
    Reply added = s.t.post(base, {{"email", "rita@acme.test"}, {"role", "sales_rep"}}, s.ann);
    REQUIRE_MESSAGE(added.status == 202, added.body);
    CHECK(added.json()["role"] == "sales_rep");
    CHECK(added.json()["status"] == "pending");
    CHECK(added.json()["renewed"] == false);
    CHECK_FALSE(added.json().contains("user_id"));
    CHECK(s.t.get(base, s.carl).json()["items"].size() == 2);
    // Adding again while pending renews the one invitation.
    Reply again = s.t.post(base, {{"email", "rita@acme.test"}, {"role", "csr"}}, s.ann);
    REQUIRE_MESSAGE(again.status == 202, again.body);
    CHECK(again.json()["invite_id"] == added.json()["invite_id"]);
    CHECK(again.json()["renewed"] == true);

    Reply joined = s.t.post("/api/v1/invitations/accept",
                            {{"token", token_in(again.json())}, {"name", "Rita"}, {"password", "rita-password"}});
    REQUIRE_MESSAGE(joined.status == 200, joined.body);
    CHECK(joined.json()["role"] == "csr");
    CHECK(s.t.get(base, s.carl).json()["items"].size() == 3);
    CHECK(s.t.post(base, {{"email", "rita@acme.test"}, {"role", "csr"}}, s.ann).status == 409);

    std::string rita = joined.json()["user"]["id"];
    CHECK(s.t.call("PATCH", base + "/" + rita, json{{"role", "member"}}.dump(), s.ann).json()["role"] == "member");
    CHECK(s.t.call("DELETE", base + "/" + rita, "", s.ann).status == 204);
    CHECK(s.t.call("DELETE", base + "/" + rita, "", s.ann).status == 404);

    std::string ann_id = s.t.get("/api/v1/auth/me", s.ann).json()["id"];
    CHECK(s.t.call("DELETE", base + "/" + ann_id, "", s.ann).json()["error_code"] == "last_manager");
    CHECK(s.t.call("PATCH", base + "/" + ann_id, json{{"role", "csr"}}.dump(), s.ann).status == 409);
}

TEST_CASE("adding another tenant's user or the operator makes no membership and reveals nobody") {
    Tenants s;
    {
        auto db = s.t.app.store->lease();
        db->write("UPDATE users SET full_name = 'Gina Globex' WHERE id = ?", s.gina_id);
    }
    auto rows = [&](const char* table) {
        auto db = s.t.app.store->lease();
        onramp::store::Stmt st(*db, std::string("SELECT COUNT(*) FROM ") + table);
        st.step();
        return st.i64(0);
    };
    int64_t users = rows("users"), memberships = rows("memberships");
    std::string base = "/api/v1/orgs/" + s.acme + "/members";
    Reply gina = s.t.post(base, {{"email", "gina@globex.test"}, {"role", "manager"}}, s.ann);
    Reply stranger = s.t.post(base, {{"email", "nobody@elsewhere.test"}, {"role", "manager"}}, s.ann);
    Reply op = s.t.post(base, {{"email", "op@onramp.test"}, {"role", "manager"}}, s.ann);
    for (const Reply* r : {&gina, &op, &stranger}) {
        REQUIRE_MESSAGE(r->status == 202, r->body);
        CHECK(r->body.find(s.gina_id) == std::string::npos);
        CHECK(r->body.find("Gina Globex") == std::string::npos);
        CHECK_FALSE(r->json().contains("user_id"));
    }
    // An address with an account answers exactly as one without.
    json a = gina.json(), b = stranger.json();
    for (json* j : {&a, &b})
        for (const char* k : {"invite_id", "email", "invite_url"}) j->erase(k);
    CHECK(a == b);
    CHECK(s.t.get(base, s.ann).json()["total"] == 2);
    CHECK(s.t.get("/api/v1/auth/me", s.gina).json()["memberships"].size() == 1);
    // Gina still manages exactly one org: onboarding needs no X-Org-Id.
    CHECK(s.t.get("/api/v1/onboarding/status", s.gina).status == 200);
    // Three invitations; no account made, no membership.
    CHECK(rows("invitations") == 3);
    CHECK(rows("users") == users);
    CHECK(rows("memberships") == memberships);
}

TEST_CASE("isolation matrix: every org endpoint rejects bad callers and bad bodies and changes nothing") {
    Tenants s;
    for (const Endpoint& e : org_endpoints(s)) {
        CAPTURE(e.method);
        CAPTURE(e.path);
        std::string body = e.good_body.is_null() ? "" : e.good_body.dump();
        std::string before = s.t.snapshot();

        CHECK(s.t.call(e.method, e.path, body).status == 401);
        CHECK(s.t.call(e.method, e.path, body, "expired-or-forged").status == 401);
        // Another tenant's manager: the org does not exist for them.
        Reply foreign = s.t.call(e.method, e.path, body, s.gina);
        CHECK(foreign.status == 404);
        CHECK(foreign.content_type == "application/problem+json");
        if (e.manager_only) CHECK(s.t.call(e.method, e.path, body, s.carl).status == 403);

        if (!e.good_body.is_null()) {
            CHECK(s.t.call(e.method, e.path, "{\"name\": ", s.ann).status == 400);
            CHECK(s.t.call(e.method, e.path, std::string(2 << 20, ' '), s.ann).status == 413);
            CHECK(s.t.call(e.method, e.path, body, s.ann, {{"Content-Type", "text/plain"}}).status == 415);
            json wrong = e.good_body;
            for (auto& [k, v] : wrong.items()) v = 12345;
            Reply typed = s.t.call(e.method, e.path, wrong.dump(), s.ann);
            CHECK(typed.status == 422);
            CHECK(typed.json()["errors"].size() == e.good_body.size());
            CHECK(s.t.call(e.method, e.path, "[1,2]", s.ann).status == 422);
        }
        CHECK(s.t.snapshot() == before);
    }
}

TEST_CASE("the org ids of one tenant are not found by another, even with an API key") {
    Tenants s;
    std::string key = s.t.post("/api/v1/auth/api-keys", {{"name", "k"}}, s.gina).json()["key"];
    CHECK(s.t.get("/api/v1/orgs/" + s.acme, key).status == 404);
    CHECK(s.t.get("/api/v1/orgs/" + s.globex, key).status == 200);
}

TEST_CASE("an org-scoped API key of an operator acts only within that org") {
    Tenants s;
    Reply made = s.t.post("/api/v1/auth/api-keys", {{"name", "k"}, {"org_id", s.acme}}, s.op);
    REQUIRE_MESSAGE(made.status == 201, made.body);
    std::string key = made.json()["key"];
    CHECK(s.t.get("/api/v1/orgs/" + s.acme, key).status == 200);
    CHECK(s.t.get("/api/v1/orgs/" + s.globex, key).status == 404);
    CHECK(s.t.post("/api/v1/orgs", {{"name", "x"}}, key).status == 403);
}

}  // TEST_SUITE
