// The Meta platform (Facebook Pages and Instagram messaging): the GET
// subscription handshake (right and wrong verify token, nothing stored),
// X-Hub-Signature-256 against a vector computed outside the project, the
// Facebook Login sign-in end to end against the mock (code, long-lived user
// token, Page token; the state single use; nothing stored on a refusal),
// the Page token test, message and comment notifications reaching the
// webhook inbox once each, the Page installing the app (subscribed_apps) on
// sign-in and uninstalling it on removal, choosing among several Pages, and
// the app's one callback URL routing each entry to its Page's connections
// and no one else's.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/connectors/wire.h"
#include "edge/http/client.h"
#include "edge/platforms/meta/graph.h"
#include "edge/platforms/meta/webhook.h"
#include "edge/store/db.h"
#include "edge/support/test_app.h"
#include "edge/webhooks/webhook_test_support.h"

using nlohmann::json;
using onramp::connectors::Cause;
using onramp::testing::describe;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;
using namespace onramp::webhooks;
using namespace webhook_test;
namespace wire = onramp::connectors::wire;

namespace {

constexpr const char* kHeader = "X-Hub-Signature-256";
constexpr const char* kSecret = "4d6574614f6e72616d70417070536563";
constexpr const char* kOtherSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const std::string kOrigin = "https://onramp.test";

// A Messenger text message notification in the documented shape, and its
// signature computed once outside the project:
//   printf '%s' BODY | openssl dgst -sha256 -hmac 4d6574614f6e72616d70417070536563
constexpr const char* kVectorBody =
    R"({"object":"page","entry":[{"id":"104000000000001","time":1458692752478,"messaging":[{"sender":)"
    R"({"id":"6783422112345678"},"recipient":{"id":"104000000000001"},"timestamp":1458692752478,)"
    R"("message":{"mid":"m_1457764197618:41d102a3e1ae206a38","text":"hello, world!"}}]}]})";
constexpr const char* kVectorSignature = "sha256=337eae57c3429b566f016c26c4d446a400d267111fffcd52393d5b7e9bc53685";

constexpr const char* kCommentBody =
    R"({"object":"instagram","entry":[{"id":"17841400000000001","time":1700000000,"changes":[{"field":"comments",)"
    R"("value":{"id":"17865799348089039","from":{"id":"232323232","username":"someone"},"text":"Nice!",)"
    R"("media":{"id":"123123123","media_product_type":"FEED"}}}]}]})";

json demo() { return onramp::mock::demo_credentials()["meta"]; }

const onramp::webhooks::Scheme& meta_scheme() { return *find_scheme("meta"); }

// An org with a manager signed in, the mock behind every base URL.
struct Setup {
    MockFixture m;
    TestApp t;
    std::string org, ann;

    Setup() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.config.public_url = kOrigin;
        org = t.make_org("Acme");
        t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
        ann = t.login("ann@acme.test", "pw-123456");
    }

    json start(const json& body = json::object()) {
        Reply r = t.post("/api/v1/orgs/" + org + "/oauth/meta/start", body, ann);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return r.json();
    }

    // The person agrees at the mock's login dialog: its redirect back.
    std::string approve(const std::string& authorization_url) {
        onramp::http::FetchRequest req;
        req.url = authorization_url;
        auto res = onramp::http::fetch(req);
        REQUIRE_MESSAGE(res.ok(), res.failure.message);
        REQUIRE_MESSAGE(res.response.status == 302, res.response.body);
        std::string location = res.response.header("Location");
        REQUIRE(location.rfind(kOrigin + "/oauth/meta/callback?", 0) == 0);
        return location;
    }

    Reply callback(const std::string& code, const std::string& state) {
        return t.get("/oauth/meta/callback?code=" + code + "&state=" + state);
    }

    int64_t count(const std::string& sql) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, sql);
        return st.step() ? st.i64(0) : -1;
    }

    std::string connect_with_demo_credentials() {
        Reply c = t.post("/api/v1/orgs/" + org + "/connections",
                         {{"platform", "meta"}, {"name", "Page"}, {"credentials", demo()}}, ann);
        REQUIRE_MESSAGE(c.status == 201, c.body);
        return c.json()["id"];
    }
};

