// JSON serialisation of the connector catalog; the shape is documented in
// catalog_json.h.
#include "shared/connectors/catalog_json.h"

#include <string>

namespace onramp::connectors {

namespace {

nlohmann::json condition_json(const Condition& c) {
    if (c.always()) return nullptr;
    return {{"field", std::string(c.field)}, {"value", std::string(c.value)}};
}

nlohmann::json word_list(std::string_view list) {
    nlohmann::json out = nlohmann::json::array();
    while (!list.empty()) {
        size_t sp = list.find(' ');
        if (std::string_view w = list.substr(0, sp); !w.empty()) out.push_back(std::string(w));
        if (sp == std::string_view::npos) break;
        list.remove_prefix(sp + 1);
    }
    return out;
}

nlohmann::json optional_text(std::string_view s) {
    if (s.empty()) return nullptr;
    return std::string(s);
}

}  // namespace

void to_json(nlohmann::json& j, const Field& f) {
    nlohmann::json options = nlohmann::json::array();
    for (const Option& o : f.options)
        options.push_back({{"value", std::string(o.value)}, {"label", std::string(o.label)}});
    j = {
        {"name", std::string(f.name)},
        {"label", std::string(f.label)},
        {"input", std::string(to_string(f.input))},
        {"required", f.required},
        {"sensitive", f.sensitive},
        {"validation",
         {{"rule", std::string(to_string(f.check))},
          {"prefix", std::string(f.prefix)},
          {"min_length", f.min_length},
          {"max_length", f.max_length > 0 ? f.max_length : kMaxValueLength}}},
        {"options", options},
        {"default", optional_text(f.default_value)},
        {"placeholder", std::string(f.placeholder)},
        {"help", std::string(f.help)},
        {"visible_when", condition_json(f.visible_when)},
        {"required_when", condition_json(f.required_when())},
        {"aliases", word_list(f.aliases)},
    };
}

void to_json(nlohmann::json& j, const Connector& c) {
    nlohmann::json capabilities = nlohmann::json::array();
    for (Capability cap : kAllCapabilities)
        if (c.can(cap)) capabilities.push_back(std::string(to_string(cap)));
    nlohmann::json scopes = nlohmann::json::array();
    for (const Scope& s : c.scopes)
        scopes.push_back({{"name", std::string(s.name)},
                          {"label", std::string(s.label)},
                          {"purpose", std::string(s.purpose)},
                          {"satisfied_by", word_list(s.satisfied_by)},
                          {"required", s.required},
                          {"feature", s.required ? nlohmann::json() : nlohmann::json(std::string(s.feature))}});
    nlohmann::json fields = nlohmann::json::array();
    for (const Field& f : c.fields) fields.push_back(f);
    j = {
        {"id", std::string(c.id)},
        {"name", std::string(c.name)},
        {"category", std::string(to_string(c.category))},
        {"description", std::string(c.description)},
        {"docs_url", std::string(c.docs_url)},
        {"api_base", std::string(c.api_base)},
        {"capabilities", capabilities},
        {"oauth_install_when", condition_json(c.oauth_install_when)},
        {"rate_limit",
         {{"requests", c.rate_limit.requests}, {"window_seconds", c.rate_limit.window_seconds}}},
        {"scopes", scopes},
        {"fields", fields},
    };
}

nlohmann::json catalog_json() {
    nlohmann::json categories = nlohmann::json::array();
    for (Category c : kAllCategories)
        categories.push_back({{"id", std::string(to_string(c))}, {"label", std::string(label(c))}});
    nlohmann::json list = nlohmann::json::array();
    for (const Connector& c : connectors()) list.push_back(c);
    return {{"categories", categories}, {"connectors", list}};
}

}  // namespace onramp::connectors
