// Where an organization stands, as the onboarding API answers it:
// shared so the edge and the static demo's stand-in answer the same shape.
#pragma once

#include <nlohmann/json.hpp>

#include "shared/onboarding/state.h"

namespace onramp::onboarding {

// {company_basics, call_tracking, documents, goals_preferences, team_invites}
nlohmann::json progress_json(const Progress& p);
// {company_basics, call_tracking, documents, team_members}
nlohmann::json checks_json(const Checks& k);

}  // namespace onramp::onboarding
