// A custom CRM as one module (edge/platforms/module.h): its connector
// (connector.cpp), its OAuth 2.0 sign-in (oauth.cpp), the mock that stands
// in for it (mock*.cpp) and the mock's demo account. Wire facts
// and sources: docs/platforms/custom_crm.md.
#include "edge/http/router.h"
#include "edge/mock/internal.h"
#include "edge/platforms/custom_crm/oauth.h"
#include "edge/platforms/module.h"

namespace onramp::connectors {
const Platform& custom_crm_platform();
}
namespace onramp::mock {
void add_custom_crm(http::Router& r, State& s);
}

namespace onramp::platforms::custom_crm {

const Module& module() {
    static const Module m{
        .id = "custom_crm",
        .connector = connectors::custom_crm_platform,
        .mock_routes = mock::add_custom_crm,
        .demo_credentials = [] { return mock::demo_custom_crm_variants()["api_key"]; },
        .mock_base_urls = {{"custom_crm", "/custom_crm"}, {"custom_crm_token", "/custom_crm/oauth/token"}, {"custom_crm_authorize", "/custom_crm/oauth/authorize"}, {"custom_crm_revoke", "/custom_crm/oauth/revoke"}},
        .oauth = &oauth_install(),
    };
    return m;
}

}  // namespace onramp::platforms::custom_crm
