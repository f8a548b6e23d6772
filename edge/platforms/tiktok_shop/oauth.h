// TikTok Shop's seller authorization of an app
// (https://partner.tiktokshop.com/docv2/page/669a2e4b8dd3e802fe0a57fc,
// https://partner.tiktokshop.com/docv2/page/6632a7a926b40c02d97de61b):
//
//   1. the seller is sent to https://services.tiktokshop.com/open/authorize
//      ?service_id&state (US shops: services.us.tiktokshop.com); TikTok Shop
//      sends them back to the redirect URL registered with the app in Partner
//      Center, with ?code&state
//   2. GET https://auth.tiktok-shops.com/api/v2/token/get?app_key&app_secret
//      &auth_code&grant_type=authorized_code → data {access_token,
//      access_token_expire_in, refresh_token, refresh_token_expire_in,
//      open_id, seller_name, ...}; the *_expire_in are moments (Unix
//      seconds), not durations. Not signed: the app secret is a parameter.
//   3. the shops it may reach, each with the cipher its calls name
//      (GET /authorization/202309/shops, api.h)
//   4. before the access token's moment: GET /api/v2/token/refresh?app_key
//      &app_secret&refresh_token&grant_type=refresh_token → the same shape
//
// Overrides: "tiktok_shop_authorize" replaces the authorization host,
// "tiktok_shop_auth" the token host, so the mock stands in for both.
#pragma once

#include <cstdint>
#include <string>

#include "edge/connectors/connector.h"

namespace onramp::platforms::tiktok_shop::oauth {

// Step 1's URL for creds service_id and region ("us" or "row").
std::string authorize_url(const connectors::CallContext& ctx, const connectors::Credentials& creds,
                          const std::string& state);

struct Token {
    std::string access_token, refresh_token;
    int64_t access_expires_at = 0, refresh_expires_at = 0;  // Unix seconds; 0 when not said
    std::string seller_name;
};

// Step 2 (step "exchange_code") with creds app_key and app_secret.
connectors::Outcome<Token> exchange_code(connectors::CallContext& ctx, const connectors::Credentials& creds,
                                         const std::string& auth_code);
// Step 4 (step "refresh_token") with creds refresh_token.
connectors::Outcome<Token> refresh(connectors::CallContext& ctx, const connectors::Credentials& creds);

// What a sign-in brings: the connection's credentials and the shop's name.
struct SignIn {
    connectors::Credentials credentials;
    std::string shop_name;
};

// Steps 2 and 3 for a sign-in that came back with `auth_code`: the app's
// credentials (`app`: app_key, app_secret, service_id, region) with the
// tokens, their expiry and the first authorized shop's cipher. A Failure
// when either step fails; nothing is kept then.
connectors::Outcome<SignIn> sign_in(connectors::CallContext& ctx, const connectors::Credentials& app,
                                    const std::string& auth_code);

}  // namespace onramp::platforms::tiktok_shop::oauth

namespace onramp::platforms {
struct OAuthInstall;
}
namespace onramp::platforms::tiktok_shop {
// The module's OAuth part (edge/platforms/oauth.h): the start takes
// {"credentials": {app_key, app_secret, service_id, region}}; the callback
// takes ?code&state and stores what sign_in() gives.
const OAuthInstall& oauth_install();
}
