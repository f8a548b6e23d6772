// WooCommerce as one module (edge/platforms/module.h): its connector
// (connector.cpp), webhook scheme where it has one (webhook.cpp), the mock
// that stands in for it (mock*.cpp; its hook API mock_hooks.cpp) and the
// mock's demo account. Wire facts and sources: docs/platforms/woocommerce.md.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"
#include "edge/webhooks/registration.h"

namespace onramp::connectors {
const Platform& woocommerce_platform();
}
namespace onramp::mock {
const MockHookApi& woocommerce_mock_hooks();
void add_woocommerce(http::Router& r, State& s);
}

namespace onramp::platforms::woocommerce {

namespace {

// POST/PUT/DELETE /wp-json/wc/v3/webhooks on the store's own address. The
// secret is our random value in the hook's "secret".
const webhooks::HookApi kHooks{
    .topics = {"product.created", "product.updated", "product.deleted", "product.restored", "order.created",
               "order.updated", "order.deleted"},
    .list_path = "/webhooks?per_page=100",
    .create_path = "/webhooks",
    .hook_path = [](const std::string& id) { return "/webhooks/" + id; },
    .topic_key = "topic",
    .destination_key = "delivery_url",
    .body = [](const std::string& topic, const std::string& url, const std::string& secret) {
        return nlohmann::json{{"name", "Onramp " + topic}, {"topic", topic}, {"delivery_url", url},
                              {"secret", secret},          {"status", "active"}};
    },
    .typed_host_field = "site_url",
};

}  // namespace

const Module& module() {
    static const Module m{
        .id = "woocommerce",
        .connector = connectors::woocommerce_platform,
        .mock_routes = mock::add_woocommerce,
        .mock_hooks = mock::woocommerce_mock_hooks,
        .demo_credentials = [] {
            using namespace ::onramp::demo;
            return nlohmann::json({{"site_url", kWooSite}, {"consumer_key", kWooKey}, {"consumer_secret", kWooSecret}});
        },
        .mock_base_urls = {{"woocommerce", "/woocommerce"}},
        .hooks = &kHooks,
    };
    return m;
}

}  // namespace onramp::platforms::woocommerce
