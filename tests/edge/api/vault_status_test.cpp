// Specification of GET /api/v1/operator/vault: the operator console's view
// of the vault's master keys — which key wraps new secrets, how many
// secrets each key holds, a rotation in progress — and never key material.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "edge/support/test_app.h"

using nlohmann::json;
using onramp::testing::Reply;
using onramp::testing::TestApp;

namespace {

std::string file_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void put_secret(TestApp& t, const std::string& org, const std::string& conn, const std::string& value) {
    auto db = t.app.store->lease();
    REQUIRE(t.app.vault->put(*db, org, conn, "api_key", value).ok());
}

}  // namespace

TEST_SUITE("api.vault_status") {

TEST_CASE("an operator sees the current key and how many secrets it wraps") {
    TestApp t;
    t.make_user("op@onramp.test", "pw-123456", true);
    std::string op = t.login("op@onramp.test", "pw-123456");
    std::string org = t.make_org("Acme");
    put_secret(t, org, "conn_1", "sk_live_aaaa1111bbbb");
    put_secret(t, org, "conn_2", "sk_live_cccc2222dddd");

    Reply r = t.get("/api/v1/operator/vault", op);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json body = r.json();
    CHECK(body["key_id"] == t.app.vault->key_id());
    CHECK(body["secrets"] == 2);
    CHECK(body["rotating_to"].is_null());
    REQUIRE(body["keys"].size() == 1);
    json key = body["keys"][0];
    CHECK(key["key_id"] == t.app.vault->key_id());
    CHECK(key["state"] == "current");
    CHECK(key["secrets"] == 2);
    CHECK(key["held"] == true);
    CHECK(key["retired_at"].is_null());
    CHECK(key["created_at"].get<std::string>().size() == 20);  // 2027-01-15T08:00:00Z
}

TEST_CASE("after a rotation this server did not load, the new key shows as not held") {
    TestApp t;
    t.make_user("op@onramp.test", "pw-123456", true);
    std::string op = t.login("op@onramp.test", "pw-123456");
    put_secret(t, t.make_org("Acme"), "conn_1", "sk_live_aaaa1111bbbb");
    std::string old_id = t.app.vault->key_id();
    {
        auto db = t.app.store->lease();
        auto rotated = onramp::rotate_master_key(*db, t.dir.path, nullptr);
        REQUIRE(rotated.ok());
        REQUIRE(rotated->finished);
    }

    json body = t.get("/api/v1/operator/vault", op).json();
    REQUIRE(body["keys"].size() == 2);
    json old_key = body["keys"][0], new_key = body["keys"][1];  // oldest first
    CHECK(old_key["key_id"] == old_id);
    CHECK(old_key["state"] == "retired");
    CHECK(old_key["retired_at"].is_string());
    CHECK(old_key["secrets"] == 0);
    CHECK(old_key["held"] == true);
    CHECK(new_key["state"] == "current");
    CHECK(new_key["secrets"] == 1);
    CHECK(new_key["held"] == false);  // the console tells the operator to restart
    CHECK(body["secrets"] == 1);
}

TEST_CASE("the reply holds no key material and no secret") {
    TestApp t;
    t.make_user("op@onramp.test", "pw-123456", true);
    std::string op = t.login("op@onramp.test", "pw-123456");
    put_secret(t, t.make_org("Acme"), "conn_1", "sk_live_aaaa1111bbbb");
    std::string key_file = file_text(t.dir.path + "/master.key");
    while (!key_file.empty() && (key_file.back() == '\n' || key_file.back() == '\r')) key_file.pop_back();
    REQUIRE(!key_file.empty());

    Reply r = t.get("/api/v1/operator/vault", op);
    REQUIRE(r.status == 200);
    CHECK(r.body.find(key_file) == std::string::npos);
    CHECK(r.body.find("sk_live_aaaa1111bbbb") == std::string::npos);
    CHECK(r.body.find("1111bbbb") == std::string::npos);
}

TEST_CASE("only operators may read it") {
    TestApp t;
    std::string org = t.make_org("Acme");
    t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
    std::string ann = t.login("ann@acme.test", "pw-123456");
    std::string before = t.snapshot();

    CHECK(t.get("/api/v1/operator/vault").status == 401);
    CHECK(t.get("/api/v1/operator/vault", "not-a-token").status == 401);
    Reply manager = t.get("/api/v1/operator/vault", ann);
    CHECK(manager.status == 403);
    CHECK(manager.body.find("key_id") == std::string::npos);
    CHECK(t.snapshot() == before);
}

}  // TEST_SUITE
