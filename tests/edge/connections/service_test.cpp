// Specification of disconnecting (revoke where the platform allows, then
// delete): deleting a Shopify connection
// gives its access token up at Shopify before the row and its vault fields
// go, so the token stops working; a platform that refuses is audited and
// the connection is deleted all the same; platforms with no way to revoke
// are not called. A custom CRM signed in by OAuth 2.0 with a revocation URL
// gives its tokens up the same way (RFC 7009). Asserted on what the mock
// Shopify and CRM then accept.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/connectors/wire.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"
#include "edge/webhooks/registration.h"
#include "edge/support/test_app.h"

using nlohmann::json;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;
namespace wire = onramp::connectors::wire;

namespace {

const std::string kShop = "onramp-demo.myshopify.com";

struct Disconnect {
    MockFixture m;
    TestApp t;
    std::string acme, ann;

    Disconnect() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.config.public_url = "https://onramp.test";
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

    // What the mock Shopify answers the demo token now, on its shop endpoint.
    int shop_status() {
        onramp::http::FetchRequest req;
        req.url = m.mock.url() + "/shopify/" + kShop + "/admin/api/2024-04/shop.json";
        req.headers.emplace("X-Shopify-Access-Token",
                            onramp::mock::demo_credentials()["shopify"]["access_token"].get<std::string>());
        auto res = onramp::http::fetch(req);
        REQUIRE_MESSAGE(res.ok(), res.failure.message);
        return res.response.status;
    }

    // A Shopify app install at the mock, through Onramp's OAuth start and callback.
    void install() {
        Reply started = t.post("/api/v1/orgs/" + acme + "/oauth/shopify/start", {{"shop_domain", "onramp-demo"}}, ann);
        REQUIRE_MESSAGE(started.status == 200, started.body);
        onramp::http::FetchRequest approve;
        approve.url = started.json()["authorization_url"];
        auto res = onramp::http::fetch(approve);
        REQUIRE(res.ok());
        REQUIRE(res.response.status == 302);
        std::string location = res.response.header("Location");
        std::string path = "/oauth/shopify/callback?";
        for (const char* k : {"code", "hmac", "host", "shop", "state", "timestamp"})
            path += std::string(k) + "=" + wire::query_param(location, k) + "&";
        Reply page = t.get(path);
        REQUIRE_MESSAGE(page.status == 200, page.body);
        REQUIRE(page.body.find("\"success\":true") != std::string::npos);
    }

    // A custom CRM signed in through Onramp's OAuth start and callback: the
    // connection's id, and the access token the mock CRM issued it.
    std::pair<std::string, std::string> sign_in_crm(const json& settings) {
        Reply started = t.post("/api/v1/orgs/" + acme + "/oauth/custom_crm/start", {{"credentials", settings}}, ann);
        REQUIRE_MESSAGE(started.status == 200, started.body);
        onramp::http::FetchRequest approve;
        approve.url = started.json()["authorization_url"];
        auto res = onramp::http::fetch(approve);
        REQUIRE(res.ok());
        REQUIRE(res.response.status == 302);
        std::string location = res.response.header("Location");
        Reply page = t.get("/oauth/custom_crm/callback?code=" + wire::query_param(location, "code") +
                           "&state=" + wire::query_param(location, "state"));
        REQUIRE_MESSAGE(page.status == 200, page.body);
        REQUIRE(page.body.find("\"success\":true") != std::string::npos);
        Reply list = t.get(base(), ann);
        REQUIRE(list.json()["total"] == 1);
        std::lock_guard<std::mutex> lock(m.mock.state().mu);
        REQUIRE(m.mock.state().crm_oauth.access_tokens.size() == 1);
        return {list.json()["items"][0]["id"], *m.mock.state().crm_oauth.access_tokens.begin()};
    }

    // What the mock CRM's API answers this bearer token.
    int crm_status(const std::string& token) {
        onramp::http::FetchRequest req;
        req.url = m.mock.url() + "/custom_crm/me";
        req.headers.emplace("Authorization", "Bearer " + token);
        auto res = onramp::http::fetch(req);
        REQUIRE_MESSAGE(res.ok(), res.failure.message);
        return res.response.status;
    }

    std::string audit_details(const std::string& id) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT group_concat(action || ' ' || detail, '\n') FROM audit_log"
                                          " WHERE object_id = ?");
        st.bind(1, id);
        return st.step() && !st.is_null(0) ? st.text(0) : "";
    }

    int64_t audits(const std::string& action, const std::string& id) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM audit_log WHERE action = ? AND object_id = ?");
        st.bind_all(action, id);
        return st.step() ? st.i64(0) : -1;
    }
    int64_t vault_fields(const std::string& id) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM vault_secrets WHERE connection_id = ?");
        st.bind(1, id);
        return st.step() ? st.i64(0) : -1;
    }
};

}  // namespace

