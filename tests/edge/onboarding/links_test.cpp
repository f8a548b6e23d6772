// Onboarding links below the API (edge/onboarding/links.h): how a link
// client's principal is narrowed, and which paths it may call.
#include <doctest/doctest.h>

#include "edge/onboarding/links.h"
#include "edge/store/accounts.h"
#include "edge/support/test_app.h"

using namespace onramp;
using onramp::testing::TestApp;

TEST_SUITE("onboarding.links") {

TEST_CASE("status: active, then used, revoked or expired") {
    onboarding::Link l;
    l.expires_at = 100;
    CHECK(l.status(99) == "active");
    CHECK(l.status(100) == "expired");
    l.used_at = 50;
    CHECK(l.status(200) == "used");
    CHECK(l.session_ends_at() == 50 + onboarding::kClientSessionSeconds);
    l.revoked_at = 60;
    CHECK(l.status(70) == "revoked");
}

TEST_CASE("a link with no platforms allows any; otherwise only those named") {
    onboarding::Link l;
    CHECK(l.allows_platform("twilio"));
    l.platforms = {"callrail", "shopify"};
    CHECK(l.allows_platform("shopify"));
    CHECK_FALSE(l.allows_platform("twilio"));
}

TEST_CASE("a link client may call what the onboarding wizard uses, for its org, and nothing else") {
    CHECK(onboarding::client_may_call("org_1", "/api/v1/onboarding/status"));
    CHECK(onboarding::client_may_call("org_1", "/api/v1/onboarding/documents/upload"));
    CHECK(onboarding::client_may_call("org_1", "/api/v1/orgs/org_1/connections"));
    CHECK(onboarding::client_may_call("org_1", "/api/v1/orgs/org_1/connections/con_1/sync"));
    CHECK(onboarding::client_may_call("org_1", "/api/v1/orgs/org_1/oauth/shopify/start"));
    CHECK(onboarding::client_may_call("org_1", "/api/v1/connectors/callrail/test"));
    CHECK(onboarding::client_may_call("org_1", "/api/v1/auth/logout"));
    CHECK_FALSE(onboarding::client_may_call("org_1", "/api/v1/orgs/org_2/connections"));
    CHECK_FALSE(onboarding::client_may_call("org_1", "/api/v1/orgs/org_1/connectionsX"));
    CHECK_FALSE(onboarding::client_may_call("org_1", "/api/v1/orgs/org_1/members"));
    CHECK_FALSE(onboarding::client_may_call("org_1", "/api/v1/orgs/org_1"));
    CHECK_FALSE(onboarding::client_may_call("org_1", "/api/v1/onboarding"));
    CHECK_FALSE(onboarding::client_may_call("org_1", "/api/v1/onboarding-links/exchange"));
    CHECK_FALSE(onboarding::client_may_call("org_1", "/api/onboarding/bigcommerce"));
    CHECK_FALSE(onboarding::client_may_call("org_1", "/api/v1/proxy/con_1/v3/catalog"));
}

http::Request request(const std::string& method, const std::string& path, const std::string& body = "") {
    http::Request r;
    r.method = method;
    r.path = path;
    r.body = body;
    return r;
}

TEST_CASE("restrict_client makes a link client a manager of its org only, and leaves others alone") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    auto minted = onboarding::mint(*db, {org, {"callrail"}, "", std::nullopt}, t.clock);
    auto ex = onboarding::exchange(*db, minted.token, t.clock);
    REQUIRE(ex);

    auth::Principal client{*ex->link.client_user_id, "", true, {{"org_other", "manager"}}, "key_1"};
    REQUIRE(onboarding::restrict_client(*db, client, request("GET", "/api/v1/onboarding/status"), t.clock));
    CHECK_FALSE(client.is_operator);
    CHECK(client.api_key_id.empty());
    REQUIRE(client.memberships.size() == 1);
    CHECK(client.memberships[0].org_id == org);
    CHECK(client.can_manage(org));
    CHECK_FALSE(client.can_read("org_other"));

    auto refused = onboarding::restrict_client(*db, client, request("GET", "/api/v1/orgs"), t.clock);
    REQUIRE_FALSE(refused);
    CHECK(refused.problem().status == 403);

    // The link's platforms bind the generic connection and OAuth routes too.
    std::string conns = "/api/v1/orgs/" + org + "/connections";
    CHECK(onboarding::restrict_client(*db, client, request("POST", conns, R"({"platform":"callrail"})"), t.clock));
    CHECK_FALSE(onboarding::restrict_client(*db, client, request("POST", conns, R"({"platform":"twilio"})"), t.clock));
    CHECK_FALSE(onboarding::restrict_client(*db, client,
                                            request("POST", "/api/v1/orgs/" + org + "/oauth/shopify/start"), t.clock));

    auth::Principal manager{"usr_x", "m@acme.test", false, {{org, "csr"}}, ""};
    REQUIRE(onboarding::restrict_client(*db, manager, request("GET", "/api/v1/orgs"), t.clock));
    CHECK(manager.memberships[0].role == "csr");
}

TEST_CASE("exchange works once; the client account cannot sign in with a password") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    auto minted = onboarding::mint(*db, {org, {"callrail"}, "note", std::nullopt}, t.clock);
    auto ex = onboarding::exchange(*db, minted.token, t.clock);
    REQUIRE(ex);
    CHECK(ex->link.platforms == std::vector<std::string>{"callrail"});
    auto user = store::find_user(*db, *ex->link.client_user_id);
    REQUIRE(user);
    CHECK_FALSE(user->password_hash);
    CHECK(store::memberships_of(*db, user->id).empty());
    auto again = onboarding::exchange(*db, minted.token, t.clock);
    REQUIRE_FALSE(again);
    CHECK(again.problem().error_code == "link_used");
}

}  // TEST_SUITE
