// Specification of /api/superadmin (operators creating API-integrated
// clients): operators only; the platform list comes from the catalog;
// testing stores nothing; creating a client makes its organization, its
// user (who can then sign in with the password the operator chose) and a
// tested connection in one call, or nothing at all; each client's sync
// history carries its success rate. The platforms are the mock server.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/support/test_app.h"
#include "edge/sync/records.h"
#include "shared/connectors/catalog.h"

using nlohmann::json;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;

namespace {

json demo(const std::string& platform) { return onramp::mock::demo_credentials()[platform]; }

struct Operator {
    MockFixture m;
    TestApp t;
    std::string op, member, org;

    Operator() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.make_user("olive@onramp.test", "pw-123456", true);
        op = t.login("olive@onramp.test", "pw-123456");
        org = t.make_org("Acme");
        t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
        member = t.login("ann@acme.test", "pw-123456");
    }

    // The operator's new-client form: company, e-mail, password, platform, credentials, frequency.
    json client(const std::string& platform = "shopify") {
        return {{"company_name", "Bright Shoes"},
                {"email", "owner@brightshoes.test"},
                {"password", "choose-a-good-one"},
                {"input_method", "api"},
                {"platform", platform},
                {"credentials", demo(platform)},
                {"connection_name", "Main Store"},
                {"sync_frequency", "hourly"}};
    }

    Reply create(const json& body, const std::string& token) {
        return t.post("/api/superadmin/clients/api-integration", body, token);
    }

    int64_t count(const std::string& table) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM " + table);
        return st.step() ? st.i64(0) : -1;
    }
};

}  // namespace

