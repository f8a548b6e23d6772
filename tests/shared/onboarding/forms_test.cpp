// Specification of the onboarding forms' reading: what the edge and the
// static demo accept as company basics and as goals, and the one message
// per bad field a 422 carries.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>

#include "shared/onboarding/forms.h"
#include "shared/onboarding/time_zones.h"

using nlohmann::json;
namespace ob = onramp::onboarding;

TEST_SUITE("onboarding.forms") {
    TEST_CASE("company basics: the name alone is enough, the time zone defaults") {
        auto b = ob::read_company_basics({{"company_name", "Acme Roofing"}});
        REQUIRE(b);
        CHECK(b->company_name == "Acme Roofing");
        CHECK(b->timezone == std::optional<std::string>(ob::kDefaultTimezone));
        CHECK_FALSE(b->company_phone);
        json saved = ob::basics_json(*b);
        CHECK(saved["company_phone"].is_null());
        CHECK(saved["company_name"] == "Acme Roofing");
    }

    TEST_CASE("company basics: every bad field is named at once") {
        auto b = ob::read_company_basics({{"company_phone", "call me"},
                                          {"company_email", "not-an-address"},
                                          {"company_domain", "https://acme.com/"},
                                          {"timezone", "new york"},
                                          {"team_size", 0}});
        REQUIRE_FALSE(b);
        const auto& errors = b.problem().errors;
        for (const char* field : {"company_name", "company_phone", "company_email", "company_domain", "timezone",
                                  "team_size"})
            CHECK_MESSAGE(errors.count(field) == 1, field);
        CHECK(b.problem().status == 422);
    }

    TEST_CASE("company basics: a domain is kept lower-cased, a phone with its country code passes") {
        auto b = ob::read_company_basics(
            {{"company_name", "Acme"}, {"company_domain", "AcmeRoofing.COM"}, {"company_phone", "+1 (555) 123-4567"}});
        REQUIRE(b);
        CHECK(*b->company_domain == "acmeroofing.com");
    }

    TEST_CASE("company basics: only a real IANA time zone passes, not one that merely looks like it") {
        for (const char* zone : {"America/New_York", "Europe/Paris", "Asia/Kolkata", "UTC", "Etc/GMT+5",
                                 "America/Argentina/Buenos_Aires"}) {
            auto b = ob::read_company_basics({{"company_name", "Acme"}, {"timezone", zone}});
            CHECK_MESSAGE(b, zone);
        }
        for (const char* zone : {"Mars/Olympus", "America/Gotham", "Europe/paris", "Factory"}) {
            auto b = ob::read_company_basics({{"company_name", "Acme"}, {"timezone", zone}});
            REQUIRE_FALSE_MESSAGE(b, zone);
            CHECK(b.problem().status == 422);
            CHECK(b.problem().errors.at("timezone") == "must be an IANA time zone name, e.g. America/New_York");
        }
    }

    TEST_CASE("the time zone list is sorted, without duplicates, and holds the default") {
        auto names = ob::time_zone_names();
        CHECK(names.size() > 400);
        CHECK(std::adjacent_find(names.begin(), names.end(), std::greater_equal<>()) == names.end());
        CHECK(ob::is_time_zone(ob::kDefaultTimezone));
    }

    TEST_CASE("goals: what is valid is kept as sent") {
        json body = {{"primary_goals", {"More calls", "Faster quotes"}},
                     {"target_metrics", {{"calls_per_week", 40}}},
                     {"notification_preferences", {{"email", true}, {"sms", false}}},
                     {"quiet_hours_start", "20:00"}};
        auto g = ob::read_goals(body);
        REQUIRE(g);
        CHECK(*g == body);
    }

    TEST_CASE("goals: wrong shapes are refused field by field") {
        auto g = ob::read_goals({{"primary_goals", "More calls"},
                                 {"target_metrics", {{"calls", "many"}}},
                                 {"notification_preferences", {{"pigeon", true}}},
                                 {"quiet_hours_end", "25:00"}});
        REQUIRE_FALSE(g);
        const auto& errors = g.problem().errors;
        for (const char* field :
             {"primary_goals", "target_metrics", "notification_preferences.pigeon", "quiet_hours_end"})
            CHECK_MESSAGE(errors.count(field) == 1, field);
    }
}
