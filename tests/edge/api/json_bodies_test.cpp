// Specification of JSON request bodies on every route that takes one (the
// route table walked, so a new route is covered as it is added): a
// value nested 300,000 deep (600 KB, well within the 1 MiB body limit),
// which used to overflow the stack where a handler copied or printed it,
// and a number no double holds, which used to escape as a 500, are 400
// problems that change nothing, for a member and for a client holding only
// an onboarding link as for anyone.
#include <doctest/doctest.h>

#include "edge/onboarding/onboarding_fixture.h"

using nlohmann::json;
using onramp::testing::OnboardingApp;
using onramp::testing::Reply;

namespace {

const std::string kDeep = std::string(300'000, '[') + std::string(300'000, ']');

struct JsonRoute {
    std::string method, path;
    std::string token;  // "" for public routes
};

// Every route of the table whose body is JSON, its path filled in with
// Acme's ids and a caller it admits: an operator where only operators may
// call, else Acme's manager.
std::vector<JsonRoute> json_routes(OnboardingApp& a, const std::string& connection) {
    const std::map<std::string, std::string> ids = {
        {"{org_id}", a.acme}, {"{id}", connection}, {"{user_id}", a.carl_id}, {"{platform}", "shopify"},
        {"{endpoint_id}", "whe_none"}};
    std::vector<JsonRoute> out;
    for (const onramp::http::Route& r : a.t.router.routes()) {
        // Sign-out reads no body (and would end the session the walk uses).
        if (r.body != onramp::http::Body::Json || r.pattern == "/api/v1/auth/logout") continue;
        std::string path = r.pattern;
        for (const auto& [param, value] : ids)
            for (size_t at = path.find(param); at != std::string::npos; at = path.find(param))
                path.replace(at, param.size(), value);
        REQUIRE_MESSAGE(path.find('{') == std::string::npos, "no id for a parameter of " << r.pattern);
        std::string token = r.access == onramp::http::Access::Public     ? ""
                            : r.access == onramp::http::Access::Operator ? a.op
                                                                           : a.ann;
        out.push_back({r.method, path, token});
    }
    REQUIRE(out.size() > 25);
    return out;
}

// A Chatwoot integration of Ann's in Acme: a connection that both the
// connection routes and the integration routes take as their {id}.
std::string chatwoot_integration(OnboardingApp& a) {
    json c = onramp::mock::demo_credentials()["chatwoot"];
    json body = {{"name", "My Chatwoot"},
                 {"type", "CRM"},
                 {"configuration",
                  {{"provider", "CHATWOOT"},
                   {"baseUrl", c["base_url"]},
                   {"accountId", c["account_id"]},
                   {"apiKey", c["api_access_token"]}}}};
    Reply r = a.post("/api/dashboard/integrations/create", body, a.ann, {{"X-Org-Id", a.acme}});
    REQUIRE_MESSAGE(r.status == 201, r.body);
    return r.json()["integration"]["id"];
}

void check_refused(OnboardingApp& a, const JsonRoute& route, const std::string& body, const std::string& code) {
    CAPTURE(route.method);
    CAPTURE(route.path);
    REQUIRE(body.size() < a.t.app.config.max_body);
    Reply r = a.t.call(route.method, route.path, body, route.token);
    CHECK(r.status == 400);
    CHECK(r.content_type == "application/problem+json");
    CHECK(r.json()["error_code"] == code);
    CHECK(r.body.size() < 2000);  // the body is not echoed
}

}  // namespace

TEST_SUITE("json_bodies.api") {

TEST_CASE("every JSON route answers a value nested 300,000 deep with a 400 and changes nothing") {
    OnboardingApp a;
    std::string connection = chatwoot_integration(a);
    std::string before = a.t.snapshot();
    for (const JsonRoute& route : json_routes(a, connection))
        check_refused(a, route, "{\"credentials\": " + kDeep + "}", "json_limit_exceeded");
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("every JSON route answers a number beyond a double, or 500,000 digits long, with a 400") {
    OnboardingApp a;
    std::string connection = chatwoot_integration(a);
    std::string before = a.t.snapshot();
    for (const JsonRoute& route : json_routes(a, connection)) {
        check_refused(a, route, "{\"name\": 1e999999}", "malformed_json");
        check_refused(a, route, "{\"name\": " + std::string(500'000, '9') + "}", "json_limit_exceeded");
    }
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("a plain member, and a client holding only an onboarding link, get the same 400s") {
    OnboardingApp a;
    Reply link = a.post("/api/v1/orgs/" + a.acme + "/onboarding-links", json::object(), a.ann);
    REQUIRE_MESSAGE(link.status == 201, link.body);
    Reply session = a.post("/api/v1/onboarding-links/exchange", {{"token", link.json()["token"]}}, "");
    REQUIRE_MESSAGE(session.status == 200, session.body);
    std::string client = session.json()["access_token"];
    using Calls = std::vector<std::pair<std::string, std::string>>;  // path, the member holding the value
    const Calls member_calls = {{"/api/dashboard/integrations/test", "configuration"},
                                {"/api/dashboard/integrations/create", "configuration"},
                                {"/api/v1/connectors/shopify/test", "credentials"}};
    const Calls client_calls = {{"/api/v1/onboarding/goals", "target_metrics"},
                                {"/api/v1/onboarding/goals", "notification_preferences"},
                                {"/api/v1/onboarding/callrail/connect", "api_key"},
                                {"/api/v1/onboarding/platforms/shopify/connect", "credentials"},
                                {"/api/v1/orgs/" + a.acme + "/connections", "credentials"}};
    std::string before = a.t.snapshot();
    for (const auto& [caller, calls] : std::vector<std::pair<std::string, Calls>>{{a.carl, member_calls},
                                                                                  {client, client_calls}}) {
        for (const auto& [path, field] : calls) {
            CAPTURE(field);
            check_refused(a, {"POST", path, caller}, "{\"" + field + "\": " + kDeep + "}", "json_limit_exceeded");
        }
    }
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("bytes that are not UTF-8 in a path a problem echoes give a 404 problem that is valid JSON") {
    OnboardingApp a;
    Reply r = a.get("/api/v1/connectors/call\xff\xferail", a.ann);
    CHECK(r.status == 404);
    json j = json::parse(r.body, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    CHECK(j["detail"].get<std::string>().find("call\xef\xbf\xbd\xef\xbf\xbdrail") != std::string::npos);
}

}  // TEST_SUITE
