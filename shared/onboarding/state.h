// The onboarding state machine: which phase a client's organization is in,
// how completing a phase moves it on, and what "verified" means.
//
// The phases and their wire names are those of the phased onboarding API
// (/api/v1/onboarding/...). The browser wizard shows more screens than there
// are phases (connecting a platform is followed by its initial sync and its
// webhook setup); wizard_step() maps the server's state to the screen to
// resume at, so a reload always lands on the right one.
//
//     company_basics ──▶ call_tracking ──▶ document_ingestion ──▶ goals_preferences
//                                                                        │
//            completed ◀── verification ◀── team_invites ◀──────────────┘
//
// Phases may be completed in any order (a client may upload documents
// before connecting a platform); the current phase is always the first one
// not yet completed, and verification passes only when its four checks do.
//
//   transition                          performed by
//   ---------------------------------   ------------------------------------
//   mark a phase completed              complete_phase()
//   recompute the current phase         current_phase()
//   verification → completed            verify() returning passed
//   server state → wizard screen        wizard_step()
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onramp::onboarding {

enum class Phase {
    company_basics,
    call_tracking,       // connecting platforms; the wire name comes from CallRail/Twilio
    document_ingestion,
    goals_preferences,
    team_invites,
    verification,
    completed,
};
constexpr int kPhaseCount = 7;

const char* wire_name(Phase p);
std::optional<Phase> parse_phase(std::string_view name);

// What the server knows about one organization's onboarding.
struct Progress {
    bool company_basics = false;
    bool call_tracking = false;
    bool documents = false;
    bool goals_preferences = false;
    bool team_invites = false;
    bool completed = false;
};

// The first phase not yet completed; `verification` when the five working
// phases are done but verify() has not passed yet; `completed` after.
Phase current_phase(const Progress& p);

struct Completion {
    Progress progress;
    Phase next;                   // the phase to show next
    bool already_completed;       // answered as step_already_completed
};

// Marks `phase` done. Completing a phase twice is not an error: it reports
// already_completed so repeated calls are idempotent.
Completion complete_phase(Progress p, Phase phase);

// The four checks of POST /verify, each with a fixed message when it fails (check_message).
struct Checks {
    bool company_basics = false;  // name, phone, industry, timezone set
    bool call_tracking = false;   // a call-tracking (or any) platform connected
    bool documents = false;       // at least one document ingested ("done")
    bool team_members = false;    // at least one csr or sales_rep member, or one invited
    // Invitations to a csr or sales_rep role not yet accepted (nor expired,
    // nor withdrawn). They pass the team check: whether the invited person
    // accepts is theirs to do, so it must not keep the client from finishing.
    int team_pending = 0;
};
struct Verification {
    bool passed;
    std::vector<std::string> errors;  // in check order
    std::vector<std::string> notes;   // what passed but is not finished yet (pending invitations)
};
Verification verify(const Checks& c);
const char* check_message(int index);  // 0..3, the message for a failed check

// The screens of the browser wizard, in order.
enum class WizardStep {
    company,
    platforms,
    sync,
    webhooks,
    documents,
    goals,
    team,
    verify,
    done,
};
constexpr int kWizardStepCount = 9;
const char* wizard_step_name(WizardStep s);
const char* wizard_step_title(WizardStep s);

// Server facts the wizard resumes from, beyond Progress.
struct ResumeFacts {
    bool has_connection = false;        // any platform connected
    bool sync_finished = false;         // the initial sync of the newest connection ended
    bool webhooks_acknowledged = false;  // the client saw (or the edge registered) webhooks
};
WizardStep wizard_step(const Progress& p, const ResumeFacts& f);

}  // namespace onramp::onboarding
