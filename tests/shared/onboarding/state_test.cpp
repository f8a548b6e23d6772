// Specification of the onboarding state machine.
#include <doctest/doctest.h>

#include "shared/onboarding/state.h"

using namespace onramp::onboarding;

TEST_SUITE("onboarding state") {

TEST_CASE("a new organization starts at company basics") {
    Progress p;
    CHECK(current_phase(p) == Phase::company_basics);
    CHECK(std::string(wire_name(current_phase(p))) == "company_basics");
}

TEST_CASE("completing phases in order walks the documented steps") {
    Progress p;
    auto c = complete_phase(p, Phase::company_basics);
    CHECK(std::string(wire_name(c.next)) == "call_tracking");
    CHECK_FALSE(c.already_completed);
    c = complete_phase(c.progress, Phase::call_tracking);
    CHECK(std::string(wire_name(c.next)) == "document_ingestion");
    c = complete_phase(c.progress, Phase::document_ingestion);
    CHECK(std::string(wire_name(c.next)) == "goals_preferences");
    c = complete_phase(c.progress, Phase::goals_preferences);
    CHECK(std::string(wire_name(c.next)) == "team_invites");
    c = complete_phase(c.progress, Phase::team_invites);
    CHECK(c.next == Phase::verification);
    c = complete_phase(c.progress, Phase::completed);
    CHECK(c.next == Phase::completed);
}

TEST_CASE("completing a phase twice reports step_already_completed and changes nothing else") {
    auto first = complete_phase({}, Phase::company_basics);
    auto again = complete_phase(first.progress, Phase::company_basics);
    CHECK(again.already_completed);
    CHECK(again.next == first.next);
}

TEST_CASE("phases completed out of order: the current phase is the first gap") {
    Progress p;
    p = complete_phase(p, Phase::document_ingestion).progress;
    p = complete_phase(p, Phase::goals_preferences).progress;
    CHECK(current_phase(p) == Phase::company_basics);
    p = complete_phase(p, Phase::company_basics).progress;
    CHECK(current_phase(p) == Phase::call_tracking);
}

TEST_CASE("wire names round-trip and unknown names are refused") {
    for (int i = 0; i < kPhaseCount; ++i) CHECK(parse_phase(wire_name(Phase(i))) == Phase(i));
    CHECK_FALSE(parse_phase("shipping").has_value());
}

TEST_CASE("verify passes only when all four checks pass, with the documented messages otherwise") {
    CHECK(verify({true, true, true, true}).passed);
    auto v = verify({true, true, false, false});
    CHECK_FALSE(v.passed);
    REQUIRE(v.errors.size() == 2);
    CHECK(v.errors[0] == "No documents uploaded or documents still processing");
    CHECK(v.errors[1] == "No team members (CSR or sales rep) added");
}

TEST_CASE("the wizard resumes at the screen matching the server's state") {
    Progress p;
    ResumeFacts f;
    CHECK(wizard_step(p, f) == WizardStep::company);
    p.company_basics = true;
    CHECK(wizard_step(p, f) == WizardStep::platforms);
    f.has_connection = true;
    CHECK(wizard_step(p, f) == WizardStep::sync);
    f.sync_finished = true;
    CHECK(wizard_step(p, f) == WizardStep::webhooks);
    f.webhooks_acknowledged = true;
    CHECK(wizard_step(p, f) == WizardStep::documents);
    p.documents = p.goals_preferences = true;
    CHECK(wizard_step(p, f) == WizardStep::team);
    p.team_invites = true;
    CHECK(wizard_step(p, f) == WizardStep::verify);
    p.completed = true;
    CHECK(wizard_step(p, f) == WizardStep::done);
    CHECK(std::string(wizard_step_name(WizardStep::webhooks)) == "webhooks");
}

}  // TEST_SUITE
