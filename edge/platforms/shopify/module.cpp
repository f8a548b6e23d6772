// Shopify as one module (edge/platforms/module.h): its connector
// (connector.cpp), webhook scheme where it has one (webhook.cpp), its app
// install by OAuth (oauth.cpp), the mock that stands in for it (mock*.cpp;
// its hook API mock_hooks.cpp) and the mock's demo account. Wire facts and
// sources: docs/platforms/shopify.md.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/shopify/oauth.h"
#include "edge/platforms/module.h"
#include "edge/platforms/shopify/mock_limits.h"
#include "edge/webhooks/registration.h"

namespace onramp::connectors {
const Platform& shopify_platform();
}
namespace onramp::mock {
const MockHookApi& shopify_mock_hooks();
void add_shopify(http::Router& r, State& s);
void add_shopify_oauth(http::Router& r, State& s);
}

namespace onramp::platforms::shopify {

namespace {

// POST/PUT/DELETE /admin/api/{version}/webhooks.json. Shopify signs with the
// app's client secret, which the operator sets first; hooks carry none.
const webhooks::HookApi kHooks{
    .topics = {"products/create", "products/update", "products/delete", "orders/create", "orders/updated"},
    .list_path = "/webhooks.json",
    .create_path = "/webhooks.json",
    .hook_path = [](const std::string& id) { return "/webhooks/" + id + ".json"; },
    .list_member = "webhooks",
    .created_member = "webhook",
    .topic_key = "topic",
    .destination_key = "address",
    .body = [](const std::string& topic, const std::string& url, const std::string&) {
        return nlohmann::json{{"webhook", {{"topic", topic}, {"address", url}, {"format", "json"}}}};
    },
    .secret_per_hook = false,
};

}  // namespace

const Module& module() {
    static const Module m{
        .id = "shopify",
        .connector = connectors::shopify_platform,
        .mock_routes = [](http::Router& r, mock::State& s) {
            mock::add_shopify(r, s);
            mock::add_shopify_oauth(r, s);
        },
        .mock_hooks = mock::shopify_mock_hooks,
        .demo_credentials = [] {
            using namespace ::onramp::demo;
            return nlohmann::json({{"shop_domain", kShopifyDomain}, {"access_token", kShopifyToken}});
        },
        .mock_base_urls = {{"shopify", "/shopify/{shop_domain}"}},
        .mock_knobs = {{
            .flag = kBucketKnob,
            .value = "N/PER_S",
            .help = "Shopify's call-limit bucket: N requests per shop, leaking PER_S a second",
            .default_value = kBucketDefault,
            .accepts = [](const std::string& v) { return parse_mock_bucket(v).has_value(); },
        }},
        .hooks = &kHooks,
        .oauth = &oauth_install(),
    };
    return m;
}

}  // namespace onramp::platforms::shopify
