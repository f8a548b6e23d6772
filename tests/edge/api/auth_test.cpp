// Specification of /api/v1/auth: sign-in, refresh rotation with reuse
// detection, sign-out, rate limiting and API keys.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "edge/support/test_app.h"

using onramp::testing::Reply;
using onramp::testing::TestApp;

TEST_SUITE("auth") {

TEST_CASE("login returns a token pair and the user") {
    TestApp t;
    t.make_user("ann@example.com", "correct horse");
    Reply r = t.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "correct horse"}});
    REQUIRE_MESSAGE(r.status == 200, r.body);
    auto j = r.json();
    CHECK(j["access_token"].get<std::string>().size() == 43);  // 256 bits, base64url
    CHECK(j["refresh_token"].get<std::string>().size() == 43);
    CHECK(j["access_token"] != j["refresh_token"]);
    CHECK(j["expires_in"] == 900);
    CHECK(j["user"]["email"] == "ann@example.com");
    CHECK_FALSE(j["user"].contains("password_hash"));
}

TEST_CASE("login e-mail is case-insensitive") {
    TestApp t;
    t.make_user("ann@example.com", "pw-123456");
    CHECK(t.post("/api/v1/auth/login", {{"email", "Ann@Example.com"}, {"password", "pw-123456"}}).status == 200);
}

TEST_CASE("wrong password and unknown user get the same 401, with a code the client translates") {
    TestApp t;
    t.make_user("ann@example.com", "pw-123456");
    Reply a = t.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "nope"}});
    Reply b = t.post("/api/v1/auth/login", {{"email", "bob@example.com"}, {"password", "nope"}});
    CHECK(a.status == 401);
    CHECK(b.status == 401);
    CHECK(a.content_type == "application/problem+json");
    CHECK(a.json()["detail"] == b.json()["detail"]);
    CHECK(a.json()["error_code"] == "invalid_credentials");
    CHECK(b.json()["error_code"] == "invalid_credentials");
}

TEST_CASE("login is rate limited per account with Retry-After, even for the right password") {
    TestApp t;
    t.make_user("ann@example.com", "pw-123456");
    for (int i = 0; i < 5; ++i)
        CHECK(t.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "bad"}}).status == 401);
    Reply r = t.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "pw-123456"}});
    CHECK(r.status == 429);
    CHECK(std::stoi(r.header("Retry-After")) > 0);
    t.clock += 901;
    CHECK(t.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "pw-123456"}}).status == 200);
}

TEST_CASE("wrong guesses from other addresses never lock the operator out of an address of their own") {
    TestApp t;
    t.make_user("op@onramp.test", "pw-123456", true);
    t.remote_addr = "203.0.113.9";
    for (int i = 0; i < 6; ++i) t.post("/api/v1/auth/login", {{"email", "op@onramp.test"}, {"password", "guess"}});
    CHECK(t.post("/api/v1/auth/login", {{"email", "op@onramp.test"}, {"password", "pw-123456"}}).status == 429);
    t.remote_addr = "198.51.100.7";
    CHECK(t.post("/api/v1/auth/login", {{"email", "op@onramp.test"}, {"password", "pw-123456"}}).status == 200);
}

TEST_CASE("sixteen parallel wrong sign-ins get five password checks; the rest are 429") {
    TestApp t;
    t.app.scrypt_log2_n = 12;  // slow enough that the checks overlap
    t.make_user("op@onramp.test", "pw-123456", true);
    std::atomic<int> checked{0}, throttled{0};
    std::vector<std::thread> guesses;
    for (int i = 0; i < 16; ++i)
        guesses.emplace_back([&, i] {
            int status =
                t.post("/api/v1/auth/login", {{"email", "op@onramp.test"}, {"password", "guess-" + std::to_string(i)}})
                    .status;
            (status == 401 ? checked : throttled) += 1;
        });
    for (std::thread& g : guesses) g.join();
    CHECK(checked == 5);
    CHECK(throttled == 11);
}

TEST_CASE("login is rate limited per client address across accounts") {
    TestApp t;
    int last = 0;
    for (int i = 0; i < 21; ++i)
        last = t.post("/api/v1/auth/login", {{"email", "u" + std::to_string(i) + "@example.com"}, {"password", "x"}}).status;
    CHECK(last == 429);
}

TEST_CASE("login validates its body and names each bad field") {
    TestApp t;
    Reply r = t.post("/api/v1/auth/login", {{"email", 42}});
    CHECK(r.status == 422);
    CHECK(r.json()["errors"]["email"] == "must be a string");
    CHECK(r.json()["errors"]["password"] == "is required");
    CHECK(t.call("POST", "/api/v1/auth/login", "{\"email\":").status == 400);
    CHECK(t.call("POST", "/api/v1/auth/login", "email=a", "", {{"Content-Type", "application/x-www-form-urlencoded"}})
              .status == 415);
}

