// Specification of invitations (Phase 5 of the phased onboarding): the
// invite body answers the documented shape plus the single-use link; the
// list is {invited_users, total}; accepting with a name and password creates the member with the
// invited role and signs them in; an address that has an account joins
// only as that account, signed in; a link works once and expires;
// renewing kills the old link; the error matrix changes nothing.
#include <doctest/doctest.h>

#include "edge/api/views.h"
#include "edge/onboarding/invitations.h"
#include "edge/onboarding/onboarding_fixture.h"

using nlohmann::json;
using onramp::testing::OnboardingApp;
using onramp::testing::Reply;

namespace {

const std::string kInvite = "/api/v1/onboarding/invite-user";
const std::string kList = "/api/v1/onboarding/invited-users";
const std::string kAccept = "/api/v1/invitations/accept";

// A Phase 5 (team invites) request body: email, role, territory, department.
json invite_body() {
    return {{"email", "rep@acmeroofing.com"}, {"role", "sales_rep"}, {"territory", "North Region"}, {"department", "Sales"}};
}

std::string token_of(const Reply& r) {
    REQUIRE_MESSAGE((r.status == 201 || r.status == 200), r.body);
    std::string url = r.json()["data"]["invite_url"];
    return url.substr(url.rfind('/') + 1);
}

json accept_body(const std::string& token) {
    return {{"token", token}, {"password", "rep-password"}, {"name", "Rita Rep"}};
}

}  // namespace

