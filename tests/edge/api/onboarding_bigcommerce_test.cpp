// Specification of POST /api/onboarding/bigcommerce: the documented
// request body onboards a store in one call — connection test,
// organization, the user's invitation, the initial sync — and answers the
// documented success body with this deployment's webhook URL; every failure
// answers {success: false, error, details, step} and leaves
// nothing behind. Operators only. BigCommerce is the mock server.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/support/test_app.h"
#include "edge/mock/internal.h"
#include "edge/sync/engine.h"

using nlohmann::json;
using onramp::demo::Kind;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;

namespace {

const std::string kPath = "/api/onboarding/bigcommerce";
const std::string kPublic = "https://onramp.example.test";

struct Onboarding {
    MockFixture m;
    TestApp t;
    std::string op, manager;

    Onboarding() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.config.public_url = kPublic;
        t.make_user("olive@onramp.test", "pw-123456", true);
        op = t.login("olive@onramp.test", "pw-123456");
        std::string org = t.make_org("Acme");
        t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
        manager = t.login("ann@acme.test", "pw-123456");
    }

    // A full body (organization, admin user, store, options), with the mock's
    // store credentials.
    json seed_body() {
        json demo = onramp::mock::demo_credentials()["bigcommerce"];
        return {{"organization_name", "Angus Biltong"},
                {"user_email", "admin@angusbiltong.com"},
                {"user_full_name", "John Doe"},
                {"bigcommerce_store_hash", demo["store_hash"]},
                {"bigcommerce_client_id", "your_client_id"},
                {"bigcommerce_access_token", demo["access_token"]},
                {"enable_ai_labeling", false},
                {"perform_initial_sync", true}};
    }

    int64_t count(const std::string& table) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM " + table);
        return st.step() ? st.i64(0) : -1;
    }
};

}  // namespace

