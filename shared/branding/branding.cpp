// Branding (shared/branding/branding.h): reading, layering and checking.
#include "shared/branding/branding.h"

#include <algorithm>

namespace onramp::branding {

namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// A DNS name or an IPv4 address: letters, digits, '-' and '.', no empty label.
bool valid_host(const std::string& h) {
    if (h.empty() || h.size() > 253 || h.front() == '.' || h.back() == '.') return false;
    if (h.find("..") != std::string::npos) return false;
    return std::all_of(h.begin(), h.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
}

bool valid_port(const std::string& p) {
    if (p.empty() || p.size() > 5 || !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    int n = std::stoi(p);
    return n >= 1 && n <= 65535;
}

std::vector<std::string> read_origins(Fields& f, const nlohmann::json& body) {
    std::vector<std::string> out;
    auto it = body.find("embed_origins");
    if (it == body.end() || it->is_null()) return out;
    if (!it->is_array() || it->size() > kMaxEmbedOrigins) {
        f.fail("embed_origins", "must be a list of at most " + std::to_string(kMaxEmbedOrigins) + " origins");
        return out;
    }
    for (const nlohmann::json& o : *it) {
        if (!o.is_string() || !valid_origin(o.get<std::string>())) {
            f.fail("embed_origins", "each must be an origin like https://app.example.com (no path)");
            return {};
        }
        if (std::find(out.begin(), out.end(), o.get<std::string>()) == out.end()) out.push_back(o.get<std::string>());
    }
    return out;
}

}  // namespace

bool valid_accent(const std::string& s) {
    return s.size() == 7 && s[0] == '#' && std::all_of(s.begin() + 1, s.end(), is_hex);
}

bool valid_origin(const std::string& s) {
    std::string rest;
    bool https = starts_with(s, "https://");
    if (https) rest = s.substr(8);
    else if (starts_with(s, "http://")) rest = s.substr(7);
    else return false;
    size_t colon = rest.find(':');
    std::string host = rest.substr(0, colon);
    if (colon != std::string::npos && !valid_port(rest.substr(colon + 1))) return false;
    if (!valid_host(host)) return false;
    return https || host == "localhost" || host == "127.0.0.1";
}

bool valid_logo(const std::string& s) {
    if (s.size() > kMaxLogoBytes) return false;
    for (const char* type : {"png", "jpeg", "webp", "svg+xml"}) {
        std::string prefix = std::string("data:image/") + type + ";base64,";
        if (!starts_with(s, prefix) || s.size() == prefix.size()) continue;
        return std::all_of(s.begin() + long(prefix.size()), s.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                   c == '/' || c == '=';
        });
    }
    return false;
}

bool valid_language(const std::string& s) {
    return std::any_of(std::begin(kLanguages), std::end(kLanguages), [&](const char* code) { return s == code; });
}

Branding read(Fields& f, const nlohmann::json& body) {
    Branding b;
    b.name = f.opt_text("name", 80).value_or("");
    b.welcome = f.opt_text("welcome", 1000).value_or("");
    b.accent = f.opt_text("accent", 7).value_or("");
    if (!b.accent.empty() && !valid_accent(b.accent)) f.fail("accent", "must be a colour like #4F46E5");
    b.logo = f.opt_text("logo", kMaxLogoBytes + 1).value_or("");
    if (!b.logo.empty() && !valid_logo(b.logo))
        f.fail("logo", "must be a base64 data: URL of a PNG, JPEG, WebP or SVG image of at most 96 KB");
    b.embed_origins = read_origins(f, body);
    b.language = f.opt_text("language", 8).value_or("");
    if (!b.language.empty() && !valid_language(b.language)) f.fail("language", "must be one of en, es, de");
    return b;
}

Branding layered(const Branding& base, const Branding& over) {
    Branding out = base;
    if (!over.name.empty()) out.name = over.name;
    if (!over.logo.empty()) out.logo = over.logo;
    if (!over.accent.empty()) out.accent = over.accent;
    if (!over.welcome.empty()) out.welcome = over.welcome;
    if (!over.language.empty()) out.language = over.language;
    for (const std::string& o : over.embed_origins)
        if (std::find(out.embed_origins.begin(), out.embed_origins.end(), o) == out.embed_origins.end())
            out.embed_origins.push_back(o);
    return out;
}

nlohmann::json to_json(const Branding& b) {
    return {{"name", b.name}, {"logo", b.logo}, {"accent", b.accent}, {"welcome", b.welcome},
            {"embed_origins", b.embed_origins}, {"language", b.language}};
}

Branding from_json(const nlohmann::json& j) {
    Branding b;
    if (!j.is_object()) return b;
    auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; };
    b.name = str("name");
    b.logo = str("logo");
    b.accent = str("accent");
    b.welcome = str("welcome");
    b.language = str("language");
    if (j.contains("embed_origins") && j["embed_origins"].is_array())
        for (const nlohmann::json& o : j["embed_origins"])
            if (o.is_string()) b.embed_origins.push_back(o.get<std::string>());
    return b;
}

}  // namespace onramp::branding
