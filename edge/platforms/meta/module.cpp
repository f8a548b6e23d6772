// Facebook Pages and Instagram messaging as one module
// (edge/platforms/module.h): the connector (connector.cpp), the webhook
// scheme with its subscription handshake (webhook.cpp), the sign-in with
// Facebook Login (oauth.cpp), the mock that stands in for the Graph API and
// the login dialog (mock.cpp) and the mock's demo app and Page. Wire facts
// and sources: docs/platforms/meta.md.
//
// No hook API (Module::hooks): webhooks::HookApi describes platforms that
// list, create and update hook objects carrying a topic and an address,
// while Meta's callback URL and fields are set once per app in the App
// Dashboard and a Page only installs the app (/{page-id}/subscribed_apps);
// the operator does both (Scheme::manual_steps).
// The static demo does not show Meta, so the demo app and Page live here
// rather than in demo/accounts.h.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/meta/demo.h"
#include "edge/platforms/meta/oauth.h"
#include "edge/platforms/module.h"

namespace onramp::connectors {
const Platform& meta_platform();
}
namespace onramp::mock {
void add_meta(http::Router& r, State& s);
}

namespace onramp::platforms::meta {

// Made-up values in the shapes Meta issues (numeric ids, 32 hex digits of
// app secret, "EAA…" tokens); only the mock accepts them.
const Demo& demo() {
    static const Demo d{
        .app_id = "100000000000001",
        .app_secret = "4d6574614f6e72616d70417070536563",
        .verify_token = "onramp-demo-verify-token",
        .page_id = "104000000000001",
        .page_name = "Onramp Demo Page",
        .page_token = "EAAOnrampDemoPageToken0000000000000000000001",
    };
    return d;
}

const Module& module() {
    static const Module m{
        .id = "meta",
        .connector = connectors::meta_platform,
        .mock_routes = mock::add_meta,
        .demo_credentials = [] {
            return nlohmann::json(
                {{"page_id", demo().page_id}, {"page_access_token", demo().page_token}, {"verify_token", demo().verify_token}});
        },
        .mock_base_urls = {{"meta", "/meta/graph"}, {"meta_dialog", "/meta/www"}},
        .oauth = &oauth_install(),
    };
    return m;
}

}  // namespace onramp::platforms::meta
