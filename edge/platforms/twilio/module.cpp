// Twilio as one module (edge/platforms/module.h): its connector
// (connector.cpp), webhook scheme where it has one (webhook.cpp), the mock
// that stands in for it (mock*.cpp) and the mock's demo account. Wire facts
// and sources: docs/platforms/twilio.md.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"

namespace onramp::connectors {
const Platform& twilio_platform();
}
namespace onramp::mock {
void add_twilio(http::Router& r, State& s);
}

namespace onramp::platforms::twilio {

const Module& module() {
    static const Module m{
        .id = "twilio",
        .connector = connectors::twilio_platform,
        .mock_routes = mock::add_twilio,
        .demo_credentials = [] {
            using namespace ::onramp::demo;
            return nlohmann::json({{"account_sid", kTwilioSid}, {"auth_token", kTwilioToken}});
        },
        .mock_base_urls = {{"twilio", "/twilio"}},
    };
    return m;
}

}  // namespace onramp::platforms::twilio