TEST_CASE("me needs a valid, unexpired token") {
    TestApp t;
    t.make_user("ann@example.com", "pw-123456");
    std::string token = t.login("ann@example.com", "pw-123456");
    CHECK(t.get("/api/v1/auth/me").status == 401);
    CHECK(t.get("/api/v1/auth/me", "not-a-token").status == 401);
    Reply r = t.get("/api/v1/auth/me", token);
    CHECK(r.status == 200);
    CHECK(r.json()["email"] == "ann@example.com");
    t.clock += 15 * 60 + 1;
    CHECK(t.get("/api/v1/auth/me", token).status == 401);
}

TEST_CASE("refresh rotates the pair; reusing a rotated refresh token revokes the family") {
    TestApp t;
    t.make_user("ann@example.com", "pw-123456");
    auto first = t.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "pw-123456"}}).json();
    Reply r1 = t.post("/api/v1/auth/refresh", {{"refresh_token", first["refresh_token"]}});
    REQUIRE(r1.status == 200);
    auto second = r1.json();
    CHECK(second["refresh_token"] != first["refresh_token"]);
    CHECK(t.get("/api/v1/auth/me", second["access_token"]).status == 200);

    // The old refresh token comes back: someone kept a copy.
    Reply reuse = t.post("/api/v1/auth/refresh", {{"refresh_token", first["refresh_token"]}});
    CHECK(reuse.status == 401);
    CHECK(reuse.json()["error_code"] == "refresh_token_reused");
    // Every token of that sign-in is now dead, including the newest pair.
    CHECK(t.get("/api/v1/auth/me", second["access_token"]).status == 401);
    CHECK(t.post("/api/v1/auth/refresh", {{"refresh_token", second["refresh_token"]}}).status == 401);
}

TEST_CASE("a refresh token expires after 30 days") {
    TestApp t;
    t.make_user("ann@example.com", "pw-123456");
    auto pair = t.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "pw-123456"}}).json();
    t.clock += 30 * 24 * 3600 + 1;
    CHECK(t.post("/api/v1/auth/refresh", {{"refresh_token", pair["refresh_token"]}}).status == 401);
}

TEST_CASE("logout ends the session and its refresh token") {
    TestApp t;
    t.make_user("ann@example.com", "pw-123456");
    auto pair = t.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "pw-123456"}}).json();
    std::string access = pair["access_token"];
    CHECK(t.call("POST", "/api/v1/auth/logout", "", access).status == 204);
    CHECK(t.get("/api/v1/auth/me", access).status == 401);
    CHECK(t.post("/api/v1/auth/refresh", {{"refresh_token", pair["refresh_token"]}}).status == 401);
    CHECK(t.call("POST", "/api/v1/auth/logout", "").status == 401);
}

TEST_CASE("API keys are shown once, authenticate, and stop working when revoked") {
    TestApp t;
    t.make_user("ann@example.com", "pw-123456");
    std::string token = t.login("ann@example.com", "pw-123456");
    Reply made = t.post("/api/v1/auth/api-keys", {{"name", "ci"}}, token);
    REQUIRE_MESSAGE(made.status == 201, made.body);
    std::string key = made.json()["key"];
    CHECK(key.rfind("onr_", 0) == 0);
    CHECK(t.get("/api/v1/auth/me", key).status == 200);

    Reply list = t.get("/api/v1/auth/api-keys", token);
    CHECK(list.body.find(key) == std::string::npos);
    CHECK(list.json()["items"].size() == 1);

    std::string id = made.json()["id"];
    CHECK(t.call("DELETE", "/api/v1/auth/api-keys/" + id, "", token).status == 204);
    CHECK(t.get("/api/v1/auth/me", key).status == 401);
    CHECK(t.call("DELETE", "/api/v1/auth/api-keys/" + id, "", token).status == 404);
}

TEST_CASE("another user's API key cannot be revoked") {
    TestApp t;
    t.make_user("ann@example.com", "pw-123456");
    t.make_user("bob@example.com", "pw-123456");
    std::string ann = t.login("ann@example.com", "pw-123456");
    std::string bob = t.login("bob@example.com", "pw-123456");
    std::string id = t.post("/api/v1/auth/api-keys", {{"name", "ci"}}, ann).json()["id"];
    std::string before = t.snapshot();
    CHECK(t.call("DELETE", "/api/v1/auth/api-keys/" + id, "", bob).status == 404);
    CHECK(t.snapshot() == before);
}

}  // TEST_SUITE
