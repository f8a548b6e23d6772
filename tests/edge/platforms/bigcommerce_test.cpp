// The production BigCommerce connector against the mock BigCommerce over
// loopback: test-connection outcomes, keyset pagination over v3 products
// and v2 orders, refetch, and recovery from 429, 5xx and dropped
// connections, and pacing by the X-Rate-Limit headers.
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/mock_fixture.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"

using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::MockFixture;

TEST_SUITE("connectors.bigcommerce") {

TEST_CASE("demo credentials test successfully and name the store and its scopes") {
    MockFixture m;
    auto t = m.platform("bigcommerce").test(m.creds("bigcommerce"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_name == "Onramp Demo Store");
    CHECK(t.verified.domain == "onramp-demo.mybigcommerce.com");
    CHECK(t.verified.details["plan"] == "Standard");
    CHECK(t.verified.missing_scopes.empty());
    CHECK(t.verified.granted_scopes.size() == 4);  // every scope Onramp asks for, optional ones too
    CHECK(t.verified.limited.empty());
}

TEST_CASE("a wrong access token is credential_rejected at fetch_store") {
    MockFixture m;
    auto t = m.platform("bigcommerce").test(m.creds("bigcommerce", {{"access_token", "wrong_token_0123456789abc"}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "fetch_store");
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->http_status == 401);
    CHECK(t.failure->platform_message == "No valid credential was supplied.");
    CHECK(t.failure->message.find("access token") != std::string::npos);
}

TEST_CASE("a revoked token is credential_rejected") {
    MockFixture m;
    onramp::mock::Faults f;
    f.revoked = true;
    m.mock.set_faults("bigcommerce", f);
    auto t = m.platform("bigcommerce").test(m.creds("bigcommerce"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::credential_rejected);
}

TEST_CASE("an unknown store hash is store_not_found") {
    MockFixture m;
    auto t = m.platform("bigcommerce").test(m.creds("bigcommerce", {{"store_hash", "nosuchstore"}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::store_not_found);
    CHECK(t.failure->message.find("nosuchstore") != std::string::npos);
}

TEST_CASE("a token with only the products and inventory scopes connects and lists what will not sync") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"store_v2_information_read_only", "store_v2_orders_read_only"};
    m.mock.set_faults("bigcommerce", f);
    auto t = m.platform("bigcommerce").test(m.creds("bigcommerce"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.missing_scopes.empty());
    CHECK(t.verified.required_scopes == std::vector<std::string>{"store_v2_products_read_only"});
    CHECK(t.verified.granted_scopes ==
          std::vector<std::string>{"store_v2_products_read_only", "store_inventory_read_only"});
    REQUIRE(t.verified.limited.size() == 2);
    CHECK(t.verified.limited[0]["scope"] == "store_v2_information_read_only");
    CHECK(t.verified.limited[1] == nlohmann::json({{"scope", "store_v2_orders_read_only"},
                                                   {"label", "Orders: read-only"},
                                                   {"feature", "orders will not sync"}}));
    // Without the store's information the store is named by its hash.
    CHECK(t.verified.account_name == "BigCommerce store " + m.creds("bigcommerce").at("store_hash"));
}

TEST_CASE("a token without the products scope fails with scope_missing naming only that scope") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"store_v2_products_read_only", "store_v2_orders_read_only"};
    m.mock.set_faults("bigcommerce", f);
    auto t = m.platform("bigcommerce").test(m.creds("bigcommerce"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "check_scopes");
    CHECK(t.failure->cause == Cause::scope_missing);
    CHECK(t.failure->missing_scopes == std::vector<std::string>{"store_v2_products_read_only"});
    CHECK(t.failure->message.find("Products: read-only") != std::string::npos);
    CHECK(t.failure->message.find("Orders") == std::string::npos);
    CHECK(t.verified.limited.size() == 1);
    CHECK(t.verified.account_name == "Onramp Demo Store");  // what was verified before
}

TEST_CASE("products page by id over three pages, each with its three variants") {
    MockFixture m;
    auto c = m.creds("bigcommerce");
    auto first = m.platform("bigcommerce").fetch_page(c, m.ctx, Resource::products, "", {});
    REQUIRE(first.ok());
    REQUIRE(first->total);
    CHECK(*first->total == 600);
    size_t pages = 0;
    auto items = m.all("bigcommerce", Resource::products, c, &pages);
    CHECK(pages == 3);
    REQUIRE(items.size() == 600);
    std::set<std::string> ids;
    for (const auto& i : items) ids.insert(i.id);
    CHECK(ids.size() == 600);
    const auto& p = items.front().data;
    CHECK(p["variants"].size() == 3);
    CHECK(p["variants"][0]["options"]["Size"] == "Small");
    CHECK(p["price"].is_string());
    CHECK(items.front().updated_at.size() == 20);
    CHECK(items.front().updated_at.back() == 'Z');
}

TEST_CASE("an updated-at window selects exactly the products inside it") {
    MockFixture m;
    auto c = m.creds("bigcommerce");
    auto all = m.all("bigcommerce", Resource::products, c);
    onramp::connectors::Window w{"2025-06-01T00:00:00Z", "2025-08-01T00:00:00Z"};
    size_t expected = 0;
    for (const auto& i : all) expected += i.updated_at >= w.updated_after && i.updated_at <= w.updated_before;
    auto windowed = m.all("bigcommerce", Resource::products, c, nullptr, w);
    CHECK(windowed.size() == expected);
    CHECK(expected > 0);
    CHECK(expected < all.size());
}

TEST_CASE("orders page through v2 until a short page, and fetch_one adds line items") {
    MockFixture m;
    auto c = m.creds("bigcommerce");
    size_t pages = 0;
    auto orders = m.all("bigcommerce", Resource::orders, c, &pages);
    CHECK(orders.size() == 300);
    CHECK(pages == 2);
    CHECK(orders.front().data["line_items"].is_null());
    auto one = m.platform("bigcommerce").fetch_one(c, m.ctx, Resource::orders, orders.front().id);
    REQUIRE(one.ok());
    CHECK(one->data["line_items"].size() >= 1);
    CHECK(one->data["customer_email"].get<std::string>().find('@') != std::string::npos);
}

TEST_CASE("fetch_one refuses an id that is not a number, and reports a missing product as 404") {
    MockFixture m;
    auto c = m.creds("bigcommerce");
    auto bad = m.platform("bigcommerce").fetch_one(c, m.ctx, Resource::products, "../v2/store");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.failure().http_status == 404);
    auto gone = m.platform("bigcommerce").fetch_one(c, m.ctx, Resource::products, "999999");
    REQUIRE_FALSE(gone.ok());
    CHECK(gone.failure().http_status == 404);
    auto found = m.platform("bigcommerce").fetch_one(c, m.ctx, Resource::products, "42");
    REQUIRE(found.ok());
    CHECK(found->id == "42");
}

TEST_CASE("429s are retried after the announced reset") {
    MockFixture m;
    onramp::mock::Faults f;
    f.rate_limit_next = 2;
    f.retry_after_s = 0.2;
    m.mock.set_faults("bigcommerce", f);
    auto t = m.platform("bigcommerce").test(m.creds("bigcommerce"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(m.retries_with(429) == 2);
    for (const auto& r : m.retries) CHECK(r.wait_ms >= 150);
}

TEST_CASE("5xx answers and dropped connections are retried") {
    MockFixture m;
    onramp::mock::Faults f;
    f.fail_next = 2;
    f.drop_next = 1;
    m.mock.set_faults("bigcommerce", f);
    auto t = m.platform("bigcommerce").test(m.creds("bigcommerce"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(m.retries_with(503) == 2);
    CHECK(m.retries_with(0) == 1);  // the drop
    CHECK(m.mock.stats("bigcommerce").dropped == 1);
}

TEST_CASE("retries are bounded: a platform that keeps failing is a platform_error") {
    MockFixture m;
    onramp::mock::Faults f;
    f.fail_next = 100;
    m.mock.set_faults("bigcommerce", f);
    auto t = m.platform("bigcommerce").test(m.creds("bigcommerce"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::platform_error);
    CHECK(t.failure->http_status == 503);
    CHECK(m.mock.stats("bigcommerce").requests == m.ctx.retry.max_attempts);
}

TEST_CASE("a platform slower than the read timeout is a timeout, not retried") {
    MockFixture m;
    m.ctx.read_timeout_ms = 200;
    onramp::mock::Faults f;
    f.latency_ms = 700;
    m.mock.set_faults("bigcommerce", f);
    auto t = m.platform("bigcommerce").test(m.creds("bigcommerce"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::timeout);
    CHECK(t.failure->step == "fetch_store");
    CHECK(m.mock.stats("bigcommerce").requests == 1);
}

TEST_CASE("the X-Rate-Limit headers pace a sync so that no 429 is met") {
    auto options = onramp::testing::small_mock(2000);
    options.knobs["bigcommerce-quota"] = "3/400";
    MockFixture m(options);
    size_t pages = 0;
    auto items = m.all("bigcommerce", Resource::products, m.creds("bigcommerce"), &pages);
    CHECK(items.size() == 2000);
    CHECK(pages == 8);
    CHECK(m.mock.stats("bigcommerce").rate_limited == 0);
    CHECK(m.retries.empty());
}

TEST_CASE("a connection refused is connection_failed") {
    MockFixture m;
    auto c = m.creds("bigcommerce");
    m.ctx.base_urls["bigcommerce"] = "http://127.0.0.1:1";
    m.ctx.retry.max_attempts = 1;
    auto t = m.platform("bigcommerce").test(c, m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::connection_failed);
}

TEST_CASE("a cursor that is not an id is refused without a request") {
    MockFixture m;
    auto c = m.creds("bigcommerce");
    CHECK_FALSE(m.platform("bigcommerce").fetch_page(c, m.ctx, Resource::orders, "12; DROP", {}).ok());
    CHECK_FALSE(m.platform("bigcommerce").fetch_page(c, m.ctx, Resource::products, "../x", {}).ok());
    CHECK(m.mock.stats("bigcommerce").requests == 0);
}

TEST_CASE("the proxy target is the store's API base with the token") {
    MockFixture m;
    auto p = m.platform("bigcommerce").proxy(m.creds("bigcommerce"), m.ctx);
    REQUIRE(p.ok());
    CHECK(p->base_url == m.mock.url() + "/bigcommerce/stores/onrampdemo");
    CHECK(p->headers.find("X-Auth-Token")->second == "demo_bc_token_5f2a9c3e8d7b6a4f1e0c");
}

}

// The list endpoints' parameter rules (docs/platforms/bigcommerce.md), as
// BigCommerce enforces them: v3 answers 413 for a limit over 250 and 422
// naming a bad filter, v2 answers 400 as an array of {status, message}.
// The connector's own paging above obeys them.
TEST_SUITE("connectors.bigcommerce rules") {

namespace {

onramp::http::FetchResult store_get(MockFixture& m, const std::string& path_and_query) {
    onramp::http::FetchRequest r;
    r.url = m.mock.url() + "/bigcommerce/stores/" + onramp::demo::kBigCommerceStoreHash + path_and_query;
    r.headers.emplace("X-Auth-Token", onramp::demo::kBigCommerceToken);
    return onramp::http::fetch(r);
}

}  // namespace

TEST_CASE("the mock refuses a products limit over 250 with 413 and one under 1 with 400") {
    MockFixture m(onramp::testing::small_mock(30));
    CHECK(store_get(m, "/v3/catalog/products?limit=251").response.status == 413);
    CHECK(store_get(m, "/v3/catalog/products?limit=0").response.status == 400);
    CHECK(store_get(m, "/v3/catalog/products?limit=250").response.status == 200);
}

TEST_CASE("the mock refuses a date_modified filter that is not an ISO 8601 date-time with 422 naming it") {
    MockFixture m(onramp::testing::small_mock(30));
    for (const char* name : {"date_modified:min", "date_modified:max"}) {
        auto r = store_get(m, std::string("/v3/catalog/products?") + name + "=yesterday");
        REQUIRE(r.ok());
        CHECK(r.response.status == 422);
        auto body = nlohmann::json::parse(r.response.body);
        CHECK(body["status"] == 422);
        CHECK(body["errors"].contains(name));
    }
    CHECK(store_get(m, "/v3/catalog/products?date_modified:min=2025-01-01T00:00:00Z").response.status == 200);
}

TEST_CASE("the mock refuses a products sort or direction outside the documented values with 422") {
    MockFixture m(onramp::testing::small_mock(30));
    CHECK(store_get(m, "/v3/catalog/products?sort=colour").response.status == 422);
    CHECK(store_get(m, "/v3/catalog/products?direction=up").response.status == 422);
    CHECK(store_get(m, "/v3/catalog/products?sort=id&direction=desc").response.status == 200);
}

TEST_CASE("the mock refuses an orders limit over 250 with a v2 error array") {
    MockFixture m(onramp::testing::small_mock(30));
    auto r = store_get(m, "/v2/orders?limit=251");
    REQUIRE(r.ok());
    CHECK(r.response.status == 400);
    auto body = nlohmann::json::parse(r.response.body);
    REQUIRE(body.is_array());
    CHECK(body[0]["status"] == 400);
    CHECK(store_get(m, "/v2/orders?limit=250").response.status == 200);
}

TEST_CASE("the mock refuses an orders date filter that is neither RFC 2822 nor ISO 8601") {
    MockFixture m(onramp::testing::small_mock(30));
    auto r = store_get(m, "/v2/orders?min_date_modified=last%20week");
    CHECK(r.response.status == 400);
    CHECK(nlohmann::json::parse(r.response.body)[0]["message"].get<std::string>().find("min_date_modified") !=
          std::string::npos);
    CHECK(store_get(m, "/v2/orders?max_date_modified=1735689600").response.status == 400);
    CHECK(store_get(m, "/v2/orders?min_date_modified=2020-01-01T00:00:00Z").response.status == 200);
    CHECK(store_get(m, "/v2/orders?min_date_modified=Wed,%2001%20Jan%202020%2000:00:00%20%2B0000").response.status ==
          200);
}

TEST_CASE("the mock refuses an orders sort that is not a listed field with :asc or :desc") {
    MockFixture m(onramp::testing::small_mock(30));
    CHECK(store_get(m, "/v2/orders?sort=total:asc").response.status == 400);
    CHECK(store_get(m, "/v2/orders?sort=id:up").response.status == 400);
    CHECK(store_get(m, "/v2/orders?sort=date_modified:desc").response.status == 200);
}

TEST_CASE("an incremental window passes the mock's date rules for products and orders") {
    MockFixture m(onramp::testing::small_mock(30));
    m.ctx.budget = onramp::testing::fast_budget();
    onramp::connectors::Window w{"2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z"};
    for (Resource r : {Resource::products, Resource::orders}) {
        auto page = m.platform("bigcommerce").fetch_page(m.creds("bigcommerce"), m.ctx, r, "", w);
        REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.failure().platform_message));
        CHECK_FALSE(page->items.empty());
    }
}

}
