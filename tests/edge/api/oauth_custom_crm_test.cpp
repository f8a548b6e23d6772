// Specification of signing in to a custom CRM (the OAuth start and callback
// handlers): the OAuth 2.0 authorization code grant with
// PKCE S256. A manager starts it with the CRM's settings and gets an
// authorization URL with a fresh state and a code challenge; the mock CRM
// approves and redirects back with a code; the callback checks the state
// (single use, ten minutes, this platform, the starting session still a
// manager), exchanges the code with the code verifier only the edge knows,
// stores the connection with its tokens in the vault and answers the page
// that posts the result to the web client's window. Any refusal stores
// nothing. A token that expires, or that the CRM stops accepting, is
// renewed with the refresh token and the new tokens are stored.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "edge/connections/credentials.h"
#include "edge/connectors/mock_fixture.h"
#include "edge/connectors/wire.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"
#include "edge/platforms/custom_crm/oauth.h"
#include "edge/store/connections.h"
#include "edge/support/test_app.h"

using nlohmann::json;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;
namespace wire = onramp::connectors::wire;
namespace crm_oauth = onramp::connectors::custom_crm_oauth;

namespace {

const std::string kOrigin = "https://onramp.test";
const std::string kCallback = kOrigin + "/oauth/custom_crm/callback";

using Query = std::vector<std::pair<std::string, std::string>>;

struct SignIn {
    MockFixture m;
    TestApp t;
    std::string acme, globex, ann, carl, ann_id;

    SignIn() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.config.public_url = kOrigin;
        acme = t.make_org("Acme");
        globex = t.make_org("Globex");
        ann_id = t.make_user("ann@acme.test", "pw-123456");
        t.add_member(acme, ann_id, "manager");
        t.add_member(acme, t.make_user("carl@acme.test", "pw-123456"), "csr");
        ann = t.login("ann@acme.test", "pw-123456");
        carl = t.login("carl@acme.test", "pw-123456");
    }

    static json settings() { return onramp::mock::demo_custom_crm_variants()["oauth2"]; }

    std::string start_path(const std::string& org, const std::string& platform = "custom_crm") {
        return "/api/v1/orgs/" + org + "/oauth/" + platform + "/start";
    }

    json start(const json& creds = settings()) {
        Reply r = t.post(start_path(acme), {{"credentials", creds}, {"name", "Sales CRM"}}, ann);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return r.json();
    }

    // The user signs in at the mock CRM: its redirect back, as a query.
    Query authorize(const std::string& authorization_url) {
        onramp::http::FetchRequest req;
        req.url = authorization_url;
        onramp::http::FetchResult res = onramp::http::fetch(req);
        REQUIRE_MESSAGE(res.ok(), res.failure.message);
        REQUIRE_MESSAGE(res.response.status == 302, res.response.body);
        std::string location = res.response.header("Location");
        REQUIRE(location.rfind(kCallback + "?", 0) == 0);
        Query q;
        for (const char* k : {"code", "state", "error", "error_description"}) {
            std::string v = wire::query_param(location, k);
            if (!v.empty()) q.emplace_back(k, v);
        }
        return q;
    }

    // The router sees a decoded query, as cpp-httplib hands it over.
    Reply callback(const Query& q) {
        std::string path = "/oauth/custom_crm/callback?";
        for (const auto& [k, v] : q) path += k + "=" + v + "&";
        return t.get(path);
    }

    int64_t connections() {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM connections");
        return st.step() ? st.i64(0) : -1;
    }

    std::string audit_log() {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT group_concat(action || ' ' || detail, '\n') FROM audit_log");
        return st.step() && !st.is_null(0) ? st.text(0) : "";
    }