TEST_SUITE("onboarding.bigcommerce") {

TEST_CASE("a full body onboards the store and answers success with the organization") {
    Onboarding o;
    Reply r = o.t.post(kPath, o.seed_body(), o.op);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    json j = r.json();
    CHECK(j["success"] == true);
    CHECK(j["organization"]["name"] == "Angus Biltong");
    CHECK(j["organization"]["subscription_tier"] == "growth");
    CHECK(j["organization"]["id"].is_string());
    CHECK(j["user"]["email"] == "admin@angusbiltong.com");
    CHECK(j["user"]["id"].is_null());  // the account exists once the invitation is accepted
    CHECK(j["user"]["status"] == "invited");
    CHECK(j["connection_test"] == json({{"success", true}, {"store_name", "Onramp Demo Store"},
                                        {"store_domain", j["connection_test"]["store_domain"]},
                                        {"limited", json::array()}}));
    CHECK_FALSE(j["connection_test"]["store_domain"].get<std::string>().empty());
    CHECK(j["initial_sync"]["success"] == true);
    CHECK(j["initial_sync"]["results"] == json({{"created", 0}, {"updated", 0}, {"failed", 0}, {"errors", json::array()}}));
    CHECK(j["initial_sync"]["items_synced"] == 0);
    CHECK(j["initial_sync"]["summary"].is_string());
    REQUIRE(j["next_steps"].size() == 3);
    std::string org = j["organization"]["id"];
    std::string webhook = j["next_steps"][0];
    CHECK(webhook.find(kPublic + "/api/webhooks/bigcommerce") != std::string::npos);
    CHECK(webhook.find(org) != std::string::npos);
    CHECK(j["webhook"]["url"] == kPublic + "/api/webhooks/bigcommerce");
    CHECK(j["webhook"]["org_id"] == org);
    CHECK(j["webhook"]["connection_url"] == kPublic + "/webhooks/bigcommerce/" + j["connection"]["id"].get<std::string>());
    CHECK(r.body.find(o.seed_body()["bigcommerce_access_token"].get<std::string>()) == std::string::npos);
    CHECK(o.count("sync_runs") == 1);
}

TEST_CASE("the invited user accepts, chooses a password, signs in as the org's manager") {
    Onboarding o;
    Reply r = o.t.post(kPath, o.seed_body(), o.op);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    std::string url = r.json()["user"]["invitation"]["accept_url"];
    CHECK(url.rfind(kPublic, 0) == 0);
    std::string token = url.substr(url.rfind('/') + 1);
    Reply accepted = o.t.post("/api/v1/invitations/accept",
                              {{"token", token}, {"name", "John Doe"}, {"password", "biltong-is-great"}});
    REQUIRE_MESSAGE(accepted.status == 200, accepted.body);
    std::string session = o.t.login("admin@angusbiltong.com", "biltong-is-great");
    Reply me = o.t.get("/api/v1/auth/me", session);
    CHECK(me.json()["memberships"] ==
          json::array({{{"org_id", r.json()["organization"]["id"]}, {"role", "manager"}}}));
}

TEST_CASE("the queued initial sync imports the store's products") {
    Onboarding o;
    Reply r = o.t.post(kPath, o.seed_body(), o.op);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    std::string org = r.json()["organization"]["id"];
    onramp::sync::Engine engine(o.t.app);
    engine.drain();
    Reply history = o.t.get("/api/superadmin/clients/" + org + "/sync-history", o.op);
    REQUIRE(history.status == 200);
    json run = history.json()["runs"][0];
    CHECK(run["id"] == r.json()["initial_sync"]["run_id"]);
    CHECK(run["state"] == "succeeded");
    CHECK(run["created"].get<int64_t>() > 0);
    CHECK(history.json()["stats"]["success_rate"] == 1.0);
}

TEST_CASE("with the sync engine running, the answer waits for the initial sync and reports its real counts") {
    Onboarding o;
    onramp::sync::Engine engine(o.t.app, 1);
    o.t.app.sync = &engine;
    engine.start();
    Reply r = o.t.post(kPath, o.seed_body(), o.op);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    json sync = r.json()["initial_sync"];
    CHECK_MESSAGE(sync["finished"] == true, sync.dump());
    CHECK(sync["state"] == "succeeded");
    CHECK(sync["success"] == true);
    int64_t expected = o.m.mock.state().data.count(Kind::product) + o.m.mock.state().data.count(Kind::order);
    CHECK(expected > 0);
    CHECK(sync["results"]["created"] == expected);
    CHECK(sync["results"]["failed"] == 0);
    CHECK(sync["items_synced"] == expected);
    CHECK(sync["summary"].get<std::string>().find("Created: " + std::to_string(expected)) != std::string::npos);
    engine.stop();
    o.t.app.sync = nullptr;
}

TEST_CASE("when the wait is over before the sync, the answer says it is still going and where to follow it") {
    Onboarding o;
    o.t.app.config.onboarding_sync_wait_s = 1;
    // An engine whose workers are all busy elsewhere: nothing runs the import.
    onramp::sync::Engine engine(o.t.app);
    o.t.app.sync = &engine;
    Reply r = o.t.post(kPath, o.seed_body(), o.op);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    json j = r.json();
    json sync = j["initial_sync"];
    CHECK(sync["finished"] == false);
    CHECK(sync["state"] == "queued");
    CHECK(sync["success"] == true);
    CHECK(sync["results"]["created"] == 0);
    CHECK(sync["summary"].get<std::string>().find("Still queued") == 0);
    CHECK(sync["status_url"] == "/api/v1/orgs/" + j["organization"]["id"].get<std::string>() + "/connections/" +
                                    j["connection"]["id"].get<std::string>() + "/sync");
    Reply status = o.t.get(sync["status_url"].get<std::string>(), o.op);
    CHECK(status.status == 200);
    o.t.app.sync = nullptr;
}

TEST_CASE("a token with only the products and inventory scopes onboards and the answer lists what will not sync") {
    Onboarding o;
    onramp::mock::Faults f;
    f.missing_scopes = {"store_v2_information_read_only", "store_v2_orders_read_only"};
    o.m.mock.set_faults("bigcommerce", f);
    Reply r = o.t.post(kPath, o.seed_body(), o.op);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    json test = r.json()["connection_test"];
    CHECK(test["success"] == true);
    REQUIRE(test["limited"].size() == 2);
    CHECK(test["limited"][0]["scope"] == "store_v2_information_read_only");
    CHECK(test["limited"][1]["feature"] == "orders will not sync");
}

TEST_CASE("a token without the products scope is refused at connection_test naming it, and nothing is created") {
    Onboarding o;
    onramp::mock::Faults f;
    f.missing_scopes = {"store_v2_products_read_only"};
    o.m.mock.set_faults("bigcommerce", f);
    std::string before = o.t.snapshot();
    Reply r = o.t.post(kPath, o.seed_body(), o.op);
    REQUIRE(r.status == 422);
    CHECK(r.json()["step"] == "connection_test");
    CHECK(r.json()["connection_test"]["cause"] == "scope_missing");
    CHECK(r.json()["connection_test"]["missing_scopes"] == json({"store_v2_products_read_only"}));
    CHECK(o.t.snapshot() == before);
}

TEST_CASE("without a user e-mail or an initial sync, those parts are null and nothing is queued") {
    Onboarding o;
    json body = o.seed_body();
    body.erase("user_email");
    body.erase("user_full_name");
    body["perform_initial_sync"] = false;
    Reply r = o.t.post(kPath, body, o.op);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    CHECK(r.json()["user"].is_null());
    CHECK(r.json()["initial_sync"].is_null());
    CHECK(r.json()["next_steps"][2].get<std::string>().find("/members") != std::string::npos);
    CHECK(o.count("sync_runs") == 0);
    CHECK(o.count("invitations") == 0);
}

TEST_CASE("a refused connection test answers success false, error, details and step, and creates nothing") {
    Onboarding o;
    std::string before = o.t.snapshot();
    json body = o.seed_body();
    body["bigcommerce_access_token"] = std::string(31, 'z');
    Reply r = o.t.post(kPath, body, o.op);
    REQUIRE_MESSAGE(r.status == 422, r.body);
    json j = r.json();
    CHECK(j["success"] == false);
    CHECK(j["error"] == "BigCommerce connection test failed");
    CHECK(j["step"] == "connection_test");
    CHECK(j["details"].is_string());
    CHECK_FALSE(j["details"].get<std::string>().empty());
    CHECK(o.t.snapshot() == before);
}

TEST_CASE("operators only: 401 without credentials, 403 for a manager, nothing created") {
    Onboarding o;
    std::string before = o.t.snapshot();
    CHECK(o.t.post(kPath, o.seed_body()).status == 401);
    CHECK(o.t.post(kPath, o.seed_body(), o.manager).status == 403);
    CHECK(o.t.snapshot() == before);
}

TEST_CASE("bad bodies: 400, 413, and 422 at step validation naming the body's fields") {
    Onboarding o;
    std::string before = o.t.snapshot();
    CHECK(o.t.call("POST", kPath, "{\"organization_name\": ", o.op).status == 400);
    CHECK(o.t.call("POST", kPath, std::string(2 << 20, ' '), o.op).status == 413);

    json types = o.seed_body();
    types["organization_name"] = json::array();
    types["perform_initial_sync"] = "yes";
    types["user_email"] = "not-an-address";
    Reply t = o.t.post(kPath, types, o.op);
    REQUIRE(t.status == 422);
    CHECK(t.json()["success"] == false);
    CHECK(t.json()["step"] == "validation");
    for (const char* field : {"organization_name", "perform_initial_sync", "user_email"}) {
        CAPTURE(field);
        CHECK(t.json()["errors"].contains(field));
    }
    json missing = o.seed_body();
    missing.erase("bigcommerce_access_token");
    CHECK(o.t.post(kPath, missing, o.op).json()["errors"].contains("bigcommerce_access_token"));

    json hash = o.seed_body();
    hash["bigcommerce_store_hash"] = "a b";
    Reply h = o.t.post(kPath, hash, o.op);
    REQUIRE(h.status == 422);
    CHECK(h.json()["errors"].contains("bigcommerce_store_hash"));
    CHECK(h.json()["step"] == "validation");
    CHECK(o.t.snapshot() == before);
}

}
