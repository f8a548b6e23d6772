// The production Twilio connector against the mock Twilio over loopback:
// account fetch and status, next_page_uri paging (and a cursor that tries
// to leave the call list), Twilio's error codes, and resilience.
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

// The Calls list's parameter rules (docs/platforms/twilio.md), as Twilio
// enforces them: 400 {"code", "message", "more_info", "status"}. The
// connector's own paging above obeys them.
TEST_SUITE("connectors.twilio rules") {

namespace {

onramp::http::FetchResult list_calls(MockFixture& m, const std::string& query) {
    onramp::http::FetchRequest r;
    r.url = m.mock.url() + "/twilio/2010-04-01/Accounts/" + onramp::demo::kTwilioSid + "/Calls.json?" + query;
    r.headers.emplace("Authorization",
                      onramp::connectors::wire::basic_auth(onramp::demo::kTwilioSid, onramp::demo::kTwilioToken));
    return onramp::http::fetch(r);
}

void check_refused(const onramp::http::FetchResult& r, int code) {
    REQUIRE(r.ok());
    CHECK(r.response.status == 400);
    auto body = nlohmann::json::parse(r.response.body);
    CHECK(body["code"] == code);
    CHECK(body["status"] == 400);
    CHECK(body["more_info"].get<std::string>().find(std::to_string(code)) != std::string::npos);
}

}  // namespace

TEST_CASE("the mock refuses a PageSize over 1000 or under 1 with code 20007") {
    MockFixture m(onramp::testing::small_mock(30));
    check_refused(list_calls(m, "PageSize=1001"), 20007);
    check_refused(list_calls(m, "PageSize=0"), 20007);
    CHECK(list_calls(m, "PageSize=1000").response.status == 200);
}

TEST_CASE("the mock refuses a PageToken it did not give") {
    MockFixture m(onramp::testing::small_mock(30));
    check_refused(list_calls(m, "PageSize=5&Page=1&PageToken=xyz"), 20001);
    auto first = nlohmann::json::parse(list_calls(m, "PageSize=5").response.body);
    std::string next = first["next_page_uri"];
    CHECK(list_calls(m, next.substr(next.find('?') + 1)).response.status == 200);
}

TEST_CASE("the mock refuses a StartTime bound that is not a date") {
    MockFixture m(onramp::testing::small_mock(30));
    check_refused(list_calls(m, "StartTime%3E=yesterday"), 20001);
    check_refused(list_calls(m, "StartTime%3C=2025-13"), 20001);
    check_refused(list_calls(m, "StartTime%3E=2025-01-01Tnoon"), 20001);
    CHECK(list_calls(m, "StartTime%3E=2020-01-01&StartTime%3C=2030-01-01").response.status == 200);
    CHECK(list_calls(m, "StartTime%3E=2020-01-01T00:00:00Z").response.status == 200);
}

TEST_CASE("the mock refuses a Status that is not a call status, and lists only that status otherwise") {
    MockFixture m(onramp::testing::small_mock(30));
    check_refused(list_calls(m, "Status=answered"), 20001);
    auto busy = nlohmann::json::parse(list_calls(m, "PageSize=1000&Status=busy").response.body);
    REQUIRE_FALSE(busy["calls"].empty());
    for (const auto& c : busy["calls"]) CHECK(c["status"] == "busy");
}

TEST_CASE("an incremental window passes the mock's date rules") {
    MockFixture m(onramp::testing::small_mock(30));
    onramp::connectors::Window w{"2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z"};
    auto page = m.platform("twilio").fetch_page(m.creds("twilio"), m.ctx, Resource::calls, "", w);
    REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.failure().platform_message));
    CHECK_FALSE(page->items.empty());
}

}
