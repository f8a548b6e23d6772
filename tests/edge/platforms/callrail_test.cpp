// The production CallRail connector against the mock CallRail over
// loopback: accounts and access checks, total_pages paging of calls,
// refetch, the Token token="" header, and resilience.
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/resilience.h"

using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::MockFixture;

TEST_SUITE("connectors.callrail") {

TEST_CASE("demo credentials test successfully, by account id or by account number") {
    MockFixture m;
    auto t = m.platform("callrail").test(m.creds("callrail"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_name == "Onramp Demo Agency");
    auto n = m.platform("callrail").test(m.creds("callrail", {{"account_id", "713-863-719"}}), m.ctx);
    CHECK_MESSAGE(n.ok(), describe(n));
}

TEST_CASE("a wrong key is credential_rejected; an account the key cannot see is store_not_found") {
    MockFixture m;
    auto t = m.platform("callrail").test(m.creds("callrail", {{"api_key", "not_the_key_0123456789"}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->platform_message == "HTTP Token: Access denied.");
    auto a = m.platform("callrail").test(m.creds("callrail", {{"account_id", "ACC00000000000"}}), m.ctx);
    REQUIRE_FALSE(a.ok());
    CHECK(a.failure->cause == Cause::store_not_found);
}

TEST_CASE("a user who may not read calls is scope_missing") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"calls"};
    m.mock.set_faults("callrail", f);
    auto t = m.platform("callrail").test(m.creds("callrail"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "check_access");
    CHECK(t.failure->cause == Cause::scope_missing);
}

TEST_CASE("calls page by total_pages over three pages, and one call is refetched") {
    MockFixture m;
    auto c = m.creds("callrail");
    size_t pages = 0;
    auto calls = m.all("callrail", Resource::calls, c, &pages);
    CHECK(calls.size() == 600);
    CHECK(pages == 3);
    std::set<std::string> ids;
    for (const auto& i : calls) ids.insert(i.id);
    CHECK(ids.size() == 600);
    CHECK(calls[0].data["direction"].is_string());
    auto one = m.platform("callrail").fetch_one(c, m.ctx, Resource::calls, calls[9].id);
    REQUIRE(one.ok());
    CHECK(one->data == calls[9].data);
    CHECK_FALSE(m.platform("callrail").fetch_one(c, m.ctx, Resource::products, "x").ok());
}

TEST_CASE("resilience: 429 without Retry-After, 5xx, drops, timeout, revoked") {
    SUBCASE("429") {
        MockFixture m;
        onramp::testing::check_recovers_from_429(m, "callrail", m.creds("callrail"));
    }
    SUBCASE("5xx and drops") {
        MockFixture m;
        onramp::testing::check_retries_5xx_and_drops(m, "callrail", m.creds("callrail"));
    }
    SUBCASE("timeout") {
        MockFixture m;
        onramp::testing::check_timeout(m, "callrail", m.creds("callrail"));
    }
    SUBCASE("revoked") {
        MockFixture m;
        onramp::testing::check_revoked(m, "callrail", m.creds("callrail"));
    }
}

}
