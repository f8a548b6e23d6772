// Specification of ANY /api/v1/proxy/{connection_id}/{*rest}: the caller's
// own token in, the stored credential out to the platform and never back;
// paths confined to the platform's API; the caller's auth headers and
// cookies never forwarded; the rate budget respected; tenants kept apart.
#include <doctest/doctest.h>

#include <thread>

#include "edge/http/server.h"
#include "edge/sync/sync_fixture.h"

using nlohmann::json;
using onramp::testing::Reply;
using onramp::testing::SyncApp;

namespace {

std::string proxy(const std::string& id, const std::string& rest) { return "/api/v1/proxy/" + id + "/" + rest; }

// A platform stand-in that records the last request it received.
struct Recorder {
    onramp::http::Router router;
    std::unique_ptr<onramp::http::Server> server;
    std::thread thread;
    std::mutex mu;
    onramp::http::Request last;

    Recorder() {
        router.add({"GET", "/{*rest}", onramp::http::Access::Public, onramp::http::Body::Raw,
                    [this](const onramp::http::Call& c) -> onramp::Result<onramp::http::Response> {
                        std::lock_guard<std::mutex> lock(mu);
                        last = c.req;
                        onramp::http::Response r = onramp::http::Response::json({{"ok", true}});
                        r.set_header("Set-Cookie", "platform_session=1");
                        r.set_header("X-Internal-Host", "db-7.platform.internal");
                        r.set_header("X-Rate-Limit-Requests-Left", "99");
                        r.set_header("X-Rate-Limit-Time-Reset-Ms", "1000");
                        return r;
                    }});
        onramp::http::ServerOptions o;
        o.port = 0;
        o.threads = 2;
        server = std::make_unique<onramp::http::Server>(router, o);
        REQUIRE(server->bind());
        thread = std::thread([this] { server->run(); });
    }
    ~Recorder() {
        server->stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
};

std::string secret_of(const std::string& platform) {
    return onramp::mock::demo_credentials()[platform]["access_token"].get<std::string>();
}

}  // namespace

TEST_SUITE("proxy.api") {

TEST_CASE("a GET reaches BigCommerce with the stored token, and the caller never sees it") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    Reply r = s.t.get(proxy(id, "v3/catalog/products?limit=5&include=variants"), s.member_token);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json body = r.json();
    REQUIRE(body["data"].is_array());
    CHECK(body["data"].size() == 5);
    CHECK(body["data"][0]["variants"].size() == 3);
    CHECK(r.body.find(secret_of("bigcommerce")) == std::string::npos);
    for (const auto& [k, v] : r.headers) CHECK(v.find(secret_of("bigcommerce")) == std::string::npos);
    CHECK(r.header("X-Auth-Token").empty());
    CHECK_FALSE(r.header("X-Rate-Limit-Requests-Left").empty());  // the client may pace itself
    CHECK(r.header("Cache-Control") == "no-store");
}

TEST_CASE("Shopify answers through the proxy with its pagination and call-limit headers") {
    SyncApp s;
    std::string id = s.connect("shopify", false);
    Reply r = s.t.get(proxy(id, "products.json?limit=3"), s.token);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["products"].size() == 3);
    CHECK(r.header("Link").find("rel=\"next\"") != std::string::npos);
    CHECK_FALSE(r.header("X-Shopify-Shop-Api-Call-Limit").empty());
    CHECK(r.body.find(secret_of("shopify")) == std::string::npos);
}

TEST_CASE("the platform receives the stored credential and none of the caller's auth headers or cookies") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    Recorder platform;
    s.t.app.config.base_urls["bigcommerce"] = platform.url();
    Reply r = s.t.call("GET", proxy(id, "v3/catalog/summary?x=1%202"), "", s.token,
                       {{"Cookie", "onramp_session=abc"}, {"Accept", "application/json"}, {"X-Forwarded-Host", "evil.test"},
                        {"Proxy-Authorization", "Basic Zm9vOmJhcg=="}, {"Connection", "keep-alive, X-Auth-Token"}});
    REQUIRE_MESSAGE(r.status == 200, r.body);
    std::lock_guard<std::mutex> lock(platform.mu);
    const onramp::http::Request& got = platform.last;
    std::string store_hash = onramp::mock::demo_credentials()["bigcommerce"]["store_hash"];
    CHECK(got.path == "/stores/" + store_hash + "/v3/catalog/summary");
    CHECK(got.query_value("x") == "1 2");
    CHECK(got.header("X-Auth-Token") == secret_of("bigcommerce"));
    CHECK(got.header("Accept") == "application/json");
    CHECK_FALSE(got.has_header("Authorization"));  // the caller's Onramp token stays here
    CHECK_FALSE(got.has_header("Cookie"));
    CHECK_FALSE(got.has_header("Proxy-Authorization"));
    CHECK_FALSE(got.has_header("X-Forwarded-Host"));
    // Only headers a client can use come back.
    CHECK(r.header("Set-Cookie").empty());
    CHECK(r.header("X-Internal-Host").empty());
    CHECK(r.header("X-Rate-Limit-Requests-Left") == "99");
}

