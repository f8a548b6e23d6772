// Specification of automatic webhook registration: making
// a BigCommerce, Shopify or WooCommerce connection registers its topics on
// the platform once nothing they need is missing, never twice, and
// deleting the connection removes them. A platform's refusal or a missing
// prerequisite never fails the connection: the reason is in the webhooks
// view. Everything is asserted on the mock platform's own hook list.
#include <doctest/doctest.h>

#include <algorithm>

#include "edge/connectors/mock_fixture.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"
#include "edge/platforms/bigcommerce/webhook.h"
#include "edge/store/db.h"
#include "edge/support/test_app.h"
#include "edge/webhooks/automatic.h"
#include "edge/webhooks/registration.h"

using nlohmann::json;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;

namespace {

constexpr const char* kPublicUrl = "https://edge.example.test";
const std::string kSecretHeader(onramp::webhooks::kBigCommerceSecretHeader);

struct Auto {
    MockFixture m;
    TestApp t;
    std::string acme, ann;

    Auto() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.config.public_url = kPublicUrl;
        acme = t.make_org("Acme");
        t.add_member(acme, t.make_user("ann@acme.test", "pw-123456"), "manager");
        ann = t.login("ann@acme.test", "pw-123456");
    }

    std::string base() { return "/api/v1/orgs/" + acme + "/connections"; }

    Reply create(const std::string& platform) {
        return t.post(base(), {{"platform", platform}, {"name", platform},
                               {"credentials", onramp::mock::demo_credentials()[platform]}},
                      ann);
    }
    std::string connect(const std::string& platform) {
        Reply r = create(platform);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return r.json()["id"];
    }
    Reply rotate(const std::string& id, const std::string& platform) {
        return t.call("PUT", base() + "/" + id + "/credentials",
                      json{{"credentials", onramp::mock::demo_credentials()[platform]}}.dump(), ann);
    }
    json view(const std::string& id) {
        Reply r = t.get(base() + "/" + id + "/webhooks", ann);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return r.json();
    }

    // The mock platform's hooks: what the platform would deliver to.
    std::vector<onramp::mock::MockHook> hooks(const std::string& platform) {
        std::lock_guard<std::mutex> lock(m.mock.state().mu);
        std::vector<onramp::mock::MockHook> out;
        for (const auto& h : m.mock.state().hooks)
            if (h.platform == platform) out.push_back(h);
        return out;
    }
    std::vector<std::string> topics(const std::string& platform) {
        std::vector<std::string> out;
        for (const auto& h : hooks(platform)) out.push_back(h.topic);
        std::sort(out.begin(), out.end());
        return out;
    }
    // The secret deliveries are verified with, from the vault.
    std::string secret(const std::string& id) {
        auto db = t.app.store->lease();
        auto conn = onramp::store::find_connection(*db, acme, id);
        REQUIRE(conn);
        auto keys = onramp::webhooks::load_secrets(*t.app.vault, *db, *conn, onramp::webhooks::find_endpoint(*db, id),
                                                   t.clock)
                        .keys;
        return keys.empty() ? "" : keys.front();
    }
    int64_t audits(const std::string& action, const std::string& id) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM audit_log WHERE action = ? AND object_id = ?");
        st.bind_all(action, id);
        return st.step() ? st.i64(0) : -1;
    }
};

std::vector<std::string> expected_topics(const std::string& platform) {
    auto t = onramp::webhooks::registration_topics(platform);
    std::sort(t.begin(), t.end());
    return t;
}

}  // namespace

