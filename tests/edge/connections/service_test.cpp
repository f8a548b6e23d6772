// Specification of disconnecting (issue 6 item 6, "disconnect revokes
// where the platform allows and deletes"): deleting a Shopify connection
// gives its access token up at Shopify before the row and its vault fields
// go, so the token stops working; a platform that refuses is audited and
// the connection is deleted all the same; platforms with no way to revoke
// are not called. Asserted on what the mock Shopify then accepts.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/connectors/wire.h"
#include "edge/http/client.h"
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

    int64_t audits(const std::string& action, const std::string& id) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(db->raw(), "SELECT count(*) FROM audit_log WHERE action = ? AND object_id = ?");
        st.bind_all(action, id);
        return st.step() ? st.i64(0) : -1;
    }
    int64_t vault_fields(const std::string& id) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(db->raw(), "SELECT count(*) FROM vault_secrets WHERE connection_id = ?");
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
    for (const char* platform : {"callrail", "twilio", "chatwoot"}) {
        CAPTURE(platform);
        std::string id = d.connect(platform);
        int64_t before = d.m.mock.stats(platform).requests;
        CHECK(d.t.call("DELETE", d.base() + "/" + id, "", d.ann).status == 204);
        CHECK(d.m.mock.stats(platform).requests == before);
        CHECK(d.audits("credential.revoked", id) == 0);
        CHECK(d.audits("credential.revoke_failed", id) == 0);
    }
}

}  // TEST_SUITE
