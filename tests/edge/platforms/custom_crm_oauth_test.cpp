// The custom CRM's OAuth 2.0 sign-in at the connector level, against the
// mock CRM over loopback: the code exchange with its PKCE verifier, token
// endpoint errors, and how the connector uses a signed-in token — as it
// is until it expires, then renewed once per stale token however many
// callers hold it, the new tokens handed to ctx.save_credentials — and
// token revocation on disconnect (RFC 7009), asserted on which tokens the
// mock CRM still accepts.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/connectors/wire.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"
#include "edge/platforms/custom_crm/oauth.h"

using nlohmann::json;
using onramp::connectors::Cause;
using onramp::connectors::Credentials;
using onramp::connectors::Resource;
using onramp::testing::MockFixture;
namespace crm_oauth = onramp::connectors::custom_crm_oauth;
namespace wire = onramp::connectors::wire;

namespace {

const std::string kRedirect = "https://onramp.test/oauth/custom_crm/callback";

Credentials settings(MockFixture& m) {
    return m.creds("custom_crm", onramp::mock::demo_custom_crm_variants()["oauth2"]);
}

// The user approves at the mock CRM: the code it redirects back with.
std::string approve(MockFixture& m, const Credentials& creds, const std::string& verifier) {
    onramp::http::FetchRequest req;
    req.url = crm_oauth::authorize_url(m.ctx, creds, kRedirect, "state-1", crm_oauth::code_challenge(verifier));
    onramp::http::FetchResult res = onramp::http::fetch(req);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    REQUIRE(res.response.status == 302);
    std::string location = res.response.header("Location");
    CHECK(wire::query_param(location, "state") == "state-1");
    return wire::query_param(location, "code");
}

// Settings with the tokens of a fresh sign-in.
Credentials signed_in(MockFixture& m) {
    Credentials creds = settings(m);
    std::string verifier = crm_oauth::new_code_verifier();
    auto token = crm_oauth::exchange_code(m.ctx, creds, approve(m, creds, verifier), kRedirect, verifier);
    REQUIRE_MESSAGE(token.ok(), token.failure().message);
    creds["access_token"] = token->access_token;
    creds["refresh_token"] = token->refresh_token;
    return creds;
}

// What the mock CRM's API answers this bearer token.
int api_status(MockFixture& m, const std::string& token) {
    onramp::http::FetchRequest req;
    req.url = m.mock.url() + "/custom_crm/me";
    req.headers.emplace("Authorization", "Bearer " + token);
    onramp::http::FetchResult res = onramp::http::fetch(req);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    return res.response.status;
}

}  // namespace

TEST_SUITE("connectors.custom_crm_oauth") {

TEST_CASE("the code is exchanged with its verifier; another verifier is refused as invalid_grant") {
    MockFixture m;
    Credentials creds = settings(m);
    std::string verifier = crm_oauth::new_code_verifier();

    std::string stolen = approve(m, creds, verifier);
    auto wrong = crm_oauth::exchange_code(m.ctx, creds, stolen, kRedirect, crm_oauth::new_code_verifier());
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.failure().step == "exchange_code");
    CHECK(wrong.failure().cause == Cause::credential_rejected);
    CHECK(wrong.failure().http_status == 400);
    CHECK(wrong.failure().platform_message.find("invalid_grant: PKCE verification failed") == 0);
    // The code was spent by the refused attempt.
    CHECK_FALSE(crm_oauth::exchange_code(m.ctx, creds, stolen, kRedirect, verifier).ok());

    auto token = crm_oauth::exchange_code(m.ctx, creds, approve(m, creds, verifier), kRedirect, verifier);
    REQUIRE_MESSAGE(token.ok(), token.failure().message);
    CHECK(token->access_token.rfind("crm-at-", 0) == 0);
    CHECK(token->refresh_token.rfind("crm-rt-", 0) == 0);
    CHECK(token->expires_in == 3600);
    CHECK(token->scope == "contacts.read");
}

