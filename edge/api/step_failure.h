// The error body onboarding front ends expect,
//   {"success": false, "error": "...", "details": "...", "step": "..."}
// carried as extension members of an RFC 9457 problem, so one response
// serves both a client written against that body (which reads `success`,
// `error`, `details` and `step`) and one that reads problem+json.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "edge/connectors/connector.h"
#include "shared/problem.h"

namespace onramp::api {

// `p` with success:false, error (p.title when empty), details (p.detail,
// else the per-field messages joined) and step. `extra` members are added.
Problem step_failure(Problem p, const std::string& step, const std::string& error = "",
                     const nlohmann::json& extra = nlohmann::json::object());

// A platform's refusal of credentials: 422 "connection_test_failed" at
// `step`, with the test (connections::test_json) under "connection_test".
Problem test_refused(const std::string& platform, const connectors::TestOutcome& t, const std::string& step,
                     const std::string& error);

}  // namespace onramp::api
