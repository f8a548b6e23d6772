// Specification of /api/v1/orgs/{org_id}/connections: a connection is made
// only from credentials the platform accepted; its secrets go to the vault
// and come back masked; rotation tests before it replaces; deletion takes
// the credentials and the synced data with it. Tenants never see each
// other's connections, and every rejected request changes nothing. The
// platforms are the mock server on loopback.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/store/db.h"
#include "edge/support/test_app.h"
#include "edge/sync/records.h"
#include "edge/webhooks/inbox.h"

using nlohmann::json;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;

namespace {

json demo(const std::string& platform) { return onramp::mock::demo_credentials()[platform]; }

// Acme (ann manager, carl csr) and Globex (gina manager), connectors
// pointed at the mock.
struct Tenants {
    MockFixture m;
    TestApp t;
    std::string acme, globex, ann, carl, gina;

    Tenants() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        acme = t.make_org("Acme");
        globex = t.make_org("Globex");
        t.add_member(acme, t.make_user("ann@acme.test", "pw-123456"), "manager");
        t.add_member(acme, t.make_user("carl@acme.test", "pw-123456"), "csr");
        t.add_member(globex, t.make_user("gina@globex.test", "pw-123456"), "manager");
        ann = t.login("ann@acme.test", "pw-123456");
        carl = t.login("carl@acme.test", "pw-123456");
        gina = t.login("gina@globex.test", "pw-123456");
    }

    std::string base(const std::string& org) { return "/api/v1/orgs/" + org + "/connections"; }

    Reply create(const std::string& org, const json& body, const std::string& token) {
        return t.post(base(org), body, token);
    }
    // A BigCommerce connection for Acme; returns its id.
    std::string connect_bigcommerce() {
        Reply r = create(acme, {{"platform", "bigcommerce"}, {"name", "Main store"}, {"credentials", demo("bigcommerce")}},
                         ann);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return r.json()["id"];
    }
    // A delivery that gave up: put straight into the inbox (as
    // tests/edge/webhooks/worker_test.cpp does), then dead-lettered (as
    // tests/edge/api/webhooks_test.cpp does). Returns its seq.
    int64_t dead_delivery(const std::string& conn, const std::string& body) {
        onramp::webhooks::Inbox inbox(*t.app.store);
        onramp::webhooks::NewDelivery d;
        d.org_id = acme;
        d.connection_id = conn;
        d.platform = "bigcommerce";
        d.topic = "store/product/updated";
        d.body = body;
        d.body_sha256 = std::to_string(std::hash<std::string>{}(body));
        d.received_at = t.clock;
        auto added = inbox.add(d);
        REQUIRE(added);
        auto db = t.app.store->lease();
        db->write("UPDATE webhook_deliveries SET state = 'dead', attempts = 6, last_error = 'x' WHERE seq = ?",
                  added->seq);
        return added->seq;
    }
    json listed(const std::string& org, const std::string& token) {
        Reply r = t.get(base(org), token);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return r.json()["items"];
    }
    std::string raw_database() {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT group_concat(config_json || masked_json || verified_json) FROM connections");
        std::string out = st.step() ? st.text(0) : "";
        onramp::store::Stmt v(*db, "SELECT group_concat(hex(ciphertext)) FROM vault_secrets");
        if (v.step()) out += v.text(0);
        return out;
    }
};

}  // namespace

