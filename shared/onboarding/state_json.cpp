#include "shared/onboarding/state_json.h"

namespace onramp::onboarding {

nlohmann::json progress_json(const Progress& p) {
    return {{"company_basics", p.company_basics},
            {"call_tracking", p.call_tracking},
            {"documents", p.documents},
            {"goals_preferences", p.goals_preferences},
            {"team_invites", p.team_invites}};
}

nlohmann::json checks_json(const Checks& k) {
    return {{"company_basics", k.company_basics},
            {"call_tracking", k.call_tracking},
            {"documents", k.documents},
            {"team_members", k.team_members}};
}

}  // namespace onramp::onboarding