TEST_SUITE("connections.service") {

TEST_CASE("deleting a Shopify connection revokes its token: Shopify answers 401 for it afterwards") {
    Disconnect d;
    std::string id = d.connect("shopify");
    REQUIRE(d.shop_status() == 200);
    REQUIRE(d.vault_fields(id) > 0);

    CHECK(d.t.call("DELETE", d.base() + "/" + id, "", d.ann).status == 204);
    CHECK(d.shop_status() == 401);
    CHECK(d.audits("credential.revoked", id) == 1);
    CHECK(d.audits("connection.deleted", id) == 1);
    CHECK(d.vault_fields(id) == 0);
    // The same token pasted again is refused at its test.
    CHECK(d.create("shopify").status == 422);
}

TEST_CASE("a token revoked by a disconnect works again only after a new install") {
    Disconnect d;
    d.install();
    Reply list = d.t.get(d.base(), d.ann);
    REQUIRE(list.json()["total"] == 1);
    std::string id = list.json()["items"][0]["id"];
    CHECK(d.t.call("DELETE", d.base() + "/" + id, "", d.ann).status == 204);
    CHECK(d.shop_status() == 401);

    d.install();
    CHECK(d.shop_status() == 200);
    CHECK(d.t.get(d.base(), d.ann).json()["total"] == 1);
}

TEST_CASE("Shopify refusing the revocation is audited, and the connection is deleted all the same") {
    Disconnect d;
    std::string id = d.connect("shopify");
    onramp::mock::Faults down;
    down.fail_next = 1;
    d.m.mock.set_faults("shopify", down);
    CHECK(d.t.call("DELETE", d.base() + "/" + id, "", d.ann).status == 204);
    CHECK(d.t.get(d.base() + "/" + id, d.ann).status == 404);
    CHECK(d.audits("credential.revoke_failed", id) == 1);
    CHECK(d.audits("credential.revoked", id) == 0);
    CHECK(d.vault_fields(id) == 0);
    CHECK(d.shop_status() == 200);  // Shopify never heard it
}

TEST_CASE("a token Shopify already refuses counts as revoked, and deletion goes on") {
    Disconnect d;
    std::string id = d.connect("shopify");
    onramp::mock::Faults revoked;
    revoked.revoked = true;
    d.m.mock.set_faults("shopify", revoked);
    CHECK(d.t.call("DELETE", d.base() + "/" + id, "", d.ann).status == 204);
    CHECK(d.audits("credential.revoked", id) == 1);
}

TEST_CASE("platforms with no way to revoke are not called when their connection is deleted") {
    Disconnect d;
    for (const onramp::platforms::Module* module : onramp::platforms::modules()) {
        std::string platform(module->id);
        // Deleting also removes the hooks Onramp registered, which calls the platform.
        if (module->connector().can_revoke(d.m.creds(platform)) || onramp::webhooks::supports_registration(platform))
            continue;
        CAPTURE(platform);
        std::string id = d.connect(platform);
        int64_t before = d.m.mock.stats(platform).requests;
        CHECK(d.t.call("DELETE", d.base() + "/" + id, "", d.ann).status == 204);
        CHECK(d.m.mock.stats(platform).requests == before);
        CHECK(d.audits("credential.revoked", id) == 0);
        CHECK(d.audits("credential.revoke_failed", id) == 0);
    }
}

TEST_CASE("deleting a custom CRM signed in by OAuth revokes its tokens at the revocation URL") {
    Disconnect d;
    auto [id, token] = d.sign_in_crm(onramp::mock::demo_custom_crm_variants()["oauth2"]);
    REQUIRE(d.crm_status(token) == 200);
    std::string refresh;
    {
        std::lock_guard<std::mutex> lock(d.m.mock.state().mu);
        REQUIRE(d.m.mock.state().crm_oauth.refresh_tokens.size() == 1);
        refresh = *d.m.mock.state().crm_oauth.refresh_tokens.begin();
    }

    CHECK(d.t.call("DELETE", d.base() + "/" + id, "", d.ann).status == 204);
    CHECK(d.crm_status(token) == 401);
    {
        std::lock_guard<std::mutex> lock(d.m.mock.state().mu);
        CHECK(d.m.mock.state().crm_oauth.refresh_tokens.empty());
    }
    CHECK(d.audits("credential.revoked", id) == 1);
    CHECK(d.audits("credential.revoke_failed", id) == 0);
    CHECK(d.audits("connection.deleted", id) == 1);
    std::string log = d.audit_details(id);
    CHECK(log.find(token) == std::string::npos);
    CHECK(log.find(refresh) == std::string::npos);
    CHECK(d.t.get(d.base() + "/" + id, d.ann).status == 404);
    CHECK(d.vault_fields(id) == 0);
}

TEST_CASE("a custom CRM answering 503 to the revocation is audited, and the connection is deleted all the same") {
    Disconnect d;
    auto [id, token] = d.sign_in_crm(onramp::mock::demo_custom_crm_variants()["oauth2"]);
    onramp::mock::Faults down;
    down.fail_next = 1;
    d.m.mock.set_faults("custom_crm", down);
    int64_t before = d.m.mock.stats("custom_crm").requests;

    CHECK(d.t.call("DELETE", d.base() + "/" + id, "", d.ann).status == 204);
    CHECK(d.m.mock.stats("custom_crm").requests == before + 1);  // tried once
    CHECK(d.audits("credential.revoke_failed", id) == 1);
    CHECK(d.audits("credential.revoked", id) == 0);
    std::string log = d.audit_details(id);
    CHECK(log.find("revoke_token") != std::string::npos);
    CHECK(log.find(token) == std::string::npos);
    CHECK(d.t.get(d.base() + "/" + id, d.ann).status == 404);
    CHECK(d.vault_fields(id) == 0);
    CHECK(d.crm_status(token) == 200);  // the CRM never revoked it
}

TEST_CASE("a custom CRM without a revocation URL is not called at deletion, and nothing is audited about it") {
    Disconnect d;
    json settings = onramp::mock::demo_custom_crm_variants()["oauth2"];
    settings.erase("revocation_url");
    auto [id, token] = d.sign_in_crm(settings);
    int64_t before = d.m.mock.stats("custom_crm").requests;

    CHECK(d.t.call("DELETE", d.base() + "/" + id, "", d.ann).status == 204);
    CHECK(d.m.mock.stats("custom_crm").requests == before);
    CHECK(d.audits("credential.revoked", id) == 0);
    CHECK(d.audits("credential.revoke_failed", id) == 0);
    CHECK(d.audits("connection.deleted", id) == 1);
    CHECK(d.crm_status(token) == 200);
}

}  // TEST_SUITE
