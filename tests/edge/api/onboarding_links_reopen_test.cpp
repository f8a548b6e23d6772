// Specification of onboarding links that reopen, as Plaid's and Stripe's
// hosted links do: the same link opens again on a reload or another device
// and resumes at the client's step; each opening is recorded with its
// device and address and shows in the link's state; revoking ends every
// session of the link at once; a link may ask for a one-time code e-mailed
// to the client (real SMTP server); a link session signs in to Shopify in
// the OAuth popup, within its link's org and platforms. Every refusal
// changes nothing.
#include <doctest/doctest.h>

#include "edge/api/views.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/connectors/wire.h"
#include "edge/http/client.h"
#include "edge/mail/sender.h"
#include "edge/mock/internal.h"
#include "edge/onboarding/links.h"
#include "edge/onboarding/onboarding_fixture.h"
#include "edge/onboarding/progress.h"
#include "edge/support/smtp_server.h"
#include "shared/api/onboarding_link.h"

using nlohmann::json;
using onramp::testing::OnboardingApp;
using onramp::testing::Reply;
using onramp::testing::SmtpServer;
namespace ob = onramp::onboarding;

namespace {

const std::string kExchange = "/api/v1/onboarding-links/exchange";
const std::string kLaptop =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const std::string kPhone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148 Safari/604.1";

std::string links_of(const std::string& org) { return "/api/v1/orgs/" + org + "/onboarding-links"; }

json mint(OnboardingApp& a, const json& body = json::object()) {
    Reply r = a.post(links_of(a.acme), body, a.ann);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    return r.json();
}

Reply open_on(OnboardingApp& a, const json& link, const std::string& device, const std::string& address,
              const json& extra = json::object()) {
    json body = extra;
    body["token"] = link["token"];
    a.t.remote_addr = address;
    Reply r = a.post(kExchange, body, "", {{"User-Agent", device}});
    a.t.remote_addr = "127.0.0.1";
    return r;
}

std::string opened(OnboardingApp& a, const json& link, const std::string& device = kLaptop,
                   const std::string& address = "203.0.113.7") {
    Reply r = open_on(a, link, device, address);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return r.json()["access_token"];
}

onramp::api::OnboardingLinkView view(OnboardingApp& a, const json& link) {
    Reply r = a.get(links_of(a.acme) + "/" + link["id"].get<std::string>(), a.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return r.json().get<onramp::api::OnboardingLinkView>();
}

void complete_onboarding(OnboardingApp& a) {
    auto db = a.t.app.store->lease();
    ob::mark_completed(*db, a.acme, a.t.clock);
}

// The client approves at the mock Shopify: the callback path its redirect
// names, as the popup would follow it.
std::string approved_callback(const Reply& started) {
    onramp::http::FetchRequest req;
    req.url = started.json()["authorization_url"];
    onramp::http::FetchResult res = onramp::http::fetch(req);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    REQUIRE_MESSAGE(res.response.status == 302, res.response.body);
    std::string location = res.response.header("Location");
    std::string path = "/oauth/shopify/callback?";
    for (const char* k : {"code", "hmac", "host", "shop", "state", "timestamp"})
        path += std::string(k) + "=" + onramp::connectors::wire::query_param(location, k) + "&";
    return path;
}

}  // namespace

TEST_SUITE("onboarding_links.reopen") {

TEST_CASE("a link opens again on a reload and on another device, and resumes at the client's step") {
    OnboardingApp a;
    json link = mint(a);
    std::string laptop = opened(a, link);
    Reply basics = a.post("/api/v1/onboarding/company-basics", {{"company_name", "Acme Roofing Co"}}, laptop);
    REQUIRE_MESSAGE(basics.status == 200, basics.body);

    // The laptop's tab lost its session (signed out, say): the link opens again.
    REQUIRE(a.post("/api/v1/auth/logout", json::object(), laptop).status < 300);
    a.t.clock += 3600;
    std::string again = opened(a, link);
    // A phone opens it too; both sessions work, on the same client and step.
    a.t.clock += 60;
    std::string phone = opened(a, link, kPhone, "198.51.100.4");
    for (const std::string& session : {again, phone}) {
        Reply status = a.get("/api/v1/onboarding/status", session);
        REQUIRE_MESSAGE(status.status == 200, status.body);
        CHECK(status.json()["data"]["onboarding_step"] == "call_tracking");
        CHECK(status.json()["data"]["company"]["company_name"] == "Acme Roofing Co");
    }
    CHECK(a.get("/api/v1/onboarding/status", laptop).status == 401);

    // One client account whatever the device: the org still has its two members.
    a.sign_in_again();
    CHECK(a.get("/api/v1/orgs/" + a.acme + "/members", a.ann).json()["total"] == 2);
    auto db = a.t.app.store->lease();
    onramp::store::Stmt st(*db, "SELECT count(*) FROM users WHERE email LIKE 'link-%@onboarding.invalid'");
    REQUIRE(st.step());
    CHECK(st.i64(0) == 1);
}

TEST_CASE("the agency sees each link's state, openings with device and address, and the client's activity") {
    OnboardingApp a;
    json link = mint(a, {{"platforms", {"shopify", "callrail"}}});
    auto v = view(a, link);
    CHECK(v.state == "created");
    CHECK(v.opened_count == 0);
    CHECK_FALSE(v.last_opened_at);
    CHECK(v.platforms == std::vector<std::string>{"shopify", "callrail"});
    CHECK_FALSE(v.require_code);
    CHECK(v.expires_at == onramp::api::iso8601(a.t.clock + ob::kLinkSeconds));

    int64_t first = a.t.clock;
    std::string client = opened(a, link);
    v = view(a, link);
    CHECK(v.state == "opened");
    CHECK(v.opened_count == 1);
    CHECK(v.last_opened_at == onramp::api::iso8601(first));

    a.t.clock += 120;
    REQUIRE(a.post("/api/v1/onboarding/company-basics", {{"company_name", "Acme"}}, client).status == 200);
    a.t.clock += 60;
    opened(a, link, kPhone, "198.51.100.4");
    a.sign_in_again();
    v = view(a, link);
    CHECK(v.state == "in_progress");
    CHECK(v.opened_count == 2);
    CHECK(v.last_opened_at == onramp::api::iso8601(a.t.clock));
    CHECK(v.last_activity_at == onramp::api::iso8601(a.t.clock));
    REQUIRE(v.openings.size() == 2);
    CHECK(v.openings[0].device == "Safari on iOS");
    CHECK(v.openings[0].address == "198.51.100.4");
    CHECK(v.openings[1].device == "Chrome on Linux");
    CHECK(v.openings[1].address == "203.0.113.7");
    CHECK(v.openings[1].at == onramp::api::iso8601(first));

    // The list carries the same view, under the exact names the console reads.
    json item = a.get(links_of(a.acme), a.ann).json()["items"][0];
    for (const char* k : {"state", "opened_count", "last_opened_at", "last_activity_at", "openings", "platforms",
                          "expires_at", "require_code"})
        CHECK_MESSAGE(item.contains(k), k);
    CHECK(item["openings"][0] == json{{"at", onramp::api::iso8601(a.t.clock)},
                                      {"device", "Safari on iOS"},
                                      {"address", "198.51.100.4"}});
    CHECK(item.dump().find(link["token"].get<std::string>()) == std::string::npos);

    // Each opening is in the audit log with its device.
    json audit = a.get("/api/v1/audit?action=onboarding_link.exchanged", a.ann).json();
    CHECK(audit.dump().find("Safari on iOS") != std::string::npos);

    complete_onboarding(a);
    CHECK(view(a, link).state == "completed");
}

TEST_CASE("a link stops opening once the onboarding is complete or it expires; sessions already open run on") {
    OnboardingApp a;
    json link = mint(a, {{"expires_in_hours", 2}});
    Reply first = open_on(a, link, kLaptop, "203.0.113.7");
    REQUIRE(first.status == 200);
    std::string refresh = first.json()["refresh_token"];

    a.t.clock += 2 * 3600;
    std::string before = a.t.snapshot();
    Reply expired = open_on(a, link, kPhone, "198.51.100.4");
    CHECK(expired.status == 410);
    CHECK(expired.json()["error_code"] == "link_expired");
    CHECK(a.t.snapshot() == before);
    // The tab's refresh token still renews its session.
    Reply renewed = a.post("/api/v1/auth/refresh", {{"refresh_token", refresh}}, "");
    REQUIRE_MESSAGE(renewed.status == 200, renewed.body);
    CHECK(a.get("/api/v1/onboarding/status", renewed.json()["access_token"]).status == 200);

    a.sign_in_again();
    json other = mint(a);
    complete_onboarding(a);
    before = a.t.snapshot();
    Reply done = open_on(a, other, kLaptop, "203.0.113.7");
    CHECK(done.status == 410);
    CHECK(done.json()["error_code"] == "link_completed");
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("revoking ends every session and refresh token of the link at once, by DELETE or POST .../revoke") {
    OnboardingApp a;
    for (const std::string method : {"DELETE", "POST"}) {
        CAPTURE(method);
        json link = mint(a);
        std::string id = link["id"];
        Reply laptop = open_on(a, link, kLaptop, "203.0.113.7");
        Reply phone = open_on(a, link, kPhone, "198.51.100.4");
        REQUIRE(laptop.status == 200);
        REQUIRE(phone.status == 200);
        for (const Reply* r : {&laptop, &phone})
            REQUIRE(a.get("/api/v1/onboarding/status", r->json()["access_token"]).status == 200);

        std::string path = links_of(a.acme) + "/" + id + (method == "POST" ? "/revoke" : "");
        std::string before = a.t.snapshot();
        CHECK(a.t.call(method, path, "", a.carl).status == 403);
        CHECK(a.t.call(method, path, "", a.gina).status == 404);
        CHECK(a.t.call(method, path, "", laptop.json()["access_token"]).status == 403);
        CHECK(a.t.snapshot() == before);
        REQUIRE(a.t.call(method, path, "", a.ann).status == 204);

        for (const Reply* r : {&laptop, &phone}) {
            CHECK(a.get("/api/v1/onboarding/status", r->json()["access_token"]).status == 401);
            CHECK(a.post("/api/v1/auth/refresh", {{"refresh_token", r->json()["refresh_token"]}}, "").status == 401);
        }
        before = a.t.snapshot();
        Reply reopened = open_on(a, link, kLaptop, "203.0.113.7");
        CHECK(reopened.status == 410);
        CHECK(reopened.json()["error_code"] == "link_revoked");
        CHECK(reopened.json()["detail"].get<std::string>().find("revoked") != std::string::npos);
        CHECK(a.t.call(method, path, "", a.ann).status == 409);
        CHECK(a.t.snapshot() == before);
        CHECK(view(a, link).state == "revoked");
    }
}

TEST_CASE("a link session signs in to Shopify in the OAuth popup, and the connection is the link's org's") {
    OnboardingApp a;
    a.t.app.config.public_url = "https://onramp.test";
    json link = mint(a, {{"platforms", {"shopify"}}});
    std::string client = opened(a, link);
    std::string org = "/api/v1/orgs/" + a.acme;

    Reply started = a.post(org + "/oauth/shopify/start", {{"shop_domain", "onramp-demo"}}, client);
    REQUIRE_MESSAGE(started.status == 200, started.body);
    Reply page = a.get(approved_callback(started), "");
    REQUIRE_MESSAGE(page.status == 200, page.body);
    CHECK(page.body.find("\"success\":true") != std::string::npos);

    Reply conns = a.get(org + "/connections", client);
    REQUIRE(conns.status == 200);
    REQUIRE(conns.json()["total"] == 1);
    CHECK(conns.json()["items"][0]["platform"] == "shopify");
    CHECK(a.get(org + "/connections", a.ann).json()["total"] == 1);
    CHECK(a.get("/api/v1/orgs/" + a.globex + "/connections", a.op).json()["total"] == 0);
}

TEST_CASE("a link session signs in to the custom CRM (OAuth 2.0 with PKCE) in the popup") {
    OnboardingApp a;
    a.t.app.config.public_url = "https://onramp.test";
    json link = mint(a, {{"platforms", {"custom_crm"}}});
    std::string client = opened(a, link);
    std::string org = "/api/v1/orgs/" + a.acme;
    Reply started = a.post(org + "/oauth/custom_crm/start",
                           {{"credentials", onramp::mock::demo_custom_crm_variants()["oauth2"]}, {"name", "Sales CRM"}},
                           client);
    REQUIRE_MESSAGE(started.status == 200, started.body);
    onramp::http::FetchRequest req;
    req.url = started.json()["authorization_url"];
    onramp::http::FetchResult res = onramp::http::fetch(req);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    REQUIRE_MESSAGE(res.response.status == 302, res.response.body);
    std::string location = res.response.header("Location");
    std::string path = "/oauth/custom_crm/callback?";
    for (const char* k : {"code", "state"})
        path += std::string(k) + "=" + onramp::connectors::wire::query_param(location, k) + "&";
    Reply page = a.get(path, "");
    REQUIRE_MESSAGE(page.status == 200, page.body);
    CHECK(page.body.find("\"success\":true") != std::string::npos);
    Reply conns = a.get(org + "/connections", client);
    REQUIRE(conns.json()["total"] == 1);
    CHECK(conns.json()["items"][0]["platform"] == "custom_crm");
}

TEST_CASE("a link session keeps its scope in OAuth: not another platform, not another org, not once revoked") {
    OnboardingApp a;
    a.t.app.config.public_url = "https://onramp.test";
    json link = mint(a, {{"platforms", {"shopify"}}});
    std::string client = opened(a, link);
    std::string before = a.t.snapshot();
    json crm = {{"credentials",
                 {{"base_url", "https://crm.example"}, {"test_path", "/me"}, {"auth_type", "oauth2"},
                  {"client_id", "id"}, {"client_secret", "secret"}, {"token_url", "https://crm.example/token"},
                  {"authorize_url", "https://crm.example/authorize"}}}};
    CHECK(a.post("/api/v1/orgs/" + a.acme + "/oauth/custom_crm/start", crm, client).status == 403);
    CHECK(a.post("/api/v1/orgs/" + a.globex + "/oauth/shopify/start", {{"shop_domain", "onramp-demo"}}, client)
              .status == 403);
    CHECK(a.t.snapshot() == before);

    // Started, then the link is revoked before the popup comes back: the
    // callback refuses and stores nothing.
    Reply started = a.post("/api/v1/orgs/" + a.acme + "/oauth/shopify/start", {{"shop_domain", "onramp-demo"}}, client);
    REQUIRE_MESSAGE(started.status == 200, started.body);
    std::string callback = approved_callback(started);
    REQUIRE(a.t.call("DELETE", links_of(a.acme) + "/" + link["id"].get<std::string>(), "", a.ann).status == 204);
    before = a.t.snapshot();
    Reply page = a.get(callback, "");
    CHECK(page.status == 403);
    CHECK(page.body.find("session_ended") != std::string::npos);
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("a link session asks what its link offers; other sessions are 404") {
    OnboardingApp a;
    json link = mint(a, {{"platforms", {"shopify", "callrail"}}});
    Reply mine = a.get("/api/v1/onboarding/link", opened(a, link));
    REQUIRE_MESSAGE(mine.status == 200, mine.body);
    CHECK(mine.json()["org"]["id"] == a.acme);
    CHECK(mine.json()["platforms"] == json{"shopify", "callrail"});
    CHECK(a.get("/api/v1/onboarding/link", a.ann).status == 404);
}

TEST_CASE("require_code needs e-mail and a contact address; refused links are not made") {
    OnboardingApp a;
    std::string before = a.t.snapshot();
    Reply no_address = a.post(links_of(a.acme), {{"require_code", true}}, a.ann);
    CHECK(no_address.status == 422);
    CHECK(no_address.json()["errors"].contains("require_code"));
    Reply no_mail = a.post(links_of(a.acme), {{"require_code", true}, {"send_to", "client@shop.test"}}, a.ann);
    CHECK(no_mail.status == 409);
    CHECK(no_mail.json()["error_code"] == "mail_disabled");
    CHECK(a.post(links_of(a.acme), {{"require_code", "yes"}}, a.ann).status == 422);
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("a link that requires a code: a new device gets one by e-mail and opens with it; wrong codes are limited") {
    SmtpServer smtp;
    smtp.start();
    OnboardingApp a;
    a.t.app.config.smtp_url = smtp.url();
    a.t.app.config.mail_from = "Onramp <onramp@hub.example.test>";
    a.t.app.log = [](const std::string&) {};  // the sender logs each message it sends
    onramp::mail::Sender sender(a.t.app);
    json link = mint(a, {{"require_code", true}, {"send_to", "client@shop.test"}});
    CHECK(link["require_code"] == true);
    sender.drain();  // the link's own e-mail
    smtp.wait_for(1);

    // Without a code: one is e-mailed, and the answer says where.
    Reply asked = open_on(a, link, kPhone, "198.51.100.4");
    CHECK(asked.status == 403);
    CHECK(asked.json()["error_code"] == "code_required");
    CHECK(asked.json()["detail"].get<std::string>().find("c\u2022\u2022\u2022@shop.test") != std::string::npos);
    CHECK(sender.drain() == 1);
    auto got = smtp.wait_for(2);
    REQUIRE(got.size() == 2);
    std::string mail = onramp::testing::unfold_soft_breaks(got[1]);
    CHECK(mail.find("To: client@shop.test") != std::string::npos);
    size_t at = mail.find("Subject: ");
    REQUIRE(at != std::string::npos);
    std::string code = mail.substr(at + 9, 6);
    CHECK(code.find_first_not_of("0123456789") == std::string::npos);
    CHECK(mail.find("Safari on iOS") != std::string::npos);
    // Stored as an HMAC keyed by the token, not as the code or its plain hash.
    {
        auto db = a.t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT code_hash FROM onboarding_link_codes");
        REQUIRE(st.step());
        // (Not "the code is not inside it": six given digits turn up in 64
        // random hex digits about once in 300,000 runs, and one run did.)
        CHECK(st.text(0).size() == 64);
        CHECK(st.text(0).find_first_not_of("0123456789abcdef") == std::string::npos);
        CHECK(st.text(0) != onramp::crypto::hex_encode(onramp::crypto::sha256(code)));
    }

    // Asking again within a minute sends nothing more; the first code stays good.
    std::string before = a.t.snapshot();
    CHECK(open_on(a, link, kPhone, "198.51.100.4").json()["error_code"] == "code_required");
    CHECK(a.t.snapshot() == before);

    // A wrong code is refused, opens nothing and counts as a try.
    std::string wrong = code == "000000" ? "111111" : "000000";
    Reply refused = open_on(a, link, kPhone, "198.51.100.4", {{"code", wrong}});
    CHECK(refused.status == 403);
    CHECK(refused.json()["error_code"] == "code_invalid");
    CHECK(view(a, link).opened_count == 0);

    Reply ok = open_on(a, link, kPhone, "198.51.100.4", {{"code", code}});
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(a.get("/api/v1/onboarding/status", ok.json()["access_token"]).status == 200);
    // Used up: the same code again is refused and changes nothing.
    before = a.t.snapshot();
    Reply reused = open_on(a, link, kLaptop, "203.0.113.7", {{"code", code}});
    CHECK(reused.status == 403);
    CHECK(reused.json()["error_code"] == "code_expired");
    CHECK(a.t.snapshot() == before);

    // Five wrong tries kill a code, even before it expires; so does time.
    a.t.clock += ob::kCodeResendSeconds;
    REQUIRE(open_on(a, link, kLaptop, "203.0.113.7").json()["error_code"] == "code_required");
    sender.drain();
    auto third = smtp.wait_for(3);
    REQUIRE(third.size() == 3);
    std::string third_mail = onramp::testing::unfold_soft_breaks(third[2]);
    std::string code2 = third_mail.substr(third_mail.find("Subject: ") + 9, 6);
    std::string wrong2 = code2 == "000000" ? "111111" : "000000";
    for (int i = 0; i < ob::kCodeAttempts; ++i) open_on(a, link, kLaptop, "203.0.113.7", {{"code", wrong2}});
    Reply dead = open_on(a, link, kLaptop, "203.0.113.7", {{"code", code2}});
    CHECK(dead.status == 403);
    CHECK(dead.json()["error_code"] == "code_expired");
    CHECK(view(a, link).opened_count == 1);
}

}  // TEST_SUITE
