// Stripe as one module (edge/platforms/module.h): the connector
// (connector.cpp), the webhook scheme (webhook.cpp), the mock that stands
// in for the API (mock.cpp) and the mock's demo keys. Wire facts and
// sources: docs/platforms/stripe.md.
//
// No hook API (Module::hooks): Stripe shows an endpoint's signing secret
// only to whoever creates the endpoint, and the key Onramp asks for is a
// read-only restricted key, so the operator adds the endpoint in the
// Dashboard and pastes its secret (Scheme::manual_steps). The static demo
// does not show Stripe, so the demo keys live here rather than in
// demo/accounts.h.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"

namespace onramp::connectors {
const Platform& stripe_platform();
}
namespace onramp::mock {
void add_stripe(http::Router& r, State& s);
}

namespace onramp::platforms::stripe {

// Made-up test-mode keys in Stripe's shape; only the mock accepts them.
// The demo connects with the restricted one, as the catalog's help advises;
// tests use the secret one to act as the merchant (refund, cancel).
const char* demo_secret_key() { return "sk_test_51OnrampDemoSecretKey000000000000"; }
const char* demo_restricted_key() { return "rk_test_51OnrampDemoRestrictedKey0000000000"; }

const Module& module() {
    static const Module m{
        .id = "stripe",
        .connector = connectors::stripe_platform,
        .mock_routes = mock::add_stripe,
        .demo_credentials = [] { return nlohmann::json({{"secret_key", demo_restricted_key()}}); },
        .mock_base_urls = {{"stripe", "/stripe"}},
    };
    return m;
}

}  // namespace onramp::platforms::stripe