const std::string kFirstPage = "104000000000001";
const std::string kSecondPage = "104000000000002";
const std::string kSecondPageToken = "EAAOnrampDemoPageToken0000000000000000000002";

// A call to the mock's Graph API, as Graph takes it.
onramp::http::FetchResponse graph(const MockFixture& m, const std::string& method, const std::string& path,
                                  const std::string& token, const std::string& body = "") {
    onramp::http::FetchRequest req;
    req.method = method;
    req.url = m.mock.url() + "/meta/graph/" + std::string(onramp::platforms::meta::kGraphVersion) + path;
    if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
    if (!body.empty()) {
        req.body = body;
        req.headers.emplace("Content-Type", "application/json");
    }
    auto res = onramp::http::fetch(req);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    return res.response;
}

// The fields the demo app is installed with on `page_id`; empty when not.
json installed_fields(const MockFixture& m, const std::string& page_id, const std::string& token) {
    auto res = graph(m, "GET", "/" + page_id + "/subscribed_apps", token);
    REQUIRE_MESSAGE(res.status == 200, res.body);
    json data = json::parse(res.body)["data"];
    return data.empty() ? json::array() : data[0]["subscribed_fields"];
}

// A Messenger message to `page` with its own mid, as one entry.
json message_entry(const std::string& page, const std::string& mid) {
    return {{"id", page},
            {"time", 1700000000000},
            {"messaging", json::array({{{"sender", {{"id", "6783422112345678"}}},
                                        {"recipient", {{"id", page}}},
                                        {"timestamp", 1700000000000},
                                        {"message", {{"mid", mid}, {"text", "hello from " + page}}}}})}};
}

// Another organization with its own manager, connected to `page` by hand.
struct OtherOrg {
    std::string org, token, connection;
};

OtherOrg connect_other_org(TestApp& t, const std::string& name, const std::string& page, const std::string& page_token) {
    OtherOrg o;
    o.org = t.make_org(name);
    std::string email = "boss@" + name + ".test";
    t.add_member(o.org, t.make_user(email, "pw-123456"), "manager");
    o.token = t.login(email, "pw-123456");
    json creds = {{"page_id", page}, {"page_access_token", page_token}, {"verify_token", demo()["verify_token"]}};
    Reply c = t.post("/api/v1/orgs/" + o.org + "/connections",
                     {{"platform", "meta"}, {"name", "Page"}, {"credentials", creds}}, o.token);
    REQUIRE_MESSAGE(c.status == 201, c.body);
    o.connection = c.json()["id"];
    return o;
}

Reply deliver_to_app(TestApp& t, const std::string& body, const std::string& secret = kSecret) {
    return t.call("POST", "/webhooks/meta", body, "",
                  {{"Content-Type", "application/json"}, {kHeader, sign_meta(secret, body)}});
}

json posted(const Reply& r) {
    std::string marker = "var result = ";
    size_t at = r.body.find(marker);
    REQUIRE(at != std::string::npos);
    size_t end = r.body.find(";\n", at);
    return json::parse(r.body.substr(at + marker.size(), end - at - marker.size()));
}

}  // namespace

