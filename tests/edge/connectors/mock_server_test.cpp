// The mock platform server itself and the registry: every catalog platform
// has a connector and demo credentials that pass the shared validator and
// test successfully against the mock; the control endpoints work over
// HTTP; demo mode keeps the operator's own overrides; knobs are read by
// their platform and refused when no module declares or accepts them; the
// data set is deterministic.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/http/client.h"
#include "demo/dataset.h"
#include "edge/mock/internal.h"
#include "edge/platforms/amazon_sp_api/mock_limits.h"
#include "edge/platforms/bigcommerce/mock_limits.h"
#include "edge/platforms/module.h"

using nlohmann::json;
using onramp::testing::describe;
using onramp::testing::MockFixture;

namespace {

onramp::http::FetchResponse call(const std::string& method, const std::string& url, const std::string& body = "") {
    onramp::http::FetchRequest r;
    r.method = method;
    r.url = url;
    r.body = body;
    if (!body.empty()) r.content_type = "application/json";
    auto res = onramp::http::fetch(r);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    return res.response;
}

}  // namespace

TEST_SUITE("connectors.mock") {

TEST_CASE("every catalog platform has a connector, and its demo credentials test successfully") {
    auto options = onramp::testing::small_mock(60);
    options.knobs["amazon-time-scale"] = "5000";
    MockFixture m(options);
    for (const auto& entry : onramp::connectors::connectors()) {
        std::string id(entry.id);
        CAPTURE(id);
        REQUIRE(onramp::connectors::find_platform(id));
        auto ctx = m.fresh_context();
        auto t = m.platform(id).test(m.creds(id), ctx);
        CHECK_MESSAGE(t.ok(), describe(t));
        for (auto r : m.platform(id).resources()) {
            auto page = m.platform(id).fetch_page(m.creds(id), ctx, r, "", {});
            CHECK_MESSAGE(page.ok(), std::string(onramp::connectors::to_string(r)));
            if (page.ok()) CHECK_FALSE(page->items.empty());
        }
    }
    CHECK(onramp::connectors::find_platform("myspace") == nullptr);
}

TEST_CASE("the control endpoints set faults, report them and count requests") {
    MockFixture m;
    CHECK(call("GET", m.mock.url() + "/_mock/health").status == 200);
    auto creds = call("GET", m.mock.url() + "/_mock/credentials");
    CHECK(json::parse(creds.body).size() == onramp::platforms::modules().size());

    auto set = call("POST", m.mock.url() + "/_mock/faults", R"({"platform": "twilio", "fail_next": 1, "missing_scopes": ["calls"]})");
    REQUIRE(set.status == 200);
    auto faults = json::parse(call("GET", m.mock.url() + "/_mock/faults").body);
    CHECK(faults["twilio"]["fail_next"] == 1);
    CHECK(faults["twilio"]["missing_scopes"] == json({"calls"}));

    auto first = call("GET", m.mock.url() + "/twilio/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef.json");
    CHECK(first.status == 503);
    auto stats = json::parse(call("GET", m.mock.url() + "/_mock/stats").body);
    CHECK(stats["twilio"]["requests"] == 1);
    CHECK(stats["twilio"]["errors"] == 1);

    CHECK(call("DELETE", m.mock.url() + "/_mock/faults").status == 204);
    CHECK(json::parse(call("GET", m.mock.url() + "/_mock/faults").body).empty());
}

TEST_CASE("an unauthenticated request gets the platform's own error shape") {
    MockFixture m;
    auto bc = call("GET", m.mock.url() + "/bigcommerce/stores/onrampdemo/v2/store");
    CHECK(bc.status == 401);
    CHECK(json::parse(bc.body)["title"] == "No valid credential was supplied.");
    auto shop = call("GET", m.mock.url() + "/shopify/onramp-demo.myshopify.com/admin/api/2024-04/shop.json");
    CHECK(shop.status == 401);
    CHECK(json::parse(shop.body)["errors"].get<std::string>().find("[API]") == 0);
    auto tw = call("GET", m.mock.url() + "/twilio/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef.json");
    CHECK(json::parse(tw.body)["code"] == 20003);
}

TEST_CASE("demo mode starts the mock and keeps the operator's overrides") {
    std::map<std::string, std::string> base_urls = {{"shopify", "https://staging.example.com"}};
    auto mock = onramp::mock::start_demo_platforms(base_urls);
    REQUIRE(mock);
    CHECK(base_urls["shopify"] == "https://staging.example.com");
    CHECK(base_urls["bigcommerce"] == mock->url() + "/bigcommerce");
    CHECK(base_urls.count("amazon_lwa") == 1);
    CHECK(base_urls.count("custom_crm_token") == 1);
    CHECK(call("GET", mock->url() + "/_mock/health").status == 200);
    // The knobs' demo values: Amazon's clock runs 60 times faster.
    CHECK(onramp::platforms::amazon_sp_api::mock_time_scale(mock->state().options) == 60);
}

TEST_CASE("a knob reads as its module parses it, and one no module declares or accepts is refused") {
    onramp::mock::Options o;
    CHECK(onramp::platforms::bigcommerce::mock_quota(o).requests == 150);  // the documented default
    CHECK(onramp::platforms::bigcommerce::mock_quota(o).window_ms == 30000);
    o.knobs["bigcommerce-quota"] = "4/1000";
    CHECK(onramp::mock::knob_problem(o.knobs).empty());
    CHECK(onramp::platforms::bigcommerce::mock_quota(o).requests == 4);
    CHECK(onramp::platforms::bigcommerce::mock_quota(o).window_ms == 1000);

    CHECK(onramp::mock::knob_problem({{"bigcommerce-quota", "x"}}) == "bigcommerce-quota wants N/MS, got 'x'");
    CHECK(onramp::mock::knob_problem({{"bigcommerce-quota", "0.5/1000"}}) != "");
    CHECK(onramp::mock::knob_problem({{"shopify-bucket", "40/0"}}) != "");
    CHECK(onramp::mock::knob_problem({{"amazon-time-scale", "-1"}}) != "");
    CHECK(onramp::mock::knob_problem({{"amazon-rate-scale", "2"}}) == "no platform's mock has a setting 'amazon-rate-scale'");
    onramp::mock::Options bad;
    bad.knobs["shopify-bucket"] = "40";
    CHECK_THROWS_AS(onramp::mock::MockPlatforms{bad}, std::invalid_argument);
}

TEST_CASE("the data set is deterministic, sized as asked and editable by touch") {
    onramp::demo::Dataset a(1000, 42), b(1000, 42), c(1000, 43);
    CHECK(a.product(7).title == b.product(7).title);
    CHECK(a.product(7).updated_at == b.product(7).updated_at);
    CHECK(a.contact(99).email == b.contact(99).email);
    bool differs = false;
    for (int i = 0; i < 10; ++i) differs = differs || a.product(i).title != c.product(i).title;
    CHECK(differs);
    CHECK(a.count(onramp::demo::Kind::product) == 1000);
    CHECK(a.count(onramp::demo::Kind::order) == 500);
    CHECK(a.product(3).variants.size() == 3);
    CHECK(onramp::demo::Dataset(1000000, 1).count(onramp::demo::Kind::product) == onramp::demo::kMaxProducts);
    a.touch(onramp::demo::Kind::product, 7, onramp::demo::kEpoch + 999 * 86400);
    CHECK(a.product(7).updated_at == onramp::demo::kEpoch + 999 * 86400);
}

TEST_CASE("an edit on the platform shows in the next incremental window") {
    MockFixture m;
    auto c = m.creds("shopify");
    int64_t later = onramp::demo::kEpoch + 500 * 86400;  // after every generated change
    m.mock.state().data.touch(onramp::demo::Kind::product, 12, later);
    onramp::connectors::Window w{"2026-05-01T00:00:00Z", ""};
    auto items = m.all("shopify", onramp::connectors::Resource::products, c, nullptr, w);
    REQUIRE(items.size() == 1);
    CHECK(items[0].id == "7000000012");
}

}
