// CallRail as one module (edge/platforms/module.h): its connector
// (connector.cpp), webhook scheme where it has one (webhook.cpp), the mock
// that stands in for it (mock*.cpp) and the mock's demo account. Wire facts
// and sources: docs/platforms/callrail.md.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"

namespace onramp::connectors {
const Platform& callrail_platform();
}
namespace onramp::mock {
void add_callrail(http::Router& r, State& s);
}

namespace onramp::platforms::callrail {

const Module& module() {
    static const Module m{
        .id = "callrail",
        .connector = connectors::callrail_platform,
        .mock_routes = mock::add_callrail,
        .demo_credentials = [] {
            using namespace ::onramp::demo;
            return nlohmann::json({{"api_key", kCallRailKey}, {"account_id", kCallRailAccount}});
        },
        .mock_base_urls = {{"callrail", "/callrail"}},
    };
    return m;
}

}  // namespace onramp::platforms::callrail