TEST_SUITE("connections.api") {

TEST_CASE("a manager connects a platform: tested, stored in the vault, answered masked") {
    Tenants s;
    std::string token = demo("bigcommerce")["access_token"];
    Reply r = s.create(s.acme,
                       {{"platform", "bigcommerce"}, {"name", "Main store"}, {"credentials", demo("bigcommerce")},
                        {"sync_frequency", "hourly"}},
                       s.ann);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    json c = r.json();
    CHECK(c["platform"] == "bigcommerce");
    CHECK(c["name"] == "Main store");
    CHECK(c["status"] == "active");
    CHECK(c["sync_frequency"] == "hourly");
    CHECK(c["test"]["success"] == true);
    CHECK(c["verified"]["account_name"] == "Onramp Demo Store");
    CHECK(c["health"]["last_test_ok"] == true);
    CHECK(c["credentials"]["store_hash"] == demo("bigcommerce")["store_hash"]);
    std::string masked = c["credentials"]["access_token"];
    CHECK(masked.find(token.substr(token.size() - 4)) != std::string::npos);
    CHECK(r.body.find(token) == std::string::npos);
    CHECK(r.header("Location") == s.base(s.acme) + "/" + c["id"].get<std::string>());

    // Security: neither the row nor the vault holds the token in plaintext.
    CHECK(s.raw_database().find(token) == std::string::npos);
    CHECK(s.t.snapshot().find(token) == std::string::npos);

    Reply one = s.t.get(s.base(s.acme) + "/" + c["id"].get<std::string>(), s.carl);
    REQUIRE(one.status == 200);
    CHECK(one.json()["credentials"]["access_token"] == masked);
    Reply list = s.t.get(s.base(s.acme), s.carl);
    REQUIRE(list.status == 200);
    CHECK(list.json()["total"] == 1);
}

TEST_CASE("credentials the platform rejects are a 422 that says where it stopped, and nothing is stored") {
    Tenants s;
    std::string before = s.t.snapshot();
    json creds = demo("bigcommerce");
    creds["access_token"] = std::string(31, 'z');
    Reply r = s.create(s.acme, {{"platform", "bigcommerce"}, {"credentials", creds}}, s.ann);
    REQUIRE_MESSAGE(r.status == 422, r.body);
    CHECK(r.content_type == "application/problem+json");
    json p = r.json();
    CHECK(p["error_code"] == "connection_test_failed");
    CHECK(p["cause"] == "credential_rejected");
    CHECK_FALSE(p["step"].get<std::string>().empty());
    CHECK(p["success"] == false);
    CHECK(r.body.find(creds["access_token"].get<std::string>()) == std::string::npos);
    CHECK(s.t.snapshot() == before);
}

TEST_CASE("bad requests are rejected before the platform is called, and change nothing") {
    Tenants s;
    std::string before = s.t.snapshot();
    CHECK(s.t.call("POST", s.base(s.acme), "{\"platform\": ", s.ann).status == 400);
    CHECK(s.t.call("POST", s.base(s.acme), std::string(2 << 20, ' '), s.ann).status == 413);
    CHECK(s.create(s.acme, {{"platform", 7}, {"credentials", demo("bigcommerce")}}, s.ann).status == 422);
    CHECK(s.create(s.acme, {{"platform", "bigcommerce"}, {"credentials", "token"}}, s.ann).status == 422);
    CHECK(s.create(s.acme, {{"platform", "bigcommerce"}, {"credentials", demo("bigcommerce")}, {"sync_frequency", "often"}},
                   s.ann).status == 422);
    CHECK(s.create(s.acme, {{"platform", "bigcommerce"}, {"credentials", demo("bigcommerce")},
                            {"perform_initial_sync", "yes"}}, s.ann).status == 422);
    Reply missing = s.create(s.acme, {{"platform", "bigcommerce"}, {"credentials", {{"store_hash", "abc123"}}}}, s.ann);
    CHECK(missing.status == 422);
    CHECK(missing.json()["errors"].contains("access_token"));
    CHECK(s.create(s.acme, {{"platform", "myspace"}, {"credentials", json::object()}}, s.ann).status == 404);
    CHECK(s.t.snapshot() == before);
    CHECK(s.m.mock.stats("bigcommerce").requests == 0);
}

TEST_CASE("who may do what: 401 signed out, 403 for a csr, 404 for another tenant") {
    Tenants s;
    std::string id = s.connect_bigcommerce();
    std::string one = s.base(s.acme) + "/" + id;
    std::string before = s.t.snapshot();
    json body = {{"platform", "bigcommerce"}, {"credentials", demo("bigcommerce")}};

    CHECK(s.create(s.acme, body, "").status == 401);
    CHECK(s.t.get(s.base(s.acme)).status == 401);
    CHECK(s.t.call("DELETE", one).status == 401);

    CHECK(s.create(s.acme, body, s.carl).status == 403);
    CHECK(s.t.call("DELETE", one, "", s.carl).status == 403);
    CHECK(s.t.call("PUT", one + "/credentials", json({{"credentials", demo("bigcommerce")}}).dump(), s.carl).status == 403);
    CHECK(s.t.call("PATCH", one, json({{"name", "x"}}).dump(), s.carl).status == 403);

    // Globex's manager, by Acme's path or by the id under her own org.
    CHECK(s.t.get(s.base(s.acme), s.gina).status == 404);
    CHECK(s.t.get(one, s.gina).status == 404);
    CHECK(s.t.get(s.base(s.globex) + "/" + id, s.gina).status == 404);
    CHECK(s.t.call("DELETE", s.base(s.globex) + "/" + id, "", s.gina).status == 404);
    CHECK(s.t.call("PUT", s.base(s.globex) + "/" + id + "/credentials",
                   json({{"credentials", demo("bigcommerce")}}).dump(), s.gina).status == 404);
    CHECK(s.t.call("POST", s.base(s.globex) + "/" + id + "/test", "", s.gina).status == 404);
    CHECK(s.create(s.acme, body, s.gina).status == 404);
    CHECK(s.t.get(s.base(s.globex), s.gina).json()["total"] == 0);
    CHECK(s.t.snapshot() == before);
}

TEST_CASE("rotation tests the new credentials first; rejected ones leave the old in place") {
    Tenants s;
    std::string id = s.connect_bigcommerce();
    std::string path = s.base(s.acme) + "/" + id + "/credentials";
    std::string before = s.t.snapshot();

    json wrong = demo("bigcommerce");
    wrong["access_token"] = std::string(31, 'q');
    Reply r = s.t.call("PUT", path, json({{"credentials", wrong}}).dump(), s.ann);
    CHECK(r.status == 422);
    CHECK(r.json()["cause"] == "credential_rejected");
    CHECK(s.t.snapshot() == before);

    Reply ok = s.t.call("PUT", path, json({{"credentials", demo("bigcommerce")}}).dump(), s.ann);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(ok.json()["test"]["success"] == true);
    // A fresh data key and nonce: the stored ciphertext changed even though
    // the value did not.
    CHECK(s.t.snapshot() != before);
}

TEST_CASE("retesting records the connection's health") {
    Tenants s;
    std::string id = s.connect_bigcommerce();
    std::string one = s.base(s.acme) + "/" + id;
    s.m.mock.set_faults("bigcommerce", [] {
        onramp::mock::Faults f;
        f.revoked = true;
        return f;
    }());
    s.t.clock += 60;
    Reply r = s.t.call("POST", one + "/test", "", s.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["success"] == false);
    json c = s.t.get(one, s.ann).json();
    CHECK(c["status"] == "error");
    CHECK(c["health"]["last_test_ok"] == false);
    CHECK_FALSE(c["health"]["last_error"].is_null());
}

TEST_CASE("PATCH changes the name and schedule only") {
    Tenants s;
    std::string one = s.base(s.acme) + "/" + s.connect_bigcommerce();
    std::string before = s.t.snapshot();
    CHECK(s.t.call("PATCH", one, json({{"credentials", demo("bigcommerce")}}).dump(), s.ann).status == 422);
    CHECK(s.t.call("PATCH", one, json({{"sync_frequency", 3}}).dump(), s.ann).status == 422);
    CHECK(s.t.snapshot() == before);
    Reply r = s.t.call("PATCH", one, json({{"name", "Outlet"}, {"sync_frequency", "weekly"}}).dump(), s.ann);
    REQUIRE(r.status == 200);
    CHECK(r.json()["name"] == "Outlet");
    CHECK(r.json()["sync_frequency"] == "weekly");
}

TEST_CASE("deleting removes the credentials and the synced records") {
    Tenants s;
    std::string id = s.connect_bigcommerce();
    {
        auto db = s.t.app.store->lease();
        onramp::connectors::Item item{"42", "2026-01-01T00:00:00Z", {{"id", "42"}, {"title", "Mug"}, {"variants", json::array()}}};
        onramp::sync::upsert_items(*db, s.acme, id, onramp::connectors::Resource::products, {item}, s.t.clock);
        CHECK(onramp::sync::count_records(*db, id, onramp::connectors::Resource::products) == 1);
    }
    CHECK(s.t.call("DELETE", s.base(s.acme) + "/" + id, "", s.ann).status == 204);
    CHECK(s.t.get(s.base(s.acme) + "/" + id, s.ann).status == 404);
    auto db = s.t.app.store->lease();
    CHECK(onramp::sync::count_records(*db, id, onramp::connectors::Resource::products) == 0);
    onramp::store::Stmt st(*db, "SELECT count(*) FROM vault_secrets");
    REQUIRE(st.step());
    CHECK(st.i64(0) == 0);
}

TEST_CASE("the list counts each connection's dead-lettered webhook deliveries until they are replayed") {
    Tenants s;
    std::string id = s.connect_bigcommerce();
    REQUIRE(s.listed(s.acme, s.ann)[0]["dead_letters"] == 0);
    int64_t first = s.dead_delivery(id, R"({"id":1})");
    s.dead_delivery(id, R"({"id":2})");
    json items = s.listed(s.acme, s.ann);
    REQUIRE(items.size() == 1);
    CHECK(items[0]["dead_letters"] == 2);
    CHECK(items[0]["name"] == "Main store");  // the other members stay
    CHECK(s.listed(s.globex, s.gina).empty());

    std::string replay = s.base(s.acme) + "/" + id + "/webhooks/deliveries/" + std::to_string(first) + "/replay";
    Reply r = s.t.call("POST", replay, "", s.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(s.listed(s.acme, s.carl)[0]["dead_letters"] == 1);
    {
        auto db = s.t.app.store->lease();
        db->write("DELETE FROM webhook_deliveries WHERE state = 'dead'");
    }
    CHECK(s.listed(s.acme, s.ann)[0]["dead_letters"] == 0);
}

TEST_CASE("asking for an initial sync queues it") {
    Tenants s;
    Reply r = s.create(s.acme,
                       {{"platform", "shopify"}, {"credentials", demo("shopify")}, {"perform_initial_sync", true}},
                       s.ann);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    REQUIRE(r.json()["sync_run_id"].is_string());
    auto db = s.t.app.store->lease();
    auto run = onramp::sync::find_run(*db, r.json()["sync_run_id"]);
    REQUIRE(run);
    CHECK(run->kind == "initial");
    CHECK(run->state == "queued");
}

}  // TEST_SUITE
