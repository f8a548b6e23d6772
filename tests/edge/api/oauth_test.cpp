// Specification of the Shopify OAuth install (the OAuth start and callback
// handlers): a manager starts it and gets an authorization URL
// with a fresh state; the mock Shopify approves and redirects back with a
// signed query; the callback checks the signature, then the state (single
// use, ten minutes, same shop, the starting session still signed in),
// exchanges the code, stores the connection and answers a page that posts
// the result to the web client's window. Any refusal stores nothing.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/connectors/wire.h"
#include "edge/http/client.h"
#include "edge/platforms/shopify/oauth.h"
#include "edge/support/test_app.h"

using nlohmann::json;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;
namespace shopify_oauth = onramp::connectors::shopify_oauth;
namespace wire = onramp::connectors::wire;

namespace {

const std::string kOrigin = "https://onramp.test";
const std::string kShop = "onramp-demo.myshopify.com";

using Query = std::multimap<std::string, std::string>;

struct Install {
    MockFixture m;
    TestApp t;
    std::string acme, globex, ann, carl;

    Install() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.config.public_url = kOrigin;
        acme = t.make_org("Acme");
        globex = t.make_org("Globex");
        t.add_member(acme, t.make_user("ann@acme.test", "pw-123456"), "manager");
        t.add_member(acme, t.make_user("carl@acme.test", "pw-123456"), "csr");
        ann = t.login("ann@acme.test", "pw-123456");
        carl = t.login("carl@acme.test", "pw-123456");
    }

    std::string start_path(const std::string& org, const std::string& platform = "shopify") {
        return "/api/v1/orgs/" + org + "/oauth/" + platform + "/start";
    }

    json start(const std::string& shop = "onramp-demo") {
        Reply r = t.post(start_path(acme), {{"shop_domain", shop}, {"name", "Web shop"}}, ann);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return r.json();
    }

    // The merchant approves at the mock: its redirect back, as a query.
    Query approve(const std::string& authorization_url) {
        onramp::http::FetchRequest req;
        req.url = authorization_url;
        onramp::http::FetchResult res = onramp::http::fetch(req);
        REQUIRE_MESSAGE(res.ok(), res.failure.message);
        REQUIRE_MESSAGE(res.response.status == 302, res.response.body);
        std::string location = res.response.header("Location");
        REQUIRE(location.rfind(kOrigin + "/oauth/shopify/callback?", 0) == 0);
        Query q;
        for (const char* k : {"code", "hmac", "host", "shop", "state", "timestamp"})
            q.emplace(k, wire::query_param(location, k));
        return q;
    }

    // The router sees a decoded query, as cpp-httplib hands it over.
    Reply callback(const Query& q) {
        std::string path = "/oauth/shopify/callback?";
        for (const auto& [k, v] : q) path += k + "=" + v + "&";
        return t.get(path);
    }

    int64_t connections() {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM connections");
        return st.step() ? st.i64(0) : -1;
    }
};

// The posted message, read back out of the completion page.
json posted(const Reply& r) {
    std::string marker = "var result = ";
    size_t at = r.body.find(marker);
    REQUIRE(at != std::string::npos);
    size_t end = r.body.find(";\n", at);
    return json::parse(r.body.substr(at + marker.size(), end - at - marker.size()));
}

Query resigned(Query q, const std::string& key, const std::string& value) {
    q.erase(key);
    if (!value.empty()) q.emplace(key, value);
    q.erase("hmac");
    q.emplace("hmac", shopify_oauth::sign(onramp::mock::demo_shopify_app()["client_secret"], q));
    return q;
}

}  // namespace