    // Every byte of the database files, as an attacker with the disk sees them.
    std::string disk() {
        std::string out;
        for (const auto& e : std::filesystem::directory_iterator(t.dir.path)) {
            std::ifstream in(e.path(), std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            out += ss.str();
        }
        return out;
    }

    onramp::mock::CrmOAuth crm() {
        std::lock_guard<std::mutex> lock(m.mock.state().mu);
        return m.mock.state().crm_oauth;
    }

    std::string only(const std::set<std::string>& tokens) {
        REQUIRE(tokens.size() == 1);
        return *tokens.begin();
    }

    // The stored credentials, out of the vault.
    onramp::connectors::Credentials stored(const std::string& connection_id) {
        auto db = t.app.store->lease();
        auto row = onramp::store::find_connection(*db, acme, connection_id);
        REQUIRE(row);
        auto creds = onramp::connections::load_credentials(*t.app.vault, *db, *row,
                                                           *onramp::connectors::find_connector("custom_crm"));
        REQUIRE(creds);
        return *creds;
    }

    std::string connect() {
        Reply page = callback(authorize(start()["authorization_url"]));
        REQUIRE_MESSAGE(page.status == 200, page.body);
        return posted(page)["connection_id"];
    }

    Reply retest(const std::string& id) {
        return t.call("POST", "/api/v1/orgs/" + acme + "/connections/" + id + "/test", "", ann);
    }

    // The posted message, read back out of the completion page.
    static json posted(const Reply& r) {
        std::string marker = "var result = ";
        size_t at = r.body.find(marker);
        REQUIRE(at != std::string::npos);
        size_t end = r.body.find(";\n", at);
        return json::parse(r.body.substr(at + marker.size(), end - at - marker.size()));
    }
};

Query with(Query q, const std::string& key, const std::string& value) {
    std::erase_if(q, [&](const auto& kv) { return kv.first == key; });
    if (!value.empty()) q.emplace_back(key, value);
    return q;
}

std::string get(const Query& q, const std::string& key) {
    for (const auto& [k, v] : q)
        if (k == key) return v;
    return "";
}

}  // namespace

