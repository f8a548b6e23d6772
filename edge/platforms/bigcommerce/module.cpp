// BigCommerce as one module (edge/platforms/module.h): its connector
// (connector.cpp), webhook scheme where it has one (webhook.cpp), the mock
// that stands in for it (mock*.cpp; its hook API mock_hooks.cpp) and the
// mock's demo account. Wire facts and sources: docs/platforms/bigcommerce.md.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"
#include "edge/platforms/bigcommerce/mock_limits.h"
#include "edge/platforms/bigcommerce/webhook.h"
#include "edge/webhooks/registration.h"

namespace onramp::connectors {
const Platform& bigcommerce_platform();
}
namespace onramp::mock {
const MockHookApi& bigcommerce_mock_hooks();
void add_bigcommerce(http::Router& r, State& s);
}

namespace onramp::platforms::bigcommerce {

namespace {

// POST/PUT/DELETE /stores/{hash}/v3/hooks. The secret is our random value
// in the hook's "headers", which BigCommerce sends back on every callback.
const webhooks::HookApi kHooks{
    .topics = {"store/product/created", "store/product/updated", "store/product/deleted",
               "store/product/inventory/updated", "store/sku/created", "store/sku/updated", "store/sku/deleted",
               "store/sku/inventory/updated", "store/order/created", "store/order/updated"},
    .list_path = "/v3/hooks",
    .create_path = "/v3/hooks",
    .hook_path = [](const std::string& id) { return "/v3/hooks/" + id; },
    .list_member = "data",
    .created_member = "data",
    .topic_key = "scope",
    .destination_key = "destination",
    .body = [](const std::string& topic, const std::string& url, const std::string& secret) {
        return nlohmann::json{{"scope", topic},
                              {"destination", url},
                              {"is_active", true},
                              {"headers", {{std::string(webhooks::kBigCommerceSecretHeader), secret}}}};
    },
};

}  // namespace

const Module& module() {
    static const Module m{
        .id = "bigcommerce",
        .connector = connectors::bigcommerce_platform,
        .mock_routes = mock::add_bigcommerce,
        .mock_hooks = mock::bigcommerce_mock_hooks,
        .demo_credentials = [] {
            using namespace ::onramp::demo;
            return nlohmann::json({{"store_hash", kBigCommerceStoreHash}, {"access_token", kBigCommerceToken}});
        },
        .mock_base_urls = {{"bigcommerce", "/bigcommerce"}},
        .mock_knobs = {{
            .flag = kQuotaKnob,
            .value = "N/MS",
            .help = "BigCommerce's quota: N requests per window of MS milliseconds, per store",
            .default_value = kQuotaDefault,
            .accepts = [](const std::string& v) { return parse_mock_quota(v).has_value(); },
        }},
        .hooks = &kHooks,
    };
    return m;
}

}  // namespace onramp::platforms::bigcommerce
