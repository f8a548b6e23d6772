// The onboarding link's wire shape (shared/api/onboarding_link.h): what the
// edge writes the console reads back whole, under the names both use, and
// an answer with members missing or mistyped still reads.
#include <doctest/doctest.h>

#include "shared/api/onboarding_link.h"

using nlohmann::json;
using onramp::api::LinkOpening;
using onramp::api::OnboardingLinkView;

TEST_SUITE("api.onboarding_link") {

TEST_CASE("a link's view survives the wire, under the names the console reads") {
    OnboardingLinkView v;
    v.id = "lnk_1";
    v.org_id = "org_1";
    v.state = "in_progress";
    v.platforms = {"shopify"};
    v.require_code = true;
    v.email = "client@shop.test";
    v.created_at = "2027-01-15T08:00:00Z";
    v.expires_at = "2027-01-22T08:00:00Z";
    v.last_opened_at = "2027-01-16T09:30:00Z";
    v.last_activity_at = "2027-01-16T09:45:00Z";
    v.opened_count = 2;
    v.openings = {{"2027-01-16T09:30:00Z", "Safari on iOS", "198.51.100.4"},
                  {"2027-01-15T10:00:00Z", "Chrome on Linux", "203.0.113.7"}};
    json j = v;
    for (const char* k : {"state", "opened_count", "last_opened_at", "last_activity_at", "openings", "platforms",
                          "expires_at", "require_code"})
        CHECK_MESSAGE(j.contains(k), k);
    CHECK(j["openings"][0] == json{{"at", "2027-01-16T09:30:00Z"}, {"device", "Safari on iOS"},
                                   {"address", "198.51.100.4"}});
    CHECK(j["revoked_at"].is_null());

    OnboardingLinkView back = j.get<OnboardingLinkView>();
    CHECK(json(back) == j);
}

TEST_CASE("missing or mistyped members keep their defaults") {
    OnboardingLinkView v = json{{"state", "opened"}, {"opened_count", "two"}, {"openings", {{{"at", 5}}}},
                                {"platforms", {"shopify", 3}}}
                               .get<OnboardingLinkView>();
    CHECK(v.state == "opened");
    CHECK(v.opened_count == 0);
    REQUIRE(v.openings.size() == 1);
    CHECK(v.openings[0].at.empty());
    CHECK(v.platforms == std::vector<std::string>{"shopify"});
    CHECK_FALSE(v.last_opened_at);
}

TEST_CASE("a state names the first that applies: revoked, completed, expired, in progress, opened, created") {
    using onramp::api::link_state_name;
    CHECK(link_state_name(true, true, true, true, true) == "revoked");
    CHECK(link_state_name(false, true, true, true, true) == "completed");
    CHECK(link_state_name(false, false, true, true, true) == "expired");
    CHECK(link_state_name(false, false, false, true, true) == "in_progress");
    CHECK(link_state_name(false, false, false, false, true) == "opened");
    CHECK(link_state_name(false, false, false, false, false) == "created");
}

}  // TEST_SUITE
