// Chatwoot as one module (edge/platforms/module.h): its connector
// (connector.cpp), webhook scheme where it has one (webhook.cpp), the mock
// that stands in for it (mock*.cpp) and the mock's demo account. Wire facts
// and sources: docs/platforms/chatwoot.md.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"

namespace onramp::connectors {
const Platform& chatwoot_platform();
}
namespace onramp::mock {
void add_chatwoot(http::Router& r, State& s);
}

namespace onramp::platforms::chatwoot {

const Module& module() {
    static const Module m{
        .id = "chatwoot",
        .connector = connectors::chatwoot_platform,
        .mock_routes = mock::add_chatwoot,
        .demo_credentials = [] {
            using namespace ::onramp::demo;
            return nlohmann::json({{"base_url", kChatwootUrl}, {"account_id", kChatwootAccount}, {"api_access_token", kChatwootToken}});
        },
        .mock_base_urls = {{"chatwoot", "/chatwoot"}},
    };
    return m;
}

}  // namespace onramp::platforms::chatwoot
