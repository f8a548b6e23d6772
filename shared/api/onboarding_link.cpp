// The onboarding link's wire shape (shared/api/onboarding_link.h).
#include "shared/api/onboarding_link.h"

namespace onramp::api {

using nlohmann::json;

namespace {

json or_null(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::string text_at(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<std::string> opt_text_at(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

}  // namespace

std::string link_state_name(bool revoked, bool completed, bool expired, bool saved_something, bool opened) {
    if (revoked) return "revoked";
    if (completed) return "completed";
    if (expired) return "expired";
    if (opened && saved_something) return "in_progress";
    if (opened) return "opened";
    return "created";
}

void to_json(json& j, const LinkOpening& o) { j = {{"at", o.at}, {"device", o.device}, {"address", o.address}}; }

void from_json(const json& j, LinkOpening& o) {
    if (!j.is_object()) return;
    o.at = text_at(j, "at");
    o.device = text_at(j, "device");
    o.address = text_at(j, "address");
}

void to_json(json& j, const OnboardingLinkView& v) {
    j = {{"id", v.id},
         {"org_id", v.org_id},
         {"note", v.note},
         {"state", v.state},
         {"platforms", v.platforms},
         {"require_code", v.require_code},
         {"email", or_null(v.email)},
         {"created_by", or_null(v.created_by)},
         {"created_at", v.created_at},
         {"expires_at", v.expires_at},
         {"revoked_at", or_null(v.revoked_at)},
         {"first_opened_at", or_null(v.first_opened_at)},
         {"last_opened_at", or_null(v.last_opened_at)},
         {"last_activity_at", or_null(v.last_activity_at)},
         {"session_ends_at", or_null(v.session_ends_at)},
         {"opened_count", v.opened_count},
         {"openings", v.openings}};
}

void from_json(const json& j, OnboardingLinkView& v) {
    if (!j.is_object()) return;
    v.id = text_at(j, "id");
    v.org_id = text_at(j, "org_id");
    v.note = text_at(j, "note");
    v.state = text_at(j, "state");
    v.platforms.clear();
    if (auto it = j.find("platforms"); it != j.end() && it->is_array())
        for (const json& p : *it)
            if (p.is_string()) v.platforms.push_back(p.get<std::string>());
    if (auto it = j.find("require_code"); it != j.end() && it->is_boolean()) v.require_code = it->get<bool>();
    v.email = opt_text_at(j, "email");
    v.created_by = opt_text_at(j, "created_by");
    v.created_at = text_at(j, "created_at");
    v.expires_at = text_at(j, "expires_at");
    v.revoked_at = opt_text_at(j, "revoked_at");
    v.first_opened_at = opt_text_at(j, "first_opened_at");
    v.last_opened_at = opt_text_at(j, "last_opened_at");
    v.last_activity_at = opt_text_at(j, "last_activity_at");
    v.session_ends_at = opt_text_at(j, "session_ends_at");
    if (auto it = j.find("opened_count"); it != j.end() && it->is_number_integer()) v.opened_count = it->get<int64_t>();
    v.openings.clear();
    if (auto it = j.find("openings"); it != j.end() && it->is_array())
        for (const json& o : *it) v.openings.push_back(o.get<LinkOpening>());
}

}  // namespace onramp::api
