#include "edge/api/views.h"

#include <ctime>

#include "shared/json.h"

namespace onramp::api {

std::string like_escaped(const std::string& text) {
    std::string out;
    for (char ch : text) {
        if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
        out += ch;
    }
    return out;
}

std::string iso8601(int64_t t) {
    std::time_t tt = std::time_t(t);
    std::tm tm;
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

nlohmann::json org_json(const store::Org& org) {
    return {{"id", org.id},
            {"name", org.name},
            {"subscription_tier", org.subscription_tier},
            {"created_at", iso8601(org.created_at)},
            {"updated_at", iso8601(org.updated_at)}};
}

nlohmann::json user_json(const store::User& user, const std::vector<auth::Membership>& memberships) {
    nlohmann::json ms = nlohmann::json::array();
    for (const auth::Membership& m : memberships) ms.push_back({{"org_id", m.org_id}, {"role", m.role}});
    return {{"id", user.id},
            {"email", user.email},
            {"full_name", user.full_name},
            {"is_operator", user.is_operator},
            {"memberships", ms}};
}

nlohmann::json member_json(const store::Member& m) {
    return {{"user_id", m.user_id},
            {"email", m.email},
            {"full_name", m.full_name},
            {"role", m.role},
            {"joined_at", iso8601(m.joined_at)}};
}

nlohmann::json invitation_json(const onboarding::Invitation& i, int64_t now) {
    return {{"invite_id", i.id},
            {"email", i.email},
            {"role", i.role},
            {"territory", nullable(i.territory)},
            {"department", nullable(i.department)},
            {"status", i.status(now)},
            {"invited_at", iso8601(i.created_at)},
            {"expires_at", iso8601(i.expires_at)},
            {"accepted_at", iso8601_or_null(i.accepted_at)}};
}

nlohmann::json iso8601_or_null(const std::optional<int64_t>& unix_seconds) {
    return unix_seconds ? nlohmann::json(iso8601(*unix_seconds)) : nlohmann::json(nullptr);
}

}  // namespace onramp::api
