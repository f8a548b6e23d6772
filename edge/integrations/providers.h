// Per-user CRM integrations (README, "Per-user integrations"): the providers
// a user can pick, the /api/dashboard/integrations request shape mapped onto
// the connector catalog, and the global credentials from the environment
// that apply to users without one.
//
// A user's integration is a connection row with user_id set (migration
// 003): its credentials are in the vault like any connection's, and only
// that user sees it. The API's provider ids map onto catalog connectors:
//
//   API provider    catalog connector   environment fallback
//   CHATWOOT        chatwoot            CHATWOOT_BASE_URL, CHATWOOT_ACCOUNT_ID, CHATWOOT_API_KEY
//   CUSTOM          custom_crm          none
//   SALESFORCE, HUBSPOT, ZOHO, PIPEDRIVE: listed as coming soon, not accepted
//
// The form fields are the catalog's, so the edge validates exactly what
// the form shows. Each is also given the camelCase name clients of this API
// use (`seed_name`: baseUrl, accountId, apiKey), and both spellings are
// accepted on input (catalog aliases).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "shared/connectors/catalog.h"
#include "shared/result.h"

namespace onramp::integrations {

struct Provider {
    std::string_view id;           // the API's: "CHATWOOT"
    std::string_view name, description, icon;
    std::string_view platform;     // catalog connector id; empty while coming soon
    std::span<const std::string_view> features;  // on/off options, all on by default
    std::string_view env_prefix;   // "CHATWOOT_" when global credentials may come from the environment
    bool available() const { return !platform.empty(); }
};

std::span<const Provider> providers();
// By the API's id or the catalog's, in any case ("chatwoot", "CUSTOM_CRM").
const Provider* find_provider(std::string_view id);
const Provider* provider_for_platform(std::string_view platform);

// The name clients of this API use for a field: its first camelCase alias,
// else the catalog name.
std::string seed_name(const connectors::Field& f);

// {"providers": [{id, name, description, icon, available, requiresOAuth,
//  features: {name: default}, fields: [catalog field + seed_name, type,
//  validation.required]}]}
nlohmann::json providers_json();

// The request's `configuration` object taken apart: the provider, the
// credentials (its other members, with a nested "credentials" object of
// the custom CRM merged in) and the features.
struct Configuration {
    const Provider* provider = nullptr;
    nlohmann::json credentials = nlohmann::json::object();
    std::optional<nlohmann::json> features;  // {name: bool}, only the provider's
    std::string crm_name;                    // custom CRM: its display name
};
// 422 naming "configuration.provider" or "configuration.features" when
// they are wrong. `expected`: the provider of an existing integration,
// which the configuration may repeat but not change.
Result<Configuration> parse_configuration(const nlohmann::json& configuration, const Provider* expected);

// Credentials for `provider` from the environment (read through `env`),
// or nullopt when the provider has none or they are not all set.
std::optional<nlohmann::json> environment_credentials(const Provider& provider,
                                                      const std::function<std::string(const std::string&)>& env);

}  // namespace onramp::integrations
