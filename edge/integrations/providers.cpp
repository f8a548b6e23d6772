#include "edge/integrations/providers.h"

#include <cctype>

#include "shared/connectors/catalog_json.h"

namespace onramp::integrations {

using nlohmann::json;

namespace {

constexpr std::string_view kChatwootFeatures[] = {"autoCreateInboxes", "autoCreateBots", "syncContacts"};

constexpr Provider kProviders[] = {
    {"CHATWOOT", "Chatwoot", "Open-source customer engagement: inboxes, agent bots and contacts.", "💬",
     "chatwoot", kChatwootFeatures, "CHATWOOT_"},
    {"CUSTOM", "Custom CRM", "Any CRM with a REST API: API key, bearer token, basic auth or OAuth 2.0.", "🛠️",
     "custom_crm", {}, ""},
    {"SALESFORCE", "Salesforce", "Coming soon.", "☁️", "", {}, ""},
    {"HUBSPOT", "HubSpot", "Coming soon.", "🧲", "", {}, ""},
    {"ZOHO", "Zoho CRM", "Coming soon.", "📇", "", {}, ""},
    {"PIPEDRIVE", "Pipedrive", "Coming soon.", "📈", "", {}, ""},
};

bool same(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

bool has_upper(std::string_view s) {
    for (char c : s)
        if (std::isupper(static_cast<unsigned char>(c))) return true;
    return false;
}

// Keys of the configuration object that are not credentials.
bool reserved(const std::string& key) {
    return key == "provider" || key == "features" || key == "credentials" || key == "crmName" || key == "crm_name";
}

}  // namespace

std::span<const Provider> providers() { return kProviders; }

const Provider* find_provider(std::string_view id) {
    for (const Provider& p : kProviders)
        if (same(p.id, id) || (p.available() && same(p.platform, id))) return &p;
    return nullptr;
}

const Provider* provider_for_platform(std::string_view platform) {
    for (const Provider& p : kProviders)
        if (p.available() && p.platform == platform) return &p;
    return nullptr;
}

std::string seed_name(const connectors::Field& f) {
    std::string_view aliases = f.aliases;
    while (!aliases.empty()) {
        size_t space = aliases.find(' ');
        std::string_view a = aliases.substr(0, space);
        if (has_upper(a)) return std::string(a);
        if (space == std::string_view::npos) break;
        aliases.remove_prefix(space + 1);
    }
    return std::string(f.name);
}

json providers_json() {
    json items = json::array();
    for (const Provider& p : kProviders) {
        json features = json::object();
        for (std::string_view f : p.features) features[std::string(f)] = true;
        json fields = json::array();
        bool oauth = false;
        if (const connectors::Connector* c = p.available() ? connectors::find_connector(p.platform) : nullptr) {
            oauth = c->can(connectors::capability::oauth_install);
            for (const connectors::Field& f : c->fields) {
                json j = f;
                j["seed_name"] = seed_name(f);
                j["type"] = j["input"];
                j["validation"]["required"] = f.required;
                fields.push_back(j);
            }
        }
        items.push_back({{"id", p.id},
                         {"name", p.name},
                         {"description", p.description},
                         {"icon", p.icon},
                         {"available", p.available()},
                         {"platform", p.available() ? json(p.platform) : json(nullptr)},
                         {"requiresOAuth", oauth},
                         {"features", features},
                         {"fields", fields},
                         {"environment_fallback", !p.env_prefix.empty()}});
    }
    return {{"providers", items}};
}

Result<Configuration> parse_configuration(const json& configuration, const Provider* expected) {
    Configuration out;
    std::map<std::string, std::string> errors;
    auto named = configuration.find("provider");
    if (named == configuration.end() || named->is_null()) {
        out.provider = expected;
        if (!expected) errors["configuration.provider"] = "is required: CHATWOOT or CUSTOM";
    } else if (!named->is_string()) {
        errors["configuration.provider"] = "must be a string";
    } else {
        out.provider = find_provider(named->get<std::string>());
        if (!out.provider)
            errors["configuration.provider"] = "is not a provider: choose CHATWOOT or CUSTOM";
        else if (!out.provider->available())
            errors["configuration.provider"] = std::string(out.provider->name) + " is coming soon; choose CHATWOOT or CUSTOM";
        else if (expected && out.provider != expected)
            errors["configuration.provider"] = "cannot change: delete this integration and create another";
    }
    if (!errors.empty()) return unprocessable(errors);

    for (const auto& [k, v] : configuration.items())
        if (!reserved(k)) out.credentials[k] = v;
    auto nested = configuration.find("credentials");
    if (nested != configuration.end() && !nested->is_null()) {
        if (!nested->is_object())
            errors["configuration.credentials"] = "must be an object of field names and values";
        else
            for (const auto& [k, v] : nested->items()) out.credentials[k] = v;
    }
    for (const char* key : {"crmName", "crm_name"}) {
        auto n = configuration.find(key);
        if (n == configuration.end()) continue;
        if (!n->is_string() || n->get<std::string>().size() > 200)
            errors[std::string("configuration.") + key] = "must be a name of at most 200 characters";
        else
            out.crm_name = n->get<std::string>();
    }
    auto features = configuration.find("features");
    if (features != configuration.end() && !features->is_null()) {
        if (!features->is_object()) {
            errors["configuration.features"] = "must be an object of option names and true or false";
        } else {
            json kept = json::object();
            for (std::string_view f : out.provider->features) kept[std::string(f)] = true;
            for (const auto& [k, v] : features->items()) {
                if (!kept.contains(k))
                    errors["configuration.features." + k] = "is not an option of " + std::string(out.provider->name);
                else if (!v.is_boolean())
                    errors["configuration.features." + k] = "must be true or false";
                else
                    kept[k] = v;
            }
            out.features = kept;
        }
    }
    if (!errors.empty()) return unprocessable(errors);
    return out;
}

std::optional<json> environment_credentials(const Provider& provider,
                                            const std::function<std::string(const std::string&)>& env) {
    if (provider.env_prefix.empty() || !env) return std::nullopt;
    std::string prefix(provider.env_prefix);
    std::string base = env(prefix + "BASE_URL"), account = env(prefix + "ACCOUNT_ID"), key = env(prefix + "API_KEY");
    if (base.empty() || account.empty() || key.empty()) return std::nullopt;
    return json{{"base_url", base}, {"account_id", account}, {"api_access_token", key}};
}

}  // namespace onramp::integrations