TEST_CASE("token endpoint errors name the CRM's error code and the field at fault") {
    MockFixture m;
    Credentials creds = settings(m);
    std::string verifier = crm_oauth::new_code_verifier();
    std::string code = approve(m, creds, verifier);
    Credentials wrong_secret = creds;
    wrong_secret["client_secret"] = "wrong-secret-0123456789";
    auto client = crm_oauth::exchange_code(m.ctx, wrong_secret, code, kRedirect, verifier);
    REQUIRE_FALSE(client.ok());
    CHECK(client.failure().cause == Cause::credential_rejected);
    CHECK(client.failure().field == "client_secret");
    CHECK(client.failure().message.find("invalid_client") != std::string::npos);

    auto redirect = crm_oauth::exchange_code(m.ctx, creds, code, "https://elsewhere.test/cb", verifier);
    REQUIRE_FALSE(redirect.ok());
    CHECK(redirect.failure().message.find("invalid_grant") != std::string::npos);

    Credentials no_refresh = creds;
    no_refresh["refresh_token"] = "crm-rt-never-issued";
    auto refresh = crm_oauth::refresh(m.ctx, no_refresh);
    REQUIRE_FALSE(refresh.ok());
    CHECK(refresh.failure().step == "refresh_token");
    CHECK(refresh.failure().field == "refresh_token");
    CHECK(refresh.failure().message.find("Sign in to your CRM from Onramp again") != std::string::npos);
}

TEST_CASE("a signed-in token is used until it expires, then renewed once for every caller holding it") {
    MockFixture m;
    Credentials creds = settings(m);
    std::string verifier = crm_oauth::new_code_verifier();
    auto token = crm_oauth::exchange_code(m.ctx, creds, approve(m, creds, verifier), kRedirect, verifier);
    REQUIRE(token.ok());
    int64_t clock = 2'000'000'000;
    creds["access_token"] = token->access_token;
    creds["refresh_token"] = token->refresh_token;
    creds["expires_at"] = std::to_string(clock + token->expires_in);

    auto ctx = m.fresh_context();
    ctx.now = [&clock] { return clock; };
    std::vector<Credentials> saved;
    ctx.save_credentials = [&saved](const Credentials& changed) { saved.push_back(changed); };
    const auto& crm = m.platform("custom_crm");

    auto fresh = crm.test(creds, ctx);
    CHECK_MESSAGE(fresh.ok(), fresh.failure->message);
    CHECK(saved.empty());

    clock += token->expires_in - 30;  // inside the renewal margin
    auto renewed = crm.test(creds, ctx);
    CHECK_MESSAGE(renewed.ok(), renewed.failure->message);
    // A second caller with the same stale credentials reuses the renewal:
    // the rotated refresh token it holds would be refused.
    auto page = crm.fetch_page(creds, ctx, Resource::contacts, "", {});
    CHECK(page.ok());
    REQUIRE(saved.size() == 1);
    CHECK(saved[0]["access_token"] != creds["access_token"]);
    CHECK(saved[0]["refresh_token"] != creds["refresh_token"]);
    CHECK(saved[0]["expires_at"] == std::to_string(clock + 3600));
    auto proxy = crm.proxy(creds, ctx);
    REQUIRE(proxy.ok());
    CHECK(proxy->headers.find("Authorization")->second == "Bearer " + saved[0]["access_token"]);

    // Without a refresh token an expired token is sent as it is, and the
    // CRM's 401 says to sign in again.
    Credentials no_refresh = creds;
    no_refresh.erase("refresh_token");
    {
        std::lock_guard<std::mutex> lock(m.mock.state().mu);
        m.mock.state().crm_oauth.access_tokens.clear();
    }
    auto refused = crm.test(no_refresh, ctx);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.failure->cause == Cause::credential_rejected);
    CHECK(refused.failure->message.find("Sign in to your CRM from Onramp again") != std::string::npos);
    CHECK(saved.size() == 1);
}

