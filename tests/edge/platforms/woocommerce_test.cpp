// The production WooCommerce connector against the mock WooCommerce over
// loopback: index, system status and read checks, X-WP-TotalPages paging
// with each product's variations, the WP REST error shapes, resilience,
// and the SSRF guard on the store address outside demo mode.
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/resilience.h"
#include "edge/connectors/wire.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"

using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::MockFixture;

TEST_SUITE("connectors.woocommerce") {

TEST_CASE("demo keys test successfully and name the site") {
    MockFixture m;
    auto t = m.platform("woocommerce").test(m.creds("woocommerce"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_name == "Onramp Demo Store");
    CHECK(t.verified.details["woocommerce_version"] == "8.9.3");
    CHECK(t.verified.granted_scopes == std::vector<std::string>{"read"});
}

TEST_CASE("a wrong consumer key or secret is credential_rejected with WooCommerce's words") {
    MockFixture m;
    auto t = m.platform("woocommerce").test(
        m.creds("woocommerce", {{"consumer_key", "ck_1111111111111111111111111111111111111111"}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "fetch_system_status");
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->platform_message == "Consumer key is invalid.");
    auto s = m.platform("woocommerce").test(
        m.creds("woocommerce", {{"consumer_secret", "cs_2222222222222222222222222222222222222222"}}), m.ctx);
    REQUIRE_FALSE(s.ok());
    CHECK(s.failure->platform_message.find("signature") != std::string::npos);
}

TEST_CASE("a key whose user cannot read the store is scope_missing") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"read"};
    m.mock.set_faults("woocommerce", f);
    auto t = m.platform("woocommerce").test(m.creds("woocommerce"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::scope_missing);
    CHECK(t.failure->message.find("administrator or shop manager") != std::string::npos);
}

TEST_CASE("products page by X-WP-TotalPages over three pages, with three variations each") {
    MockFixture m(onramp::testing::small_mock(300));
    m.ctx.budget = onramp::testing::fast_budget();
    size_t pages = 0;
    auto items = m.all("woocommerce", Resource::products, m.creds("woocommerce"), &pages);
    CHECK(pages == 3);
    REQUIRE(items.size() == 300);
    std::set<std::string> ids;
    for (const auto& i : items) ids.insert(i.id);
    CHECK(ids.size() == 300);
    CHECK(items[5].data["variants"].size() == 3);
    CHECK(items[5].data["variants"][1]["options"]["Size"] == "Medium");
    CHECK(items[5].updated_at.back() == 'Z');
}

TEST_CASE("orders page, and fetch_one reads one order") {
    MockFixture m;
    m.ctx.budget = onramp::testing::fast_budget();
    auto c = m.creds("woocommerce");
    size_t pages = 0;
    auto orders = m.all("woocommerce", Resource::orders, c, &pages);
    CHECK(orders.size() == 300);
    CHECK(pages == 3);
    auto one = m.platform("woocommerce").fetch_one(c, m.ctx, Resource::orders, orders[7].id);
    REQUIRE(one.ok());
    CHECK(one->data == orders[7].data);
}

TEST_CASE("resilience: 429, 5xx, drops, timeout, revoked") {
    SUBCASE("429") {
        MockFixture m;
        onramp::testing::check_recovers_from_429(m, "woocommerce", m.creds("woocommerce"));
    }
    SUBCASE("5xx and drops") {
        MockFixture m;
        onramp::testing::check_retries_5xx_and_drops(m, "woocommerce", m.creds("woocommerce"));
    }
    SUBCASE("timeout") {
        MockFixture m;
        onramp::testing::check_timeout(m, "woocommerce", m.creds("woocommerce"));
    }
    SUBCASE("revoked") {
        MockFixture m;
        onramp::testing::check_revoked(m, "woocommerce", m.creds("woocommerce"));
    }
}

TEST_CASE("outside demo mode a store address in a private network is refused before any request") {
    MockFixture m;
    onramp::connectors::CallContext ctx;  // production: no overrides, no private addresses
    auto c = m.creds("woocommerce", {{"site_url", "https://127.0.0.1"}});
    auto t = m.platform("woocommerce").test(c, ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::address_refused);
    CHECK(t.failure->field == "site_url");
    auto l = m.platform("woocommerce").test(m.creds("woocommerce", {{"site_url", "https://localhost.localdomain"}}), ctx);
    REQUIRE_FALSE(l.ok());
    CHECK((l.failure->cause == Cause::address_refused || l.failure->cause == Cause::dns_failure));
}

}

// The list routes' parameter schemas (docs/platforms/woocommerce.md), as
// the WP REST API enforces them: 400 rest_invalid_param naming the
// parameter. The connector's own paging above obeys them.
TEST_SUITE("connectors.woocommerce rules") {

namespace {

onramp::http::FetchResult list_orders(MockFixture& m, const std::string& query) {
    onramp::http::FetchRequest r;
    r.url = m.mock.url() + "/woocommerce/wp-json/wc/v3/orders?" + query;
    r.headers.emplace("Authorization", onramp::connectors::wire::basic_auth(onramp::demo::kWooKey, onramp::demo::kWooSecret));
    return onramp::http::fetch(r);
}

}  // namespace

TEST_CASE("the mock refuses a modified_after that is not an RFC 3339 date with rest_invalid_param") {
    MockFixture m(onramp::testing::small_mock(30));
    for (const char* bad : {"modified_after=yesterday", "modified_before=1735689600",
                            "modified_after=Tue,%2020%20Nov%202012%2000:00:00%20%2B0000"}) {
        auto r = list_orders(m, bad);
        REQUIRE(r.ok());
        CHECK(r.response.status == 400);
        auto body = nlohmann::json::parse(r.response.body);
        CHECK(body["code"] == "rest_invalid_param");
        CHECK(body["data"]["status"] == 400);
        CHECK(body["data"]["params"].size() == 1);
    }
    CHECK(list_orders(m, "modified_after=2025-01-01T00:00:00Z&dates_are_gmt=true").response.status == 200);
    CHECK(list_orders(m, "modified_after=2025-01-01T00:00:00").response.status == 200);  // the zone is optional
}

TEST_CASE("the mock refuses an order or orderby outside the schema's values") {
    MockFixture m(onramp::testing::small_mock(30));
    auto r = list_orders(m, "order=up");
    CHECK(r.response.status == 400);
    CHECK(nlohmann::json::parse(r.response.body)["message"] == "Invalid parameter(s): order");
    CHECK(list_orders(m, "orderby=price").response.status == 400);  // products only
    CHECK(list_orders(m, "orderby=id&order=asc").response.status == 200);
}

TEST_CASE("an incremental window passes the mock's date rule") {
    MockFixture m(onramp::testing::small_mock(30));
    m.ctx.budget = onramp::testing::fast_budget();
    onramp::connectors::Window w{"2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z"};
    auto page = m.platform("woocommerce").fetch_page(m.creds("woocommerce"), m.ctx, Resource::orders, "", w);
    REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.failure().platform_message));
    CHECK_FALSE(page->items.empty());
}

}
