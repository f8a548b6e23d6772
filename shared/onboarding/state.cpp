#include "shared/onboarding/state.h"

#include "shared/text.h"

namespace onramp::onboarding {

namespace {

constexpr std::array<const char*, kPhaseCount> kPhaseNames = {
    "company_basics", "call_tracking", "document_ingestion", "goals_preferences",
    "team_invites",   "verification",  "completed",
};

constexpr const char* kCheckMessages[] = {
    translatable("Company name, phone, industry and timezone must be set"),
    translatable("No call tracking provider (CallRail or Twilio) connected"),
    translatable("No documents uploaded or documents still processing"),
    translatable("No team members (CSR or sales rep) added"),
};

struct StepInfo {
    const char* name;
    const char* title;
};
constexpr StepInfo kSteps[kWizardStepCount] = {
    {"company", translatable("Company basics")},
    {"platforms", translatable("Connect platforms")},
    {"sync", translatable("Initial sync")},
    {"webhooks", translatable("Webhooks")},
    {"documents", translatable("Documents")},
    {"goals", translatable("Goals & preferences")},
    {"team", translatable("Invite your team")},
    {"verify", translatable("Verify")},
    {"done", translatable("Done")},
};

bool* flag_for(Progress& p, Phase phase) {
    switch (phase) {
        case Phase::company_basics: return &p.company_basics;
        case Phase::call_tracking: return &p.call_tracking;
        case Phase::document_ingestion: return &p.documents;
        case Phase::goals_preferences: return &p.goals_preferences;
        case Phase::team_invites: return &p.team_invites;
        case Phase::verification:
        case Phase::completed: return &p.completed;
    }
    return nullptr;
}

}  // namespace

const char* wire_name(Phase p) { return kPhaseNames[size_t(p)]; }

std::optional<Phase> parse_phase(std::string_view name) {
    for (size_t i = 0; i < kPhaseNames.size(); ++i)
        if (name == kPhaseNames[i]) return Phase(i);
    return std::nullopt;
}

Phase current_phase(const Progress& p) {
    if (p.completed) return Phase::completed;
    if (!p.company_basics) return Phase::company_basics;
    if (!p.call_tracking) return Phase::call_tracking;
    if (!p.documents) return Phase::document_ingestion;
    if (!p.goals_preferences) return Phase::goals_preferences;
    if (!p.team_invites) return Phase::team_invites;
    return Phase::verification;
}

Completion complete_phase(Progress p, Phase phase) {
    bool* flag = flag_for(p, phase);
    bool already = *flag;
    *flag = true;
    return {p, current_phase(p), already};
}

Verification verify(const Checks& c) {
    Verification v{true, {}, {}};
    const bool results[] = {c.company_basics, c.call_tracking, c.documents, c.team_members};
    for (int i = 0; i < 4; ++i) {
        if (results[i]) continue;
        v.passed = false;
        v.errors.push_back(kCheckMessages[i]);
    }
    if (c.team_pending > 0)
        v.notes.push_back(c.team_pending == 1 ? "1 team invitation is still pending: it counts once accepted"
                                              : std::to_string(c.team_pending) +
                                                    " team invitations are still pending: they count once accepted");
    return v;
}

const char* check_message(int index) { return index >= 0 && index < 4 ? kCheckMessages[index] : ""; }

const char* wizard_step_name(WizardStep s) { return kSteps[int(s)].name; }
const char* wizard_step_title(WizardStep s) { return kSteps[int(s)].title; }

WizardStep wizard_step(const Progress& p, const ResumeFacts& f) {
    if (p.completed) return WizardStep::done;
    if (!p.company_basics) return WizardStep::company;
    // Connecting is followed by the sync and the webhook screens of that
    // connection before the flow moves on to documents.
    if (!f.has_connection) return WizardStep::platforms;
    if (!f.sync_finished) return WizardStep::sync;
    if (!f.webhooks_acknowledged) return WizardStep::webhooks;
    if (!p.documents) return WizardStep::documents;
    if (!p.goals_preferences) return WizardStep::goals;
    if (!p.team_invites) return WizardStep::team;
    return WizardStep::verify;
}

}  // namespace onramp::onboarding
