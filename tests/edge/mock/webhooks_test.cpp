// Specification of the mock platforms' delivery sender (edge/mock/webhooks.cpp):
// once a connection's hooks are registered, POST /_mock/webhooks/send makes
// the mock deliver to the edge as the platform would, signed as the platform
// signs, and the edge verifies and stores the delivery. The edge listens on a
// real socket here, since the mock calls it back.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"
#include "edge/support/served.h"
#include "edge/support/test_app.h"
#include "edge/webhooks/registration.h"

using nlohmann::json;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::Served;
using onramp::testing::TestApp;

namespace {

struct Sender {
    MockFixture m;
    TestApp t;
    Served edge{t.router};
    std::string acme, ann;

    Sender() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.config.public_url = edge.url();
        acme = t.make_org("Acme");
        t.add_member(acme, t.make_user("ann@acme.test", "pw-123456"), "manager");
        ann = t.login("ann@acme.test", "pw-123456");
    }

    std::string base() { return "/api/v1/orgs/" + acme + "/connections"; }

    std::string connect(const std::string& platform) {
        Reply r = t.post(base(), {{"platform", platform}, {"name", platform},
                                  {"credentials", onramp::mock::demo_credentials()[platform]}},
                         ann);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return r.json()["id"];
    }
    void set_secret(const std::string& id, const std::string& secret) {
        Reply r = t.call("PUT", base() + "/" + id + "/webhooks/secret", json{{"secret", secret}}.dump(), ann);
        REQUIRE_MESSAGE(r.status == 200, r.body);
    }
    json view(const std::string& id) {
        Reply r = t.get(base() + "/" + id + "/webhooks", ann);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return r.json();
    }
    // Asks the mock to deliver `topic` for object `id` to every hook registered for it.
    json send(const std::string& platform, const std::string& topic, int64_t id) {
        onramp::http::FetchRequest req;
        req.method = "POST";
        req.url = m.mock.url() + "/_mock/webhooks/send";
        req.content_type = "application/json";
        req.body = json{{"platform", platform}, {"topic", topic}, {"id", id}}.dump();
        onramp::http::FetchResult res = onramp::http::fetch(req);
        REQUIRE_MESSAGE(res.ok(), res.failure.message);
        REQUIRE_MESSAGE(res.response.status == 200, res.response.body);
        return json::parse(res.response.body);
    }
};

}  // namespace

TEST_SUITE("mock.webhooks") {

TEST_CASE("BigCommerce, WooCommerce and Shopify deliveries from the mock are verified and stored by the edge") {
    for (const char* platform : {"bigcommerce", "woocommerce", "shopify"}) {
        CAPTURE(platform);
        Sender s;
        std::string id = s.connect(platform);
        // Shopify signs with the app's client secret, which only the operator knows.
        if (std::string(platform) == "shopify") s.set_secret(id, onramp::demo::kShopifyAppSecret);
        REQUIRE(s.view(id)["registration"]["state"] == "registered");

        std::string topic = onramp::webhooks::registration_topics(platform).at(1);
        json sent = s.send(platform, topic, 7);
        CHECK(sent["sent"] == 1);
        CHECK(sent["statuses"] == json::array({200}));

        json v = s.view(id);
        CHECK(v["counters"]["verified"] == 1);
        CHECK(v["counters"]["rejected"] == 0);
        REQUIRE(v["deliveries"].size() == 1);
        CHECK(v["deliveries"][0]["topic"] == topic);
    }
}

TEST_CASE("a Shopify delivery is refused when the edge holds another secret than the app's") {
    Sender s;
    std::string id = s.connect("shopify");
    s.set_secret(id, "shpss_not_the_app_secret_0123456789");
    REQUIRE(s.view(id)["registration"]["state"] == "registered");

    json sent = s.send("shopify", "products/update", 7);
    CHECK(sent["statuses"] == json::array({401}));
    json v = s.view(id);
    CHECK(v["counters"]["rejected"] == 1);
    CHECK(v["deliveries"].empty());
}

}  // TEST_SUITE