TEST_SUITE("connectors.meta") {

TEST_CASE("Meta webhook: the vector computed outside the project matches the helper and the signer") {
    CHECK(sign_meta(kSecret, kVectorBody) == kVectorSignature);
    CHECK(hmac_sha256_hex(kSecret, kVectorBody) == std::string(kVectorSignature).substr(7));
    Delivery d = delivery(kVectorBody, {});
    meta_scheme().sign(d, Secrets{.keys = {kSecret}}, 0);
    Verdict v = verify("meta", d, Secrets{.keys = {kSecret}}, 0);
    CHECK(v.valid);
    CHECK(v.delivery_id == "m_1457764197618:41d102a3e1ae206a38");
    CHECK(v.topic == "page.messages");
}

TEST_CASE("Meta webhook: a tampered body, another secret, a missing, malformed or repeated header fail") {
    Secrets secrets{.keys = {kSecret}};
    CHECK(verify("meta", delivery(kVectorBody, {{kHeader, kVectorSignature}}), secrets, 0).valid);
    std::string tampered = kVectorBody;
    tampered.replace(tampered.find("hello"), 5, "HELLO");
    CHECK(verify("meta", delivery(tampered, {{kHeader, kVectorSignature}}), secrets, 0).failure == Failure::mismatch);
    CHECK(verify("meta", delivery(kVectorBody, {{kHeader, kVectorSignature}}), Secrets{.keys = {kOtherSecret}}, 0)
              .failure == Failure::mismatch);
    CHECK(verify("meta", delivery(kVectorBody, {}), secrets, 0).failure == Failure::missing_header);
    std::string bare = std::string(kVectorSignature).substr(7);
    CHECK(verify("meta", delivery(kVectorBody, {{kHeader, bare}}), secrets, 0).failure == Failure::bad_encoding);
    CHECK(verify("meta", delivery(kVectorBody, {{kHeader, "sha1=" + bare.substr(0, 40)}}), secrets, 0).failure ==
          Failure::bad_encoding);
    CHECK_FALSE(verify("meta", delivery(kVectorBody, {{kHeader, kVectorSignature}, {kHeader, kVectorSignature}}),
                       secrets, 0).valid);
    CHECK(verify("meta", delivery(kVectorBody, {{kHeader, kVectorSignature}}), Secrets{}, 0).failure ==
          Failure::no_secret);
}

TEST_CASE("Meta webhook: a comment notification is named by the comment's id and topic object.field") {
    Secrets secrets{.keys = {kSecret}};
    Verdict v = verify("meta", delivery(kCommentBody, {{kHeader, sign_meta(kSecret, kCommentBody)}}), secrets, 0);
    REQUIRE(v.valid);
    CHECK(v.delivery_id == "17865799348089039");
    CHECK(v.topic == "instagram.comments");
}

TEST_CASE("Meta webhook: the handshake echoes hub.challenge as text for the right verify token, 403 otherwise, "
          "storing nothing") {
    Setup s;
    std::string id = s.connect_with_demo_credentials();
    std::string token = demo()["verify_token"];
    Reply ok = s.t.get("/webhooks/meta/" + id + "?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" +
                       token);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(ok.body == "1158201444");
    CHECK(ok.content_type.rfind("text/plain", 0) == 0);
    Reply wrong = s.t.get("/webhooks/meta/" + id + "?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" +
                          token + "x");
    CHECK(wrong.status == 403);
    CHECK(wrong.body.find("1158201444") == std::string::npos);
    CHECK(s.t.get("/webhooks/meta/" + id + "?hub.mode=subscribe&hub.challenge=1").status == 403);
    CHECK(s.t.get("/webhooks/meta/" + id + "?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=" + token).status ==
          400);
    CHECK(s.t.get("/webhooks/meta/no-such-connection?hub.mode=subscribe&hub.challenge=1&hub.verify_token=" + token)
              .status == 404);
    CHECK(s.count("SELECT count(*) FROM webhook_deliveries") == 0);
    CHECK(s.count("SELECT count(*) FROM webhook_endpoints") == 0);
    CHECK(s.count("SELECT sum(n) FROM webhook_counters WHERE name = 'rejected'") == 4);
}

TEST_CASE("Meta webhook: a scheme without a handshake does not answer GETs") {
    Setup s;
    std::string id = s.connect_with_demo_credentials();
    CHECK(s.t.get("/webhooks/viber/" + id + "?hub.mode=subscribe&hub.challenge=1&hub.verify_token=x").status == 404);
}

TEST_CASE("Meta: the demo Page token passes the test; a wrong one is refused by code 190 without echoing it") {
    MockFixture m;
    auto t = m.platform("meta").test(m.creds("meta"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_id == demo()["page_id"]);
    CHECK(t.verified.account_name == "Onramp Demo Page");

    auto creds = m.creds("meta");
    creds["page_access_token"] = "EAAWrongTokenWrongTokenWrongToken0000";
    auto bad = m.platform("meta").test(creds, m.ctx);
    REQUIRE(bad.failure);
    CHECK(bad.failure->cause == Cause::credential_rejected);
    CHECK(bad.failure->field == "page_access_token");
    CHECK(bad.failure->message.find("EAAWrong") == std::string::npos);

    auto other_page = m.creds("meta");
    other_page["page_id"] = "104000000000999";
    auto mismatch = m.platform("meta").test(other_page, m.ctx);
    REQUIRE(mismatch.failure);
    CHECK(mismatch.failure->field == "page_id");
}

TEST_CASE("Meta sign-in end to end: code, long-lived user token, Page token; the Page is connected with the app "
          "secret as its webhook secret") {
    Setup s;
    json started = s.start({{"name", "Our Page"}, {"page_id", kFirstPage}});
    std::string url = started["authorization_url"];
    CHECK(url.rfind(s.m.mock.url() + "/meta/www/" + std::string(onramp::platforms::meta::kGraphVersion) +
                        "/dialog/oauth?", 0) == 0);
    CHECK(wire::query_param(url, "redirect_uri") == kOrigin + "/oauth/meta/callback");
    CHECK(wire::query_param(url, "state") == started["state"]);
    CHECK(wire::query_param(url, "response_type") == "code");
    CHECK(wire::query_param(url, "scope").find("pages_messaging") != std::string::npos);

    std::string location = s.approve(url);
    Reply page = s.callback(wire::query_param(location, "code"), wire::query_param(location, "state"));
    REQUIRE_MESSAGE(page.status == 200, page.body);
    json message = posted(page);
    CHECK(message["success"] == true);
    CHECK(message["platform"] == "meta");

    Reply list = s.t.get("/api/v1/orgs/" + s.org + "/connections", s.ann);
    REQUIRE(list.json()["total"] == 1);
    json conn = list.json()["items"][0];
    CHECK(conn["name"] == "Our Page");
    CHECK(conn["credentials"]["page_id"] == demo()["page_id"]);
    CHECK(list.body.find(demo()["page_access_token"].get<std::string>()) == std::string::npos);
    Reply hooks = s.t.get("/api/v1/orgs/" + s.org + "/connections/" + conn["id"].get<std::string>() + "/webhooks", s.ann);
    REQUIRE(hooks.status == 200);
    CHECK(hooks.json()["secret_configured"] == true);
    CHECK(hooks.body.find(kSecret) == std::string::npos);

    // The state works once.
    std::string before = s.t.snapshot();
    Reply again = s.callback(wire::query_param(location, "code"), wire::query_param(location, "state"));
    CHECK(again.status == 400);
    CHECK(posted(again)["error"] == "invalid_state");
    CHECK(s.t.snapshot() == before);
}

TEST_CASE("Meta sign-in: a wrong state, a declined dialog or a refused code store nothing") {
    Setup s;
    std::string location = s.approve(s.start({{"page_id", kFirstPage}})["authorization_url"]);
    std::string code = wire::query_param(location, "code"), state = wire::query_param(location, "state");

    Reply wrong = s.callback(code, "made-up-state");
    CHECK(wrong.status == 400);
    CHECK(posted(wrong)["error"] == "invalid_state");

    std::string declined_state = s.start()["state"];
    Reply declined = s.t.get("/oauth/meta/callback?error=access_denied&error_reason=user_denied&state=" + declined_state);
    CHECK(declined.status == 403);
    CHECK(posted(declined)["error"] == "access_denied");

    std::string other_state = s.start()["state"];
    Reply refused = s.callback("not-a-code-the-mock-issued", other_state);
    CHECK(refused.status == 502);
    CHECK(posted(refused)["error"] == "code_exchange_failed");
    CHECK(s.count("SELECT count(*) FROM connections") == 0);

    // The real redirect still completes: the refusals spent only their own states.
    CHECK(s.callback(code, state).status == 200);
}

TEST_CASE("Meta mock: a code works once and only with its redirect_uri; errors carry Graph's shape") {
    MockFixture m;
    std::string base = m.mock.url() + "/meta/graph/" + std::string(onramp::platforms::meta::kGraphVersion);
    auto demo_app = [] { return std::string("client_id=100000000000001&client_secret=4d6574614f6e72616d70417070536563"); };
    auto get = [](const std::string& url) {
        onramp::http::FetchRequest req;
        req.url = url;
        auto res = onramp::http::fetch(req);
        REQUIRE_MESSAGE(res.ok(), res.failure.message);
        return res.response;
    };
    auto code_for = [&](const std::string& redirect) {
        auto res = get(m.mock.url() + "/meta/www/" + std::string(onramp::platforms::meta::kGraphVersion) +
                       "/dialog/oauth?client_id=100000000000001&state=s&redirect_uri=" + wire::url_encode(redirect));
        REQUIRE(res.status == 302);
        return wire::query_param(res.header("Location"), "code");
    };
    std::string redirect = "https://onramp.test/oauth/meta/callback";
    std::string code = code_for(redirect);
    auto other = get(base + "/oauth/access_token?" + demo_app() + "&redirect_uri=" +
                     wire::url_encode("https://elsewhere.test/cb") + "&code=" + wire::url_encode(code));
    CHECK(other.status == 400);
    json e = json::parse(other.body)["error"];
    CHECK(e["type"] == "OAuthException");
    CHECK(e["code"] == 100);
    CHECK(e.contains("message"));
    CHECK(e.contains("fbtrace_id"));
    // The code was spent by the mismatched try, as Facebook treats a code.
    CHECK(get(base + "/oauth/access_token?" + demo_app() + "&redirect_uri=" + wire::url_encode(redirect) + "&code=" +
              wire::url_encode(code)).status == 400);

    code = code_for(redirect);
    auto first = get(base + "/oauth/access_token?" + demo_app() + "&redirect_uri=" + wire::url_encode(redirect) +
                     "&code=" + wire::url_encode(code));
    REQUIRE_MESSAGE(first.status == 200, first.body);
    std::string short_token = json::parse(first.body)["access_token"];
    CHECK(get(base + "/oauth/access_token?" + demo_app() + "&redirect_uri=" + wire::url_encode(redirect) + "&code=" +
              wire::url_encode(code)).status == 400);
    auto long_lived = get(base + "/oauth/access_token?grant_type=fb_exchange_token&" + demo_app() +
                          "&fb_exchange_token=" + wire::url_encode(short_token));
    REQUIRE(long_lived.status == 200);
    CHECK(json::parse(long_lived.body)["expires_in"] == 5183944);
    auto pages = get(base + "/me/accounts?fields=id,name,access_token&access_token=" +
                     wire::url_encode(json::parse(long_lived.body)["access_token"].get<std::string>()));
    REQUIRE(pages.status == 200);
    CHECK(json::parse(pages.body)["data"][0]["access_token"] == demo()["page_access_token"]);
    auto bad = get(base + "/me?access_token=EAAnothing");
    CHECK(json::parse(bad.body)["error"]["code"] == 190);
    CHECK(get(m.mock.url() + "/meta/graph/v2.0/me?access_token=" +
              wire::url_encode(demo()["page_access_token"].get<std::string>())).status == 400);
}

TEST_CASE("Meta webhook: through the endpoint, message and comment notifications reach the inbox once each") {
    Setup s;
    std::string location = s.approve(s.start({{"page_id", kFirstPage}})["authorization_url"]);
    REQUIRE(s.callback(wire::query_param(location, "code"), wire::query_param(location, "state")).status == 200);
    std::string id = s.t.get("/api/v1/orgs/" + s.org + "/connections", s.ann).json()["items"][0]["id"];
    auto deliver = [&](const std::string& body, const std::string& secret) {
        return s.t.call("POST", "/webhooks/meta/" + id, body, "",
                        {{"Content-Type", "application/json"}, {kHeader, sign_meta(secret, body)}});
    };
    Reply first = deliver(kVectorBody, kSecret);
    REQUIRE_MESSAGE(first.status == 200, first.body);
    CHECK(first.json()["duplicate"] == false);
    CHECK(deliver(kVectorBody, kSecret).json()["duplicate"] == true);
    Reply comment = deliver(kCommentBody, kSecret);
    REQUIRE_MESSAGE(comment.status == 200, comment.body);
    CHECK(comment.json()["duplicate"] == false);
    CHECK(deliver(kVectorBody, kOtherSecret).status == 401);
    CHECK(s.t.call("POST", "/webhooks/meta/" + id, kVectorBody, "", {{"Content-Type", "application/json"}}).status ==
          401);
    CHECK(s.count("SELECT count(*) FROM webhook_deliveries WHERE platform = 'meta'") == 2);
    CHECK(s.count("SELECT count(*) FROM webhook_deliveries WHERE topic = 'instagram.comments'") == 1);
}

TEST_CASE("Meta sign-in installs the app on the Page with messages and feed; removing the connection uninstalls it") {
    Setup s;
    std::string page_token = demo()["page_access_token"];
    REQUIRE(installed_fields(s.m, kFirstPage, page_token).empty());
    std::string location = s.approve(s.start({{"page_id", kFirstPage}})["authorization_url"]);
    REQUIRE(s.callback(wire::query_param(location, "code"), wire::query_param(location, "state")).status == 200);
    CHECK(installed_fields(s.m, kFirstPage, page_token) == json::array({"messages", "feed"}));
    CHECK(installed_fields(s.m, kSecondPage, kSecondPageToken).empty());

    std::string id = s.t.get("/api/v1/orgs/" + s.org + "/connections", s.ann).json()["items"][0]["id"];
    Reply hooks = s.t.get("/api/v1/orgs/" + s.org + "/connections/" + id + "/webhooks", s.ann);
    REQUIRE(hooks.status == 200);
    CHECK(hooks.json()["registration"]["state"] == "registered");
    CHECK(hooks.body.find(page_token) == std::string::npos);

    // Register again (the button): Graph's POST replaces the fields, so nothing doubles.
    CHECK(s.t.call("POST", "/api/v1/orgs/" + s.org + "/connections/" + id + "/webhooks/registration", "", s.ann)
              .status == 200);
    CHECK(installed_fields(s.m, kFirstPage, page_token) == json::array({"messages", "feed"}));

    Reply gone = s.t.call("DELETE", "/api/v1/orgs/" + s.org + "/connections/" + id, "", s.ann);
    REQUIRE_MESSAGE(gone.status == 204, gone.body);
    CHECK(installed_fields(s.m, kFirstPage, page_token).empty());
    CHECK(s.count("SELECT count(*) FROM audit_log WHERE action = 'webhook.unregistered'") == 1);
}

TEST_CASE("Meta: a connection typed by hand installs the app once its app secret is set") {
    Setup s;
    std::string id = s.connect_with_demo_credentials();
    std::string page_token = demo()["page_access_token"];
    CHECK(installed_fields(s.m, kFirstPage, page_token).empty());
    Reply secret = s.t.call("PUT", "/api/v1/orgs/" + s.org + "/connections/" + id + "/webhooks/secret",
                            json{{"secret", kSecret}}.dump(), s.ann);
    REQUIRE_MESSAGE(secret.status == 200, secret.body);
    CHECK(installed_fields(s.m, kFirstPage, page_token) == json::array({"messages", "feed"}));
}

TEST_CASE("Meta mock: subscribed_apps takes only the Page's own token and known fields, in Graph's error shape") {
    MockFixture m;
    std::string page_token = demo()["page_access_token"];
    auto user_token = [&] {
        std::string redirect = "https://onramp.test/oauth/meta/callback";
        onramp::http::FetchRequest req;
        req.url = m.mock.url() + "/meta/www/" + std::string(onramp::platforms::meta::kGraphVersion) +
                  "/dialog/oauth?client_id=100000000000001&state=s&redirect_uri=" + wire::url_encode(redirect);
        auto dialog = onramp::http::fetch(req);
        REQUIRE(dialog.response.status == 302);
        auto res = graph(m, "GET",
                         "/oauth/access_token?client_id=100000000000001&client_secret=" + std::string(kSecret) +
                             "&redirect_uri=" + wire::url_encode(redirect) + "&code=" +
                             wire::url_encode(wire::query_param(dialog.response.header("Location"), "code")),
                         "");
        REQUIRE(res.status == 200);
        return json::parse(res.body)["access_token"].get<std::string>();
    }();
    auto error_code = [](const onramp::http::FetchResponse& r) {
        CHECK(r.status == 400);
        json e = json::parse(r.body)["error"];
        CHECK(e.contains("fbtrace_id"));
        return e["code"];
    };
    std::string fields = R"({"subscribed_fields":"messages,feed"})";
    CHECK(error_code(graph(m, "POST", "/" + kFirstPage + "/subscribed_apps", user_token, fields)) == 210);
    CHECK(error_code(graph(m, "POST", "/" + kSecondPage + "/subscribed_apps", page_token, fields)) == 100);
    CHECK(error_code(graph(m, "POST", "/999999999999/subscribed_apps", page_token, fields)) == 100);
    CHECK(error_code(graph(m, "POST", "/" + kFirstPage + "/subscribed_apps", "EAAnothing", fields)) == 190);
    CHECK(error_code(graph(m, "POST", "/" + kFirstPage + "/subscribed_apps", page_token, "{}")) == 100);
    CHECK(error_code(graph(m, "POST", "/" + kFirstPage + "/subscribed_apps", page_token,
                           R"({"subscribed_fields":"messages,everything"})")) == 100);
    CHECK(installed_fields(m, kFirstPage, page_token).empty());

    auto ok = graph(m, "POST", "/" + kFirstPage + "/subscribed_apps?subscribed_fields=messages", page_token);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(json::parse(ok.body) == json{{"success", true}});
    auto listed = graph(m, "GET", "/" + kFirstPage + "/subscribed_apps", page_token);
    CHECK(json::parse(listed.body)["data"][0]["id"] == "100000000000001");
    CHECK(json::parse(graph(m, "DELETE", "/" + kFirstPage + "/subscribed_apps", page_token).body)["success"] == true);
    CHECK(installed_fields(m, kFirstPage, page_token).empty());
}

TEST_CASE("Meta sign-in with several Pages and none named offers them to choose from; starting again with one "
          "connects that Page") {
    Setup s;
    std::string location = s.approve(s.start()["authorization_url"]);
    std::string before = s.t.snapshot();
    Reply choose = s.callback(wire::query_param(location, "code"), wire::query_param(location, "state"));
    CHECK(choose.status == 409);
    json result = posted(choose);
    CHECK(result["success"] == false);
    CHECK(result["error"] == "page_not_chosen");
    CHECK(result["choose"]["field"] == "page_id");
    CHECK(result["choose"]["options"] == json::array({{{"value", kFirstPage}, {"label", "Onramp Demo Page"}},
                                                      {{"value", kSecondPage}, {"label", "Onramp Demo Shop"}}}));
    CHECK(choose.body.find("EAAOnramp") == std::string::npos);
    CHECK(s.t.snapshot() == before);

    location = s.approve(s.start({{"page_id", kSecondPage}})["authorization_url"]);
    Reply done = s.callback(wire::query_param(location, "code"), wire::query_param(location, "state"));
    REQUIRE_MESSAGE(done.status == 200, done.body);
    json conn = s.t.get("/api/v1/orgs/" + s.org + "/connections", s.ann).json()["items"][0];
    CHECK(conn["credentials"]["page_id"] == kSecondPage);
    CHECK(installed_fields(s.m, kSecondPage, kSecondPageToken) == json::array({"messages", "feed"}));

    // A Page the person did not share is refused, the shared ones offered.
    location = s.approve(s.start({{"page_id", "104000000000999"}})["authorization_url"]);
    Reply unshared = s.callback(wire::query_param(location, "code"), wire::query_param(location, "state"));
    CHECK(unshared.status == 409);
    CHECK(posted(unshared)["error"] == "page_not_shared");
    CHECK(posted(unshared)["choose"]["options"].size() == 2);
}

TEST_CASE("Meta app URL: entries for two Pages reach each Page's connection in its own organization, cut to its "
          "own entries; an unknown Page is counted and acknowledged") {
    Setup s;
    std::string mine = s.connect_with_demo_credentials();
    OtherOrg other = connect_other_org(s.t, "globex", kSecondPage, kSecondPageToken);
    json body = {{"object", "page"},
                 {"entry", json::array({message_entry(kFirstPage, "m_first"), message_entry(kSecondPage, "m_second"),
                                        message_entry("104000000000999", "m_unknown")})}};
    Reply r = deliver_to_app(s.t, body.dump());
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["routed"] == 2);
    CHECK(r.json()["unrouted"] == 1);

    auto stored_for = [&](const std::string& connection) {
        auto db = s.t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT org_id, delivery_id, topic, body FROM webhook_deliveries "
                                    "WHERE connection_id = ?");
        st.bind_all(connection);
        json rows = json::array();
        while (st.step()) rows.push_back({st.text(0), st.text(1), st.text(2), json::parse(st.text(3))});
        return rows;
    };
    json a = stored_for(mine), b = stored_for(other.connection);
    REQUIRE(a.size() == 1);
    REQUIRE(b.size() == 1);
    CHECK(a[0][0] == s.org);
    CHECK(a[0][1] == "m_first");
    CHECK(a[0][2] == "page.messages");
    CHECK(a[0][3] == json({{"object", "page"}, {"entry", json::array({message_entry(kFirstPage, "m_first")})}}));
    CHECK(b[0][0] == other.org);
    CHECK(b[0][1] == "m_second");
    CHECK(b[0][3]["entry"].size() == 1);
    CHECK(b[0][3].dump().find(kFirstPage) == std::string::npos);
    CHECK(s.count("SELECT count(*) FROM webhook_deliveries") == 2);
    CHECK(s.count("SELECT n FROM webhook_counters WHERE connection_id = '' AND name = 'unrouted'") == 1);

    // Meta retries the same notification: acknowledged, stored once.
    Reply again = deliver_to_app(s.t, body.dump());
    CHECK(again.json()["duplicates"] == 2);
    CHECK(s.count("SELECT count(*) FROM webhook_deliveries") == 2);

    // A body for one Page alone is kept byte for byte, as Meta signed it.
    std::string single = json{{"object", "page"}, {"entry", json::array({message_entry(kFirstPage, "m_third")})}}.dump();
    REQUIRE(deliver_to_app(s.t, single).status == 200);
    CHECK(stored_for(mine)[1][3] == json::parse(single));
}

