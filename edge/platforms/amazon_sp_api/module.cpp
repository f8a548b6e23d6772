// Amazon SP-API as one module (edge/platforms/module.h): its connector
// (connector.cpp), webhook scheme where it has one (webhook.cpp), the mock
// that stands in for it (mock*.cpp) and the mock's demo account. Wire facts
// and sources: docs/platforms/amazon_sp_api.md.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/amazon_sp_api/mock_limits.h"
#include "edge/platforms/module.h"

namespace onramp::connectors {
const Platform& amazon_platform();
}
namespace onramp::mock {
void add_amazon(http::Router& r, State& s);
}

namespace onramp::platforms::amazon_sp_api {

const Module& module() {
    static const Module m{
        .id = "amazon_sp_api",
        .connector = connectors::amazon_platform,
        .mock_routes = mock::add_amazon,
        .demo_credentials = [] {
            using namespace ::onramp::demo;
            return nlohmann::json({{"region", "na"},
                                   {"seller_id", kAmazonSellerId},
                                   {"marketplace_ids", kAmazonMarketplace},
                                   {"lwa_client_id", kAmazonClientId},
                                   {"lwa_client_secret", kAmazonClientSecret},
                                   {"refresh_token", kAmazonRefreshToken}});
        },
        .mock_base_urls = {{"amazon_sp_api", "/amazon/sp"}, {"amazon_lwa", "/amazon/lwa"}},
        .mock_knobs = {{
            .flag = kTimeScaleKnob,
            .value = "X",
            .help = "SP-API buckets refill X times faster than documented, bursts unchanged",
            .default_value = kTimeScaleDefault,
            .demo_value = kTimeScaleDemo,
            .accepts = [](const std::string& v) { return parse_mock_time_scale(v).has_value(); },
        }},
    };
    return m;
}

}  // namespace onramp::platforms::amazon_sp_api
