// Viber bots as one module (edge/platforms/module.h): the connector
// (connector.cpp), the webhook scheme (webhook.cpp), the mock that stands
// in for the REST bot API (mock.cpp) and the mock's demo bot. Wire facts
// and sources: docs/platforms/viber.md.
//
// No hook API (Module::hooks): webhooks::HookApi describes platforms that
// list, create and update hook objects over REST, while a Viber bot has one
// webhook set by set_webhook; the operator sets it (Scheme::manual_steps).
// The static demo does not show Viber, so the demo bot's token lives here
// rather than in demo/accounts.h.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"

namespace onramp::connectors {
const Platform& viber_platform();
}
namespace onramp::mock {
void add_viber(http::Router& r, State& s);
}

namespace onramp::platforms::viber {

// A made-up token in the shape the vendor docs show
// ("445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"); only the mock
// accepts it.
const char* demo_auth_token() { return "4d0e7a11c0ffee42-0e1f2a3b4c5d6e7f-onrampdemoviber01"; }

const Module& module() {
    static const Module m{
        .id = "viber",
        .connector = connectors::viber_platform,
        .mock_routes = mock::add_viber,
        .demo_credentials = [] { return nlohmann::json({{"auth_token", demo_auth_token()}}); },
        .mock_base_urls = {{"viber", "/viber/pa"}},
    };
    return m;
}

}  // namespace onramp::platforms::viber
