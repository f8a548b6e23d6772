// Facebook Pages and Instagram messaging as one module
// (edge/platforms/module.h): the connector (connector.cpp), the webhook
// scheme with its subscription handshake (webhook.cpp), the sign-in with
// Facebook Login (oauth.cpp), the mock that stands in for the Graph API and
// the login dialog (mock.cpp) and the mock's demo app and Page. Wire facts
// and sources: docs/platforms/meta.md.
//
// Webhooks: Meta's callback URL and fields are set once per app in the App
// Dashboard (the operator does that, Scheme::manual_steps); each Page then
// installs the app with POST /{page-id}/subscribed_apps, which Onramp does
// itself once the connection has the app secret (a subscription,
// webhooks::HookApi::subscription), and undoes with DELETE when the
// connection is removed.
// The static demo does not show Meta, so the demo app and Page live here
// rather than in demo/accounts.h.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/meta/demo.h"
#include "edge/platforms/meta/oauth.h"
#include "edge/platforms/meta/webhook.h"
#include "edge/platforms/module.h"
#include "edge/webhooks/registration.h"

namespace onramp::connectors {
const Platform& meta_platform();
}
namespace onramp::mock {
void add_meta(http::Router& r, State& s);
}

namespace onramp::platforms::meta {

namespace {

// https://developers.facebook.com/docs/pages-api/webhooks-for-pages: the
// Page fields docs/platforms/meta.md receives (the Instagram account's come
// through the Page it is linked to).
const webhooks::HookApi kHooks{
    .topics = {"messages", "feed"},
    .list_path = "",
    .create_path = "/{page_id}/subscribed_apps",
    .list_member = "",
    .created_member = "",
    .topic_key = "",
    .destination_key = "",
    .body = [](const std::string& fields, const std::string&, const std::string&) {
        return nlohmann::json{{"subscribed_fields", fields}};
    },
    .secret_per_hook = false,
    .typed_host_field = "",
    .subscription = true,
};

// The app's one callback URL, /webhooks/meta: every Page's notifications
// come to it, each entry naming its Page by id.
const AppWebhooks kAppWebhooks{
    .account_field = "page_id",
    .secrets = app_webhook_secrets,
    .split = split_by_page,
};

}  // namespace

// Made-up values in the shapes Meta issues (numeric ids, 32 hex digits of
// app secret, "EAA…" tokens); only the mock accepts them.
const Demo& demo() {
    static const Demo d{
        .app_id = "100000000000001",
        .app_secret = "4d6574614f6e72616d70417070536563",
        .verify_token = "onramp-demo-verify-token",
        .pages = {{"104000000000001", "Onramp Demo Page", "EAAOnrampDemoPageToken0000000000000000000001"},
                  {"104000000000002", "Onramp Demo Shop", "EAAOnrampDemoPageToken0000000000000000000002"}},
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
                {{"page_id", demo().pages[0].id}, {"page_access_token", demo().pages[0].token}, {"verify_token", demo().verify_token}});
        },
        .mock_base_urls = {{"meta", "/meta/graph"}, {"meta_dialog", "/meta/www"}},
        .hooks = &kHooks,
        .oauth = &oauth_install(),
        .app_webhooks = &kAppWebhooks,
    };
    return m;
}

}  // namespace onramp::platforms::meta
