// Where an organization stands in the phased onboarding: its
// saved answers, which phases are done, the four verification checks, and
// the onboarding events table. The rules (phase order, what "already
// completed" means, the check messages) are shared/onboarding/state.h;
// this file reads and writes the rows they are computed from.
//
// A phase is done when:
//   company_basics     company-basics was saved
//   call_tracking      callrail/twilio connect succeeded, or the org has any connection
//   document_ingestion the org has uploaded a document
//   goals_preferences  goals were saved
//   team_invites       someone was invited, or a csr/sales_rep is a member
//   completed          verify passed once (sticky)
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edge/store/db.h"
#include "shared/onboarding/forms.h"
#include "shared/onboarding/state.h"

namespace onramp::onboarding {

struct Record {
    std::string org_id;
    CompanyBasics basics;  // empty until company-basics is saved
    std::optional<std::string> call_provider, primary_tracking_number;
    nlohmann::json goals = nlohmann::json::object();
    std::optional<int64_t> company_basics_at, call_tracking_at, goals_at, completed_at;
};

// The org's row, or an empty record when it has not started.
Record load(store::Db& db, const std::string& org_id);
Progress progress_of(store::Db& db, const Record& r);

// Each saves its phase's answers and marks the phase done; the returned
// Completion says whether it was done already (step_already_completed).
Completion save_company_basics(store::Db& db, const std::string& org_id, const CompanyBasics& b, int64_t now);
// Records a connected platform. provider: "callrail" or "twilio"; nullopt
// for another platform, which leaves the saved call provider. The phase is
// also done by the connection row itself, so the caller computes the
// Completion from the progress read before connecting (after_fact).
void save_call_tracking(store::Db& db, const std::string& org_id, const std::optional<std::string>& provider,
                              const std::optional<std::string>& primary_tracking_number, int64_t now);
Completion save_goals(store::Db& db, const std::string& org_id, const nlohmann::json& goals, int64_t now);
// The phase after an action that completes it by a fact of another table
// (an invitation): already_completed is whether it was done before.
Completion after_fact(const Progress& before, Phase phase);

// The verification checks at `now` (which invitations are still pending).
Checks checks_of(store::Db& db, const Record& r, int64_t now);
// Sets completed_at the first time; returns it.
int64_t mark_completed(store::Db& db, const std::string& org_id, int64_t now);

struct Event {
    std::string id, org_id;
    std::optional<std::string> user_id;
    std::string step, action;
    nlohmann::json metadata;
    int64_t timestamp = 0;
};
// metadata must not hold secrets: ids, names, counts, outcomes only.
void record_event(store::Db& db, const std::string& org_id, const std::optional<std::string>& user_id,
                  const std::string& step, const std::string& action, const nlohmann::json& metadata, int64_t now);
std::vector<Event> events_of(store::Db& db, const std::string& org_id);  // oldest first

}  // namespace onramp::onboarding
