// Specification of onboarding links: a manager or operator mints a link for
// one organization; a client exchanges its token, without an account, for a
// session that can run that organization's onboarding and nothing else, as
// often as it needs, on any device, until the link expires, is revoked
// (which ends every session of it) or the onboarding is complete; links can
// be limited to some platforms and ask for a code e-mailed to the client.
#include <doctest/doctest.h>

#include <tuple>
#include <vector>

#include "edge/api/views.h"
#include "edge/onboarding/links.h"
#include "edge/onboarding/onboarding_fixture.h"

using nlohmann::json;
using onramp::testing::OnboardingApp;
using onramp::testing::Reply;

namespace {

const std::string kExchange = "/api/v1/onboarding-links/exchange";

std::string links_of(const std::string& org) { return "/api/v1/orgs/" + org + "/onboarding-links"; }

json mint(OnboardingApp& a, const std::string& token, const std::string& org, const json& body = json::object()) {
    Reply r = a.post(links_of(org), body, token);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    return r.json();
}

// A client session for a fresh link to Acme.
std::string client_session(OnboardingApp& a, const json& body = json::object()) {
    json link = mint(a, a.ann, a.acme, body);
    Reply r = a.post(kExchange, {{"token", link["token"]}}, "");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return r.json()["access_token"];
}

}  // namespace

