// The production Chatwoot connector against the mock Chatwoot over
// loopback: profile and account membership, meta.count paging of
// contacts, permission refusals told apart from bad tokens, resilience,
// and the SSRF guard on a self-hosted address. The mock's contacts list
// reads `page` and `sort` as Chatwoot does (docs/platforms/chatwoot.md),
// and the connector asks only for values Chatwoot documents.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "edge/connectors/resilience.h"
#include "edge/http/client.h"

using nlohmann::json;
using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::MockFixture;

namespace {

// GET /api/v1/accounts/{id}/contacts on the mock with `query`, as the demo user.
json list_contacts(MockFixture& m, const std::string& query) {
    auto creds = m.creds("chatwoot");
    onramp::http::FetchRequest req;
    req.url = m.mock.url() + "/chatwoot/api/v1/accounts/" + creds["account_id"] + "/contacts" + query;
    req.headers.emplace("api_access_token", creds["api_access_token"]);
    auto res = onramp::http::fetch(req);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    REQUIRE_MESSAGE(res.response.status == 200, res.response.body);
    return json::parse(res.response.body);
}

std::vector<int64_t> ids(const json& list) {
    std::vector<int64_t> out;
    for (const json& c : list["payload"]) out.push_back(c["id"].get<int64_t>());
    return out;
}

}  // namespace

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

TEST_CASE("Chatwoot mock: a page that is not a positive integer is read as Kaminari reads it, and echoed") {
    MockFixture m(onramp::testing::small_mock(50));
    json first = list_contacts(m, "?page=1");
    json second = list_contacts(m, "?page=2");
    REQUIRE(ids(first).size() == 15);
    CHECK(ids(second).front() == 16);

    // No page is page 1, and meta says the number 1.
    json none = list_contacts(m, "");
    CHECK(ids(none) == ids(first));
    CHECK(none["meta"]["current_page"] == 1);
    // Below 1, or no number at all: page 1, with the value echoed as sent.
    for (const char* raw : {"0", "-3", "abc", ""}) {
        CAPTURE(raw);
        json j = list_contacts(m, std::string("?page=") + raw);
        CHECK(ids(j) == ids(first));
        CHECK(j["meta"]["current_page"] == raw);
        CHECK(j["meta"]["count"] == 50);
    }
    // Ruby's to_i reads the leading digits and ignores the rest.
    for (const char* raw : {"2abc", "+2", "0_2", "2.9"}) {
        CAPTURE(raw);
        CHECK(ids(list_contacts(m, std::string("?page=") + raw)) == ids(second));
    }
    // Past the last page, or far past it: an empty page, not an error.
    CHECK(list_contacts(m, "?page=5")["payload"].empty());
    CHECK(list_contacts(m, "?page=99999999999999999999")["payload"].empty());
}

TEST_CASE("Chatwoot mock: the documented sort values order the contacts; an unknown one is ignored") {
    MockFixture m(onramp::testing::small_mock(50));
    auto all = [&](const std::string& sort) {
        std::vector<json> out;
        for (int page = 1; page <= 4; ++page) {
            json list = list_contacts(m, "?page=" + std::to_string(page) + "&sort=" + sort);
            for (const json& c : list["payload"]) out.push_back(c);
        }
        REQUIRE(out.size() == 50);
        return out;
    };
    auto field = [](const std::vector<json>& cs, const char* name) {
        std::vector<json> out;
        for (const json& c : cs) out.push_back(c[name]);
        return out;
    };
    auto by_id = field(all(""), "id");
    CHECK(std::is_sorted(by_id.begin(), by_id.end()));
    CHECK(field(all("unknown_field"), "id") == by_id);
    CHECK(field(all("-unknown_field"), "id") == by_id);

    auto names = field(all("name"), "name");
    CHECK(std::is_sorted(names.begin(), names.end()));
    CHECK(field(all("name"), "id") != by_id);
    auto emails = field(all("-email"), "email");
    CHECK(std::is_sorted(emails.rbegin(), emails.rend()));
    auto active = field(all("-last_activity_at"), "last_activity_at");
    CHECK(std::is_sorted(active.rbegin(), active.rend()));
    // An unknown field beside a known one leaves the known one in force.
    CHECK(field(all("bogus,name"), "name") == names);
}

TEST_CASE("the connector asks for contacts only by documented values: pages 1 to the last, no sort") {
    MockFixture m(onramp::testing::small_mock(50));
    auto c = m.creds("chatwoot");
    int64_t before = m.mock.stats("chatwoot").requests;
    std::vector<std::string> cursors;
    std::string cursor;
    do {
        auto page = m.platform("chatwoot").fetch_page(c, m.ctx, Resource::contacts, cursor, {});
        REQUIRE(page.ok());
        cursor = page->next_cursor;
        if (!cursor.empty()) cursors.push_back(cursor);
        REQUIRE(cursors.size() < 10);
    } while (!cursor.empty());
    // The cursor is the page number the next request sends: 2, 3, 4 for 50
    // contacts at 15 a page, each a positive integer in its plain form.
    CHECK(cursors == std::vector<std::string>{"2", "3", "4"});
    CHECK(m.mock.stats("chatwoot").requests - before == 4);
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