TEST_SUITE("webhooks.automatic") {

TEST_CASE("a BigCommerce or WooCommerce connection leaves exactly its topics on the platform, addressed to it") {
    for (const char* platform : {"bigcommerce", "woocommerce"}) {
        CAPTURE(platform);
        Auto a;
        Reply r = a.create(platform);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        std::string id = r.json()["id"];
        CHECK(r.json()["webhooks"]["state"] == "registered");
        CHECK(r.json()["webhooks"]["hooks"] == expected_topics(platform).size());
        CHECK(a.topics(platform) == expected_topics(platform));
        std::string scheme = platform;
        for (const auto& h : a.hooks(platform)) {
            CHECK(h.destination == std::string(kPublicUrl) + "/webhooks/" + scheme + "/" + id);
            CHECK(h.active);
        }
        json v = a.view(id);
        CHECK(v["registration"]["state"] == "registered");
        CHECK(v["registration"]["automatic"] == true);
        CHECK(v["secret_configured"] == true);
        CHECK(v["registered"].size() == expected_topics(platform).size());
        CHECK(a.audits("webhook.registered", id) == 1);
    }
}

TEST_CASE("the platform signs with the secret Onramp generated and holds") {
    Auto a;
    std::string woo = a.connect("woocommerce");
    std::string bc = a.connect("bigcommerce");
    REQUIRE(a.secret(woo).size() >= 40);
    REQUIRE(a.secret(bc).size() >= 40);
    for (const auto& h : a.hooks("woocommerce")) CHECK(h.secret == a.secret(woo));
    for (const auto& h : a.hooks("bigcommerce")) CHECK(h.headers[kSecretHeader] == a.secret(bc));
}

TEST_CASE("Shopify waits for the app's secret, with the reason shown, then registers as soon as it is set") {
    Auto a;
    Reply r = a.create("shopify");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    std::string id = r.json()["id"];
    CHECK(r.json()["status"] == "active");
    CHECK(r.json()["webhooks"]["state"] == "pending");
    CHECK(r.json()["webhooks"]["reason"].get<std::string>().find("client secret") != std::string::npos);
    CHECK(a.hooks("shopify").empty());
    json v = a.view(id);
    CHECK(v["registration"]["state"] == "pending");
    CHECK(v["registration"]["reason"] == r.json()["webhooks"]["reason"]);

    Reply set = a.t.call("PUT", a.base() + "/" + id + "/webhooks/secret", json{{"secret", "shpss_app"}}.dump(), a.ann);
    REQUIRE_MESSAGE(set.status == 200, set.body);
    CHECK(set.json()["registration"]["state"] == "registered");
    CHECK(a.topics("shopify") == expected_topics("shopify"));
    for (const auto& h : a.hooks("shopify"))
        CHECK(h.destination == std::string(kPublicUrl) + "/webhooks/shopify/" + id);
}

TEST_CASE("registering again, rotating the credentials or the secret never doubles a hook") {
    Auto a;
    std::string id = a.connect("bigcommerce");
    std::string w = a.connect("woocommerce");
    size_t bc = expected_topics("bigcommerce").size(), woo = expected_topics("woocommerce").size();
    REQUIRE(a.hooks("bigcommerce").size() == bc);
    std::vector<int64_t> ids;
    for (const auto& h : a.hooks("bigcommerce")) ids.push_back(h.id);

    CHECK(a.t.call("POST", a.base() + "/" + id + "/webhooks/registration", "", a.ann).status == 200);
    Reply rotated = a.rotate(id, "bigcommerce");
    REQUIRE_MESSAGE(rotated.status == 200, rotated.body);
    CHECK(rotated.json()["webhooks"]["state"] == "registered");
    REQUIRE(a.rotate(w, "woocommerce").status == 200);
    CHECK(a.hooks("bigcommerce").size() == bc);
    CHECK(a.hooks("woocommerce").size() == woo);
    std::vector<int64_t> after;
    for (const auto& h : a.hooks("bigcommerce")) after.push_back(h.id);
    CHECK(after == ids);

    // A new secret is pushed onto the same hooks.
    Reply secret = a.t.call("PUT", a.base() + "/" + id + "/webhooks/secret", "{}", a.ann);
    REQUIRE_MESSAGE(secret.status == 200, secret.body);
    CHECK(a.hooks("bigcommerce").size() == bc);
    for (const auto& h : a.hooks("bigcommerce"))
        CHECK(h.headers[kSecretHeader] == secret.json()["secret"]);
}

TEST_CASE("deleting a connection removes its hooks from the platform and leaves the others") {
    Auto a;
    std::string bc = a.connect("bigcommerce");
    std::string woo = a.connect("woocommerce");
    std::string shop = a.connect("shopify");
    REQUIRE(a.t.call("PUT", a.base() + "/" + shop + "/webhooks/secret", json{{"secret", "shpss_app"}}.dump(), a.ann)
                .status == 200);
    REQUIRE(a.hooks("shopify").size() == expected_topics("shopify").size());

    CHECK(a.t.call("DELETE", a.base() + "/" + bc, "", a.ann).status == 204);
    CHECK(a.hooks("bigcommerce").empty());
    CHECK(a.hooks("woocommerce").size() == expected_topics("woocommerce").size());
    CHECK(a.audits("webhook.unregistered", bc) == 1);

    CHECK(a.t.call("DELETE", a.base() + "/" + woo, "", a.ann).status == 204);
    CHECK(a.hooks("woocommerce").empty());
    CHECK(a.t.call("DELETE", a.base() + "/" + shop, "", a.ann).status == 204);
    CHECK(a.hooks("shopify").empty());
}

TEST_CASE("a platform that refuses registration still yields the connection, with the refusal visible and retried by hand") {
    Auto a;
    // BigCommerce delivers to HTTPS on port 443 only.
    a.t.app.config.public_url = "https://edge.example.test:8443";
    Reply r = a.create("bigcommerce");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    std::string id = r.json()["id"];
    CHECK(r.json()["status"] == "active");
    CHECK(r.json()["webhooks"]["state"] == "failed");
    std::string reason = r.json()["webhooks"]["reason"];
    CHECK(reason.find("port 443") != std::string::npos);
    CHECK(a.hooks("bigcommerce").empty());
    CHECK(a.t.get(a.base() + "/" + id, a.ann).status == 200);
    json v = a.view(id);
    CHECK(v["registration"]["state"] == "failed");
    CHECK(v["registration"]["reason"] == reason);
    CHECK(v["registration"]["attempted_at"].is_string());
    CHECK(a.audits("webhook.registration_failed", id) == 1);

    a.t.app.config.public_url = kPublicUrl;
    Reply retry = a.t.call("POST", a.base() + "/" + id + "/webhooks/registration", "", a.ann);
    REQUIRE_MESSAGE(retry.status == 200, retry.body);
    CHECK(retry.json()["registration"]["state"] == "registered");
    CHECK(a.topics("bigcommerce") == expected_topics("bigcommerce"));
}

TEST_CASE("platforms without a webhook API register nothing and say the steps are manual") {
    Auto a;
    for (const onramp::platforms::Module* module : onramp::platforms::modules()) {
        std::string platform(module->id);
        if (onramp::webhooks::supports_registration(platform)) continue;
        CAPTURE(platform);
        Reply r = a.create(platform);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        CHECK(r.json()["webhooks"]["state"] == "manual");
        json v = a.view(r.json()["id"]);
        CHECK(v["registration"]["state"] == "manual");
        CHECK(v["registration"]["automatic"] == false);
    }
    std::lock_guard<std::mutex> lock(a.m.mock.state().mu);
    CHECK(a.m.mock.state().hooks.empty());
}

TEST_CASE("without a public URL the connection is made and registration waits, saying why") {
    Auto a;
    a.t.app.config.public_url = "";
    Reply r = a.create("bigcommerce");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    CHECK(r.json()["webhooks"]["state"] == "pending");
    CHECK(r.json()["webhooks"]["reason"].get<std::string>().find("--public-url") != std::string::npos);
    CHECK(a.hooks("bigcommerce").empty());
    CHECK(a.view(r.json()["id"])["registration"]["state"] == "pending");
}

TEST_CASE("a demo edge on loopback registers on the mock platforms, which are on loopback too") {
    Auto a;
    a.t.app.config.public_url = "http://127.0.0.1:8080";
    std::string id = a.connect("bigcommerce");
    REQUIRE(a.hooks("bigcommerce").size() == expected_topics("bigcommerce").size());
    CHECK(a.hooks("bigcommerce")[0].destination == "http://127.0.0.1:8080/webhooks/bigcommerce/" + id);
}

TEST_CASE("a public URL is given only to a platform that can reach it") {
    TestApp t;
    auto& config = t.app.config;
    onramp::store::Connection bc;
    bc.id = "con_x";
    bc.platform = "bigcommerce";
    onramp::store::Connection woo = bc;
    woo.platform = "woocommerce";
    woo.config = {{"site_url", "http://192.168.1.20"}};
    auto missing = [&](const onramp::store::Connection& c) {
        auto db = t.app.store->lease();
        return onramp::webhooks::missing_prerequisite(t.app, *db, c, std::nullopt);
    };

    config.public_url = "https://edge.example.test";
    CHECK(!missing(bc));
    CHECK(!missing(woo));

    config.public_url = "http://127.0.0.1:8080";  // the default of a server started without --public-url
    REQUIRE(missing(bc));
    CHECK(missing(bc)->find("this machine's own address") != std::string::npos);
    CHECK(missing(woo));
    config.base_urls["bigcommerce"] = "http://127.0.0.1:9000/bigcommerce";
    CHECK(!missing(bc));
    config.base_urls.clear();

    config.public_url = "http://10.0.0.5:8080";
    REQUIRE(missing(bc));
    CHECK(missing(bc)->find("private network") != std::string::npos);
    CHECK(!missing(woo));  // a store on the same kind of network reaches it

    config.public_url = "http://localhost:8080";
    CHECK(missing(bc));
    config.public_url = "http://127.0.0.1:0";  // a port not yet chosen is no address
    CHECK(missing(bc));
    config.public_url = "";
    CHECK(missing(bc));
}

TEST_CASE("hooks an operator removed stay removed when the credentials rotate") {
    Auto a;
    std::string id = a.connect("bigcommerce");
    REQUIRE(a.t.call("DELETE", a.base() + "/" + id + "/webhooks/registration", "", a.ann).status == 204);
    REQUIRE(a.hooks("bigcommerce").empty());
    Reply rotated = a.rotate(id, "bigcommerce");
    REQUIRE(rotated.status == 200);
    CHECK(rotated.json()["webhooks"]["state"] == "removed");
    CHECK(a.hooks("bigcommerce").empty());
    CHECK(a.view(id)["registration"]["state"] == "removed");
    CHECK(a.t.call("POST", a.base() + "/" + id + "/webhooks/registration", "", a.ann).status == 200);
    CHECK(a.hooks("bigcommerce").size() == expected_topics("bigcommerce").size());
}

TEST_CASE("a platform error while deleting is audited and the connection goes; reconnecting clears what it left") {
    Auto a;
    std::string old_id = a.connect("bigcommerce");
    REQUIRE(a.hooks("bigcommerce").size() == expected_topics("bigcommerce").size());
    onramp::mock::Faults down;
    down.fail_next = 1;  // the first hook deletion answers 503
    a.m.mock.set_faults("bigcommerce", down);
    CHECK(a.t.call("DELETE", a.base() + "/" + old_id, "", a.ann).status == 204);
    CHECK(a.t.get(a.base() + "/" + old_id, a.ann).status == 404);
    CHECK(a.audits("webhook.unregister_failed", old_id) == 1);
    CHECK(a.audits("connection.deleted", old_id) == 1);
    CHECK(a.hooks("bigcommerce").size() == expected_topics("bigcommerce").size());  // left on the platform

    std::string id = a.connect("bigcommerce");
    CHECK(a.topics("bigcommerce") == expected_topics("bigcommerce"));
    for (const auto& h : a.hooks("bigcommerce"))
        CHECK(h.destination == std::string(kPublicUrl) + "/webhooks/bigcommerce/" + id);
}

}  // TEST_SUITE