TEST_CASE("paths that would leave the platform's API are refused before anything is sent") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    int64_t requests = s.m.mock.stats("bigcommerce").requests;
    std::string before = s.t.snapshot();
    for (const char* rest : {"v3/../../other-store/v3/catalog/products", "..", "v3/./catalog", "http://evil.test/x",
                             "v3//catalog", "v3\\..\\x", "v3/catalog products"}) {
        CAPTURE(rest);
        Reply r = s.t.get(proxy(id, rest), s.token);
        CHECK(r.status == 400);
        CHECK(r.json()["error_code"] == "proxy_path_refused");
    }
    CHECK(s.t.get(proxy(id, "v3/catalog/products?a=1#frag"), s.token).status == 400);
    CHECK(s.m.mock.stats("bigcommerce").requests == requests);
    CHECK(s.t.snapshot() == before);
}

TEST_CASE("proxy: no auth 401, another tenant 404, members read but do not write, oversized 413") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    std::string before = s.t.snapshot();
    int64_t requests = s.m.mock.stats("bigcommerce").requests;
    CHECK(s.t.get(proxy(id, "v3/catalog/products")).status == 401);
    CHECK(s.t.get(proxy(id, "v3/catalog/products"), "bogus-token").status == 401);
    CHECK(s.t.get(proxy(id, "v3/catalog/products"), s.other_token).status == 404);
    CHECK(s.t.get(proxy("conn_does_not_exist", "v3/catalog/products"), s.token).status == 404);
    CHECK(s.t.call("POST", proxy(id, "v3/catalog/products"), "{\"name\":\"x\"}", s.member_token).status == 403);
    CHECK(s.t.call("DELETE", proxy(id, "v3/catalog/products/1"), "", s.other_token).status == 404);
    Reply big = s.t.call("POST", proxy(id, "v3/catalog/products"), std::string((8 << 20) + 1, 'x'), s.token);
    CHECK(big.status == 413);
    CHECK(s.m.mock.stats("bigcommerce").requests == requests);
    CHECK(s.t.snapshot() == before);
}

TEST_CASE("a manager's write is forwarded with its body and audited without the body or the secret") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    Reply r = s.t.call("POST", proxy(id, "v3/catalog/products"), "{\"name\":\"New\"}", s.token);
    CHECK(r.status != 401);
    CHECK(r.status != 403);
    auto db = s.t.app.store->lease();
    onramp::store::Stmt st(*db, "SELECT detail FROM audit_log WHERE action = 'proxy.forwarded' AND object_id = ?");
    st.bind(1, id);
    REQUIRE(st.step());
    json detail = json::parse(st.text(0));
    CHECK(detail["method"] == "POST");
    CHECK(detail["path"] == "v3/catalog/products");
    CHECK(st.text(0).find(secret_of("bigcommerce")) == std::string::npos);
    CHECK(st.text(0).find("New") == std::string::npos);
}

TEST_CASE("credentials the platform no longer accepts are a 502, not the caller's 401") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    onramp::mock::Faults f;
    f.revoked = true;
    s.m.mock.set_faults("bigcommerce", f);
    Reply r = s.t.get(proxy(id, "v3/catalog/products"), s.token);
    CHECK(r.status == 502);
    CHECK(r.json()["error_code"] == "credential_rejected");
    CHECK(r.body.find(secret_of("bigcommerce")) == std::string::npos);
}

TEST_CASE("when the platform asks for a long wait, the caller gets 429 with Retry-After") {
    SyncApp s;
    std::string id = s.connect("shopify", false);
    onramp::mock::Faults f;
    f.rate_limit_next = 5;
    f.retry_after_s = 30;
    s.m.mock.set_faults("shopify", f);
    Reply r = s.t.get(proxy(id, "products.json"), s.token);
    CHECK(r.status == 429);
    CHECK(std::atoi(r.header("Retry-After").c_str()) >= 25);
    // The budget remembers: the next call is answered at once, unsent.
    int64_t requests = s.m.mock.stats("shopify").requests;
    CHECK(s.t.get(proxy(id, "products.json"), s.token).status == 429);
    CHECK(s.m.mock.stats("shopify").requests == requests);
}

TEST_CASE("a brief 429 is waited out and the caller gets the answer") {
    SyncApp s;
    std::string id = s.connect("shopify", false);
    onramp::mock::Faults f;
    f.rate_limit_next = 1;
    f.retry_after_s = 0.2;
    s.m.mock.set_faults("shopify", f);
    Reply r = s.t.get(proxy(id, "products.json?limit=2"), s.token);
    CHECK_MESSAGE(r.status == 200, r.body);
    CHECK(s.m.mock.stats("shopify").rate_limited == 1);
}

}  // TEST_SUITE
