// The production Shopify connector against the mock Shopify over loopback:
// shop and access-scope checks, Link/page_info cursors, refetch, the call
// limit bucket, recovery from 429 (Retry-After "2.0" style), 5xx and
// dropped connections, and revoking the token (disconnect).
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/mock_fixture.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"

using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::MockFixture;

TEST_SUITE("connectors.shopify") {

TEST_CASE("demo credentials test successfully with every required scope granted") {
    MockFixture m;
    auto t = m.platform("shopify").test(m.creds("shopify"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_name == "Onramp Demo Shop");
    CHECK(t.verified.domain == "onramp-demo.myshopify.com");
    CHECK(t.verified.granted_scopes ==
          std::vector<std::string>{"read_products", "read_inventory", "read_orders"});
    CHECK(t.verified.missing_scopes.empty());
}

TEST_CASE("a shop name alone is normalised by the validator and reaches the same shop") {
    MockFixture m;
    auto t = m.platform("shopify").test(m.creds("shopify", {{"shop_domain", "onramp-demo"}}), m.ctx);
    CHECK_MESSAGE(t.ok(), describe(t));
}

TEST_CASE("a wrong token is credential_rejected with Shopify's own words") {
    MockFixture m;
    auto t = m.platform("shopify").test(m.creds("shopify", {{"access_token", "shpat_wrong_0123456789abcdef"}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "fetch_shop");
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->platform_message.find("Invalid API key or access token") != std::string::npos);
}

TEST_CASE("an unknown shop is store_not_found") {
    MockFixture m;
    auto t = m.platform("shopify").test(m.creds("shopify", {{"shop_domain", "someone-else.myshopify.com"}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::store_not_found);
    CHECK(t.failure->message.find("someone-else.myshopify.com") != std::string::npos);
}

TEST_CASE("an app without read_inventory connects and says what it leaves out") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"read_inventory"};
    m.mock.set_faults("shopify", f);
    auto t = m.platform("shopify").test(m.creds("shopify"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.granted_scopes == std::vector<std::string>{"read_products", "read_orders"});
    CHECK(t.verified.missing_scopes.empty());
    REQUIRE(t.verified.limited.size() == 1);
    CHECK(t.verified.limited[0]["scope"] == "read_inventory");
    CHECK(t.verified.limited[0]["label"] == "Inventory: read");
}

TEST_CASE("an app without read_orders connects; orders are listed as what will not sync") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"read_orders"};
    m.mock.set_faults("shopify", f);
    auto t = m.platform("shopify").test(m.creds("shopify"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    REQUIRE(t.verified.limited.size() == 1);
    CHECK(t.verified.limited[0]["feature"] == "orders will not sync");
}

TEST_CASE("a missing required scope is read from access_scopes.json and named") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"read_products", "read_orders"};
    m.mock.set_faults("shopify", f);
    auto t = m.platform("shopify").test(m.creds("shopify"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "check_scopes");
    CHECK(t.failure->cause == Cause::scope_missing);
    CHECK(t.failure->missing_scopes == std::vector<std::string>{"read_products"});
    CHECK(t.verified.granted_scopes == std::vector<std::string>{"read_inventory"});
    CHECK(t.failure->message.find("Products: read") != std::string::npos);
}

TEST_CASE("listing without the scope is a 403 scope_missing") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"read_products"};
    m.mock.set_faults("shopify", f);
    auto page = m.platform("shopify").fetch_page(m.creds("shopify"), m.ctx, Resource::products, "", {});
    REQUIRE_FALSE(page.ok());
    CHECK(page.failure().cause == Cause::scope_missing);
    CHECK(page.failure().http_status == 403);
}

TEST_CASE("products follow Link page_info cursors over three pages") {
    MockFixture m;
    size_t pages = 0;
    auto items = m.all("shopify", Resource::products, m.creds("shopify"), &pages);
    CHECK(pages == 3);
    REQUIRE(items.size() == 600);
    std::set<std::string> ids;
    for (const auto& i : items) ids.insert(i.id);
    CHECK(ids.size() == 600);
    const auto& p = items[10].data;
    CHECK(p["variants"].size() == 3);
    CHECK(p["vendor"].is_string());
    CHECK(p["variants"][2]["options"]["Size"] == "Large");
    // The mock writes times in the shop's zone (-05:00); the connector
    // normalises them to UTC.
    CHECK(items[10].updated_at.back() == 'Z');
}

TEST_CASE("a window travels inside page_info, and orders include every status") {
    MockFixture m;
    auto c = m.creds("shopify");
    auto all = m.all("shopify", Resource::orders, c);
    CHECK(all.size() == 300);
    CHECK(all.front().data["line_items"].size() >= 1);
    onramp::connectors::Window w{"2025-03-01T00:00:00Z", "2025-09-01T00:00:00Z"};
    size_t expected = 0;
    for (const auto& i : all) expected += i.updated_at >= w.updated_after && i.updated_at <= w.updated_before;
    auto some = m.all("shopify", Resource::orders, c, nullptr, w);
    CHECK(some.size() == expected);
    CHECK(expected > 0);
}

TEST_CASE("a first page with more after it carries the total from count.json, the window applied") {
    MockFixture m;
    auto c = m.creds("shopify");
    const auto& shopify = m.platform("shopify");
    auto first = shopify.fetch_page(c, m.ctx, Resource::products, "", {});
    REQUIRE(first.ok());
    CHECK(first->total == 600);
    auto second = shopify.fetch_page(c, m.ctx, Resource::products, first->next_cursor, {});
    REQUIRE(second.ok());
    CHECK_FALSE(second->total);  // the total is counted once, for the first page

    // More than a page inside the window, so the count is asked with the window.
    MockFixture big(onramp::testing::small_mock(1500));
    onramp::connectors::Window w{"2025-03-01T00:00:00Z", "2025-09-01T00:00:00Z"};
    auto windowed = shopify.fetch_page(big.creds("shopify"), big.ctx, Resource::products, "", w);
    REQUIRE(windowed.ok());
    REQUIRE_FALSE(windowed->next_cursor.empty());
    auto listed = big.all("shopify", Resource::products, big.creds("shopify"), nullptr, w);
    CHECK(windowed->total == int64_t(listed.size()));
    CHECK(listed.size() < 1500);
}

TEST_CASE("fetch_one reads a product and an order by id") {
    MockFixture m;
    auto c = m.creds("shopify");
    auto p = m.platform("shopify").fetch_one(c, m.ctx, Resource::products, "7000000005");
    REQUIRE(p.ok());
    CHECK(p->id == "7000000005");
    auto o = m.platform("shopify").fetch_one(c, m.ctx, Resource::orders, "5000000003");
    REQUIRE(o.ok());
    CHECK(o->data["number"] == "1004");
    auto bad = m.platform("shopify").fetch_one(c, m.ctx, Resource::products, "7000000005.json?x=");
    CHECK_FALSE(bad.ok());
}

TEST_CASE("429 with a fractional Retry-After is honoured, then the call succeeds") {
    MockFixture m;
    onramp::mock::Faults f;
    f.rate_limit_next = 1;
    f.retry_after_s = 0.3;
    m.mock.set_faults("shopify", f);
    auto t = m.platform("shopify").test(m.creds("shopify"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    REQUIRE(m.retries_with(429) == 1);
    CHECK(m.retries.front().wait_ms >= 250);
}

TEST_CASE("5xx and dropped connections are retried") {
    MockFixture m;
    onramp::mock::Faults f;
    f.fail_next = 1;
    f.drop_next = 2;
    m.mock.set_faults("shopify", f);
    size_t pages = 0;
    auto items = m.all("shopify", Resource::products, m.creds("shopify"), &pages);
    CHECK(items.size() == 600);
    CHECK(m.retries_with(503) == 1);
    CHECK(m.retries_with(0) == 2);
}

TEST_CASE("the call-limit bucket paces requests so that none is refused") {
    // Shopify's Standard bucket: 40 calls leaking 2 per second. 42 calls
    // in a row fill it; the last few must wait for the leak.
    MockFixture m;
    auto c = m.creds("shopify");
    for (int i = 0; i < 42; ++i) {
        auto t = m.platform("shopify").fetch_one(c, m.ctx, Resource::products, std::to_string(7000000000LL + i));
        REQUIRE(t.ok());
    }
    CHECK(m.mock.stats("shopify").rate_limited == 0);
}

TEST_CASE("a timeout is reported as such") {
    MockFixture m;
    m.ctx.read_timeout_ms = 200;
    onramp::mock::Faults f;
    f.latency_ms = 600;
    m.mock.set_faults("shopify", f);
    auto t = m.platform("shopify").test(m.creds("shopify"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::timeout);
}

TEST_CASE("revoke gives the token up at Shopify, after which it is refused; again, it is already given up") {
    MockFixture m;
    const auto& shopify = m.platform("shopify");
    REQUIRE(shopify.can_revoke(m.creds("shopify")));
    REQUIRE(shopify.test(m.creds("shopify"), m.ctx).ok());
    auto failure = shopify.revoke(m.creds("shopify"), m.ctx);
    CHECK_MESSAGE(!failure, (failure ? failure->message : ""));
    auto t = shopify.test(m.creds("shopify"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK_FALSE(shopify.revoke(m.creds("shopify"), m.ctx));
}

TEST_CASE("a revocation Shopify fails to answer is a failure, tried once, and the token still works") {
    MockFixture m;
    onramp::mock::Faults f;
    f.fail_next = 1;
    m.mock.set_faults("shopify", f);
    auto failure = m.platform("shopify").revoke(m.creds("shopify"), m.ctx);
    REQUIRE(failure);
    CHECK(failure->step == "revoke_token");
    CHECK(failure->http_status == 503);
    CHECK(m.platform("shopify").test(m.creds("shopify"), m.ctx).ok());
}

}

// The list endpoints' parameter rules (docs/platforms/shopify.md), as the
// REST Admin API enforces them: 400 with {"errors": ...} naming the
// parameter. The connector's own paging above obeys them.
TEST_SUITE("connectors.shopify rules") {

namespace {

onramp::http::FetchResult admin_get(MockFixture& m, const std::string& file_and_query) {
    onramp::http::FetchRequest r;
    r.url = m.mock.url() + "/shopify/" + onramp::demo::kShopifyDomain + "/admin/api/2024-04/" + file_and_query;
    r.headers.emplace("X-Shopify-Access-Token", onramp::demo::kShopifyToken);
    return onramp::http::fetch(r);
}

// The page_info of the first page's rel="next" link.
std::string next_page_info(const onramp::http::FetchResult& r) {
    std::string link = r.response.header("Link");
    size_t at = link.find("page_info=");
    REQUIRE(at != std::string::npos);
    return link.substr(at + 10, link.find('>', at) - at - 10);
}

}  // namespace

TEST_CASE("the mock refuses a limit outside 1..250 with 400") {
    MockFixture m(onramp::testing::small_mock(30));
    for (const char* bad : {"products.json?limit=251", "products.json?limit=0", "orders.json?limit=1000"}) {
        auto r = admin_get(m, bad);
        REQUIRE(r.ok());
        CHECK(r.response.status == 400);
        CHECK(nlohmann::json::parse(r.response.body).contains("errors"));
    }
    CHECK(admin_get(m, "products.json?limit=250").response.status == 200);
}

TEST_CASE("the mock refuses a filter beside page_info, which carries the filters itself") {
    MockFixture m(onramp::testing::small_mock(30));
    std::string page_info = next_page_info(admin_get(m, "products.json?limit=5"));
    for (const char* extra : {"&updated_at_min=2025-01-01T00:00:00Z", "&since_id=7000000001", "&status=active"}) {
        auto r = admin_get(m, "products.json?limit=5&page_info=" + page_info + extra);
        CHECK(r.response.status == 400);
        CHECK(nlohmann::json::parse(r.response.body)["errors"].contains("page_info"));
    }
    CHECK(admin_get(m, "products.json?limit=5&page_info=" + page_info).response.status == 200);
    CHECK(admin_get(m, "products.json?page_info=not-a-cursor").response.status == 400);
}

TEST_CASE("the mock refuses an updated_at bound that is not an ISO 8601 date-time, in lists and counts") {
    MockFixture m(onramp::testing::small_mock(30));
    for (const char* bad : {"products.json?updated_at_min=yesterday", "orders.json?updated_at_max=1735689600",
                            "orders/count.json?updated_at_min=soon"}) {
        auto r = admin_get(m, bad);
        CHECK(r.response.status == 400);
        auto errors = nlohmann::json::parse(r.response.body)["errors"];
        CHECK((errors.contains("updated_at_min") || errors.contains("updated_at_max")));
    }
    CHECK(admin_get(m, "orders.json?updated_at_min=2025-01-01T00:00:00-05:00").response.status == 200);
}

TEST_CASE("the mock refuses a status outside the resource's values") {
    MockFixture m(onramp::testing::small_mock(30));
    CHECK(admin_get(m, "orders.json?status=refunded").response.status == 400);
    CHECK(admin_get(m, "products.json?status=any").response.status == 400);
    CHECK(admin_get(m, "orders.json?status=any").response.status == 200);
    CHECK(admin_get(m, "products.json?status=active").response.status == 200);
}

TEST_CASE("an incremental window passes the mock's rules for products and orders") {
    MockFixture m(onramp::testing::small_mock(30));
    onramp::connectors::Window w{"2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z"};
    for (Resource r : {Resource::products, Resource::orders}) {
        auto page = m.platform("shopify").fetch_page(m.creds("shopify"), m.ctx, r, "", w);
        REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.failure().platform_message));
        CHECK_FALSE(page->items.empty());
    }
}

}
