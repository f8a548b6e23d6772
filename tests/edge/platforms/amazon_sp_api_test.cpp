// The production Amazon SP-API connector against the mock LWA and SP-API
// over loopback: the refresh-token exchange and its error codes, the token
// cache, marketplace checks, NextToken and pageToken paging, role (scope)
// refusals, QuotaExceeded recovery and the per-operation rate header.
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/resilience.h"
#include "edge/connectors/wire.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"
#include "edge/platforms/amazon_sp_api/operations.h"
#include "edge/sync/sync_fixture.h"

using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::MockFixture;

namespace {

// SP-API's real rates (getOrders: one per minute) are scaled up so paging
// tests finish; the budget still paces by the announced header.
onramp::mock::Options fast_amazon(int64_t products = 500) {
    auto o = onramp::testing::small_mock(products);
    o.knobs["amazon-time-scale"] = "5000";
    return o;
}

}  // namespace

TEST_SUITE("connectors.amazon_sp_api") {

TEST_CASE("demo credentials exchange a token and list the seller's marketplaces") {
    MockFixture m(fast_amazon());
    auto t = m.platform("amazon_sp_api").test(m.creds("amazon_sp_api"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_name == "Onramp Demo Seller");
    CHECK(t.verified.account_id == "A2DEMOSELLER01");
    CHECK(t.verified.details["marketplaces"].size() == 2);
}

TEST_CASE("a bad refresh token fails at exchange_refresh_token as invalid_grant") {
    MockFixture m(fast_amazon());
    auto t = m.platform("amazon_sp_api").test(
        m.creds("amazon_sp_api", {{"refresh_token", "Atzr|not-the-right-token-0123456789"}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "exchange_refresh_token");
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->message.find("refresh token") != std::string::npos);
    CHECK(t.failure->platform_message.find("invalid grant") != std::string::npos);
}

TEST_CASE("a bad client secret is invalid_client") {
    MockFixture m(fast_amazon());
    auto t = m.platform("amazon_sp_api").test(
        m.creds("amazon_sp_api", {{"lwa_client_secret", "wrong-secret-0123456789abcdef"}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->message.find("client identifier and secret") != std::string::npos);
}

TEST_CASE("a marketplace the seller does not sell in is named") {
    MockFixture m(fast_amazon());
    auto t = m.platform("amazon_sp_api").test(m.creds("amazon_sp_api", {{"marketplace_ids", "ATVPDKIKX0DER,A2EUQ1WTGCTBG2"}}),
                                              m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "check_marketplaces");
    CHECK(t.failure->message.find("A2EUQ1WTGCTBG2") != std::string::npos);
}

TEST_CASE("a missing role is scope_missing") {
    MockFixture m(fast_amazon());
    onramp::mock::Faults f;
    f.missing_scopes = {"selling_partner_insights"};
    m.mock.set_faults("amazon_sp_api", f);
    auto t = m.platform("amazon_sp_api").test(m.creds("amazon_sp_api"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "fetch_marketplaces");
    CHECK(t.failure->cause == Cause::scope_missing);
}

TEST_CASE("the access token is exchanged once and reused") {
    MockFixture m(fast_amazon());
    auto c = m.creds("amazon_sp_api");
    REQUIRE(m.platform("amazon_sp_api").test(c, m.ctx).ok());
    int64_t before = m.mock.stats("amazon_sp_api").requests;
    REQUIRE(m.platform("amazon_sp_api").fetch_page(c, m.ctx, Resource::orders, "", {}).ok());
    CHECK(m.mock.stats("amazon_sp_api").requests == before + 1);
}

TEST_CASE("orders follow NextToken over three pages; fetch_one adds the order items") {
    MockFixture m(fast_amazon());
    auto c = m.creds("amazon_sp_api");
    size_t pages = 0;
    auto orders = m.all("amazon_sp_api", Resource::orders, c, &pages);
    CHECK(orders.size() == 250);
    CHECK(pages == 3);
    std::set<std::string> ids;
    for (const auto& o : orders) ids.insert(o.id);
    CHECK(ids.size() == 250);
    auto one = m.platform("amazon_sp_api").fetch_one(c, m.ctx, Resource::orders, orders[3].id);
    REQUIRE(one.ok());
    CHECK(one->data["line_items"].size() >= 1);
}

TEST_CASE("listings follow pageToken; each SKU is a product with one variant") {
    MockFixture m(fast_amazon(50));
    auto c = m.creds("amazon_sp_api");
    size_t pages = 0;
    auto items = m.all("amazon_sp_api", Resource::products, c, &pages);
    CHECK(items.size() == 50);
    CHECK(pages == 3);
    CHECK(items[0].data["variants"].size() == 1);
    CHECK(items[0].data["currency"] == "USD");
    auto one = m.platform("amazon_sp_api").fetch_one(c, m.ctx, Resource::products, items[4].id);
    REQUIRE(one.ok());
    CHECK(one->data["title"] == items[4].data["title"]);
}

TEST_CASE("the announced rate paces calls so that the operation's quota is never exceeded") {
    auto o = onramp::testing::small_mock(500);
    o.knobs["amazon-time-scale"] = "300";  // getOrders: 5/s, burst 20
    MockFixture m(o);
    auto c = m.creds("amazon_sp_api");
    for (int i = 0; i < 5; ++i) REQUIRE(m.platform("amazon_sp_api").fetch_page(c, m.ctx, Resource::orders, "", {}).ok());
    CHECK(m.mock.stats("amazon_sp_api").rate_limited == 0);
    CHECK(m.ctx.budget->operation_state(onramp::platforms::amazon_sp_api::kGetOrders).rate ==
          doctest::Approx(0.0167 * 300));
}

TEST_CASE("getOrders' documented burst of 20 goes at once, then the budget waits for its documented rate") {
    auto o = onramp::testing::small_mock(500);  // Amazon's own clock: one getOrders a minute
    MockFixture m(o);
    auto c = m.creds("amazon_sp_api");
    std::vector<int64_t> waits;
    m.ctx.sleep = [&waits](int64_t ms) { waits.push_back(ms); };
    for (int i = 0; i < 20; ++i) REQUIRE(m.platform("amazon_sp_api").fetch_page(c, m.ctx, Resource::orders, "", {}).ok());
    for (int64_t w : waits) CHECK(w == 0);
    auto requests = m.mock.stats("amazon_sp_api").requests;
    auto page = m.platform("amazon_sp_api").fetch_page(c, m.ctx, Resource::orders, "", {});
    REQUIRE_FALSE(page.ok());
    CHECK(page.failure().cause == Cause::rate_limited);
    CHECK(page.failure().retry_after_s >= 59);  // 1 / 0.0167 s, longer than the retry policy waits
    CHECK(m.mock.stats("amazon_sp_api").requests == requests);  // not sent to meet a 429
    CHECK(m.mock.stats("amazon_sp_api").rate_limited == 0);
    // Listings have a bucket of their own, untouched by the orders.
    CHECK(m.platform("amazon_sp_api").fetch_page(c, m.ctx, Resource::products, "", {}).ok());
}

TEST_CASE("resilience: QuotaExceeded, 5xx, drops, timeout, revoked") {
    SUBCASE("429") {
        MockFixture m(fast_amazon());
        onramp::testing::check_recovers_from_429(m, "amazon_sp_api", m.creds("amazon_sp_api"));
    }
    SUBCASE("5xx and drops") {
        MockFixture m(fast_amazon());
        onramp::testing::check_retries_5xx_and_drops(m, "amazon_sp_api", m.creds("amazon_sp_api"));
    }
    SUBCASE("timeout") {
        MockFixture m(fast_amazon());
        onramp::testing::check_timeout(m, "amazon_sp_api", m.creds("amazon_sp_api"));
    }
    SUBCASE("revoked") {
        MockFixture m(fast_amazon());
        onramp::testing::check_revoked(m, "amazon_sp_api", m.creds("amazon_sp_api"));
    }
}

}

// getOrders' parameter rules (docs/platforms/amazon_sp_api.md), enforced by
// the mock the way Amazon answers: 400 with an InvalidInput error.
TEST_SUITE("connectors.amazon_sp_api rules") {

namespace {

onramp::http::FetchResult get_orders(MockFixture& m, const std::string& query) {
    onramp::http::FetchRequest r;
    r.url = m.mock.url() + "/amazon/sp/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&" + query;
    r.headers.emplace("x-amz-access-token", onramp::demo::kAmazonAccessToken);
    return onramp::http::fetch(r);
}

std::string iso(int64_t t) { return onramp::connectors::wire::iso_from_unix(t); }

}  // namespace

TEST_CASE("the mock refuses a LastUpdatedBefore later than two minutes ago with Amazon's InvalidInput") {
    auto o = fast_amazon();
    o.now_unix = [] { return int64_t(1800000000); };
    MockFixture m(o);
    auto late = get_orders(m, "LastUpdatedAfter=2025-01-01T00:00:00Z&LastUpdatedBefore=" + iso(1800000000 - 60));
    REQUIRE(late.ok());
    CHECK(late.response.status == 400);
    auto body = nlohmann::json::parse(late.response.body);
    CHECK(body["errors"][0]["code"] == "InvalidInput");
    CHECK(body["errors"][0]["message"].get<std::string>().find("two minutes") != std::string::npos);
    auto settled = get_orders(m, "LastUpdatedAfter=2025-01-01T00:00:00Z&LastUpdatedBefore=" + iso(1800000000 - 120));
    CHECK(settled.response.status == 200);
}

TEST_CASE("the mock refuses a LastUpdatedBefore earlier than LastUpdatedAfter, and accepts it equal") {
    MockFixture m(fast_amazon());
    auto r = get_orders(m, "LastUpdatedAfter=2025-06-01T00:00:01Z&LastUpdatedBefore=2025-06-01T00:00:00Z");
    REQUIRE(r.ok());
    CHECK(r.response.status == 400);
    CHECK(nlohmann::json::parse(r.response.body)["errors"][0]["code"] == "InvalidInput");
    auto equal = get_orders(m, "LastUpdatedAfter=2025-06-01T00:00:00Z&LastUpdatedBefore=2025-06-01T00:00:00Z");
    CHECK(equal.response.status == 200);
}

TEST_CASE("the mock refuses CreatedAfter or CreatedBefore beside LastUpdatedAfter") {
    MockFixture m(fast_amazon());
    for (const char* created : {"CreatedAfter=2025-01-01T00:00:00Z", "CreatedBefore=2025-06-01T00:00:00Z"}) {
        auto r = get_orders(m, std::string("LastUpdatedAfter=2025-01-01T00:00:00Z&") + created);
        REQUIRE(r.ok());
        CHECK(r.response.status == 400);
        CHECK(nlohmann::json::parse(r.response.body)["errors"][0]["code"] == "InvalidInput");
    }
    CHECK(get_orders(m, "CreatedAfter=2025-01-01T00:00:00Z").response.status == 200);
}

TEST_CASE("a window ending now is sent ending two minutes ago, so getOrders accepts it") {
    int64_t now = 1800000000;  // Onramp's and Amazon's clock
    auto o = fast_amazon();
    o.now_unix = [now] { return now; };
    MockFixture m(o);
    m.ctx.now = [now] { return now; };
    auto c = m.creds("amazon_sp_api");
    onramp::connectors::Window w{"", iso(now)};
    auto page = m.platform("amazon_sp_api").fetch_page(c, m.ctx, Resource::orders, "", w);
    REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.failure().platform_message));
    CHECK_FALSE(page->items.empty());
    CHECK(m.platform("amazon_sp_api").settle_seconds() == 120);
}

TEST_CASE("an empty window asks Amazon nothing and is an empty last page") {
    MockFixture m(fast_amazon());
    auto c = m.creds("amazon_sp_api");
    onramp::connectors::Window w{"2025-06-01T00:00:00Z", "2025-06-01T00:00:00Z"};
    auto before = m.mock.stats("amazon_sp_api").requests;
    auto page = m.platform("amazon_sp_api").fetch_page(c, m.ctx, Resource::orders, "", w);
    REQUIRE(page.ok());
    CHECK(page->items.empty());
    CHECK(page->next_cursor.empty());
    CHECK(m.mock.stats("amazon_sp_api").requests - before <= 1);  // at most the token exchange
}

TEST_CASE("the announced rate is the documented one and the burst is not scaled by the demo clock") {
    auto o = onramp::testing::small_mock(500);
    o.knobs["amazon-time-scale"] = "60";
    o.now_ms = [] { return int64_t(1000); };  // a stopped clock: nothing refills
    MockFixture m(o);
    int ok = 0, refused = 0;
    for (int i = 0; i < 25; ++i) {
        auto r = get_orders(m, "LastUpdatedAfter=2025-01-01T00:00:00Z");
        REQUIRE(r.ok());
        (r.response.status == 200 ? ok : refused)++;
        if (i == 0) CHECK(r.response.header("x-amzn-RateLimit-Limit") == "1.002");
    }
    CHECK(ok == 20);  // getOrders' burst
    CHECK(refused == 5);
}

}

TEST_CASE("an Amazon sync's window ends two minutes before it was queued, and the next run starts there") {
    auto o = onramp::testing::small_mock(40);
    o.knobs["amazon-time-scale"] = "600";
    onramp::testing::SyncApp s(o);
    std::string id = s.connect("amazon_sp_api");
    s.engine.drain();
    onramp::sync::Run first = s.latest(id);
    REQUIRE_MESSAGE(first.state == "succeeded", first.errors.dump());
    CHECK(first.window_before == onramp::connectors::wire::iso_from_unix(first.queued_at - 120));
    s.t.clock += 3600;
    auto next = onramp::sync::enqueue_run(s.t.app, s.connection(id), "incremental");
    REQUIRE(next.ok());
    CHECK(next->window_after == first.window_before);
    CHECK(next->window_before == onramp::connectors::wire::iso_from_unix(s.t.clock - 120));
}