TEST_SUITE("onboarding_links.api") {

TEST_CASE("a manager mints a link: a URL with one token, expiring in a week, stored hashed") {
    OnboardingApp a;
    json link = mint(a, a.ann, a.acme, {{"note", "for Acme's office manager"}});
    std::string token = link["token"];
    CHECK(link["url"] == "https://onramp.example/#/onboard/" + token);
    CHECK(link["state"] == "created");
    CHECK(link["opened_count"] == 0);
    CHECK(link["openings"] == json::array());
    CHECK(link["org_id"] == a.acme);
    CHECK(link["platforms"] == json::array());
    CHECK(link["expires_at"] == onramp::api::iso8601(a.t.clock + onramp::onboarding::kLinkSeconds));
    CHECK(a.t.snapshot().find(token) == std::string::npos);

    Reply list = a.get(links_of(a.acme), a.ann);
    REQUIRE(list.status == 200);
    CHECK(list.json()["total"] == 1);
    CHECK_FALSE(list.json()["items"][0].contains("token"));
    CHECK(list.body.find(token) == std::string::npos);
}

TEST_CASE("operators mint for any org; a csr is 403; another tenant or a made-up org is 404; nothing stored") {
    OnboardingApp a;
    mint(a, a.op, a.globex, {{"expires_in_hours", 48}});
    std::string before = a.t.snapshot();
    CHECK(a.post(links_of(a.acme), json::object(), "").status == 401);
    CHECK(a.post(links_of(a.acme), json::object(), a.carl).status == 403);
    CHECK(a.post(links_of(a.acme), json::object(), a.gina).status == 404);
    CHECK(a.post(links_of("org_missing"), json::object(), a.op).status == 404);
    CHECK(a.get(links_of(a.acme), a.gina).status == 404);
    CHECK(a.t.call("POST", links_of(a.acme), "{", a.ann).status == 400);
    CHECK(a.t.call("POST", links_of(a.acme), "{\"note\": \"" + std::string(2 << 20, 'n') + "\"}", a.ann).status == 413);
    Reply bad = a.post(links_of(a.acme), {{"expires_in_hours", 0}, {"platforms", {"callrail", "myspace"}}, {"note", 3}},
                       a.ann);
    REQUIRE(bad.status == 422);
    for (const char* k : {"expires_in_hours", "platforms", "note"}) CHECK_MESSAGE(bad.json()["errors"].contains(k), k);
    CHECK(a.post(links_of(a.acme), {{"expires_in_hours", 24 * 31}}, a.ann).status == 422);
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("exchanging the token gives a session for that org's onboarding, without an account") {
    OnboardingApp a;
    json link = mint(a, a.ann, a.acme);
    Reply r = a.post(kExchange, {{"token", link["token"]}}, "");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json j = r.json();
    CHECK(j["scope"] == "onboarding");
    CHECK(j["org"]["id"] == a.acme);
    CHECK(j["org"]["name"] == "Acme");
    std::string client = j["access_token"];

    // Onboarding works, on Acme, without naming it.
    Reply basics = a.post("/api/v1/onboarding/company-basics", {{"company_name", "Acme Roofing Co"}}, client);
    REQUIRE_MESSAGE(basics.status == 200, basics.body);
    CHECK(basics.json()["data"]["company_id"] == a.acme);
    CHECK(a.post("/api/v1/onboarding/callrail/connect", OnboardingApp::callrail_body(), client).status == 201);
    a.upload_document(client, "script.txt");
    Reply inv = a.post("/api/v1/onboarding/invite-user", {{"email", "rep@acme.test"}, {"role", "sales_rep"}}, client);
    CHECK(inv.status == 201);
    CHECK(a.get("/api/v1/onboarding/status", client).json()["data"]["progress"]["documents"] == true);

    // The link shows as in progress, and the client is not a member of anything.
    CHECK(a.get(links_of(a.acme), a.ann).json()["items"][0]["state"] == "in_progress");
    CHECK(a.get("/api/v1/orgs/" + a.acme + "/members", a.ann).json()["total"] == 2);
}

TEST_CASE("a client session reaches nothing but its org's onboarding") {
    OnboardingApp a;
    std::string client = client_session(a);
    std::string before = a.t.snapshot();
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/api/v1/orgs"},
             {"GET", "/api/v1/orgs/" + a.acme},
             {"GET", "/api/v1/orgs/" + a.acme + "/members"},
             {"GET", "/api/v1/orgs/" + a.globex + "/connections"},
             {"GET", "/api/v1/orgs/" + a.acme + "/onboarding-links"},
             {"GET", "/api/v1/auth/me"},
             {"GET", "/api/v1/auth/api-keys"},
             {"GET", "/api/v1/audit"}}) {
        CAPTURE(path);
        Reply r = a.t.call(method, path, "", client);
        CHECK(r.status == 403);
    }
    CHECK(a.post("/api/v1/auth/api-keys", {{"name", "mine"}}, client).status == 403);
    CHECK(a.post(links_of(a.acme), json::object(), client).status == 403);
    CHECK(a.post("/api/v1/orgs/" + a.acme + "/members", {{"email", "x@y.test"}, {"role", "manager"}}, client).status ==
          403);
    // Another org's onboarding is 404, as for any other tenant.
    CHECK(a.get("/api/v1/onboarding/status", client, {{"X-Org-Id", a.globex}}).status == 404);
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("an unused link expires") {
    OnboardingApp a;
    json link = mint(a, a.ann, a.acme, {{"expires_in_hours", 1}});
    a.t.clock += 3600;
    std::string before = a.t.snapshot();
    Reply r = a.post(kExchange, {{"token", link["token"]}}, "");
    CHECK(r.status == 410);
    CHECK(r.json()["error_code"] == "link_expired");
    CHECK(a.t.snapshot() == before);
    a.sign_in_again();
    CHECK(a.get(links_of(a.acme), a.ann).json()["items"][0]["state"] == "expired");
}

TEST_CASE("an unknown token is 404, a malformed body 400 or 422") {
    OnboardingApp a;
    CHECK(a.post(kExchange, {{"token", "no-such-token"}}, "").status == 404);
    CHECK(a.t.call("POST", kExchange, "{\"token\"", "").status == 400);
    CHECK(a.post(kExchange, {{"token", 12}}, "").status == 422);
}

TEST_CASE("revoking ends the client's session; an unused revoked link cannot be exchanged") {
    OnboardingApp a;
    json used = mint(a, a.ann, a.acme);
    Reply ex = a.post(kExchange, {{"token", used["token"]}}, "");
    std::string client = ex.json()["access_token"];
    std::string refresh = ex.json()["refresh_token"];
    REQUIRE(a.get("/api/v1/onboarding/status", client).status == 200);
    REQUIRE(a.t.call("DELETE", links_of(a.acme) + "/" + used["id"].get<std::string>(), "", a.ann).status == 204);
    CHECK(a.get("/api/v1/onboarding/status", client).status == 401);
    CHECK(a.post("/api/v1/auth/refresh", {{"refresh_token", refresh}}, "").status == 401);

    json unused = mint(a, a.ann, a.acme);
    std::string id = unused["id"];
    CHECK(a.t.call("DELETE", links_of(a.acme) + "/" + id, "", a.gina).status == 404);
    CHECK(a.t.call("DELETE", links_of(a.acme) + "/" + id, "", a.carl).status == 403);
    REQUIRE(a.t.call("DELETE", links_of(a.acme) + "/" + id, "", a.ann).status == 204);
    CHECK(a.t.call("DELETE", links_of(a.acme) + "/" + id, "", a.ann).status == 409);
    Reply r = a.post(kExchange, {{"token", unused["token"]}}, "");
    CHECK(r.status == 410);
    CHECK(r.json()["error_code"] == "link_revoked");
}

TEST_CASE("the client's session ends two weeks after the link was opened, refreshes or not") {
    OnboardingApp a;
    json link = mint(a, a.ann, a.acme);
    std::string refresh = a.post(kExchange, {{"token", link["token"]}}, "").json()["refresh_token"];
    auto refreshed_access = [&] {
        Reply r = a.post("/api/v1/auth/refresh", {{"refresh_token", refresh}}, "");
        REQUIRE_MESSAGE(r.status == 200, r.body);
        refresh = r.json()["refresh_token"];
        return r.json()["access_token"].get<std::string>();
    };
    a.t.clock += onramp::onboarding::kClientSessionSeconds - 60;
    CHECK(a.get("/api/v1/onboarding/status", refreshed_access()).status == 200);
    a.t.clock += 60;
    Reply over = a.get("/api/v1/onboarding/status", refreshed_access());
    CHECK(over.status == 401);
    CHECK(over.json()["detail"].get<std::string>().find("ended") != std::string::npos);
}

TEST_CASE("the wizard's connection routes work for the client's org") {
    OnboardingApp a;
    std::string client = client_session(a);
    Reply made = a.post("/api/v1/orgs/" + a.acme + "/connections",
                        {{"platform", "twilio"}, {"credentials", onramp::mock::demo_credentials()["twilio"]}}, client);
    REQUIRE_MESSAGE(made.status == 201, made.body);
    Reply list = a.get("/api/v1/orgs/" + a.acme + "/connections", client);
    REQUIRE(list.status == 200);
    CHECK(list.json()["total"] == 1);
    CHECK(a.post("/api/v1/connectors/twilio/test", {{"credentials", onramp::mock::demo_credentials()["twilio"]}}, client)
              .status == 200);
}

TEST_CASE("a link limited to some platforms refuses the others") {
    OnboardingApp a;
    std::string client = client_session(a, {{"platforms", {"callrail"}}});
    std::string before = a.t.snapshot();
    Reply tw = a.post("/api/v1/onboarding/twilio/connect", OnboardingApp::twilio_body(), client);
    CHECK(tw.status == 403);
    CHECK(a.post("/api/v1/onboarding/twilio/test", OnboardingApp::twilio_body(), client).status == 403);
    CHECK(a.post("/api/v1/onboarding/platforms/bigcommerce/connect",
                 {{"credentials", onramp::mock::demo_credentials()["bigcommerce"]}}, client)
              .status == 403);
    CHECK(a.post("/api/v1/orgs/" + a.acme + "/connections",
                 {{"platform", "bigcommerce"}, {"credentials", onramp::mock::demo_credentials()["bigcommerce"]}}, client)
              .status == 403);
    CHECK(a.t.snapshot() == before);
    CHECK(a.post("/api/v1/onboarding/callrail/connect", OnboardingApp::callrail_body(), client).status == 201);
    // The limit binds the link's client only: the manager connects anything.
    CHECK(a.post("/api/v1/onboarding/twilio/connect", OnboardingApp::twilio_body(), a.ann).status == 201);
}

TEST_CASE("a link limited to Shopify finds no connection of another platform, on any connection route") {
    OnboardingApp a;
    std::string conns = "/api/v1/orgs/" + a.acme + "/connections";
    auto connect = [&](const std::string& platform) {
        Reply r = a.post(conns, {{"platform", platform}, {"credentials", onramp::mock::demo_credentials()[platform]}},
                         a.ann);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return r.json()["id"].get<std::string>();
    };
    std::string woo = connect("woocommerce"), twilio = connect("twilio");
    std::string client = client_session(a, {{"platforms", {"shopify"}}});
    std::string before = a.t.snapshot();
    for (const std::string& id : {woo, twilio}) {
        std::string one = conns + "/" + id;
        json rotation = {{"credentials", onramp::mock::demo_credentials()[id == woo ? "woocommerce" : "twilio"]}};
        for (const auto& [method, path, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"GET", one, ""},
                 {"PATCH", one, R"({"name": "Renamed"})"},
                 {"PUT", one + "/credentials", rotation.dump()},
                 {"POST", one + "/test", ""},
                 {"GET", one + "/webhooks", ""},
                 {"PUT", one + "/webhooks/secret", R"({"secret": "chosen-by-the-client-0123456789"})"},
                 {"POST", one + "/webhooks/registration", ""},
                 {"DELETE", one + "/webhooks/registration", ""},
                 {"POST", one + "/webhooks/deliveries/1/replay", ""},
                 {"GET", one + "/sync", ""},
                 {"POST", one + "/sync", ""},
                 {"GET", one + "/sync/events", ""},
                 {"DELETE", one, ""}}) {
            CAPTURE(method);
            CAPTURE(path);
            Reply r = a.t.call(method, path, body, client);
            CHECK(r.status == 404);
            CHECK(r.content_type == "application/problem+json");
        }
    }
    CHECK(a.get(conns, client).json()["total"] == 0);
    CHECK(a.post("/api/v1/connectors/twilio/test", {{"credentials", onramp::mock::demo_credentials()["twilio"]}}, client)
              .status == 403);
    CHECK(a.t.snapshot() == before);
    // The limit binds the link's client only.
    CHECK(a.get(conns, a.ann).json()["total"] == 2);
    CHECK(a.get(conns + "/" + woo + "/webhooks", a.ann).status == 200);
}

TEST_CASE("the link's client appears in the onboarding events") {
    OnboardingApp a;
    client_session(a);
    json events = a.get("/api/v1/onboarding/events", a.ann).json()["data"]["events"];
    REQUIRE(events.size() == 1);
    CHECK(events[0]["step"] == "onboarding_link");
    CHECK(events[0]["action"] == "opened");
}

}  // TEST_SUITE
