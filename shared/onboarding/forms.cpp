// The onboarding's forms (shared/onboarding/forms.h): reading and checking
// company basics and goals from a parsed body.
#include "shared/onboarding/forms.h"

#include <cctype>
#include <cstring>

#include "shared/json.h"
#include "shared/onboarding/time_zones.h"
#include "shared/validation/fields.h"

namespace onramp::onboarding {

using nlohmann::json;

namespace {

// A phone number as people type it: 7 to 15 digits (E.164) with + - ( ) . and spaces.
bool looks_like_phone(const std::string& s) {
    int digits = 0;
    for (char ch : s) {
        if (std::isdigit(static_cast<unsigned char>(ch))) ++digits;
        else if (!std::strchr("+-(). ", ch)) return false;
    }
    return digits >= 7 && digits <= 15;
}

// A host name such as acmeroofing.com: dot-separated labels of letters,
// digits and inner hyphens, and a top-level label that is not all digits.
bool looks_like_domain(const std::string& s) {
    if (s.size() > 253 || s.find('.') == std::string::npos) return false;
    size_t start = 0;
    std::string last;
    while (start <= s.size()) {
        size_t dot = s.find('.', start);
        if (dot == std::string::npos) dot = s.size();
        std::string label = s.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char ch : label)
            if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-') return false;
        last = label;
        start = dot + 1;
    }
    for (char ch : last)
        if (!std::isdigit(static_cast<unsigned char>(ch))) return true;
    return false;
}

// "HH:MM", 00:00 to 23:59.
bool looks_like_clock(const std::string& s) {
    if (s.size() != 5 || s[2] != ':') return false;
    for (int i : {0, 1, 3, 4})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return std::stoi(s.substr(0, 2)) < 24 && std::stoi(s.substr(3, 2)) < 60;
}

}  // namespace

Result<CompanyBasics> read_company_basics(const json& body) {
    Fields f(body);
    CompanyBasics b;
    b.company_name = f.text("company_name", 200);
    b.company_phone = f.opt_text("company_phone", 40);
    b.company_email = f.opt_text("company_email", 254);
    b.company_domain = f.opt_text("company_domain", 253);
    b.company_address = f.opt_text("company_address", 500);
    b.industry = f.opt_text("industry", 100);
    b.timezone = f.opt_text("timezone", 64);
    b.team_size = f.opt_int("team_size", 1, 1'000'000);
    b.admin_name = f.opt_text("admin_name", 200);
    b.admin_email = f.opt_text("admin_email", 254);
    if (b.company_phone && !looks_like_phone(*b.company_phone))
        f.fail("company_phone", "must be a phone number with its country code, e.g. +1-555-123-4567");
    if (b.company_email && !looks_like_email(*b.company_email))
        f.fail("company_email", "is not an e-mail address");
    if (b.admin_email && !looks_like_email(*b.admin_email)) f.fail("admin_email", "is not an e-mail address");
    if (b.company_domain) {
        for (char& ch : *b.company_domain) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        if (!looks_like_domain(*b.company_domain))
            f.fail("company_domain", "Invalid domain format: use the bare domain, e.g. acmeroofing.com");
    }
    if (b.timezone && !is_time_zone(*b.timezone))
        f.fail("timezone", "must be an IANA time zone name, e.g. America/New_York");
    if (!f.ok()) return f.problem();
    if (!b.timezone) b.timezone = kDefaultTimezone;
    return b;
}

Result<json> read_goals(const json& body) {
    Fields f(body);
    json goals = json::object();
    if (auto it = body.find("primary_goals"); it != body.end() && !it->is_null()) {
        bool ok = it->is_array() && it->size() <= 20;
        for (const json& g : ok ? *it : json::array())
            ok = ok && g.is_string() && !trim(g.get<std::string>()).empty() && g.get<std::string>().size() <= 200;
        if (ok) goals["primary_goals"] = *it;
        else f.fail("primary_goals", "must be a list of up to 20 goals, each a text of at most 200 characters");
    }
    if (auto metrics = f.opt_object("target_metrics")) {
        bool ok = metrics->size() <= 50;
        for (const auto& [k, v] : metrics->items()) ok = ok && k.size() <= 64 && v.is_number();
        if (ok) goals["target_metrics"] = *metrics;
        else f.fail("target_metrics", "must map up to 50 metric names to numbers");
    }
    if (auto prefs = f.opt_object("notification_preferences")) {
        for (const auto& [k, v] : prefs->items()) {
            if (k != "email" && k != "sms" && k != "in_app")
                f.fail("notification_preferences." + k, "is not a channel: use email, sms, in_app");
            else if (!v.is_boolean())
                f.fail("notification_preferences." + k, "must be true or false");
        }
        // Kept only when valid, and so flat: channels to booleans.
        if (f.ok()) goals["notification_preferences"] = *prefs;
    }
    for (const char* name : {"quiet_hours_start", "quiet_hours_end"}) {
        auto v = f.opt_text(name, 5);
        if (v && !looks_like_clock(*v)) f.fail(name, "must be a time of day as HH:MM, e.g. 20:00");
        else if (v) goals[name] = *v;
    }
    if (!f.ok()) return f.problem();
    return goals;
}

json basics_json(const CompanyBasics& b) {
    return {{"company_name", b.company_name.empty() ? json(nullptr) : json(b.company_name)},
            {"company_phone", nullable(b.company_phone)},
            {"company_email", nullable(b.company_email)},
            {"company_domain", nullable(b.company_domain)},
            {"company_address", nullable(b.company_address)},
            {"industry", nullable(b.industry)},
            {"timezone", nullable(b.timezone)},
            {"team_size", nullable(b.team_size)},
            {"admin_name", nullable(b.admin_name)},
            {"admin_email", nullable(b.admin_email)}};
}

}  // namespace onramp::onboarding
