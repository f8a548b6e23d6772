// Onboarding links below the API (edge/onboarding/links.h): how a link
// client's principal is narrowed, and which paths it may call.
#include <doctest/doctest.h>

#include "edge/onboarding/links.h"
#include "edge/store/accounts.h"
#include "edge/support/test_app.h"

using namespace onramp;
using onramp::testing::TestApp;

TEST_SUITE("onboarding.links") {

TEST_CASE("state: created, opened, in progress, then completed, expired or revoked") {
    onboarding::Link l;
    onboarding::Activity a;
    l.expires_at = 100;
    CHECK(onboarding::state_of(l, a, 99) == "created");
    CHECK(onboarding::state_of(l, a, 100) == "expired");
    l.opened_count = 1;
    l.last_opened_at = 50;
    CHECK(onboarding::state_of(l, a, 99) == "opened");
    CHECK(l.session_ends_at() == 50 + onboarding::kClientSessionSeconds);
    a.saved = true;
    CHECK(onboarding::state_of(l, a, 99) == "in_progress");
    a.completed = true;
    CHECK(onboarding::state_of(l, a, 200) == "completed");
    l.revoked_at = 60;
    CHECK(onboarding::state_of(l, a, 70) == "revoked");
}

TEST_CASE("a device is the browser and system a User-Agent names, or its start") {
    CHECK(onboarding::short_device("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                   "HeadlessChrome/120.0.6099.224 Safari/537.36") == "Chrome on Linux");
    CHECK(onboarding::short_device("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
                                   "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1") == "Safari on iOS");
    CHECK(onboarding::short_device("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                                   "Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0") == "Edge on Windows");
    CHECK(onboarding::short_device("curl/8.4.0") == "curl/8.4.0");
    CHECK(onboarding::short_device(std::string(100, 'x')).size() == 60);
    CHECK(onboarding::short_device("").empty());
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

onboarding::NewLink new_link(const std::string& org, const std::vector<std::string>& platforms) {
    onboarding::NewLink n;
    n.org_id = org;
    n.platforms = platforms;
    return n;
}

// A link to `org` for `platforms`, opened once.
onboarding::Exchanged opened_link(TestApp& t, store::Db& db, const std::string& org,
                                  const std::vector<std::string>& platforms) {
    auto minted = onboarding::mint(db, new_link(org, platforms), t.clock);
    auto ex = onboarding::exchange(db, minted.token, {t.clock, "Chrome on Linux", "127.0.0.1"});
    REQUIRE(ex);
    return *ex;
}

TEST_CASE("scope_client narrows a link client outside a request too, and refuses a revoked link's") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    auto ex = opened_link(t, *db, org, {"shopify"});
    auth::Principal client{*ex.link.client_user_id, "", false, {}, ""};
    REQUIRE(onboarding::scope_client(*db, client, t.clock));
    CHECK(client.can_manage(org));
    CHECK(client.may_use_platform("shopify"));
    CHECK_FALSE(client.may_use_platform("custom_crm"));
    REQUIRE(onboarding::revoke_link(*db, org, ex.link.id, t.clock));
    auth::Principal later{*ex.link.client_user_id, "", false, {}, ""};
    auto refused = onboarding::scope_client(*db, later, t.clock);
    REQUIRE_FALSE(refused);
    CHECK(refused.problem().error_code == "link_revoked");
    CHECK_FALSE(later.can_manage(org));
}

TEST_CASE("restrict_client makes a link client a manager of its org only, and leaves others alone") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    auto ex = opened_link(t, *db, org, {"callrail"});

    auth::Principal client{*ex.link.client_user_id, "", true, {{"org_other", "manager"}}, "key_1"};
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

TEST_CASE("exchange opens again as the same client; the client account cannot sign in with a password") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    auto minted = onboarding::mint(*db, new_link(org, {"callrail"}), t.clock);
    auto ex = onboarding::exchange(*db, minted.token, {t.clock, "Chrome on Linux", "127.0.0.1"});
    REQUIRE(ex);
    CHECK(ex->link.platforms == std::vector<std::string>{"callrail"});
    auto user = store::find_user(*db, *ex->link.client_user_id);
    REQUIRE(user);
    CHECK_FALSE(user->password_hash);
    CHECK(store::memberships_of(*db, user->id).empty());
    auto again = onboarding::exchange(*db, minted.token, {t.clock + 60, "Safari on iOS", "10.0.0.7"});
    REQUIRE(again);
    CHECK(again->link.client_user_id == ex->link.client_user_id);
    CHECK(again->link.opened_count == 2);
    CHECK(again->tokens.refresh_token != ex->tokens.refresh_token);
    auto openings = onboarding::recent_openings(*db, ex->link.id);
    REQUIRE(openings.size() == 2);
    CHECK(openings[0].device == "Safari on iOS");
    CHECK(openings[0].address == "10.0.0.7");
    CHECK(openings[1].at == t.clock);
}

}  // TEST_SUITE