TEST_SUITE("oauth.api") {

TEST_CASE("Shopify's query signature: the documented example, escaping, and a constant-time check") {
    Query q = {{"code", "0907a61c0c8d55e99db179b68161bc00"},
               {"shop", "some-shop.myshopify.com"},
               {"state", "0.6784241404160823"},
               {"timestamp", "1337178173"},
               {"hmac", "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf"}};
    CHECK(shopify_oauth::signed_message(q) ==
          "code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173");
    // Computed with `openssl dgst -sha256 -hmac hush` over the line above.
    CHECK(shopify_oauth::verify("hush", q));
    CHECK_FALSE(shopify_oauth::verify("hushh", q));
    q.find("state")->second = "0.6784241404160824";
    CHECK_FALSE(shopify_oauth::verify("hush", q));
    Query escaped = {{"a%b=c", "x&y"}, {"code", "1"}};
    CHECK(shopify_oauth::signed_message(escaped) == "a%25b%3Dc=x%26y&code=1");
    escaped.emplace("hmac", "b2a664fd004901b075ff289e19182217614ce9d887c2f110b41c9aa04bec5f7e");
    CHECK(shopify_oauth::verify("hush", escaped));
}

TEST_CASE("end to end against the mock: the connection is stored and the page posts to the web client") {
    Install i;
    json started = i.start();
    std::string url = started["authorization_url"];
    CHECK(url.rfind(i.m.mock.url() + "/shopify/" + kShop + "/admin/oauth/authorize?", 0) == 0);
    CHECK(wire::query_param(url, "client_id") == onramp::mock::demo_shopify_app()["client_id"]);
    CHECK(wire::query_param(url, "scope") == "read_products,read_inventory,read_orders");
    CHECK(wire::query_param(url, "redirect_uri") == kOrigin + "/oauth/shopify/callback");
    CHECK(wire::query_param(url, "state") == started["state"]);
    CHECK(started["state"].get<std::string>().size() >= 43);

    Reply page = i.callback(i.approve(url));
    REQUIRE_MESSAGE(page.status == 200, page.body);
    CHECK(page.content_type == "text/html; charset=utf-8");
    CHECK(page.header("Cache-Control") == "no-store");
    CHECK(page.header("Referrer-Policy") == "no-referrer");
    CHECK(page.body.find("window.opener.postMessage(result, origin)") != std::string::npos);
    CHECK(page.body.find("var origin = \"" + kOrigin + "\";") != std::string::npos);
    json message = posted(page);
    CHECK(message["success"] == true);
    CHECK(message["platform"] == "shopify");
    CHECK(message["org_id"] == i.acme);

    Reply list = i.t.get("/api/v1/orgs/" + i.acme + "/connections", i.ann);
    REQUIRE(list.json()["total"] == 1);
    json conn = list.json()["items"][0];
    CHECK(conn["id"] == message["connection_id"]);
    CHECK(conn["name"] == "Web shop");
    CHECK(conn["credentials"]["shop_domain"] == kShop);
    CHECK(conn["verified"]["account_name"] == "Onramp Demo Shop");
    CHECK(list.body.find(onramp::mock::demo_credentials()["shopify"]["access_token"].get<std::string>()) ==
          std::string::npos);

    // Shopify signs the app's deliveries with its client secret, so the store
    // installed through the app needs no secret pasted: its hooks are registered.
    Reply hooks = i.t.get("/api/v1/orgs/" + i.acme + "/connections/" + conn["id"].get<std::string>() + "/webhooks", i.ann);
    REQUIRE_MESSAGE(hooks.status == 200, hooks.body);
    CHECK(hooks.json()["secret_configured"] == true);
    CHECK(hooks.json()["registration"]["state"] == "registered");
    CHECK(hooks.body.find(onramp::mock::demo_shopify_app()["client_secret"].get<std::string>()) == std::string::npos);
}

TEST_CASE("a state works once: the same redirect again is refused and stores nothing more") {
    Install i;
    Query q = i.approve(i.start()["authorization_url"]);
    REQUIRE(i.callback(q).status == 200);
    std::string before = i.t.snapshot();
    Reply again = i.callback(q);
    CHECK(again.status == 400);
    CHECK(posted(again)["error"] == "invalid_state");
    CHECK(posted(again)["success"] == false);
    CHECK(i.t.snapshot() == before);
}

TEST_CASE("an expired state (ten minutes) is refused") {
    Install i;
    Query q = i.approve(i.start()["authorization_url"]);
    std::string before = i.t.snapshot();
    i.t.clock += 600;
    Reply r = i.callback(q);
    CHECK(r.status == 400);
    CHECK(posted(r)["error"] == "invalid_state");
    CHECK(i.t.snapshot() == before);
}

TEST_CASE("a missing or unknown state is refused, even correctly signed") {
    Install i;
    Query q = i.approve(i.start()["authorization_url"]);
    std::string before = i.t.snapshot();
    Reply missing = i.callback(resigned(q, "state", ""));
    CHECK(missing.status == 400);
    CHECK(posted(missing)["error"] == "missing_state");
    Reply unknown = i.callback(resigned(q, "state", "made-up-state"));
    CHECK(unknown.status == 400);
    CHECK(posted(unknown)["error"] == "invalid_state");
    CHECK(i.t.snapshot() == before);
}

TEST_CASE("a state issued for one shop is refused for another") {
    Install i;
    Query q = i.approve(i.start()["authorization_url"]);
    std::string before = i.t.snapshot();
    Reply r = i.callback(resigned(q, "shop", "another-shop.myshopify.com"));
    CHECK(r.status == 400);
    CHECK(posted(r)["error"] == "foreign_state");
    CHECK(i.t.snapshot() == before);
}

TEST_CASE("a forged signature is refused without using up the state") {
    Install i;
    Query q = i.approve(i.start()["authorization_url"]);
    std::string before = i.t.snapshot();
    Query forged = q;
    forged.find("hmac")->second = std::string(64, '0');
    Reply r = i.callback(forged);
    CHECK(r.status == 400);
    CHECK(posted(r)["error"] == "invalid_signature");
    Query unsigned_q = q;
    unsigned_q.erase("hmac");
    CHECK(i.callback(unsigned_q).status == 400);
    CHECK(i.t.snapshot() == before);
    CHECK(i.callback(q).status == 200);  // the real redirect still completes
}

TEST_CASE("a state is bound to the session that started it: signed out means refused") {
    Install i;
    Query q = i.approve(i.start()["authorization_url"]);
    REQUIRE(i.t.call("POST", "/api/v1/auth/logout", "{}", i.ann).status == 204);
    std::string before = i.t.snapshot();
    Reply r = i.callback(q);
    CHECK(r.status == 403);
    CHECK(posted(r)["error"] == "session_ended");
    CHECK(i.connections() == 0);
    CHECK(i.t.snapshot() == before);
}

TEST_CASE("a code Shopify refuses is a 502 page and stores nothing") {
    Install i;
    Query q = i.approve(i.start()["authorization_url"]);
    Reply r = i.callback(resigned(q, "code", "0123456789abcdef0123456789abcdef"));
    CHECK(r.status == 502);
    CHECK(posted(r)["error"] == "code_exchange_failed");
    CHECK(i.connections() == 0);
}

TEST_CASE("starting: 401, 403 for a non-manager, 404 for another tenant or platform, 400, 413, 422, 409") {
    Install i;
    std::string before = i.t.snapshot();
    json body = {{"shop_domain", "onramp-demo"}};
    CHECK(i.t.post(i.start_path(i.acme), body).status == 401);
    CHECK(i.t.post(i.start_path(i.acme), body, i.carl).status == 403);
    CHECK(i.t.post(i.start_path(i.globex), body, i.ann).status == 404);
    CHECK(i.t.post(i.start_path(i.acme, "woocommerce"), body, i.ann).status == 404);
    CHECK(i.t.call("POST", i.start_path(i.acme), "{\"shop_domain\": ", i.ann).status == 400);
    CHECK(i.t.call("POST", i.start_path(i.acme), std::string(2 << 20, ' '), i.ann).status == 413);
    Reply types = i.t.post(i.start_path(i.acme), {{"shop_domain", 42}, {"sync_frequency", "often"}}, i.ann);
    CHECK(types.status == 422);
    CHECK(types.json()["errors"].contains("shop_domain"));
    CHECK(types.json()["errors"].contains("sync_frequency"));
    CHECK(i.t.post(i.start_path(i.acme), {{"shop_domain", "not a shop!"}}, i.ann).status == 422);
    i.t.app.config.public_url.clear();
    CHECK(i.t.post(i.start_path(i.acme), body, i.ann).status == 409);
    CHECK(i.t.snapshot() == before);
    CHECK(i.t.app.oauth_states.size() == 0);
}

TEST_CASE("outside demo mode the Shopify app comes from SHOPIFY_API_KEY and SHOPIFY_API_SECRET") {
    Install i;
    i.t.app.config.demo = false;
    CHECK(i.t.post(i.start_path(i.acme), {{"shop_domain", "onramp-demo"}}, i.ann).status == 409);
    std::map<std::string, std::string> env = {{"SHOPIFY_API_KEY", "prod-key"}, {"SHOPIFY_API_SECRET", "prod-secret"}};
    i.t.app.env = [&env](const std::string& k) { return env.count(k) ? env[k] : std::string(); };
    Reply r = i.t.post(i.start_path(i.acme), {{"shop_domain", "onramp-demo"}}, i.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(wire::query_param(r.json()["authorization_url"], "client_id") == "prod-key");
}

}
