// Specification of /api/v1/connectors, /api/v1/connectors/{platform}/test
// and /api/v1/demo/credentials: the catalog is public; testing needs a
// signed-in user, validates with the shared validator (422), knows its
// platforms (404), answers a platform's verdict as 200 with `success`,
// audits without secrets and stores nothing. The platforms are the mock
// server on loopback, reached through base-URL overrides in the config.
#include <doctest/doctest.h>

#include "edge/api/routes.h"
#include "edge/connectors/mock_fixture.h"
#include "edge/support/test_app.h"
#include "edge/store/db.h"
#include "edge/platforms/module.h"

using nlohmann::json;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;

namespace {

// A TestApp whose connectors reach a mock: demo mode on, so loopback
// addresses are allowed, and every platform overridden to the mock.
struct ConnectorApp {
    MockFixture m;
    TestApp t;
    std::string token;

    ConnectorApp() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.make_user("ann@acme.test", "pw-123456");
        token = t.login("ann@acme.test", "pw-123456");
    }

    Reply test(const std::string& platform, const json& credentials) {
        return t.post("/api/v1/connectors/" + platform + "/test", {{"credentials", credentials}}, token);
    }

    std::string audit_rows() {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT action || ' ' || object_id || ' ' || detail FROM audit_log"
                                          " WHERE action = 'credential.tested' ORDER BY id");
        std::string out;
        while (st.step()) out += st.text(0) + "\n";
        return out;
    }
};

}  // namespace

