// Shopify's OAuth authorization-code grant for an app install
// (shopify.dev, "Implement authorization code grant manually"):
//
//   1. the merchant is sent to https://{shop}/admin/oauth/authorize
//      ?client_id&scope&redirect_uri&state
//   2. Shopify redirects back with code, hmac, host, shop, state, timestamp;
//      hmac = hex HMAC-SHA256(app secret, the other query parameters sorted
//      and joined as k=v&k=v, with %, & and = escaped)
//   3. POST https://{shop}/admin/oauth/access_token {client_id,
//      client_secret, code} → {access_token, scope}
//
// Shopify supports no PKCE for this grant; the state (edge/oauth/states.h)
// and the HMAC are what protect it. The host comes from the "shopify"
// base-URL override, so the mock platform server stands in for Shopify.
//
// oauth_install() is the module's OAuth part (edge/platforms/oauth.h): the
// start takes {shop_domain}; the callback checks the HMAC before the state
// and the shop after it; the connection's app secret then signs webhooks.
// The app comes from SHOPIFY_API_KEY and SHOPIFY_API_SECRET, or in demo
// mode the mock's demo app.
#pragma once

#include <map>
#include <string>

#include "edge/connectors/connector.h"
#include "edge/platforms/oauth.h"

namespace onramp::connectors::shopify_oauth {

// The Onramp app registered at Shopify (SHOPIFY_API_KEY, SHOPIFY_API_SECRET).
struct AppCredentials {
    std::string client_id, client_secret;
};

// The catalog's Shopify scopes, comma separated, as Shopify wants them.
std::string scopes();

std::string authorize_url(const CallContext& ctx, const std::string& shop, const AppCredentials& app,
                          const std::string& redirect_uri, const std::string& state);

// The bytes Shopify signs: every parameter except hmac and signature,
// sorted, "key=value" joined by "&"; "%" and "&" escaped in keys and
// values, "=" in keys.
std::string signed_message(const std::multimap<std::string, std::string>& query);
// Lowercase hex HMAC-SHA256 of signed_message under the app secret.
std::string sign(const std::string& secret, const std::multimap<std::string, std::string>& query);
// The query's hmac matches (constant-time compare).
bool verify(const std::string& secret, const std::multimap<std::string, std::string>& query);

struct Token {
    std::string access_token, scope;
};
// Step 3. A Failure at step "exchange_code" when Shopify refuses the code.
Outcome<Token> exchange_code(CallContext& ctx, const std::string& shop, const AppCredentials& app,
                             const std::string& code);

}  // namespace onramp::connectors::shopify_oauth

namespace onramp::platforms::shopify {
const OAuthInstall& oauth_install();
}
