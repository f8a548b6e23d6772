// The production custom CRM connector against the mock CRM over loopback:
// the four ways of authenticating (API key header, bearer, basic, OAuth 2.0
// client credentials with a cached token), the test path, the contacts
// convention, resilience, and the SSRF guard on the base and token URLs.
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/resilience.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"

using nlohmann::json;
using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::MockFixture;

namespace {

onramp::connectors::Credentials variant(MockFixture& m, const std::string& auth, const json& changes = json::object()) {
    json raw = onramp::mock::demo_custom_crm_variants()[auth];
    raw.update(changes);
    return m.creds("custom_crm", raw);
}

}  // namespace

TEST_SUITE("connectors.custom_crm") {

TEST_CASE("every authentication type tests successfully against the test path") {
    MockFixture m;
    for (const char* auth : {"api_key", "bearer", "basic", "oauth2"}) {
        CAPTURE(auth);
        auto ctx = m.fresh_context();
        auto t = m.platform("custom_crm").test(variant(m, auth), ctx);
        CHECK_MESSAGE(t.ok(), describe(t));
        CHECK(t.verified.account_name == "Onramp Demo CRM");
        CHECK(t.verified.details["auth_type"] == auth);
    }
}

TEST_CASE("wrong credentials are credential_rejected for each type") {
    MockFixture m;
    std::vector<std::pair<std::string, json>> wrong = {
        {"api_key", {{"api_key", "wrong-key-0123456789"}}},
        {"api_key", {{"api_key_header", "X-Other-Key"}}},
        {"bearer", {{"bearer_token", "wrong-bearer-0123456"}}},
        {"basic", {{"password", "nope"}}},
        {"oauth2", {{"client_secret", "wrong-secret-0123456789"}}},
    };
    for (const auto& [auth, change] : wrong) {
        CAPTURE(change.dump());
        auto ctx = m.fresh_context();
        auto t = m.platform("custom_crm").test(variant(m, auth, change), ctx);
        REQUIRE_FALSE(t.ok());
        CHECK(t.failure->cause == Cause::credential_rejected);
    }
    auto octx = m.fresh_context();
    auto o = m.platform("custom_crm").test(variant(m, "oauth2", {{"client_secret", "wrong-secret-0123456789"}}), octx);
    CHECK(o.failure->step == "exchange_client_credentials");
}

TEST_CASE("a refused scope and a wrong test path are told apart") {
    MockFixture m;
    auto sctx = m.fresh_context();
    auto s = m.platform("custom_crm").test(variant(m, "oauth2", {{"scope", "everything"}}), sctx);
    REQUIRE_FALSE(s.ok());
    CHECK(s.failure->cause == Cause::scope_missing);
    auto pctx = m.fresh_context();
    auto p = m.platform("custom_crm").test(variant(m, "api_key", {{"test_path", "/nowhere"}}), pctx);
    REQUIRE_FALSE(p.ok());
    CHECK(p.failure->cause == Cause::store_not_found);
    CHECK(p.failure->message.find("/nowhere") != std::string::npos);
}

TEST_CASE("a permission the credentials lack is scope_missing when listing") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"contacts.read"};
    m.mock.set_faults("custom_crm", f);
    auto p = m.platform("custom_crm").fetch_page(variant(m, "bearer"), m.ctx, Resource::contacts, "", {});
    REQUIRE_FALSE(p.ok());
    CHECK(p.failure().cause == Cause::scope_missing);
}

TEST_CASE("contacts page until a short page, and the OAuth token is exchanged once") {
    MockFixture m(onramp::testing::small_mock(250));
    auto c = variant(m, "oauth2");
    size_t pages = 0;
    auto contacts = m.all("custom_crm", Resource::contacts, c, &pages);
    CHECK(contacts.size() == 250);
    CHECK(pages == 3);
    std::set<std::string> ids;
    for (const auto& i : contacts) ids.insert(i.id);
    CHECK(ids.size() == 250);
    CHECK(contacts[0].data["name"].is_string());
    CHECK(contacts[0].updated_at.back() == 'Z');
    CHECK(m.mock.stats("custom_crm").requests == 4);  // one token exchange, three pages
    auto one = m.platform("custom_crm").fetch_one(c, m.ctx, Resource::contacts, contacts[17].id);
    REQUIRE(one.ok());
    CHECK(one->data == contacts[17].data);
}

TEST_CASE("resilience: 429, 5xx, drops, timeout, revoked") {
    SUBCASE("429") {
        MockFixture m;
        onramp::testing::check_recovers_from_429(m, "custom_crm", variant(m, "api_key"));
    }
    SUBCASE("5xx and drops") {
        MockFixture m;
        onramp::testing::check_retries_5xx_and_drops(m, "custom_crm", variant(m, "basic"));
    }
    SUBCASE("timeout") {
        MockFixture m;
        onramp::testing::check_timeout(m, "custom_crm", variant(m, "bearer"));
    }
    SUBCASE("revoked") {
        MockFixture m;
        onramp::testing::check_revoked(m, "custom_crm", variant(m, "oauth2"));
    }
}

TEST_CASE("outside demo mode private base and token URLs are refused, naming the field") {
    MockFixture m;
    onramp::connectors::CallContext ctx;
    auto b = m.platform("custom_crm").test(variant(m, "api_key", {{"base_url", "https://169.254.169.254/latest"}}), ctx);
    REQUIRE_FALSE(b.ok());
    CHECK(b.failure->cause == Cause::address_refused);
    CHECK(b.failure->field == "base_url");
    auto t = m.platform("custom_crm").test(variant(m, "oauth2", {{"token_url", "https://192.168.1.10/oauth/token"}}), ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::address_refused);
    CHECK(t.failure->field == "token_url");
}

}

// The contacts convention's paging rules (docs/platforms/custom_crm.md), as
// the mock CRM enforces them: 400 {"error", "message"}. The connector's own
// paging above obeys them.
TEST_SUITE("connectors.custom_crm rules") {

namespace {

onramp::http::FetchResult list_contacts(MockFixture& m, const std::string& query) {
    onramp::http::FetchRequest r;
    r.url = m.mock.url() + "/custom_crm/contacts?" + query;
    r.headers.emplace("X-API-Key", onramp::demo::kCrmApiKey);
    return onramp::http::fetch(r);
}

}  // namespace

TEST_CASE("the mock refuses a per_page over 100 or under 1, and a page under 1") {
    MockFixture m(onramp::testing::small_mock(30));
    for (const char* bad : {"per_page=101", "per_page=0", "page=0", "page=first"}) {
        auto r = list_contacts(m, bad);
        REQUIRE(r.ok());
        CHECK(r.response.status == 400);
        CHECK(nlohmann::json::parse(r.response.body)["error"] == "bad_request");
    }
    CHECK(list_contacts(m, "page=2&per_page=100").response.status == 200);
}

}