TEST_CASE("revoking the refresh token at the revocation URL ends it and its access token at the CRM") {
    MockFixture m;
    Credentials creds = signed_in(m);
    const auto& crm = m.platform("custom_crm");
    REQUIRE(crm.can_revoke(creds));
    REQUIRE(api_status(m, creds["access_token"]) == 200);

    auto failure = crm.revoke(creds, m.ctx);
    CHECK_MESSAGE(!failure, (failure ? failure->message : ""));
    CHECK(api_status(m, creds["access_token"]) == 401);
    auto refresh = crm_oauth::refresh(m.ctx, creds);
    REQUIRE_FALSE(refresh.ok());
    CHECK(refresh.failure().platform_message.find("invalid_grant") == 0);
    // RFC 7009 §2.2: a token already given up is revoked all the same.
    CHECK_FALSE(crm.revoke(creds, m.ctx));
}

TEST_CASE("without a refresh token the access token is revoked, and other sign-ins keep working") {
    MockFixture m;
    Credentials first = signed_in(m), second = signed_in(m);
    first.erase("refresh_token");
    const auto& crm = m.platform("custom_crm");
    REQUIRE(crm.can_revoke(first));
    CHECK_FALSE(crm.revoke(first, m.ctx));
    CHECK(api_status(m, first["access_token"]) == 401);
    CHECK(api_status(m, second["access_token"]) == 200);
    CHECK(crm_oauth::refresh(m.ctx, second).ok());
}

TEST_CASE("a revocation the CRM refuses names its error, is tried once, and the token keeps working") {
    MockFixture m;
    Credentials creds = signed_in(m);
    const auto& crm = m.platform("custom_crm");

    Credentials wrong_secret = creds;
    wrong_secret["client_secret"] = "wrong-secret-0123456789";
    auto client = crm.revoke(wrong_secret, m.ctx);
    REQUIRE(client);
    CHECK(client->step == "revoke_token");
    CHECK(client->cause == Cause::credential_rejected);
    CHECK(client->http_status == 401);
    CHECK(client->field == "client_secret");
    CHECK(client->message.find("invalid_client") != std::string::npos);
    CHECK(client->platform_message.find("invalid_client") == 0);
    CHECK(client->message.find(creds["client_secret"]) == std::string::npos);
    CHECK(api_status(m, creds["access_token"]) == 200);

    onramp::mock::Faults down;
    down.fail_next = 1;
    m.mock.set_faults("custom_crm", down);
    int64_t before = m.mock.stats("custom_crm").requests;
    auto unavailable = crm.revoke(creds, m.ctx);
    REQUIRE(unavailable);
    CHECK(unavailable->http_status == 503);
    CHECK(unavailable->field == "revocation_url");
    CHECK(m.mock.stats("custom_crm").requests == before + 1);
    CHECK(m.retries_with(503) == 0);
    CHECK(api_status(m, creds["access_token"]) == 200);
}

TEST_CASE("a CRM without a revocation URL, or without tokens, cannot revoke and is sent nothing") {
    MockFixture m;
    Credentials with_tokens = signed_in(m);
    Credentials no_url = with_tokens;
    no_url.erase("revocation_url");
    Credentials client_credentials = settings(m);  // no token of its own to give up
    const auto& crm = m.platform("custom_crm");
    for (const Credentials& creds : {no_url, client_credentials, m.creds("custom_crm")}) {
        CHECK_FALSE(crm.can_revoke(creds));
        int64_t before = m.mock.stats("custom_crm").requests;
        CHECK(crm.revoke(creds, m.ctx));
        CHECK(m.mock.stats("custom_crm").requests == before);
    }
    CHECK(api_status(m, with_tokens["access_token"]) == 200);
}

TEST_CASE("the revocation URL a client typed is checked by the SSRF guard like the token URL") {
    MockFixture m;
    auto ctx = m.fresh_context();
    ctx.allow_private_addresses = false;
    Credentials creds = settings(m);
    creds["revocation_url"] = "https://127.0.0.1/oauth/revoke";
    ctx.base_urls.erase("custom_crm_revoke");
    auto refused = crm_oauth::check_urls(ctx, creds);
    REQUIRE(refused);
    CHECK(refused->cause == Cause::address_refused);
    CHECK(refused->field == "revocation_url");

    creds["access_token"] = "crm-at-0123456789abcdef";
    auto revoked = m.platform("custom_crm").revoke(creds, ctx);
    REQUIRE(revoked);
    CHECK(revoked->cause == Cause::address_refused);
    CHECK(revoked->field == "revocation_url");
}

}
