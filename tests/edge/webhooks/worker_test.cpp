// Specification of the webhook worker: product and order deliveries refetch
// the object from the (mock) platform and upsert it; deletes remove it;
// unknown topics are kept and marked ignored; failures back off and end
// dead-lettered; a replayed dead letter is applied; a connection's
// deliveries are applied in arrival order and a waiting failure holds back
// only its own connection.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/mock/internal.h"
#include "edge/store/db.h"
#include "edge/support/test_app.h"
#include "edge/sync/records.h"
#include "edge/webhooks/inbox.h"
#include "edge/webhooks/worker.h"

using nlohmann::json;
using onramp::connectors::Resource;
using onramp::testing::MockFixture;
using onramp::testing::TestApp;
using onramp::webhooks::Worker;
using onramp::webhooks::WorkerOptions;

namespace {

struct Setup {
    MockFixture m;
    TestApp t;
    std::string org, token;

    Setup() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        org = t.make_org("Acme");
        t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
        token = t.login("ann@acme.test", "pw-123456");
    }
    std::string connect(const std::string& platform) {
        auto r = t.post("/api/v1/orgs/" + org + "/connections",
                        {{"platform", platform}, {"name", platform},
                         {"credentials", onramp::mock::demo_credentials()[platform]}},
                        token);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return r.json()["id"];
    }
    // Puts a delivery straight into the inbox (verification is the
    // receiver's business, tested in tests/edge/api/webhooks_test.cpp).
    int64_t add(onramp::webhooks::Inbox& inbox, const std::string& conn, const std::string& platform,
                const std::string& topic, const json& body) {
        onramp::webhooks::NewDelivery d;
        d.org_id = org;
        d.connection_id = conn;
        d.platform = platform;
        d.topic = topic;
        d.body = body.dump();
        d.body_sha256 = std::to_string(std::hash<std::string>{}(d.body + topic));
        d.received_at = t.clock;
        auto s = inbox.add(d);
        REQUIRE(s);
        return s->seq;
    }
    std::string state(int64_t seq) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT state || '/' || attempts FROM webhook_deliveries WHERE seq = ?");
        st.bind(1, seq);
        return st.step() ? st.text(0) : "";
    }
    int64_t records(const std::string& conn, Resource r) {
        auto db = t.app.store->lease();
        return onramp::sync::count_records(*db, conn, r);
    }
    std::string title(const std::string& conn, const std::string& platform_id) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT title FROM records WHERE connection_id = ? AND platform_id = ?");
        st.bind_all(conn, platform_id);
        return st.step() ? st.text(0) : "";
    }
};

json bc(const std::string& scope, int64_t id) {
    return {{"scope", scope}, {"data", {{"type", "product"}, {"id", id}}}, {"producer", "stores/onrampdemo"}};
}

}  // namespace

