// Specification of password reset and change: a reset e-mails a one-time
// link (30 minutes, stored as a hash) and answers alike whether or not the
// address has an account; the link sets the password and signs every
// session out; a used, expired or wrong link changes nothing; requests are
// capped; without e-mail nothing is sent and the operator prints a link
// with `onramp-edge reset-password`. A signed-in change needs the current
// password, is throttled as sign-in is, and ends the other sessions.
#include <doctest/doctest.h>

#include "edge/auth/account_fixture.h"
#include "edge/auth/account_tokens.h"
#include "edge/auth/password_change.h"
#include "edge/auth/passwords.h"
#include "edge/store/accounts.h"

using nlohmann::json;
using onramp::testing::AccountApp;
using onramp::testing::CommandResult;
using onramp::testing::Reply;
using onramp::testing::run_edge;
using onramp::testing::TempDir;

namespace {

const std::string kReset = "/api/v1/auth/password-reset";
const std::string kConfirm = "/api/v1/auth/password-reset/confirm";
const std::string kChange = "/api/v1/auth/password";
const std::string kLinkPattern = R"(https://hub\.example\.test/#/reset/([A-Za-z0-9_-]{43}))";

int login_status(AccountApp& s, const std::string& password) {
    return s.t.post("/api/v1/auth/login", {{"email", "ann@acme.test"}, {"password", password}}).status;
}

}  // namespace