TEST_SUITE("invitations.api") {

TEST_CASE("invite-user: a full body answers the invitation, its expiry and a single-use link") {
    OnboardingApp a;
    Reply r = a.post(kInvite, invite_body(), a.ann);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    json d = r.json()["data"];
    CHECK(d["success"] == true);
    CHECK(d["invite_id"].get<std::string>().rfind("inv_", 0) == 0);
    CHECK(d["email"] == "rep@acmeroofing.com");
    CHECK(d["role"] == "sales_rep");
    CHECK(d["status"] == "sent");
    CHECK(d["invite_url"].get<std::string>().rfind("https://onramp.example/#/invite/", 0) == 0);
    CHECK(d["expires_at"] == onramp::api::iso8601(a.t.clock + onramp::onboarding::kInvitationSeconds));
    CHECK(d["step_already_completed"] == false);

    // Security: only the token's hash is stored.
    std::string token = token_of(r);
    CHECK(a.t.snapshot().find(token) == std::string::npos);
}

TEST_CASE("invited-users: each invitation with status and dates, pending then accepted") {
    OnboardingApp a;
    std::string token = token_of(a.post(kInvite, invite_body(), a.ann));
    Reply r = a.get(kList, a.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json d = r.json()["data"];
    CHECK(d["total"] == 1);
    json u = d["invited_users"][0];
    for (const char* k : {"invite_id", "email", "role", "territory", "status", "invited_at", "accepted_at"})
        CHECK_MESSAGE(u.contains(k), k);
    CHECK(u["territory"] == "North Region");
    CHECK(u["status"] == "pending");
    CHECK(u["invited_at"] == onramp::api::iso8601(a.t.clock));
    CHECK(u["accepted_at"].is_null());

    a.t.clock += 30;
    REQUIRE(a.post(kAccept, accept_body(token), "").status == 200);
    u = a.get(kList, a.ann).json()["data"]["invited_users"][0];
    CHECK(u["status"] == "accepted");
    CHECK(u["accepted_at"] == onramp::api::iso8601(a.t.clock));
}

TEST_CASE("accepting creates the member with the invited role and signs them in") {
    OnboardingApp a;
    std::string token = token_of(a.post(kInvite, invite_body(), a.ann));
    Reply look = a.post("/api/v1/invitations/lookup", {{"token", token}}, "");
    REQUIRE_MESSAGE(look.status == 200, look.body);
    CHECK(look.json()["org"]["name"] == "Acme");
    CHECK(look.json()["role"] == "sales_rep");
    CHECK(look.json()["account_exists"] == false);

    Reply r = a.post(kAccept, accept_body(token), "");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json j = r.json();
    CHECK(j["new_account"] == true);
    CHECK(j["org_id"] == a.acme);
    CHECK(j["role"] == "sales_rep");
    CHECK(j["user"]["email"] == "rep@acmeroofing.com");
    CHECK(j["user"]["full_name"] == "Rita Rep");
    Reply me = a.get("/api/v1/auth/me", j["access_token"].get<std::string>());
    REQUIRE(me.status == 200);
    CHECK(me.json()["memberships"] == json::array({{{"org_id", a.acme}, {"role", "sales_rep"}}}));
    // The password works for signing in later.
    CHECK(a.post("/api/v1/auth/login", {{"email", "rep@acmeroofing.com"}, {"password", "rep-password"}}, "").status ==
          200);
    // Onboarding's team check sees the new sales rep.
    CHECK(a.post("/api/v1/onboarding/verify", json::object(), a.ann).json()["data"]["checks"]["team_members"] == true);
}

TEST_CASE("an invitation link works once") {
    OnboardingApp a;
    std::string token = token_of(a.post(kInvite, invite_body(), a.ann));
    REQUIRE(a.post(kAccept, accept_body(token), "").status == 200);
    std::string before = a.t.snapshot();
    Reply again = a.post(kAccept, accept_body(token), "");
    CHECK(again.status == 410);
    CHECK(again.json()["error_code"] == "invitation_used");
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("an invitation expires after seven days") {
    OnboardingApp a;
    std::string token = token_of(a.post(kInvite, invite_body(), a.ann));
    a.t.clock += onramp::onboarding::kInvitationSeconds;
    std::string before = a.t.snapshot();
    Reply r = a.post(kAccept, accept_body(token), "");
    CHECK(r.status == 410);
    CHECK(r.json()["error_code"] == "invitation_expired");
    CHECK(a.t.snapshot() == before);
    a.sign_in_again();
    CHECK(a.get(kList, a.ann).json()["data"]["invited_users"][0]["status"] == "expired");
}

TEST_CASE("inviting the same address again renews the one invitation; the old link stops working") {
    OnboardingApp a;
    Reply first = a.post(kInvite, invite_body(), a.ann);
    std::string old_token = token_of(first);
    json changed = invite_body();
    changed["role"] = "csr";
    Reply again = a.post(kInvite, changed, a.ann);
    REQUIRE_MESSAGE(again.status == 200, again.body);
    CHECK(again.json()["data"]["invite_id"] == first.json()["data"]["invite_id"]);
    CHECK(again.json()["data"]["renewed"] == true);
    CHECK(again.json()["data"]["step_already_completed"] == true);
    CHECK(a.get(kList, a.ann).json()["data"]["total"] == 1);

    CHECK(a.post(kAccept, accept_body(old_token), "").status == 404);
    Reply ok = a.post(kAccept, accept_body(token_of(again)), "");
    REQUIRE(ok.status == 200);
    CHECK(ok.json()["role"] == "csr");
}

TEST_CASE("a withdrawn invitation cannot be accepted") {
    OnboardingApp a;
    Reply inv = a.post(kInvite, invite_body(), a.ann);
    std::string id = inv.json()["data"]["invite_id"];
    Reply del = a.t.call("DELETE", kList + "/" + id, "", a.ann);
    REQUIRE_MESSAGE(del.status == 200, del.body);
    CHECK(del.json()["data"]["status"] == "revoked");
    Reply r = a.post(kAccept, accept_body(token_of(inv)), "");
    CHECK(r.status == 410);
    CHECK(r.json()["error_code"] == "invitation_revoked");
    CHECK(a.t.call("DELETE", kList + "/" + id, "", a.ann).status == 409);
    CHECK(a.t.call("DELETE", kList + "/" + id, "", a.gina, {{"X-Org-Id", a.acme}}).status == 404);
    CHECK(a.t.call("DELETE", kList + "/" + id, "", a.gina).status == 404);
}

TEST_CASE("an existing account joins with its own password; an invitation never resets it") {
    OnboardingApp a;
    a.t.make_user("rep@acmeroofing.com", "their-own-password");
    std::string token = token_of(a.post(kInvite, invite_body(), a.ann));
    CHECK(a.post("/api/v1/invitations/lookup", {{"token", token}}, "").json()["account_exists"] == true);
    std::string before = a.t.snapshot();
    Reply wrong = a.post(kAccept, accept_body(token), "");
    CHECK(wrong.status == 403);
    CHECK(wrong.json()["error_code"] == "wrong_password");
    CHECK(a.t.snapshot() == before);
    CHECK(a.post("/api/v1/auth/login", {{"email", "rep@acmeroofing.com"}, {"password", "rep-password"}}, "").status ==
          401);
    Reply right = a.post(kAccept, {{"token", token}, {"password", "their-own-password"}, {"name", "Rita"}}, "");
    REQUIRE_MESSAGE(right.status == 200, right.body);
    CHECK(right.json()["new_account"] == false);
    CHECK(a.post("/api/v1/auth/login", {{"email", "rep@acmeroofing.com"}, {"password", "their-own-password"}}, "")
              .status == 200);
}

TEST_CASE("another tenant's account without a password is not taken over with the token and a chosen password") {
    OnboardingApp a;
    // Globex's account for a person who never set a password (as members
    // used to be added), and Acme's manager inviting the same address.
    std::string bea;
    {
        auto db = a.t.app.store->lease();
        bea = onramp::store::insert_user(*db, "bea@globex.test", "Bea Globex", std::nullopt, false, a.t.clock)->id;
    }
    a.t.add_member(a.globex, bea, "csr");
    Reply invited = a.post(kInvite, {{"email", "bea@globex.test"}, {"role", "manager"}}, a.ann);
    std::string token = token_of(invited);
    CHECK(invited.body.find(bea) == std::string::npos);
    CHECK(invited.body.find("Bea Globex") == std::string::npos);
    CHECK(a.post("/api/v1/invitations/lookup", {{"token", token}}, "").json()["account_exists"] == true);

    std::string before = a.t.snapshot();
    Reply r = a.post(kAccept, {{"token", token}, {"password", "attacker-chosen"}, {"name", "Mallory"}}, "");
    CHECK(r.status == 403);
    CHECK(r.content_type == "application/problem+json");
    CHECK(r.json()["error_code"] == "password_reset_required");
    CHECK(r.json()["detail"].get<std::string>().find("password reset") != std::string::npos);
    CHECK(r.body.find(bea) == std::string::npos);
    CHECK(a.t.snapshot() == before);
    CHECK(a.post("/api/v1/auth/login", {{"email", "bea@globex.test"}, {"password", "attacker-chosen"}}, "").status ==
          401);
}

TEST_CASE("an existing account joins by accepting while signed in as it, its password unchanged") {
    OnboardingApp a;
    Reply invited = a.post(kInvite, {{"email", "gina@globex.test"}, {"role", "csr"}}, a.ann);
    std::string token = token_of(invited);
    // The token and a new password are not enough.
    std::string before = a.t.snapshot();
    Reply anonymous = a.post(kAccept, {{"token", token}, {"name", "Gina"}}, "");
    CHECK(anonymous.status == 403);
    CHECK(anonymous.json()["error_code"] == "sign_in_required");
    // Nor is another account's session.
    Reply other = a.post(kAccept, {{"token", token}}, a.carl);
    CHECK(other.status == 403);
    CHECK(other.json()["error_code"] == "invitation_for_another_account");
    CHECK(a.t.snapshot() == before);

    Reply r = a.post(kAccept, {{"token", token}}, a.gina);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["new_account"] == false);
    CHECK(r.json()["org_id"] == a.acme);
    CHECK(r.json()["role"] == "csr");
    json ms = a.get("/api/v1/auth/me", a.gina).json()["memberships"];
    CHECK(ms.size() == 2);
    CHECK(a.post("/api/v1/auth/login", {{"email", "gina@globex.test"}, {"password", "pw-123456"}}, "").status == 200);
}

TEST_CASE("accepting with an existing account's password is throttled like sign-in") {
    OnboardingApp a;
    a.t.make_user("rep@acmeroofing.com", "their-own-password");
    std::string token = token_of(a.post(kInvite, invite_body(), a.ann));
    for (int i = 0; i < 5; ++i)
        CHECK(a.post(kAccept, {{"token", token}, {"password", "guess-" + std::to_string(i)}}, "").status == 403);
    Reply r = a.post(kAccept, {{"token", token}, {"password", "their-own-password"}}, "");
    CHECK(r.status == 429);
    CHECK(std::stoi(r.header("Retry-After")) > 0);
    // The same counter as sign-in: the address's guesses count there too.
    CHECK(a.post("/api/v1/auth/login", {{"email", "rep@acmeroofing.com"}, {"password", "their-own-password"}}, "")
              .status == 429);
}

TEST_CASE("inviting a member is 409; bad fields are 422 naming each; nothing changes") {
    OnboardingApp a;
    std::string before = a.t.snapshot();
    Reply member = a.post(kInvite, {{"email", "carl@acme.test"}, {"role", "csr"}}, a.ann);
    CHECK(member.status == 409);
    CHECK(member.json()["error_code"] == "already_member");
    Reply bad = a.post(kInvite, {{"email", "not-an-email"}, {"role", "owner"}, {"territory", 7}}, a.ann);
    REQUIRE(bad.status == 422);
    for (const char* k : {"email", "role", "territory"}) CHECK_MESSAGE(bad.json()["errors"].contains(k), k);
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("accept: unknown token 404, weak password or no name 422, malformed 400, and nothing changes") {
    OnboardingApp a;
    std::string token = token_of(a.post(kInvite, invite_body(), a.ann));
    std::string before = a.t.snapshot();
    CHECK(a.post(kAccept, accept_body("no-such-token"), "").status == 404);
    Reply weak = a.post(kAccept, {{"token", token}, {"password", "short"}, {"name", "Rita"}}, "");
    REQUIRE(weak.status == 422);
    CHECK(weak.json()["errors"].contains("password"));
    Reply nameless = a.post(kAccept, {{"token", token}, {"password", "long-enough-1"}}, "");
    REQUIRE(nameless.status == 422);
    CHECK(nameless.json()["errors"].contains("name"));
    CHECK(a.t.call("POST", kAccept, "{\"token\":", "").status == 400);
    CHECK(a.t.call("POST", kAccept, "{\"token\": \"" + std::string(2 << 20, 'x') + "\"}", "").status == 413);
    CHECK(a.post(kAccept, {{"token", 5}, {"password", true}}, "").status == 422);
    CHECK(a.t.snapshot() == before);
}

}  // TEST_SUITE
