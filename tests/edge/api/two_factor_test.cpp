// Specification of two-factor sign-in (TOTP, RFC 6238) through the API:
// enrolment shows the secret once and stores it sealed; enabling needs a
// right code and shows ten recovery codes once, stored hashed; sign-in
// then answers mfa_required and a one-time mfa_token, and the second step
// takes a code (each usable once) or a recovery code (each once); wrong
// codes change nothing and count in the login limiter; turning it off
// needs the password or a code.
#include <doctest/doctest.h>

#include <cctype>

#include "edge/auth/account_fixture.h"
#include "edge/auth/totp.h"
#include "edge/crypto/encoding.h"

using nlohmann::json;
using onramp::testing::AccountApp;
using onramp::testing::Reply;

namespace {

const std::string kLogin = "/api/v1/auth/login";
const std::string kSecond = "/api/v1/auth/login/totp";

// The app's code for a base32 secret at a time.
std::string code_at(const std::string& secret, int64_t now) {
    auto key = onramp::crypto::base32_decode(secret);
    REQUIRE(key);
    return onramp::auth::hotp(*key, uint64_t(onramp::auth::totp_step(now)));
}

// A code of the same length that is not the right one at `now` (nor a step either side).
std::string wrong_code(const std::string& secret, int64_t now) {
    for (int i = 0;; ++i) {
        std::string c = std::to_string(100000 + i);
        if (c != code_at(secret, now) && c != code_at(secret, now - 30) && c != code_at(secret, now + 30)) return c;
    }
}

struct Enrolled {
    std::string session, secret;
    std::vector<std::string> recovery;
};

// Ann with TOTP on; the clock moved to the next step, so the code used to
// enable is of an earlier step.
Enrolled enrol(AccountApp& s) {
    Enrolled e;
    e.session = s.t.login("ann@acme.test", "pw-123456");
    Reply setup = s.t.post("/api/v1/auth/totp/setup", json::object(), e.session);
    REQUIRE_MESSAGE(setup.status == 200, setup.body);
    e.secret = setup.json()["secret"];
    Reply on = s.t.post("/api/v1/auth/totp/enable", {{"code", code_at(e.secret, s.t.clock)}}, e.session);
    REQUIRE_MESSAGE(on.status == 200, on.body);
    json answer = on.json();
    for (const auto& c : answer["recovery_codes"]) e.recovery.push_back(c);
    s.t.clock += 30;
    return e;
}

std::string mfa_token(AccountApp& s) {
    Reply r = s.t.post(kLogin, {{"email", "ann@acme.test"}, {"password", "pw-123456"}});
    REQUIRE_MESSAGE(r.status == 200, r.body);
    REQUIRE(r.json()["mfa_required"] == true);
    return r.json()["mfa_token"];
}

}  // namespace

