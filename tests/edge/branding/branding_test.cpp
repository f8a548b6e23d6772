// Specification of branding: an organization's managers and the deployment's
// operators set the name, logo, accent colour, welcome note, embed origins
// and default language
// the client's page shows; the organization's win over the deployment's,
// the vendor's name fills what neither set; the page may be framed only by
// the listed origins and carries its security headers everywhere.
#include <doctest/doctest.h>

#include <fstream>

#include "edge/onboarding/onboarding_fixture.h"
#include "shared/branding/branding.h"

using nlohmann::json;
using onramp::testing::OnboardingApp;
using onramp::testing::Reply;
namespace branding = onramp::branding;

namespace {

std::string branding_of(const std::string& org) { return "/api/v1/orgs/" + org + "/branding"; }

Reply put(OnboardingApp& a, const std::string& path, const json& body, const std::string& token) {
    return a.t.call("PUT", path, body.dump(), token);
}

// A web root holding a page, so the edge serves it as it serves the client.
void give_page(OnboardingApp& a) {
    a.t.app.config.web_root = a.t.dir.path + "/web";
    std::filesystem::create_directories(a.t.app.config.web_root);
    std::ofstream(a.t.app.config.web_root + "/index.html") << "<!doctype html><title>Onramp</title>";
    std::ofstream(a.t.app.config.web_root + "/boot.js") << "var x = 1;";
}

const std::string kPng = "data:image/png;base64,iVBORw0KGgo=";

}  // namespace

TEST_SUITE("branding") {

TEST_CASE("accent colours, origins and logos are checked as the page will use them") {
    CHECK(branding::valid_accent("#4F46E5"));
    CHECK_FALSE(branding::valid_accent("4F46E5"));
    CHECK_FALSE(branding::valid_accent("#4F46E"));
    CHECK_FALSE(branding::valid_accent("#GGGGGG"));
    CHECK(branding::valid_origin("https://app.agency.example"));
    CHECK(branding::valid_origin("https://app.agency.example:8443"));
    CHECK(branding::valid_origin("http://localhost:3000"));
    CHECK(branding::valid_origin("http://127.0.0.1:5173"));
    CHECK_FALSE(branding::valid_origin("http://app.agency.example"));  // plain HTTP off the machine
    CHECK_FALSE(branding::valid_origin("https://app.agency.example/path"));
    CHECK_FALSE(branding::valid_origin("https://*.agency.example"));
    CHECK_FALSE(branding::valid_origin("https://app.agency.example; script-src *"));
    CHECK_FALSE(branding::valid_origin("https://app.agency.example:99999"));
    CHECK(branding::valid_logo(kPng));
    CHECK_FALSE(branding::valid_logo("data:text/html;base64,PHNjcmlwdD4="));
    CHECK_FALSE(branding::valid_logo("https://agency.example/logo.png"));
    CHECK_FALSE(branding::valid_logo("data:image/png;base64,<script>"));
    CHECK_FALSE(branding::valid_logo("data:image/png;base64," + std::string(branding::kMaxLogoBytes, 'A')));
}

TEST_CASE("without any branding the client's page shows the vendor's name") {
    OnboardingApp a;
    Reply r = a.t.get("/api/v1/branding");
    REQUIRE(r.status == 200);
    CHECK(r.json()["name"] == "Onramp");
    CHECK(r.json()["accent"] == "");
    CHECK_FALSE(r.json().contains("embed_origins"));
}

TEST_CASE("a manager brands the organization; its page shows that over the deployment's") {
    OnboardingApp a;
    REQUIRE(put(a, "/api/v1/branding", {{"name", "Agency Hub"}, {"accent", "#112233"}, {"welcome", "Hi from us"}},
                a.op).status == 200);
    Reply set = put(a, branding_of(a.acme), {{"name", "Acme Partners"}, {"logo", kPng}}, a.ann);
    REQUIRE_MESSAGE(set.status == 200, set.body);

    Reply got = a.get(branding_of(a.acme), a.ann);
    REQUIRE(got.status == 200);
    CHECK(got.json()["own"]["name"] == "Acme Partners");
    CHECK(got.json()["own"]["accent"] == "");
    CHECK(got.json()["resolved"]["name"] == "Acme Partners");
    CHECK(got.json()["resolved"]["accent"] == "#112233");  // the deployment's shows through
    CHECK(got.json()["resolved"]["welcome"] == "Hi from us");
    CHECK(got.json()["resolved"]["logo"] == kPng);

    // Globex set nothing: the deployment's brand.
    Reply other = a.get(branding_of(a.globex), a.gina);
    CHECK(other.json()["resolved"]["name"] == "Agency Hub");
    // The public view is the deployment's alone.
    CHECK(a.t.get("/api/v1/branding").json()["name"] == "Agency Hub");
}

TEST_CASE("a link's client sees its organization's brand and the note the agency wrote on the link") {
    OnboardingApp a;
    REQUIRE(put(a, branding_of(a.acme), {{"name", "Acme Partners"}, {"welcome", "Welcome aboard"}}, a.ann).status ==
            200);
    Reply link = a.post("/api/v1/orgs/" + a.acme + "/onboarding-links", {{"note", "Start with Shopify, Dana"}}, a.ann);
    REQUIRE(link.status == 201);
    Reply session = a.post("/api/v1/onboarding-links/exchange", {{"token", link.json()["token"]}}, "");
    REQUIRE(session.status == 200);
    Reply r = a.get("/api/v1/onboarding/branding", session.json()["access_token"]);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["name"] == "Acme Partners");
    CHECK(r.json()["welcome"] == "Welcome aboard");
    CHECK(r.json()["note"] == "Start with Shopify, Dana");
}