TEST_SUITE("auth.password") {

TEST_CASE("a password reset e-mails a one-time link that sets the password and signs every session out") {
    AccountApp s;
    std::string session = s.t.login("ann@acme.test", "pw-123456");
    Reply asked = s.t.post(kReset, {{"email", "ann@acme.test"}});
    REQUIRE_MESSAGE(asked.status == 202, asked.body);
    Reply unknown = s.t.post(kReset, {{"email", "nobody@acme.test"}});
    CHECK(unknown.status == 202);
    CHECK(unknown.body == asked.body);  // no enumeration: the same answer for an unknown address

    auto got = s.deliver(1);
    CHECK(got[0].find("To: ann@acme.test\n") != std::string::npos);
    CHECK(got[0].find("Subject: Reset your Onramp password\n") != std::string::npos);
    std::string token = AccountApp::find_in(got[0], kLinkPattern);
    CHECK_FALSE(s.anywhere(token));  // the link only in the e-mail: hashed in the database, never logged or audited

    Reply done = s.t.post(kConfirm, {{"token", token}, {"password", "a-new-password"}});
    REQUIRE_MESSAGE(done.status == 200, done.body);
    CHECK(done.json()["email"] == "ann@acme.test");
    CHECK(done.body.find("access_token") == std::string::npos);  // no session: the person signs in
    CHECK(s.t.get("/api/v1/auth/me", session).status == 401);
    CHECK(login_status(s, "pw-123456") == 401);
    CHECK(login_status(s, "a-new-password") == 200);
    CHECK(s.audit_log().find("password_reset.completed " + s.ann_id) != std::string::npos);
    CHECK_FALSE(s.anywhere("a-new-password"));

    // Used once: the same link again changes nothing.
    std::string before = s.t.snapshot();
    Reply again = s.t.post(kConfirm, {{"token", token}, {"password", "third-password"}});
    CHECK(again.status == 410);
    CHECK(again.content_type == "application/problem+json");
    CHECK(again.json()["error_code"] == "reset_link_invalid");
    CHECK(s.t.snapshot() == before);
}

TEST_CASE("an expired, unknown or short-password reset changes nothing") {
    AccountApp s;
    std::string token;
    {
        auto db = s.t.app.store->lease();
        token = onramp::auth::issue_password_reset(*db, s.ann_id, s.t.clock);
    }
    std::string before = s.t.snapshot();
    Reply short_password = s.t.post(kConfirm, {{"token", token}, {"password", "short"}});
    CHECK(short_password.status == 422);
    CHECK(short_password.json()["errors"].contains("password"));
    CHECK(s.t.post(kConfirm, {{"token", "not-a-reset-token"}, {"password", "a-new-password"}}).status == 410);
    s.t.clock += onramp::auth::kPasswordResetSeconds;
    Reply expired = s.t.post(kConfirm, {{"token", token}, {"password", "a-new-password"}});
    CHECK(expired.status == 410);
    CHECK(expired.json()["error_code"] == "reset_link_invalid");
    CHECK(s.t.snapshot() == before);
    CHECK(login_status(s, "pw-123456") == 200);
}

TEST_CASE("a new reset link, or a password changed another way, makes an older link stale") {
    AccountApp s;
    std::string first, second;
    {
        auto db = s.t.app.store->lease();
        first = onramp::auth::issue_password_reset(*db, s.ann_id, s.t.clock);
        second = onramp::auth::issue_password_reset(*db, s.ann_id, s.t.clock);
    }
    REQUIRE(s.t.post(kConfirm, {{"token", second}, {"password", "a-new-password"}}).status == 200);
    CHECK(s.t.post(kConfirm, {{"token", first}, {"password", "attacker-password"}}).status == 410);
    CHECK(login_status(s, "a-new-password") == 200);
}

TEST_CASE("reset requests are capped per recipient and per client address, whether or not the account exists") {
    AccountApp s(false);
    for (int i = 0; i < 5; ++i) CHECK(s.t.post(kReset, {{"email", "nobody@acme.test"}}).status == 202);
    Reply capped = s.t.post(kReset, {{"email", "nobody@acme.test"}});
    CHECK(capped.status == 429);
    CHECK(std::stoi(capped.header("Retry-After")) > 0);
    // Another client may still ask for another address, and then this one
    // after the window.
    s.t.remote_addr = "198.51.100.7";
    CHECK(s.t.post(kReset, {{"email", "ann@acme.test"}}).status == 202);
    CHECK(s.t.post(kReset, {{"email", "nobody@acme.test"}}).status == 429);
    s.t.clock += 3601;
    CHECK(s.t.post(kReset, {{"email", "nobody@acme.test"}}).status == 202);
    // One client, many recipients: 20 an hour.
    s.t.remote_addr = "203.0.113.9";
    for (int i = 0; i < 20; ++i)
        CHECK(s.t.post(kReset, {{"email", "someone" + std::to_string(i) + "@acme.test"}}).status == 202);
    CHECK(s.t.post(kReset, {{"email", "someone-else@acme.test"}}).status == 429);
}

TEST_CASE("without e-mail a reset answers 202, queues nothing and logs a warning without the address") {
    AccountApp s(false);
    std::string before = s.t.snapshot();
    Reply r = s.t.post(kReset, {{"email", "ann@acme.test"}});
    CHECK(r.status == 202);
    CHECK(s.t.snapshot() == before);
    CHECK(s.logged.find("password_reset_not_sent") != std::string::npos);
    CHECK(s.logged.find("reset-password") != std::string::npos);
    CHECK(s.logged.find("ann@acme.test") == std::string::npos);
    CHECK(s.t.post(kReset, {{"email", "not an address"}}).status == 422);
}

TEST_CASE("reset-password prints a one-time link that sets the account's password") {
    TempDir dir;
    REQUIRE(run_edge({"create-admin", "--data", dir.path, "--email", "root@example.test"}).exit_code == 0);
    CommandResult r = run_edge({"reset-password", "--data", dir.path, "--email", "Root@Example.test", "--public-url",
                                "https://hub.example.test/"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.out);
    json out = json::parse(r.out);
    CHECK(out["email"] == "root@example.test");
    CHECK(out["expires_in"] == 1800);
    std::string url = out["reset_url"];
    REQUIRE(url.rfind("https://hub.example.test/#/reset/", 0) == 0);
    std::string token = url.substr(url.rfind('/') + 1);

    onramp::store::Store store(dir.path + "/onramp.db");
    auto db = store.lease();
    auto user = onramp::auth::finish_password_reset(*db, token, onramp::auth::hash_password("chosen-password", 10),
                                                    onramp::system_now());
    REQUIRE(user);
    CHECK(onramp::auth::verify_password("chosen-password", *onramp::store::find_user_by_email(*db, "root@example.test")
                                                                 ->password_hash));
    CHECK_FALSE(onramp::auth::finish_password_reset(*db, token, "x", onramp::system_now()));

    CHECK(out["totp_disabled"] == false);

    // A lost authenticator: --disable-totp also turns two-factor sign-in off.
    db->write("INSERT INTO user_totp (user_id, sealed_secret, created_at, enabled_at) VALUES (?, 'sealed', 0, 0)",
              user->id);
    CommandResult off = run_edge({"reset-password", "--data", dir.path, "--email", "root@example.test",
                                  "--disable-totp"});
    REQUIRE_MESSAGE(off.exit_code == 0, off.out);
    CHECK(json::parse(off.out)["totp_disabled"] == true);
    onramp::store::Stmt left(*db, "SELECT count(*) FROM user_totp");
    REQUIRE(left.step());
    CHECK(left.i64(0) == 0);

    CHECK(run_edge({"reset-password", "--data", dir.path, "--email", "nobody@example.test"}).exit_code == 1);
    CHECK(run_edge({"reset-password", "--data", dir.path}).exit_code == 2);
    TempDir empty;
    CHECK(run_edge({"reset-password", "--data", empty.path + "/missing", "--email", "root@example.test"}).exit_code ==
          1);
}

TEST_CASE("changing the password needs the current one and signs the user's other sessions out") {
    AccountApp s;
    std::string here = s.t.login("ann@acme.test", "pw-123456");
    std::string elsewhere = s.t.login("ann@acme.test", "pw-123456");
    std::string before = s.t.snapshot();
    Reply wrong = s.t.post(kChange, {{"current_password", "not-it"}, {"new_password", "a-new-password"}}, here);
    CHECK(wrong.status == 403);
    CHECK(wrong.json()["error_code"] == "wrong_password");
    Reply short_one = s.t.post(kChange, {{"current_password", "pw-123456"}, {"new_password", "short"}}, here);
    CHECK(short_one.status == 422);
    CHECK(short_one.json()["errors"].contains("new_password"));
    CHECK(s.t.snapshot() == before);

    Reply ok = s.t.post(kChange, {{"current_password", "pw-123456"}, {"new_password", "a-new-password"}}, here);
    REQUIRE_MESSAGE(ok.status == 204, ok.body);
    CHECK(s.t.get("/api/v1/auth/me", here).status == 200);
    CHECK(s.t.get("/api/v1/auth/me", elsewhere).status == 401);
    CHECK(login_status(s, "pw-123456") == 401);
    CHECK(login_status(s, "a-new-password") == 200);
    CHECK(s.audit_log().find("password.changed " + s.ann_id) != std::string::npos);
    CHECK_FALSE(s.anywhere("a-new-password"));
    CHECK(s.t.post(kChange, {{"current_password", "a-new-password"}, {"new_password", "x-new-password"}}).status ==
          401);
}

TEST_CASE("wrong current passwords count in the login limiter") {
    AccountApp s(false);
    std::string session = s.t.login("ann@acme.test", "pw-123456");
    for (int i = 0; i < 5; ++i)
        CHECK(s.t.post(kChange, {{"current_password", "guess"}, {"new_password", "a-new-password"}}, session).status ==
              403);
    Reply r = s.t.post(kChange, {{"current_password", "pw-123456"}, {"new_password", "a-new-password"}}, session);
    CHECK(r.status == 429);
    CHECK(login_status(s, "pw-123456") == 429);  // the same counter as sign-in
}

TEST_CASE("an API key cannot change the password") {
    AccountApp s(false);
    std::string session = s.t.login("ann@acme.test", "pw-123456");
    std::string key = s.t.post("/api/v1/auth/api-keys", {{"name", "ci"}}, session).json()["key"];
    Reply r = s.t.post(kChange, {{"current_password", "pw-123456"}, {"new_password", "a-new-password"}}, key);
    CHECK(r.status == 403);
    CHECK(r.json()["error_code"] == "session_required");
    CHECK(login_status(s, "pw-123456") == 200);
}

}
