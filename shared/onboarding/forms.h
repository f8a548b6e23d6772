// The answers of the onboarding's forms: company basics (Phase 1)
// and goals and preferences (Phase 4), read from a request body with every
// bad field named at once. Shared so the edge and the static demo's
// stand-in (web/static_demo/) refuse exactly the same input.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "shared/result.h"

namespace onramp::onboarding {

inline constexpr const char* kDefaultTimezone = "America/New_York";  // the documented default (README)

struct CompanyBasics {
    std::string company_name;
    std::optional<std::string> company_phone, company_email, company_domain, company_address, industry, timezone;
    std::optional<int64_t> team_size;
    std::optional<std::string> admin_name, admin_email;
};

// company_name required; the rest optional and checked when present (a
// phone with its country code, e-mail addresses, a bare lower-cased domain,
// an IANA time zone, 1 to 1,000,000 people). The time zone defaults to
// kDefaultTimezone. 422 naming each bad field.
Result<CompanyBasics> read_company_basics(const nlohmann::json& body);
// The saved answers as status returns them: every field, null when unset.
nlohmann::json basics_json(const CompanyBasics& b);

// primary_goals (up to 20 texts), target_metrics (up to 50 names to
// numbers), notification_preferences (email, sms, in_app: booleans),
// quiet_hours_start/end ("HH:MM"). Returns what is kept, as stored.
Result<nlohmann::json> read_goals(const nlohmann::json& body);

}  // namespace onramp::onboarding