TEST_CASE("an organization's default language reaches its clients' page, over the deployment's") {
    OnboardingApp a;
    REQUIRE(put(a, "/api/v1/branding", {{"language", "es"}}, a.op).status == 200);
    REQUIRE(put(a, branding_of(a.acme), {{"language", "de"}}, a.ann).status == 200);
    Reply link = a.post("/api/v1/orgs/" + a.acme + "/onboarding-links", json::object(), a.ann);
    REQUIRE(link.status == 201);
    Reply session = a.post("/api/v1/onboarding-links/exchange", {{"token", link.json()["token"]}}, "");
    REQUIRE(session.status == 200);
    Reply r = a.get("/api/v1/onboarding/branding", session.json()["access_token"]);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["language"] == "de");
    CHECK(a.get(branding_of(a.acme), a.ann).json()["own"]["language"] == "de");
}

TEST_CASE("who may change branding: managers their own organization, operators the deployment") {
    OnboardingApp a;
    std::string before = a.t.snapshot();
    CHECK(put(a, branding_of(a.acme), {{"name", "Taken"}}, a.carl).status == 403);   // a member
    CHECK(put(a, branding_of(a.acme), {{"name", "Taken"}}, a.gina).status == 404);   // another tenant
    CHECK(a.get(branding_of(a.acme), a.gina).status == 404);
    CHECK(put(a, "/api/v1/branding", {{"name", "Taken"}}, a.ann).status == 403);     // not an operator
    CHECK(put(a, "/api/v1/branding", {{"name", "Taken"}}, "").status == 401);
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("bad branding is refused field by field and changes nothing") {
    OnboardingApp a;
    std::string before = a.t.snapshot();
    Reply r = put(a, branding_of(a.acme),
                  {{"name", std::string(81, 'x')},
                   {"accent", "red"},
                   {"logo", "javascript:alert(1)"},
                   {"embed_origins", {"https://ok.example", "https://evil.example/'unsafe-inline'"}},
                   {"language", "fr"}},
                  a.ann);
    REQUIRE(r.status == 422);
    for (const char* field : {"name", "accent", "logo", "embed_origins", "language"})
        CHECK_MESSAGE(r.json()["errors"].contains(field), field);
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("the page forbids framing, referrers and foreign scripts unless an origin is listed") {
    OnboardingApp a;
    give_page(a);
    Reply page = a.t.get("/");
    REQUIRE(page.status == 200);
    std::string csp = page.header("Content-Security-Policy");
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(csp.find("script-src 'self'") != std::string::npos);
    CHECK(csp.find("'unsafe-inline'") == csp.find("'unsafe-inline'", csp.find("style-src")));  // styles only
    CHECK(page.header("X-Frame-Options") == "DENY");
    CHECK(page.header("Referrer-Policy") == "no-referrer");
    CHECK(page.header("Strict-Transport-Security") == "");  // plain HTTP: not pinned
    // Scripts are not pages: no page policy on them.
    CHECK(a.t.get("/boot.js").header("Content-Security-Policy") == "");
}

TEST_CASE("an organization's listed origins may frame its page, and only through ?embed with its id") {
    OnboardingApp a;
    give_page(a);
    REQUIRE(put(a, branding_of(a.acme), {{"embed_origins", {"https://app.acme.example"}}}, a.ann).status == 200);

    Reply framed = a.t.get("/?embed=" + a.acme);
    std::string csp = framed.header("Content-Security-Policy");
    CHECK(csp.find("frame-ancestors https://app.acme.example") != std::string::npos);
    CHECK(framed.header("X-Frame-Options") == "");

    // The plain page, another organization's id, or a made-up one: nobody.
    for (const std::string& path : {std::string("/"), "/?embed=" + a.globex, std::string("/?embed=nope")}) {
        Reply r = a.t.get(path);
        CHECK_MESSAGE(r.header("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos, path);
        CHECK(r.header("X-Frame-Options") == "DENY");
    }

    // The deployment's origins frame every organization's page.
    REQUIRE(put(a, "/api/v1/branding", {{"embed_origins", {"https://saas.example"}}}, a.op).status == 200);
    CHECK(a.t.get("/").header("Content-Security-Policy").find("frame-ancestors https://saas.example") !=
          std::string::npos);
    CHECK(a.t.get("/?embed=" + a.acme).header("Content-Security-Policy").find(
              "frame-ancestors https://saas.example https://app.acme.example") != std::string::npos);
}

TEST_CASE("a page reached over HTTPS tells the browser to keep to HTTPS") {
    OnboardingApp a;
    give_page(a);
    onramp::http::Request req;
    req.method = "GET";
    req.path = req.target = "/";
    req.scheme = "https";
    req.remote_addr = "127.0.0.1";
    Reply r = a.t.send(req);
    CHECK(r.header("Strict-Transport-Security") == "max-age=31536000");
}

}