TEST_CASE("Meta app URL: two organizations that connected the same Page both receive its entries; an organization "
          "with another Page receives none") {
    Setup s;
    std::string mine = s.connect_with_demo_credentials();
    OtherOrg same = connect_other_org(s.t, "initech", kFirstPage, demo()["page_access_token"]);
    OtherOrg elsewhere = connect_other_org(s.t, "globex", kSecondPage, kSecondPageToken);
    std::string body = json{{"object", "page"}, {"entry", json::array({message_entry(kFirstPage, "m_shared")})}}.dump();
    Reply r = deliver_to_app(s.t, body);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["routed"] == 2);
    auto count_for = [&](const std::string& connection) {
        return s.count("SELECT count(*) FROM webhook_deliveries WHERE connection_id = '" + connection + "'");
    };
    CHECK(count_for(mine) == 1);
    CHECK(count_for(same.connection) == 1);
    CHECK(count_for(elsewhere.connection) == 0);
    CHECK(s.count("SELECT count(*) FROM webhook_deliveries WHERE org_id = '" + elsewhere.org + "'") == 0);
}

TEST_CASE("Meta app URL: a forged or unsigned body, another content type, or a platform without one app URL store "
          "nothing; the handshake answers the app's verify token") {
    Setup s;
    s.connect_with_demo_credentials();
    std::string body = json{{"object", "page"}, {"entry", json::array({message_entry(kFirstPage, "m_x")})}}.dump();
    CHECK(deliver_to_app(s.t, body, kOtherSecret).status == 401);
    CHECK(s.t.call("POST", "/webhooks/meta", body, "", {{"Content-Type", "application/json"}}).status == 401);
    CHECK(s.t.call("POST", "/webhooks/meta", body, "",
                   {{"Content-Type", "text/plain"}, {kHeader, sign_meta(kSecret, body)}}).status == 415);
    CHECK(s.t.call("POST", "/webhooks/shopify", body, "",
                   {{"Content-Type", "application/json"}, {kHeader, sign_meta(kSecret, body)}}).status == 404);
    CHECK(s.count("SELECT count(*) FROM webhook_deliveries") == 0);

    std::string token = demo()["verify_token"];
    Reply ok = s.t.get("/webhooks/meta?hub.mode=subscribe&hub.challenge=31337&hub.verify_token=" + token);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(ok.body == "31337");
    CHECK(s.t.get("/webhooks/meta?hub.mode=subscribe&hub.challenge=31337&hub.verify_token=nope").status == 403);
    CHECK(s.t.get("/webhooks/shopify?hub.mode=subscribe&hub.challenge=1&hub.verify_token=" + token).status == 404);

    // Without a Meta app (not demo mode, no META_* settings) the URL is not there.
    s.t.app.config.demo = false;
    CHECK(deliver_to_app(s.t, body).status == 404);
    CHECK(s.t.get("/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=" + token).status == 404);
}

}
