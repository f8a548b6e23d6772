// JSON views of stored records, shared by the handlers that return them.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

#include "edge/onboarding/invitations.h"
#include "edge/store/accounts.h"

namespace onramp::api {

nlohmann::json org_json(const store::Org& org);
nlohmann::json user_json(const store::User& user, const std::vector<auth::Membership>& memberships);
nlohmann::json member_json(const store::Member& m);
// An invitation as the invited-users list shows it: never a user id or name.
nlohmann::json invitation_json(const onboarding::Invitation& i, int64_t now);
std::string iso8601(int64_t unix_seconds);
// An optional time as ISO 8601, or JSON null when absent.
nlohmann::json iso8601_or_null(const std::optional<int64_t>& unix_seconds);
// `text` for a LIKE pattern written with ESCAPE '\\': its %, _ and \\ match
// themselves.
std::string like_escaped(const std::string& text);

}  // namespace onramp::api