TEST_SUITE("webhooks.worker") {

TEST_CASE("a product update refetches the product and upserts it; a delete removes it; an order update upserts the order") {
    Setup s;
    std::string conn = s.connect("bigcommerce");
    onramp::webhooks::Inbox inbox(*s.t.app.store);
    Worker w(s.t.app);
    int64_t up = s.add(inbox, conn, "bigcommerce", "store/product/updated", bc("store/product/updated", 3));
    int64_t order = s.add(inbox, conn, "bigcommerce", "store/order/created",
                          {{"scope", "store/order/created"}, {"data", {{"type", "order"}, {"id", 101}}}});
    CHECK(w.drain() == 2);
    CHECK(s.state(up) == "processed/1");
    CHECK(s.state(order) == "processed/1");
    CHECK(s.records(conn, Resource::products) == 1);
    CHECK(s.records(conn, Resource::orders) == 1);
    CHECK(s.title(conn, "3") == s.m.mock.state().data.product(2).title);

    int64_t del = s.add(inbox, conn, "bigcommerce", "store/product/deleted", bc("store/product/deleted", 3));
    CHECK(w.drain() == 1);
    CHECK(s.state(del) == "processed/1");
    CHECK(s.records(conn, Resource::products) == 0);
    CHECK(w.drain() == 0);  // processed deliveries are never applied again
}

TEST_CASE("variant (sku) and inventory topics refetch their product") {
    Setup s;
    std::string conn = s.connect("bigcommerce");
    onramp::webhooks::Inbox inbox(*s.t.app.store);
    Worker w(s.t.app);
    s.add(inbox, conn, "bigcommerce", "store/sku/updated",
          {{"scope", "store/sku/updated"}, {"data", {{"type", "sku"}, {"id", 9}, {"sku", {{"product_id", 4}}}}}});
    s.add(inbox, conn, "bigcommerce", "store/product/inventory/updated",
          {{"scope", "store/product/inventory/updated"},
           {"data", {{"type", "product"}, {"id", 5}, {"inventory", {{"product_id", 5}, {"value", 2}}}}}});
    CHECK(w.drain() == 2);
    CHECK(s.title(conn, "4") == s.m.mock.state().data.product(3).title);
    CHECK(s.title(conn, "5") == s.m.mock.state().data.product(4).title);
}

TEST_CASE("unknown topics are kept and marked ignored") {
    Setup s;
    std::string conn = s.connect("bigcommerce");
    onramp::webhooks::Inbox inbox(*s.t.app.store);
    Worker w(s.t.app);
    int64_t seq = s.add(inbox, conn, "bigcommerce", "store/cart/created", {{"scope", "store/cart/created"}});
    CHECK(w.drain() == 1);
    CHECK(s.state(seq) == "ignored/1");
    auto db = s.t.app.store->lease();
    onramp::store::Stmt st(*db, "SELECT last_error FROM webhook_deliveries WHERE seq = ?");
    st.bind(1, seq);
    REQUIRE(st.step());
    CHECK(st.text(0).find("store/cart/created") != std::string::npos);
}

TEST_CASE("failures back off, hold back their connection only, end dead-lettered, and a replay applies them") {
    Setup s;
    std::string bc_conn = s.connect("bigcommerce");
    std::string shop = s.connect("shopify");
    onramp::webhooks::Inbox inbox(*s.t.app.store);
    WorkerOptions o;
    o.max_attempts = 3;
    o.base_backoff_s = 10;
    Worker w(s.t.app, o);

    onramp::mock::Faults revoked;
    revoked.revoked = true;
    s.m.mock.set_faults("bigcommerce", revoked);
    int64_t first = s.add(inbox, bc_conn, "bigcommerce", "store/product/updated", bc("store/product/updated", 1));
    int64_t second = s.add(inbox, bc_conn, "bigcommerce", "store/product/updated", bc("store/product/updated", 2));
    int64_t other = s.add(inbox, shop, "shopify", "products/update", {{"id", 7000000001}});

    CHECK(w.drain() == 2);  // bigcommerce's head fails; shopify's goes on
    CHECK(s.state(first) == "failed/1");
    CHECK(s.state(second) == "received/0");  // never overtakes the failed one
    CHECK(s.state(other) == "processed/1");
    CHECK(w.drain() == 0);  // not due yet
    s.t.clock += 10;
    CHECK(w.drain() == 1);
    CHECK(s.state(first) == "failed/2");
    s.t.clock += 19;
    CHECK(w.drain() == 0);  // the second wait is twice as long
    s.t.clock += 1;
    // The head goes dead, and a dead letter no longer holds back the next.
    CHECK(w.drain() == 2);
    CHECK(s.state(first) == "dead/3");
    CHECK(s.state(second) == "failed/1");
    {
        auto db = s.t.app.store->lease();
        CHECK(onramp::webhooks::read_counters(*db, bc_conn)["dead_lettered"] == 1);
    }
    s.m.mock.clear_faults();
    s.t.clock += 10;
    CHECK(w.drain() == 1);
    CHECK(s.state(second) == "processed/2");  // attempts counts the refused one too

    {
        auto db = s.t.app.store->lease();
        CHECK(onramp::webhooks::replay(*db, bc_conn, first));
        CHECK_FALSE(onramp::webhooks::replay(*db, bc_conn, first));  // already received
        CHECK_FALSE(onramp::webhooks::replay(*db, shop, second));    // another connection's
    }
    CHECK(w.drain() == 1);
    CHECK(s.state(first) == "processed/1");
    CHECK(s.title(bc_conn, "1") == s.m.mock.state().data.product(0).title);
}

TEST_CASE("a delivery about an object the platform no longer has removes it") {
    Setup s;
    std::string conn = s.connect("bigcommerce");
    onramp::webhooks::Inbox inbox(*s.t.app.store);
    Worker w(s.t.app);
    {
        auto db = s.t.app.store->lease();
        onramp::connectors::Item item{"999999", "2025-01-01T00:00:00Z", {{"id", "999999"}, {"title", "Gone"}}};
        onramp::sync::upsert_items(*db, s.org, conn, Resource::products, {item}, s.t.clock);
    }
    REQUIRE(s.records(conn, Resource::products) == 1);
    int64_t seq = s.add(inbox, conn, "bigcommerce", "store/product/updated", bc("store/product/updated", 999999));
    CHECK(w.drain() == 1);
    CHECK(s.state(seq) == "processed/1");
    CHECK(s.records(conn, Resource::products) == 0);
}

}  // TEST_SUITE
