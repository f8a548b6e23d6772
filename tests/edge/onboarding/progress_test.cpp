// Where an organization stands (edge/onboarding/progress.h): saved phases
// report already_completed the second time, fact-based phases follow the
// other tables, completion is sticky, events stay per tenant.
#include <doctest/doctest.h>

#include "edge/onboarding/progress.h"
#include "edge/support/test_app.h"

using namespace onramp;
using onramp::testing::TestApp;

TEST_SUITE("onboarding.progress") {

TEST_CASE("an organization that has not started has an empty record and no progress") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    onboarding::Record r = onboarding::load(*db, org);
    onboarding::Progress p = onboarding::progress_of(*db, r);
    CHECK_FALSE(p.company_basics);
    CHECK_FALSE(p.team_invites);
    CHECK(onboarding::current_phase(p) == onboarding::Phase::company_basics);
    onboarding::Checks c = onboarding::checks_of(*db, r, t.clock);
    CHECK_FALSE(c.company_basics);
    CHECK_FALSE(c.call_tracking);
}

TEST_CASE("saving a phase twice reports already_completed and keeps its first time") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    onboarding::CompanyBasics b;
    b.company_name = "Acme";
    b.company_phone = "+1 555 123 4567";
    b.industry = "roofing";
    b.timezone = "UTC";
    auto first = onboarding::save_company_basics(*db, org, b, t.clock);
    CHECK_FALSE(first.already_completed);
    CHECK(first.next == onboarding::Phase::call_tracking);
    auto second = onboarding::save_company_basics(*db, org, b, t.clock + 10);
    CHECK(second.already_completed);
    onboarding::Record r = onboarding::load(*db, org);
    CHECK(r.company_basics_at == t.clock);
    CHECK(onboarding::checks_of(*db, r, t.clock).company_basics);
}

TEST_CASE("the company check needs name, phone, industry and timezone") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    onboarding::CompanyBasics b;
    b.company_name = "Acme";
    b.industry = "roofing";
    b.timezone = "UTC";
    onboarding::save_company_basics(*db, org, b, t.clock);
    CHECK_FALSE(onboarding::checks_of(*db, onboarding::load(*db, org), t.clock).company_basics);
}

TEST_CASE("team invites and team members follow the memberships table") {
    TestApp t;
    std::string org = t.make_org("Acme");
    t.add_member(org, t.make_user("m@acme.test", "pw-123456"), "manager");
    {
        auto db = t.app.store->lease();
        onboarding::Record r = onboarding::load(*db, org);
        CHECK_FALSE(onboarding::progress_of(*db, r).team_invites);
        CHECK_FALSE(onboarding::checks_of(*db, r, t.clock).team_members);
    }
    t.add_member(org, t.make_user("s@acme.test", "pw-123456"), "sales_rep");
    auto db = t.app.store->lease();
    onboarding::Record r = onboarding::load(*db, org);
    CHECK(onboarding::progress_of(*db, r).team_invites);
    CHECK(onboarding::checks_of(*db, r, t.clock).team_members);
}

TEST_CASE("a pending invitation passes the team check until it expires") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    db->write("INSERT INTO invitations (id, org_id, email, role, token_hash, created_at, expires_at)"
              " VALUES ('inv_1', ?, 'rep@acme.test', 'sales_rep', 'h1', ?, ?)",
              org, t.clock, t.clock + 3600);
    onboarding::Record r = onboarding::load(*db, org);
    onboarding::Checks before = onboarding::checks_of(*db, r, t.clock);
    CHECK(before.team_members);
    CHECK(before.team_pending == 1);
    CHECK(onboarding::verify(before).notes.size() == 1);
    onboarding::Checks after = onboarding::checks_of(*db, r, t.clock + 3600);
    CHECK_FALSE(after.team_members);
    CHECK(after.team_pending == 0);
}

TEST_CASE("completion is set once") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    CHECK(onboarding::mark_completed(*db, org, 100) == 100);
    CHECK(onboarding::mark_completed(*db, org, 200) == 100);
    CHECK(onboarding::progress_of(*db, onboarding::load(*db, org)).completed);
}

TEST_CASE("events are kept per organization, oldest first, with their metadata") {
    TestApp t;
    std::string acme = t.make_org("Acme"), globex = t.make_org("Globex");
    auto db = t.app.store->lease();
    onboarding::record_event(*db, acme, std::nullopt, "company_basics", "completed", {{"k", 1}}, 10);
    onboarding::record_event(*db, globex, std::nullopt, "goals_preferences", "completed", {}, 11);
    onboarding::record_event(*db, acme, std::nullopt, "verification", "failed", {}, 12);
    auto events = onboarding::events_of(*db, acme);
    REQUIRE(events.size() == 2);
    CHECK(events[0].step == "company_basics");
    CHECK(events[0].metadata["k"] == 1);
    CHECK(events[1].action == "failed");
    CHECK(onboarding::events_of(*db, globex).size() == 1);
}

}  // TEST_SUITE