TEST_SUITE("superadmin.api") {

TEST_CASE("every endpoint needs credentials (401) and an operator (403)") {
    Operator o;
    std::string before = o.t.snapshot();
    const std::pair<const char*, const char*> routes[] = {
        {"GET", "/api/superadmin/api-platforms"},
        {"POST", "/api/superadmin/test-api-connection"},
        {"POST", "/api/superadmin/clients/api-integration"},
        {"GET", "/api/superadmin/clients"},
        {"GET", "/api/superadmin/clients/org_x/sync-history"},
    };
    for (const auto& [method, path] : routes) {
        CAPTURE(path);
        std::string body = std::string(method) == "POST" ? o.client().dump() : "";
        CHECK(o.t.call(method, path, body).status == 401);
        CHECK(o.t.call(method, path, body, o.member).status == 403);
    }
    CHECK(o.t.snapshot() == before);
}

TEST_CASE("the platforms are the catalog's commerce connectors with their fields and the sync frequencies") {
    Operator o;
    Reply r = o.t.get("/api/superadmin/api-platforms", o.op);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json j = r.json();
    CHECK(j["success"] == true);
    json ids = json::array();
    for (const json& p : j["platforms"]) ids.push_back(p["id"]);
    json commerce = json::array();
    for (const onramp::connectors::Connector& c : onramp::connectors::connectors())
        if (c.category == onramp::connectors::Category::commerce) commerce.push_back(std::string(c.id));
    CHECK(ids == commerce);
    CHECK(ids.size() >= 4);
    CHECK(j["platforms"][1]["fields"][0]["name"] == "shop_domain");
    CHECK(j["sync_frequencies"] == json({"hourly", "daily", "weekly", "manual"}));
}

TEST_CASE("testing a connection answers the platform's verdict and stores nothing") {
    Operator o;
    std::string before = o.t.snapshot();
    Reply ok = o.t.post("/api/superadmin/test-api-connection", {{"platform", "shopify"}, {"credentials", demo("shopify")}}, o.op);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(ok.json()["success"] == true);
    CHECK(ok.json()["verified"]["account_name"] == "Onramp Demo Shop");
    CHECK(ok.json()["message"] == "Connected to Onramp Demo Shop.");

    json wrong = demo("woocommerce");
    wrong["consumer_secret"] = "cs_" + std::string(40, '0');
    Reply no = o.t.post("/api/superadmin/test-api-connection", {{"platform", "woocommerce"}, {"credentials", wrong}}, o.op);
    REQUIRE(no.status == 200);
    CHECK(no.json()["success"] == false);
    CHECK(no.json()["cause"] == "credential_rejected");
    CHECK(no.body.find(std::string(40, '0')) == std::string::npos);
    CHECK(o.t.snapshot() == before);
}

TEST_CASE("test-api-connection refuses bad bodies: 400, 413, 422 for types, unknown and non-commerce platforms") {
    Operator o;
    std::string before = o.t.snapshot();
    const std::string path = "/api/superadmin/test-api-connection";
    CHECK(o.t.call("POST", path, "{\"platform\": ", o.op).status == 400);
    CHECK(o.t.call("POST", path, std::string(2 << 20, ' '), o.op).status == 413);
    Reply types = o.t.post(path, {{"platform", 7}, {"credentials", "x"}}, o.op);
    CHECK(types.status == 422);
    CHECK(types.json()["errors"].contains("platform"));
    CHECK(types.json()["errors"].contains("credentials"));
    CHECK(o.t.post(path, {{"platform", "myspace"}, {"credentials", json::object()}}, o.op).status == 422);
    CHECK(o.t.post(path, {{"platform", "chatwoot"}, {"credentials", demo("chatwoot")}}, o.op).status == 422);
    Reply fields = o.t.post(path, {{"platform", "shopify"}, {"credentials", {{"shop_domain", "a b"}}}}, o.op);
    CHECK(fields.status == 422);
    CHECK(fields.json()["errors"].contains("access_token"));
    CHECK(o.t.snapshot() == before);
}

TEST_CASE("creating a client makes the org, a manager who signs in with the chosen password, and the connection") {
    Operator o;
    Reply r = o.create(o.client(), o.op);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    json j = r.json();
    CHECK(j["success"] == true);
    CHECK(j["client"]["name"] == "Bright Shoes");
    CHECK(j["client"]["subscription_tier"] == "growth");
    CHECK(j["user"]["email"] == "owner@brightshoes.test");
    CHECK(j["connection"]["platform"] == "shopify");
    CHECK(j["connection"]["name"] == "Main Store");
    CHECK(j["connection"]["sync_frequency"] == "hourly");
    CHECK(j["connection_test"]["success"] == true);
    CHECK(j["sync_run_id"].is_string());
    CHECK(r.body.find(demo("shopify")["access_token"].get<std::string>()) == std::string::npos);
    CHECK(r.body.find("choose-a-good-one") == std::string::npos);

    std::string org = j["client"]["id"];
    std::string token = o.t.login("owner@brightshoes.test", "choose-a-good-one");
    Reply me = o.t.get("/api/v1/auth/me", token);
    REQUIRE(me.status == 200);
    CHECK(me.json()["memberships"] == json::array({{{"org_id", org}, {"role", "manager"}}}));
    Reply conns = o.t.get("/api/v1/orgs/" + org + "/connections", token);
    REQUIRE(conns.status == 200);
    CHECK(conns.json()["total"] == 1);
}

TEST_CASE("a refused connection test creates nothing and answers success false and error with step connection_test") {
    Operator o;
    std::string before = o.t.snapshot();
    json body = o.client();
    body["credentials"]["access_token"] = "shpat_not_the_right_one_0123456";
    Reply r = o.create(body, o.op);
    REQUIRE_MESSAGE(r.status == 422, r.body);
    CHECK(r.content_type == "application/problem+json");
    json j = r.json();
    CHECK(j["success"] == false);
    CHECK(j["step"] == "connection_test");
    CHECK(j["error"] == "API connection test failed");
    CHECK(j["details"].get<std::string>().find("Invalid API key") != std::string::npos);
    CHECK(j["connection_test"]["cause"] == "credential_rejected");
    CHECK(o.t.snapshot() == before);
}

TEST_CASE("client creation refuses bad bodies and taken e-mails, changing nothing") {
    Operator o;
    o.t.make_user("owner@brightshoes.test", "pw-123456");
    std::string before = o.t.snapshot();
    const std::string path = "/api/superadmin/clients/api-integration";
    CHECK(o.t.call("POST", path, "{\"company_name\": ", o.op).status == 400);
    CHECK(o.t.call("POST", path, std::string(2 << 20, ' '), o.op).status == 413);

    json types = o.client();
    types["company_name"] = 5;
    types["sync_frequency"] = "every minute";
    types["credentials"] = "shpat";
    types["password"] = "short";
    Reply bad = o.create(types, o.op);
    REQUIRE(bad.status == 422);
    CHECK(bad.json()["step"] == "validation");
    for (const char* field : {"company_name", "sync_frequency", "credentials", "password"}) {
        CAPTURE(field);
        CHECK(bad.json()["errors"].contains(field));
    }
    json manual = o.client();
    manual["input_method"] = "manual_upload";
    CHECK(o.create(manual, o.op).status == 422);

    Reply taken = o.create(o.client(), o.op);
    REQUIRE(taken.status == 409);
    CHECK(taken.json()["step"] == "user_creation");
    CHECK(taken.json()["success"] == false);
    CHECK(o.t.snapshot() == before);
}

TEST_CASE("the client list and sync history show each client's runs and success rate") {
    Operator o;
    Reply made = o.create(o.client("bigcommerce"), o.op);
    REQUIRE_MESSAGE(made.status == 201, made.body);
    std::string org = made.json()["client"]["id"], con = made.json()["connection"]["id"];
    {
        // Two more finished runs: one failed, one succeeded, after the queued initial one.
        auto db = o.t.app.store->lease();
        db->write("UPDATE sync_runs SET state = 'succeeded', finished_at = ? WHERE org_id = ?", o.t.clock + 60, org);
        onramp::sync::Run failed;
        failed.id = "run_failed";
        failed.org_id = org;
        failed.connection_id = con;
        failed.kind = "incremental";
        failed.state = "failed";
        failed.resources = {"products"};
        failed.queued_at = o.t.clock + 3600;
        onramp::sync::insert_run(*db, failed);
    }
    Reply history = o.t.get("/api/superadmin/clients/" + org + "/sync-history", o.op);
    REQUIRE_MESSAGE(history.status == 200, history.body);
    json h = history.json();
    CHECK(h["stats"]["runs"] == 2);
    CHECK(h["stats"]["succeeded"] == 1);
    CHECK(h["stats"]["failed"] == 1);
    CHECK(h["stats"]["success_rate"] == 0.5);
    REQUIRE(h["runs"].size() == 2);
    CHECK(h["runs"][0]["id"] == "run_failed");  // newest first
    CHECK(h["runs"][1]["kind"] == "initial");
    CHECK(o.t.get("/api/superadmin/clients/" + org + "/sync-history?limit=1", o.op).json()["runs"].size() == 1);
    CHECK(o.t.get("/api/superadmin/clients/" + org + "/sync-history?limit=0", o.op).status == 422);
    CHECK(o.t.get("/api/superadmin/clients/" + org + "/sync-history?offset=x", o.op).status == 422);
    CHECK(o.t.get("/api/superadmin/clients/org_missing/sync-history", o.op).status == 404);

    Reply list = o.t.get("/api/superadmin/clients", o.op);
    REQUIRE(list.status == 200);
    json clients = list.json()["clients"];
    REQUIRE(clients.size() == 2);  // Acme and Bright Shoes
    for (const json& c : clients) {
        if (c["organization"]["id"] != org) {
            CHECK(c["sync"]["success_rate"].is_null());  // no finished run: no rate, not 0 %
            continue;
        }
        CHECK(c["connections"].size() == 1);
        CHECK_FALSE(c["connections"][0].contains("credentials"));
        CHECK(c["sync"]["success_rate"] == 0.5);
    }
}

}