TEST_SUITE("connectors.api") {

TEST_CASE("the catalog is public and lists every platform") {
    ConnectorApp a;
    Reply r = a.t.get("/api/v1/connectors");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json body = r.json();
    json ids = json::array(), catalog = json::array();
    for (const json& c : body["connectors"]) ids.push_back(c["id"]);
    for (const auto& c : onramp::connectors::connectors()) catalog.push_back(std::string(c.id));
    CHECK(ids == catalog);
    CHECK(ids.size() >= 8);
}

TEST_CASE("testing needs a signed-in user") {
    ConnectorApp a;
    Reply r = a.t.post("/api/v1/connectors/bigcommerce/test",
                       {{"credentials", onramp::mock::demo_credentials()["bigcommerce"]}});
    CHECK(r.status == 401);
}

TEST_CASE("an unknown platform is 404") {
    ConnectorApp a;
    Reply r = a.test("myspace", {{"token", "x"}});
    CHECK(r.status == 404);
    CHECK(r.content_type == "application/problem+json");
}

TEST_CASE("missing or invalid credentials are 422 with the validator's message per field") {
    ConnectorApp a;
    std::string before = a.t.snapshot();
    Reply none = a.t.post("/api/v1/connectors/bigcommerce/test", json::object(), a.token);
    CHECK(none.status == 422);
    CHECK(none.json()["errors"].contains("credentials"));

    Reply bad = a.test("bigcommerce", {{"store_hash", "a b"}, {"access_token", "short"}});
    REQUIRE(bad.status == 422);
    CHECK(bad.json()["errors"].contains("store_hash"));
    CHECK(bad.json()["errors"].contains("access_token"));
    CHECK(a.audit_rows().empty());  // nothing was called, nothing to audit
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("demo credentials test successfully against the mock, and nothing is stored") {
    ConnectorApp a;
    std::string before = a.t.snapshot();
    Reply r = a.test("bigcommerce", onramp::mock::demo_credentials()["bigcommerce"]);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json j = r.json();
    CHECK(j["success"] == true);
    CHECK(j["platform"] == "bigcommerce");
    CHECK(j["verified"]["account_name"] == "Onramp Demo Store");
    CHECK(j["verified"]["missing_scopes"].empty());
    CHECK(a.t.snapshot() == before);

    std::string audit = a.audit_rows();
    CHECK(audit.find("credential.tested bigcommerce") != std::string::npos);
    CHECK(audit.find("\"success\":true") != std::string::npos);
    CHECK(audit.find(onramp::mock::demo_credentials()["bigcommerce"]["access_token"].get<std::string>()) ==
          std::string::npos);
}

TEST_CASE("a platform's refusal is 200 with success false, the step, the cause and both messages") {
    ConnectorApp a;
    json creds = onramp::mock::demo_credentials()["shopify"];
    creds["access_token"] = "shpat_not_the_right_one_0123456";
    Reply r = a.test("shopify", creds);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json j = r.json();
    CHECK(j["success"] == false);
    CHECK(j["step"] == "fetch_shop");
    CHECK(j["cause"] == "credential_rejected");
    CHECK(j["platform_status"] == 401);
    CHECK(j["message"].get<std::string>().find("access token") != std::string::npos);
    CHECK(j["platform_message"].get<std::string>().find("Invalid API key") != std::string::npos);
    CHECK(r.body.find("shpat_not_the_right_one") == std::string::npos);
    CHECK(a.audit_rows().find("credential_rejected") != std::string::npos);
}

TEST_CASE("a missing required scope names what to grant") {
    ConnectorApp a;
    onramp::mock::Faults f;
    f.missing_scopes = {"read_products"};
    a.m.mock.set_faults("shopify", f);
    Reply r = a.test("shopify", onramp::mock::demo_credentials()["shopify"]);
    REQUIRE(r.status == 200);
    CHECK(r.json()["success"] == false);
    CHECK(r.json()["cause"] == "scope_missing");
    CHECK(r.json()["missing_scopes"] == json({"read_products"}));
    CHECK(r.json()["verified"]["account_name"] == "Onramp Demo Shop");
}

TEST_CASE("a token with only the scopes a store's setup guide lists passes and says what will not sync") {
    ConnectorApp a;
    // Shopify: read_orders and read_products granted, read_inventory not.
    onramp::mock::Faults shopify;
    shopify.missing_scopes = {"read_inventory"};
    a.m.mock.set_faults("shopify", shopify);
    Reply s = a.test("shopify", onramp::mock::demo_credentials()["shopify"]);
    REQUIRE(s.status == 200);
    CHECK_MESSAGE(s.json()["success"] == true, s.body);
    CHECK(s.json()["verified"]["limited"] ==
          json::array({{{"scope", "read_inventory"},
                        {"label", "Inventory: read"},
                        {"feature", "stock by location will not be readable through the credential proxy"}}}));
    // BigCommerce: products and inventory (read-only or modify) granted,
    // neither the store's information nor its orders.
    onramp::mock::Faults bigcommerce;
    bigcommerce.missing_scopes = {"store_v2_information_read_only", "store_v2_orders_read_only"};
    a.m.mock.set_faults("bigcommerce", bigcommerce);
    Reply b = a.test("bigcommerce", onramp::mock::demo_credentials()["bigcommerce"]);
    REQUIRE(b.status == 200);
    CHECK_MESSAGE(b.json()["success"] == true, b.body);
    CHECK(b.json()["verified"]["missing_scopes"].empty());
    json limited = b.json()["verified"]["limited"];
    REQUIRE(limited.size() == 2);
    CHECK(limited[1]["scope"] == "store_v2_orders_read_only");
    CHECK(limited[1]["label"] == "Orders: read-only");
    CHECK(limited[1]["feature"] == "orders will not sync");
}

TEST_CASE("a rate-limited test says when to try again") {
    ConnectorApp a;
    onramp::mock::Faults f;
    f.rate_limit_next = 100;
    f.retry_after_s = 30;  // longer than an interactive test waits
    a.m.mock.set_faults("shopify", f);
    Reply r = a.test("shopify", onramp::mock::demo_credentials()["shopify"]);
    REQUIRE(r.status == 200);
    CHECK(r.json()["cause"] == "rate_limited");
    CHECK(r.json()["retry_after"] == 30);
    CHECK(r.header("Retry-After") == "30");
}

TEST_CASE("outside demo mode an address in a private network is a 422 naming the field, and nothing is stored") {
    ConnectorApp a;
    a.t.app.config.demo = false;
    a.t.app.config.base_urls.clear();
    std::string before = a.t.snapshot();
    json creds = onramp::mock::demo_custom_crm_variants()["api_key"];
    for (const char* url : {"https://127.0.0.1/api", "https://localhost.localdomain/api", "https://169.254.169.254",
                            "https://[::1]/api", "https://10.1.2.3"}) {
        creds["base_url"] = url;
        Reply r = a.test("custom_crm", creds);
        CAPTURE(url);
        if (r.status == 200) {  // a name that does not resolve here is a DNS failure, not a refusal
            CHECK(r.json()["cause"] == "dns_failure");
            continue;
        }
        REQUIRE_MESSAGE(r.status == 422, r.body);
        CHECK(r.json()["errors"]["base_url"].get<std::string>().find("private or local network") != std::string::npos);
    }
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("demo credentials are served in demo mode only") {
    ConnectorApp a;
    Reply r = a.t.get("/api/v1/demo/credentials");
    REQUIRE(r.status == 200);
    CHECK(r.json().size() == onramp::platforms::modules().size());  // one account per platform
    CHECK(r.json()["twilio"].contains("auth_token"));
    a.t.app.config.demo = false;
    CHECK(a.t.get("/api/v1/demo/credentials").status == 404);
}

}
