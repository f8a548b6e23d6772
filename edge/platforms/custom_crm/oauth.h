// A custom CRM's OAuth 2.0 sign-in: the authorization code grant (RFC 6749
// §4.1) with PKCE (RFC 7636, method S256), the refresh grant (§6), and
// token revocation on disconnect (RFC 7009).
//
//   1. the client is sent to {authorize_url}?response_type=code&client_id
//      &redirect_uri&scope&state&code_challenge&code_challenge_method=S256
//   2. the CRM redirects back with code and state, or with error,
//      error_description and state when it refused (§4.1.2.1)
//   3. POST {token_url}, application/x-www-form-urlencoded:
//      grant_type=authorization_code&code&redirect_uri&client_id&code_verifier,
//      the client authenticated with HTTP Basic (§2.3.1)
//      → {access_token, token_type: "Bearer", expires_in?, refresh_token?, scope?}
//   4. when the access token has expired or is refused:
//      POST {token_url} grant_type=refresh_token&refresh_token[&scope]
//      → the same shape; a CRM that rotates refresh tokens sends a new one
//   5. disconnecting, when the CRM has a revocation endpoint (RFC 7009 §2.1):
//      POST {revocation_url} token&token_type_hint=refresh_token|access_token,
//      the client authenticated with HTTP Basic → 200, also for a token
//      already invalid (§2.2); revoking a refresh token ends its access tokens
//
// Token endpoint errors are RFC 6749 §5.2 JSON, {"error", "error_description"?};
// each is turned into a Failure that names the CRM's error code.
//
// Overrides: "custom_crm_authorize" replaces {authorize_url},
// "custom_crm_token" {token_url} and "custom_crm_revoke" {revocation_url},
// so the mock CRM stands in for a real one.
// Security: the URLs are typed by the client. The token and revocation URLs
// are called through wire::send with the SSRF guard (target.h); check_urls()
// applies the same guard to every typed URL before the client is sent to
// sign in.
//
// oauth_install() is the module's OAuth part (edge/platforms/oauth.h): the
// start takes {credentials: the CRM's settings in OAuth 2.0 mode}, the
// PKCE code verifier stays with the state in this process, and the
// callback's code becomes the access token, refresh token and expiry.
#pragma once

#include <optional>
#include <string>

#include "edge/connectors/connector.h"
#include "edge/platforms/oauth.h"

namespace onramp::connectors::custom_crm_oauth {

// A new PKCE code verifier: 256 random bits as 43 base64url characters
// (RFC 7636 §4.1 asks for 43 to 128 unreserved characters).
std::string new_code_verifier();
// BASE64URL(SHA256(ASCII(verifier))) without padding (RFC 7636 §4.2).
std::string code_challenge(const std::string& verifier);

// Step 1's URL. `creds` are the validated custom CRM credentials.
std::string authorize_url(const CallContext& ctx, const Credentials& creds, const std::string& redirect_uri,
                          const std::string& state, const std::string& challenge);

// The base, token, authorization and revocation URLs checked by the SSRF
// guard, unless
// overridden: a Failure (cause address_refused, `field` naming the URL)
// for the first one that resolves into a private network.
std::optional<Failure> check_urls(const CallContext& ctx, const Credentials& creds);

struct Token {
    std::string access_token;
    std::string refresh_token;  // "" when the CRM issued none
    int64_t expires_in = 0;     // seconds; 0 when the CRM did not say
    std::string scope;
};

// Step 3 (step name "exchange_code").
Outcome<Token> exchange_code(CallContext& ctx, const Credentials& creds, const std::string& code,
                             const std::string& redirect_uri, const std::string& code_verifier);
// Step 4 (step name "refresh_token"): creds["refresh_token"] for a new
// access token. A missing refresh_token in the answer means the old one
// stays valid (§6); the result then carries the old one.
Outcome<Token> refresh(CallContext& ctx, const Credentials& creds);

// Whether step 5 applies: OAuth 2.0 with a revocation URL and a token to
// give up (the client credentials alone are given up only at the CRM).
bool can_revoke(const Credentials& creds);
// Step 5 (step name "revoke_token"), once: a disconnect does not wait
// through backoff. Gives up the refresh token when there is one, else the
// access token. nullopt: revoked. Any answer but 200 (a 503 included,
// which §2.2.1 says may be retried later) is a Failure quoting the CRM's
// error code.
std::optional<Failure> revoke(CallContext& ctx, const Credentials& creds);

}  // namespace onramp::connectors::custom_crm_oauth

namespace onramp::platforms::custom_crm {
const OAuthInstall& oauth_install();
}
