// The production Twilio connector against the mock Twilio over loopback:
// account fetch and status, next_page_uri paging (and a cursor that tries
// to leave the call list), Twilio's error codes, and resilience.
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/resilience.h"

using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::MockFixture;

TEST_SUITE("connectors.twilio") {

TEST_CASE("demo credentials test successfully") {
    MockFixture m;
    auto t = m.platform("twilio").test(m.creds("twilio"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_name == "Onramp Demo Calls");
    CHECK(t.verified.details["status"] == "active");
}

TEST_CASE("a wrong auth token is credential_rejected (Twilio error 20003)") {
    MockFixture m;
    auto t = m.platform("twilio").test(m.creds("twilio", {{"auth_token", "00000000000000000000000000000000"}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "fetch_account");
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->platform_message == "Authenticate");
}

TEST_CASE("an API key without call access is scope_missing") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"calls"};
    m.mock.set_faults("twilio", f);
    auto t = m.platform("twilio").test(m.creds("twilio"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "check_access");
    CHECK(t.failure->cause == Cause::scope_missing);
}

TEST_CASE("calls follow next_page_uri to the end, and a window narrows them by day") {
    MockFixture m;
    auto c = m.creds("twilio");
    size_t pages = 0;
    auto calls = m.all("twilio", Resource::calls, c, &pages);
    CHECK(calls.size() == 600);
    CHECK(pages == 6);
    std::set<std::string> ids;
    for (const auto& i : calls) ids.insert(i.id);
    CHECK(ids.size() == 600);
    onramp::connectors::Window w{"2025-04-01T00:00:00Z", "2025-05-31T00:00:00Z"};
    size_t expected = 0;
    for (const auto& i : calls) {
        std::string day = i.data["started_at"].get<std::string>().substr(0, 10);
        expected += day >= "2025-04-01" && day <= "2025-05-31";
    }
    auto some = m.all("twilio", Resource::calls, c, nullptr, w);
    CHECK(some.size() == expected);
    CHECK(expected > 0);
    auto one = m.platform("twilio").fetch_one(c, m.ctx, Resource::calls, calls[42].id);
    REQUIRE(one.ok());
    CHECK(one->data == calls[42].data);
}

TEST_CASE("a cursor that points outside the account's call list is refused") {
    MockFixture m;
    auto c = m.creds("twilio");
    auto p = m.platform("twilio").fetch_page(c, m.ctx, Resource::calls, "/2010-04-01/Accounts/ACother/Calls.json?Page=1", {});
    CHECK_FALSE(p.ok());
    auto q = m.platform("twilio").fetch_page(
        c, m.ctx, Resource::calls, "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Calls.json?x=/../../Messages.json", {});
    CHECK_FALSE(q.ok());
    CHECK(m.mock.stats("twilio").requests == 0);
}

TEST_CASE("resilience: 429, 5xx, drops, timeout, revoked") {
    SUBCASE("429") {
        MockFixture m;
        onramp::testing::check_recovers_from_429(m, "twilio", m.creds("twilio"));
    }
    SUBCASE("5xx and drops") {
        MockFixture m;
        onramp::testing::check_retries_5xx_and_drops(m, "twilio", m.creds("twilio"));
    }
    SUBCASE("timeout") {
        MockFixture m;
        onramp::testing::check_timeout(m, "twilio", m.creds("twilio"));
    }
    SUBCASE("revoked") {
        MockFixture m;
        onramp::testing::check_revoked(m, "twilio", m.creds("twilio"));
    }
}

}
