// The production Amazon SP-API connector against the mock LWA and SP-API
// over loopback: the refresh-token exchange and its error codes, the token
// cache, marketplace checks, NextToken and pageToken paging, role (scope)
// refusals, QuotaExceeded recovery and the per-operation rate header.
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/resilience.h"

using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::MockFixture;

namespace {

// SP-API's real rates (getOrders: one per minute) are scaled up so paging
// tests finish; the budget still paces by the announced header.
onramp::mock::Options fast_amazon(int64_t products = 500) {
    auto o = onramp::testing::small_mock(products);
    o.limits.amazon_rate_scale = 5000;
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
    o.limits.amazon_rate_scale = 300;  // getOrders: 5/s, burst 6000
    MockFixture m(o);
    auto c = m.creds("amazon_sp_api");
    for (int i = 0; i < 5; ++i) REQUIRE(m.platform("amazon_sp_api").fetch_page(c, m.ctx, Resource::orders, "", {}).ok());
    CHECK(m.mock.stats("amazon_sp_api").rate_limited == 0);
    CHECK(m.ctx.budget->state().bucket_rate == doctest::Approx(0.0167 * 300));
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
