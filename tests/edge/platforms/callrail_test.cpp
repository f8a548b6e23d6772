// The production CallRail connector against the mock CallRail over
// loopback: accounts and access checks, total_pages paging of calls,
// refetch, the Token token="" header, and resilience.
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/resilience.h"
#include "edge/connectors/wire.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"

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

// The calls list's parameter rules (docs/platforms/callrail.md), as CallRail
// enforces them: 400 {"error": ...}. The connector's own paging above
// obeys them.
TEST_SUITE("connectors.callrail rules") {

namespace {

onramp::http::FetchResult list_calls(MockFixture& m, const std::string& query) {
    onramp::http::FetchRequest r;
    r.url = m.mock.url() + "/callrail/v3/a/" + onramp::demo::kCallRailAccount + "/calls.json?" + query;
    r.headers.emplace("Authorization", std::string("Token token=\"") + onramp::demo::kCallRailKey + "\"");
    return onramp::http::fetch(r);
}

void check_refused(const onramp::http::FetchResult& r) {
    REQUIRE(r.ok());
    CHECK(r.response.status == 400);
    CHECK(nlohmann::json::parse(r.response.body)["error"].is_string());
}

}  // namespace

TEST_CASE("the mock refuses a per_page over 250 or under 1") {
    MockFixture m(onramp::testing::small_mock(30));
    check_refused(list_calls(m, "per_page=251"));
    check_refused(list_calls(m, "per_page=0"));
    CHECK(list_calls(m, "per_page=250").response.status == 200);
}

TEST_CASE("the mock refuses a start_date or end_date that is not an ISO 8601 date or date-time") {
    MockFixture m(onramp::testing::small_mock(30));
    check_refused(list_calls(m, "start_date=yesterday"));
    check_refused(list_calls(m, "end_date=1735689600"));
    check_refused(list_calls(m, "start_date=01/02/2025"));
    CHECK(list_calls(m, "start_date=2020-01-01&end_date=2030-01-01").response.status == 200);
    CHECK(list_calls(m, "start_date=2020-01-01T00:00:00Z").response.status == 200);
}

TEST_CASE("a date alone as end_date covers its whole day") {
    MockFixture m(onramp::testing::small_mock(30));
    auto all = nlohmann::json::parse(list_calls(m, "per_page=250").response.body);
    REQUIRE(all["total_records"].get<int64_t>() > 0);
    namespace wire = onramp::connectors::wire;
    std::string first = wire::iso_from_unix(wire::unix_seconds(all["calls"][0]["start_time"])).substr(0, 10);
    auto day = nlohmann::json::parse(list_calls(m, "start_date=" + first + "&end_date=" + first).response.body);
    CHECK(day["total_records"].get<int64_t>() >= 1);
}

TEST_CASE("the mock refuses a sort field or order outside the documented values") {
    MockFixture m(onramp::testing::small_mock(30));
    check_refused(list_calls(m, "sort=colour"));
    check_refused(list_calls(m, "order=up"));
    CHECK(list_calls(m, "sort=start_time&order=desc").response.status == 200);
}

TEST_CASE("an incremental window passes the mock's date rules") {
    MockFixture m(onramp::testing::small_mock(30));
    onramp::connectors::Window w{"2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z"};
    auto page = m.platform("callrail").fetch_page(m.creds("callrail"), m.ctx, Resource::calls, "", w);
    REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.failure().platform_message));
    CHECK_FALSE(page->items.empty());
}

}