TEST_SUITE("auth.two_factor") {

TEST_CASE("enrolling shows the secret once and stores it sealed; a wrong code enables nothing") {
    AccountApp s(false);
    std::string session = s.t.login("ann@acme.test", "pw-123456");
    Reply setup = s.t.post("/api/v1/auth/totp/setup", json::object(), session);
    REQUIRE_MESSAGE(setup.status == 200, setup.body);
    std::string secret = setup.json()["secret"];
    CHECK(onramp::crypto::base32_decode(secret)->size() == 20);
    CHECK(setup.json()["otpauth_uri"] == "otpauth://totp/Onramp:ann%40acme.test?secret=" + secret +
                                             "&issuer=Onramp&algorithm=SHA1&digits=6&period=30");
    CHECK_FALSE(s.anywhere(secret));
    CHECK_FALSE(s.anywhere(*onramp::crypto::base32_decode(secret)));

    std::string before = s.t.snapshot();
    Reply wrong = s.t.post("/api/v1/auth/totp/enable", {{"code", wrong_code(secret, s.t.clock)}}, session);
    CHECK(wrong.status == 422);
    CHECK(wrong.json()["error_code"] == "totp_code_wrong");
    CHECK(s.t.snapshot() == before);
    // Not on yet: sign-in is as before.
    CHECK(s.t.post(kLogin, {{"email", "ann@acme.test"}, {"password", "pw-123456"}}).json().contains("access_token"));

    Reply on = s.t.post("/api/v1/auth/totp/enable", {{"code", code_at(secret, s.t.clock)}}, session);
    REQUIRE_MESSAGE(on.status == 200, on.body);
    auto codes = on.json()["recovery_codes"];
    CHECK(codes.size() == 10);
    for (const auto& c : codes) CHECK_FALSE(s.anywhere(c.get<std::string>()));
    CHECK(s.t.post("/api/v1/auth/totp/setup", json::object(), session).status == 409);
    CHECK(s.audit_log().find("totp.enabled " + s.ann_id) != std::string::npos);
}

TEST_CASE("sign-in with TOTP on asks for a code, and each code works once") {
    AccountApp s(false);
    Enrolled e = enrol(s);
    Reply first = s.t.post(kLogin, {{"email", "ann@acme.test"}, {"password", "pw-123456"}});
    REQUIRE(first.status == 200);
    CHECK(first.json()["mfa_required"] == true);
    CHECK_FALSE(first.json().contains("access_token"));
    std::string mfa = first.json()["mfa_token"];
    CHECK_FALSE(s.anywhere(mfa));

    std::string before = s.t.snapshot();
    Reply wrong = s.t.post(kSecond, {{"mfa_token", mfa}, {"code", wrong_code(e.secret, s.t.clock)}});
    CHECK(wrong.status == 401);
    CHECK(wrong.json()["error_code"] == "second_factor_wrong");
    // The code that enabled it was one step ago: inside the window, but used.
    Reply replayed = s.t.post(kSecond, {{"mfa_token", mfa}, {"code", code_at(e.secret, s.t.clock - 30)}});
    CHECK(replayed.status == 401);
    CHECK(s.t.post(kSecond, {{"mfa_token", "not-an-mfa-token"}, {"code", code_at(e.secret, s.t.clock)}}).status ==
          401);
    CHECK(s.t.snapshot() == before);

    std::string code = code_at(e.secret, s.t.clock);
    Reply ok = s.t.post(kSecond, {{"mfa_token", mfa}, {"code", code}});
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(ok.json()["user"]["email"] == "ann@acme.test");
    CHECK(s.t.get("/api/v1/auth/me", ok.json()["access_token"]).status == 200);
    // The mfa token and the code are used up.
    CHECK(s.t.post(kSecond, {{"mfa_token", mfa}, {"code", code}}).status == 401);
    CHECK(s.t.post(kSecond, {{"mfa_token", mfa_token(s)}, {"code", code}}).status == 401);
    CHECK_FALSE(s.anywhere(code));
}

TEST_CASE("a recovery code signs in once, instead of the app's code") {
    AccountApp s(false);
    Enrolled e = enrol(s);
    Reply ok = s.t.post(kSecond, {{"mfa_token", mfa_token(s)}, {"recovery_code", e.recovery[3]}});
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    std::string mfa = mfa_token(s);
    std::string before = s.t.snapshot();
    CHECK(s.t.post(kSecond, {{"mfa_token", mfa}, {"recovery_code", e.recovery[3]}}).status == 401);
    CHECK(s.t.snapshot() == before);
    // Typed loosely: case and the dash do not matter.
    std::string loose = e.recovery[4];
    loose.erase(5, 1);
    for (char& c : loose) c = char(std::toupper(static_cast<unsigned char>(c)));
    CHECK(s.t.post(kSecond, {{"mfa_token", mfa_token(s)}, {"recovery_code", loose}}).status == 200);
}

TEST_CASE("wrong second-factor codes count in the login limiter") {
    AccountApp s(false);
    Enrolled e = enrol(s);
    std::string mfa = mfa_token(s);
    for (int i = 0; i < 5; ++i)
        CHECK(s.t.post(kSecond, {{"mfa_token", mfa}, {"code", wrong_code(e.secret, s.t.clock)}}).status == 401);
    Reply r = s.t.post(kSecond, {{"mfa_token", mfa}, {"code", code_at(e.secret, s.t.clock)}});
    CHECK(r.status == 429);
    CHECK(std::stoi(r.header("Retry-After")) > 0);
}

TEST_CASE("turning TOTP off needs the password or a code, and sign-in is then one step again") {
    AccountApp s(false);
    Enrolled e = enrol(s);
    std::string before = s.t.snapshot();
    Reply wrong = s.t.post("/api/v1/auth/totp/disable", {{"password", "not-it"}}, e.session);
    CHECK(wrong.status == 403);
    Reply wrong_code_reply =
        s.t.post("/api/v1/auth/totp/disable", {{"code", wrong_code(e.secret, s.t.clock)}}, e.session);
    CHECK(wrong_code_reply.status == 403);
    CHECK(s.t.post("/api/v1/auth/totp/disable", json::object(), e.session).status == 422);
    CHECK(s.t.snapshot() == before);

    CHECK(s.t.post("/api/v1/auth/totp/disable", {{"code", code_at(e.secret, s.t.clock)}}, e.session).status == 204);
    Reply plain = s.t.post(kLogin, {{"email", "ann@acme.test"}, {"password", "pw-123456"}});
    CHECK(plain.json().contains("access_token"));
    CHECK(s.t.post("/api/v1/auth/totp/disable", {{"password", "pw-123456"}}, e.session).status == 409);
    CHECK(s.audit_log().find("totp.disabled " + s.ann_id) != std::string::npos);
}

TEST_CASE("a TOTP secret still opens after the master key is rotated") {
    AccountApp s(false);
    Enrolled e = enrol(s);
    {
        auto db = s.t.app.store->lease();
        auto rotated = onramp::rotate_master_key(*db, s.t.dir.path, nullptr);
        REQUIRE_MESSAGE(rotated, rotated.problem().detail);
        REQUIRE(rotated->finished);
        auto ring = onramp::open_master_key(*db, s.t.dir.path, nullptr);
        REQUIRE(ring);
        REQUIRE(ring->keys.size() == 1);  // the old key is gone
        s.t.app.vault = std::make_unique<onramp::Vault>(std::move(ring->keys));
    }
    Reply ok = s.t.post(kSecond, {{"mfa_token", mfa_token(s)}, {"code", code_at(e.secret, s.t.clock)}});
    CHECK_MESSAGE(ok.status == 200, ok.body);
}

TEST_CASE("a password reset does not pass the second factor") {
    AccountApp s;
    Enrolled e = enrol(s);
    REQUIRE(s.t.post("/api/v1/auth/password-reset", {{"email", "ann@acme.test"}}).status == 202);
    std::string token =
        AccountApp::find_in(s.deliver(1)[0], R"(https://hub\.example\.test/#/reset/([A-Za-z0-9_-]{43}))");
    REQUIRE(s.t.post("/api/v1/auth/password-reset/confirm", {{"token", token}, {"password", "a-new-password"}})
                .status == 200);
    Reply r = s.t.post(kLogin, {{"email", "ann@acme.test"}, {"password", "a-new-password"}});
    CHECK(r.json()["mfa_required"] == true);
    CHECK_FALSE(r.json().contains("access_token"));
}

}
