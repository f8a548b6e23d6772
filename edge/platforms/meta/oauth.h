// Connecting a Facebook Page by signing in with Facebook Login, the
// manually built flow (https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow):
//
//   1. the client is sent to https://www.facebook.com/{version}/dialog/oauth
//      ?client_id={app-id}&redirect_uri&state&response_type=code&scope=...
//   2. Facebook redirects back with code and state, or with error,
//      error_reason, error_description and state when the person declined
//   3. GET /{version}/oauth/access_token?client_id&redirect_uri&client_secret
//      &code → {access_token, token_type, expires_in}: a short-lived user
//      token; the redirect_uri must be the one of step 1, and a code works once
//   4. GET /oauth/access_token?grant_type=fb_exchange_token&client_id
//      &client_secret&fb_exchange_token={short token} → a long-lived user
//      token (about 60 days)
//      (https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived)
//   5. GET /me/accounts?fields=id,name,access_token with that token → the
//      Pages the person manages, each with a Page token; one taken from a
//      long-lived user token does not expire
//      (https://developers.facebook.com/docs/pages/access-tokens/)
//
// The Page token, the Page id and the app's webhook verify token become the
// connection's credentials (the vault keeps the secrets); the app secret
// becomes its webhook secret, since Meta signs notifications with it.
//
// No PKCE: Facebook documents code_challenge only for its OIDC code flow
// (scope=openid, https://developers.facebook.com/docs/facebook-login/guides/advanced/oidc-token),
// which returns an identity token, not the user token the Page tokens come
// from. The single-use state (edge/oauth/states.h) and the app secret, which
// only this server sends, are what protect the exchange.
//
// The app: META_APP_ID, META_APP_SECRET and META_WEBHOOK_VERIFY_TOKEN, or
// in demo mode the mock's demo app (demo.h). Overrides: "meta_dialog"
// replaces https://www.facebook.com, "meta" https://graph.facebook.com.
#pragma once

#include <optional>

#include "edge/platforms/oauth.h"
#include "edge/webhooks/verify.h"

namespace onramp::platforms::meta {

// The Graph permissions asked for: the Page list and its tokens, its
// messages and comments, and the linked Instagram account's.
inline constexpr const char* kScopes =
    "pages_show_list,pages_manage_metadata,pages_messaging,pages_read_engagement,"
    "instagram_basic,instagram_manage_messages,instagram_manage_comments";

const OAuthInstall& oauth_install();

// The app's webhook secrets for its one callback URL (AppWebhooks): the app
// secret Meta signs with and the verify token its check sends; nullopt when
// no app is configured (in demo mode, the mock's demo app).
std::optional<webhooks::Secrets> app_webhook_secrets(App& app);

}  // namespace onramp::platforms::meta
