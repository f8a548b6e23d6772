// TikTok Shop as one module (edge/platforms/module.h): the connector
// (connector.cpp) with its request signature (api.h), the seller's
// authorization of the app as the module's OAuth part (oauth.h), the
// webhook scheme (webhook.cpp),
// the mock that stands in for the Open API, its token host and its
// authorization page (mock.cpp), and the mock's demo app and shop. Wire
// facts and sources: docs/platforms/tiktok_shop.md.
//
// No hook API (Module::hooks): an app's webhooks are set in Partner Center,
// or per shop with a call that names one event at a time; the operator sets
// them (Scheme::manual_steps). The static demo does not show TikTok Shop,
// so the demo app lives here rather than in demo/accounts.h.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"
#include "edge/platforms/tiktok_shop/api.h"
#include "edge/platforms/tiktok_shop/oauth.h"

namespace onramp::mock {
void add_tiktok_shop(http::Router& r, State& s);
void set_tiktok_shop_redirect(State& s, const std::string& callback_url);
}

namespace onramp::platforms::tiktok_shop {

// Made-up values in the shapes TikTok Shop issues; only the mock accepts them.
const char* demo_app_key() { return "6onrampdemo1k"; }
const char* demo_app_secret() { return "0f1e2d3c4b5a69788796a5b4c3d2e1f0onramp01"; }
const char* demo_access_token() { return "ROW_onrampdemoAccessToken0123456789abcdef"; }
const char* demo_refresh_token() { return "ROW_onrampdemoRefreshToken0123456789abcdef"; }
const char* demo_shop_cipher() { return "ROW_onrampDemoShopCipher01"; }
const char* demo_service_id() { return "7312000000000000001"; }

const Module& module() {
    static const Module m{
        .id = "tiktok_shop",
        .connector = connectors::tiktok_shop_platform,
        .mock_routes = mock::add_tiktok_shop,
        .demo_credentials = [] {
            return nlohmann::json({{"app_key", demo_app_key()},
                                   {"app_secret", demo_app_secret()},
                                   {"service_id", demo_service_id()},
                                   {"region", "row"},
                                   {"access_token", demo_access_token()},
                                   {"refresh_token", demo_refresh_token()},
                                   {"shop_cipher", demo_shop_cipher()}});
        },
        .mock_oauth_callback = mock::set_tiktok_shop_redirect,
        .mock_base_urls = {{"tiktok_shop", "/tiktok_shop"},
                           {"tiktok_shop_auth", "/tiktok_shop/auth"},
                           {"tiktok_shop_authorize", "/tiktok_shop/services"}},
        .oauth = &oauth_install(),
    };
    return m;
}

}  // namespace onramp::platforms::tiktok_shop
