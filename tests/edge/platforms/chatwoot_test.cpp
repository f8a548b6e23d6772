// The production Chatwoot connector against the mock Chatwoot over
// loopback: profile and account membership, meta.count paging of
// contacts, permission refusals told apart from bad tokens, resilience,
// and the SSRF guard on a self-hosted address.
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/resilience.h"

using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::MockFixture;

TEST_SUITE("connectors.chatwoot") {

TEST_CASE("the demo token tests successfully and names the account") {
    MockFixture m;
    auto t = m.platform("chatwoot").test(m.creds("chatwoot"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_name == "Onramp Demo Support");
    CHECK(t.verified.details["role"] == "administrator");
}

TEST_CASE("a wrong token is credential_rejected; an account the user is not in is store_not_found") {
    MockFixture m;
    auto t = m.platform("chatwoot").test(m.creds("chatwoot", {{"api_access_token", "wrong_token_0123456789"}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->platform_message == "You need to sign in or sign up before continuing.");
    auto a = m.platform("chatwoot").test(m.creds("chatwoot", {{"account_id", "7"}}), m.ctx);
    REQUIRE_FALSE(a.ok());
    CHECK(a.failure->cause == Cause::store_not_found);
}

TEST_CASE("a user without permission on contacts is scope_missing, not a bad token") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"contacts"};
    m.mock.set_faults("chatwoot", f);
    auto t = m.platform("chatwoot").test(m.creds("chatwoot"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "check_access");
    CHECK(t.failure->cause == Cause::scope_missing);
}

TEST_CASE("contacts page by meta.count, fifteen a page") {
    MockFixture m(onramp::testing::small_mock(50));
    auto c = m.creds("chatwoot");
    size_t pages = 0;
    auto contacts = m.all("chatwoot", Resource::contacts, c, &pages);
    CHECK(contacts.size() == 50);
    CHECK(pages == 4);
    std::set<std::string> ids;
    for (const auto& i : contacts) ids.insert(i.id);
    CHECK(ids.size() == 50);
    CHECK(contacts[0].data["email"].get<std::string>().find('@') != std::string::npos);
    auto one = m.platform("chatwoot").fetch_one(c, m.ctx, Resource::contacts, contacts[11].id);
    REQUIRE(one.ok());
    CHECK(one->data == contacts[11].data);
}

TEST_CASE("resilience: Rack::Attack 429, 5xx, drops, timeout, revoked") {
    SUBCASE("429") {
        MockFixture m;
        onramp::testing::check_recovers_from_429(m, "chatwoot", m.creds("chatwoot"));
    }
    SUBCASE("5xx and drops") {
        MockFixture m;
        onramp::testing::check_retries_5xx_and_drops(m, "chatwoot", m.creds("chatwoot"));
    }
    SUBCASE("timeout") {
        MockFixture m;
        onramp::testing::check_timeout(m, "chatwoot", m.creds("chatwoot"));
    }
    SUBCASE("revoked") {
        MockFixture m;
        onramp::testing::check_revoked(m, "chatwoot", m.creds("chatwoot"));
    }
}

TEST_CASE("outside demo mode a self-hosted address on a private network is refused") {
    MockFixture m;
    onramp::connectors::CallContext ctx;
    auto t = m.platform("chatwoot").test(m.creds("chatwoot", {{"base_url", "https://10.0.0.8"}}), ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::address_refused);
    CHECK(t.failure->field == "base_url");
}

}