TEST_SUITE("oauth.custom_crm") {

TEST_CASE("the PKCE S256 challenge is RFC 7636 appendix B's, and a verifier is 43 base64url characters") {
    CHECK(crm_oauth::code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    std::string verifier = crm_oauth::new_code_verifier();
    CHECK(verifier.size() == 43);
    CHECK(verifier.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    CHECK(crm_oauth::new_code_verifier() != verifier);
    // The same computation by hand: SHA-256, then base64url without padding.
    CHECK(crm_oauth::code_challenge(verifier) ==
          onramp::crypto::base64url_encode(onramp::crypto::sha256(verifier)));
}

TEST_CASE("end to end against the mock: sign in, the connection is stored, its token works, no secret shows") {
    SignIn s;
    json started = s.start();
    CHECK(started.dump().find(SignIn::settings()["client_secret"].get<std::string>()) == std::string::npos);
    std::string url = started["authorization_url"];
    CHECK(url.rfind(s.m.mock.url() + "/custom_crm/oauth/authorize?", 0) == 0);
    CHECK(wire::query_param(url, "response_type") == "code");
    CHECK(wire::query_param(url, "client_id") == SignIn::settings()["client_id"]);
    CHECK(wire::query_param(url, "redirect_uri") == kCallback);
    CHECK(started["redirect_uri"] == kCallback);
    CHECK(wire::query_param(url, "scope") == "contacts.read");
    CHECK(wire::query_param(url, "state") == started["state"]);
    CHECK(started["state"].get<std::string>().size() >= 43);
    CHECK(wire::query_param(url, "code_challenge_method") == "S256");
    CHECK(wire::query_param(url, "code_challenge").size() == 43);
    CHECK(url.find("code_verifier") == std::string::npos);
    CHECK(url.find("client_secret") == std::string::npos);

    Reply page = s.callback(s.authorize(url));
    REQUIRE_MESSAGE(page.status == 200, page.body);
    CHECK(page.content_type == "text/html; charset=utf-8");
    CHECK(page.header("Cache-Control") == "no-store");
    CHECK(page.body.find("window.opener.postMessage(result, origin)") != std::string::npos);
    CHECK(page.body.find("var origin = \"" + kOrigin + "\";") != std::string::npos);
    json message = SignIn::posted(page);
    CHECK(message["success"] == true);
    CHECK(message["platform"] == "custom_crm");
    CHECK(message["org_id"] == s.acme);
    CHECK(message["message"] == "Connected Sales CRM (crm.onramp-demo.test) to Onramp.");

    std::string access = s.only(s.crm().access_tokens), refresh = s.only(s.crm().refresh_tokens);
    Reply list = s.t.get("/api/v1/orgs/" + s.acme + "/connections", s.ann);
    REQUIRE(list.json()["total"] == 1);
    json conn = list.json()["items"][0];
    CHECK(conn["id"] == message["connection_id"]);
    CHECK(conn["name"] == "Sales CRM");
    CHECK(conn["credentials"]["auth_type"] == "oauth2");
    CHECK(conn["verified"]["account_name"] == "Onramp Demo CRM");
    CHECK(conn["credentials"]["expires_at"] == std::to_string(s.t.clock + 3600));
    std::string masked = conn["credentials"]["access_token"];
    CHECK(masked.find(access.substr(access.size() - 4)) != std::string::npos);

    // The stored token is the one the CRM issued, and it works.
    auto creds = s.stored(message["connection_id"]);
    CHECK(creds["access_token"] == access);
    CHECK(creds["refresh_token"] == refresh);
    Reply tested = s.retest(message["connection_id"]);
    REQUIRE_MESSAGE(tested.status == 200, tested.body);
    CHECK(tested.json()["success"] == true);

    // Security: no secret in a response, the audit log or the database files.
    for (const std::string& secret : {access, refresh, SignIn::settings()["client_secret"].get<std::string>()}) {
        CAPTURE(secret);
        CHECK(page.body.find(secret) == std::string::npos);
        CHECK(list.body.find(secret) == std::string::npos);
        CHECK(tested.body.find(secret) == std::string::npos);
        CHECK(s.audit_log().find(secret) == std::string::npos);
        CHECK(s.disk().find(secret) == std::string::npos);
    }
    CHECK(s.audit_log().find("oauth.started") != std::string::npos);
    CHECK(s.audit_log().find("connection.created") != std::string::npos);
}

TEST_CASE("PKCE: a code issued for one authorization does not complete another (the verifier does not match)") {
    SignIn s;
    json first = s.start(), second = s.start();
    Query q = s.authorize(first["authorization_url"]);
    // The code of the first, sent back with the state (and so the code
    // verifier) of the second: what an injected, stolen code looks like.
    Reply r = s.callback(with(q, "state", second["state"]));
    CHECK(r.status == 502);
    json message = SignIn::posted(r);
    CHECK(message["success"] == false);
    CHECK(message["error"] == "code_exchange_failed");
    std::string text = message["message"];
    CHECK(text.find("invalid_grant") != std::string::npos);
    CHECK(text.find("PKCE") != std::string::npos);
    CHECK(s.connections() == 0);
    CHECK(s.crm().access_tokens.empty());
}

TEST_CASE("a state works once: the same redirect again is refused and stores nothing more") {
    SignIn s;
    Query q = s.authorize(s.start()["authorization_url"]);
    REQUIRE(s.callback(q).status == 200);
    std::string before = s.t.snapshot();
    Reply again = s.callback(q);
    CHECK(again.status == 400);
    CHECK(SignIn::posted(again)["error"] == "invalid_state");
    CHECK(s.t.snapshot() == before);
    CHECK(s.connections() == 1);
}

TEST_CASE("a missing, unknown or expired state is refused and stores nothing") {
    SignIn s;
    Query q = s.authorize(s.start()["authorization_url"]);
    std::string before = s.t.snapshot();
    Reply missing = s.callback(with(q, "state", ""));
    CHECK(missing.status == 400);
    CHECK(SignIn::posted(missing)["error"] == "missing_state");
    Reply unknown = s.callback(with(q, "state", "made-up-state"));
    CHECK(unknown.status == 400);
    CHECK(SignIn::posted(unknown)["error"] == "invalid_state");
    s.t.clock += 600;
    Reply expired = s.callback(q);
    CHECK(expired.status == 400);
    CHECK(SignIn::posted(expired)["error"] == "invalid_state");
    CHECK(s.t.snapshot() == before);
    CHECK(s.crm().access_tokens.empty());  // no code was exchanged
}

TEST_CASE("a foreign state is refused: another platform's, or one whose starter no longer manages the org") {
    SignIn s;
    Reply shopify = s.t.post(s.start_path(s.acme, "shopify"), {{"shop_domain", "onramp-demo"}}, s.ann);
    REQUIRE_MESSAGE(shopify.status == 200, shopify.body);
    Query q = s.authorize(s.start()["authorization_url"]);
    std::string before = s.t.snapshot();
    Reply other = s.callback(with(q, "state", shopify.json()["state"]));
    CHECK(other.status == 400);
    CHECK(SignIn::posted(other)["error"] == "foreign_state");
    CHECK(s.t.snapshot() == before);

    {
        auto db = s.t.app.store->lease();
        onramp::store::Stmt st(*db, "UPDATE memberships SET role = 'csr' WHERE user_id = ?");
        st.bind_all(s.ann_id);
        st.step();
    }
    before = s.t.snapshot();
    Reply demoted = s.callback(q);
    CHECK(demoted.status == 403);
    CHECK(SignIn::posted(demoted)["error"] == "session_ended");
    CHECK(s.t.snapshot() == before);
    CHECK(s.connections() == 0);
}

TEST_CASE("declining at the CRM is an access_denied page; the state is spent and nothing is stored") {
    SignIn s;
    {
        std::lock_guard<std::mutex> lock(s.m.mock.state().mu);
        s.m.mock.state().crm_oauth.denies = true;
    }
    Query q = s.authorize(s.start()["authorization_url"]);
    CHECK(get(q, "error") == "access_denied");
    CHECK(get(q, "code").empty());
    std::string before = s.t.snapshot();
    Reply r = s.callback(q);
    CHECK(r.status == 403);
    json message = SignIn::posted(r);
    CHECK(message["error"] == "access_denied");
    CHECK(message["message"] == "Access was declined at your CRM, so nothing was connected.");
    CHECK(s.t.snapshot() == before);
    CHECK(SignIn::posted(s.callback(q))["error"] == "invalid_state");
}

TEST_CASE("a token endpoint error is reported with the CRM's error code, and nothing is stored") {
    SignIn s;
    json creds = SignIn::settings();
    creds["client_secret"] = "not-the-secret-0123456789";
    Query q = s.authorize(s.start(creds)["authorization_url"]);
    std::string before = s.t.snapshot();
    Reply r = s.callback(q);
    CHECK(r.status == 502);
    json message = SignIn::posted(r);
    CHECK(message["error"] == "code_exchange_failed");
    std::string text = message["message"];
    CHECK(text.find("invalid_client") != std::string::npos);
    CHECK(text.find("client ID and secret") != std::string::npos);
    CHECK(text.find("Client authentication failed.") != std::string::npos);  // the CRM's own words
    CHECK(text.find("not-the-secret") == std::string::npos);
    CHECK(s.t.snapshot() == before);
}

TEST_CASE("starting: 401, 403 for a non-manager, 404 for another tenant, 400, 413, 422, 409") {
    SignIn s;
    std::string before = s.t.snapshot();
    json body = {{"credentials", SignIn::settings()}};
    CHECK(s.t.post(s.start_path(s.acme), body).status == 401);
    CHECK(s.t.post(s.start_path(s.acme), body, s.carl).status == 403);
    CHECK(s.t.post(s.start_path(s.globex), body, s.ann).status == 404);
    CHECK(s.t.call("POST", s.start_path(s.acme), "{\"credentials\": ", s.ann).status == 400);
    CHECK(s.t.call("POST", s.start_path(s.acme), std::string(2 << 20, ' '), s.ann).status == 413);

    auto errors_for = [&](const json& b) {
        Reply r = s.t.post(s.start_path(s.acme), b, s.ann);
        CHECK_MESSAGE(r.status == 422, r.body);
        return r.json()["errors"];
    };
    CHECK(errors_for({{"credentials", "oauth"}}).contains("credentials"));
    CHECK(errors_for({{"credentials", SignIn::settings()}, {"sync_frequency", "often"}}).contains("sync_frequency"));
    json api_key = onramp::mock::demo_custom_crm_variants()["api_key"];
    CHECK(errors_for({{"credentials", api_key}}).contains("auth_type"));
    json no_authorize = SignIn::settings();
    no_authorize.erase("authorize_url");
    CHECK(errors_for({{"credentials", no_authorize}}).contains("authorize_url"));
    json with_token = SignIn::settings();
    with_token["access_token"] = "pasted-token-0123456789";
    CHECK(errors_for({{"credentials", with_token}}).contains("access_token"));
    json bad = SignIn::settings();
    bad["token_url"] = "ftp://auth.example.com/token";
    CHECK(errors_for({{"credentials", bad}}).contains("token_url"));

    s.t.app.config.public_url.clear();
    CHECK(s.t.post(s.start_path(s.acme), body, s.ann).status == 409);
    CHECK(s.t.snapshot() == before);
    CHECK(s.t.app.oauth_states.size() == 0);
}

TEST_CASE("outside demo mode, typed URLs into a private network are refused before anyone signs in (SSRF)") {
    SignIn s;
    s.t.app.config.demo = false;
    s.t.app.config.base_urls.clear();
    json creds = SignIn::settings();
    creds["base_url"] = "https://93.184.216.34/api";  // public, and numeric: no DNS needed
    creds["token_url"] = "https://10.0.0.5/oauth/token";
    creds["authorize_url"] = "https://93.184.216.34/oauth/authorize";
    Reply token = s.t.post(s.start_path(s.acme), {{"credentials", creds}}, s.ann);
    CHECK(token.status == 422);
    CHECK(token.json()["errors"].contains("token_url"));
    creds["token_url"] = "https://93.184.216.34/oauth/token";
    creds["authorize_url"] = "https://169.254.169.254/oauth/authorize";
    Reply authorize = s.t.post(s.start_path(s.acme), {{"credentials", creds}}, s.ann);
    CHECK(authorize.status == 422);
    CHECK(authorize.json()["errors"].contains("authorize_url"));
    creds["base_url"] = "https://127.0.0.1/api";
    creds["authorize_url"] = "https://93.184.216.34/oauth/authorize";
    CHECK(s.t.post(s.start_path(s.acme), {{"credentials", creds}}, s.ann).json()["errors"].contains("base_url"));
    CHECK(s.t.app.oauth_states.size() == 0);
    creds["base_url"] = "https://93.184.216.34/api";
    Reply ok = s.t.post(s.start_path(s.acme), {{"credentials", creds}}, s.ann);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(ok.json()["authorization_url"].get<std::string>().rfind("https://93.184.216.34/oauth/authorize?", 0) == 0);
}

TEST_CASE("an expired access token is renewed with the refresh token, and the new tokens are stored") {
    SignIn s;
    std::string id = s.connect();
    std::string old_access = s.only(s.crm().access_tokens), old_refresh = s.only(s.crm().refresh_tokens);
    {
        // A setting that is not a credential (a per-user integration's CRM name).
        auto db = s.t.app.store->lease();
        auto row = onramp::store::find_connection(*db, s.acme, id);
        row->config["crm_name"] = "Pipeline";
        onramp::store::update_connection(*db, *row);
    }
    s.t.clock += 3600;  // at expires_at: renewed before it is sent
    s.ann = s.t.login("ann@acme.test", "pw-123456");  // Onramp's own session expired too
    Reply tested = s.retest(id);
    REQUIRE_MESSAGE(tested.status == 200, tested.body);
    CHECK(tested.json()["success"] == true);

    // The CRM rotated the refresh token; the vault holds the new pair.
    CHECK(s.crm().refresh_tokens.count(old_refresh) == 0);
    std::string new_refresh = s.only(s.crm().refresh_tokens);
    auto creds = s.stored(id);
    CHECK(creds["refresh_token"] == new_refresh);
    CHECK(creds["access_token"] != old_access);
    CHECK(s.crm().access_tokens.count(creds["access_token"]) == 1);
    CHECK(creds["expires_at"] == std::to_string(s.t.clock + 3600));
    CHECK(s.audit_log().find("credential.refreshed") != std::string::npos);
    {
        auto db = s.t.app.store->lease();
        CHECK(onramp::store::find_connection(*db, s.acme, id)->config["crm_name"] == "Pipeline");
    }
    CHECK(s.audit_log().find(new_refresh) == std::string::npos);
    CHECK(s.disk().find(new_refresh) == std::string::npos);

    // A fresh token is used as it is: no second renewal.
    REQUIRE(s.retest(id).status == 200);
    CHECK(s.stored(id)["refresh_token"] == new_refresh);
}

TEST_CASE("a token the CRM stops accepting (401) is renewed once and the call repeated") {
    SignIn s;
    std::string id = s.connect();
    std::string old_refresh = s.only(s.crm().refresh_tokens);
    {
        std::lock_guard<std::mutex> lock(s.m.mock.state().mu);
        s.m.mock.state().crm_oauth.access_tokens.clear();  // revoked at the CRM, not yet expired
    }
    Reply tested = s.retest(id);
    REQUIRE_MESSAGE(tested.status == 200, tested.body);
    CHECK(tested.json()["success"] == true);
    CHECK(s.stored(id)["refresh_token"] != old_refresh);
    CHECK(s.crm().access_tokens.count(s.stored(id)["access_token"]) == 1);

    // Once the refresh token is refused too, the client is told to sign in again.
    {
        std::lock_guard<std::mutex> lock(s.m.mock.state().mu);
        s.m.mock.state().crm_oauth.access_tokens.clear();
        s.m.mock.state().crm_oauth.refresh_tokens.clear();
    }
    std::string before = s.stored(id)["refresh_token"];
    Reply refused = s.retest(id);
    REQUIRE_MESSAGE(refused.status == 200, refused.body);
    json t = refused.json();
    CHECK(t["success"] == false);
    CHECK(t["step"] == "refresh_token");
    CHECK(t["cause"] == "credential_rejected");
    CHECK(t["message"].get<std::string>().find("Sign in to your CRM from Onramp again") != std::string::npos);
    CHECK(s.stored(id)["refresh_token"] == before);
}

}
