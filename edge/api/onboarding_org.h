// What every /api/v1/onboarding endpoint shares: which
// organization it acts on, and the success envelope.
//
// Which organization: the caller's session decides the tenant.
// - A caller who manages exactly one organization acts on it; so does a
//   link client, whose session manages exactly one (edge/onboarding/links.h).
// - A caller managing several, and an operator, names it with the X-Org-Id
//   header (or an org_id query parameter or form field); 422 without it.
// - Naming an organization the caller cannot see answers 404, exactly like
//   a missing one, so ids cannot be probed (Onramp's rule everywhere is
//   404, not 403). One they see but do not manage answers 403.
// Managers and operators may run onboarding; csr, sales_rep and member may not.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "edge/app.h"
#include "edge/http/router.h"

namespace onramp::api {

Result<std::string> onboarding_org(App& app, const http::Call& c);

// {"success": true, "data": data, "meta": {"org_id", "request_id"}}.
// Errors are problem+json from the router, never this envelope.
nlohmann::json envelope(nlohmann::json data, const http::Call& c, const std::string& org_id);

}  // namespace onramp::api
