// A connection's webhook endpoint: which signature scheme its deliveries
// carry, its secret (in the vault) with rotation grace, the hooks Onramp
// registered on the platform, and the URL the platform must call.
//
// Secrets live in the vault under (org, connection, "webhook_secret") and,
// during a rotation's grace period, "webhook_secret_previous"; both verify
// until the row's previous_expires_at. Twilio signs with the account's auth
// token, so a Twilio connection without a webhook secret of its own
// verifies with its stored credential "auth_token".
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "edge/config.h"
#include "edge/store/connections.h"
#include "edge/vault.h"
#include "edge/webhooks/scheme.h"
#include "shared/result.h"

namespace onramp::webhooks {

inline constexpr const char* kSecretField = "webhook_secret";
inline constexpr const char* kPreviousSecretField = "webhook_secret_previous";
inline constexpr int64_t kDefaultGraceSeconds = 86400;

struct Endpoint {
    std::string connection_id, org_id, scheme;
    std::optional<int64_t> secret_set_at, previous_expires_at, registered_at;
    nlohmann::json registered = nlohmann::json::array();  // [{"topic", "id"}]
    int64_t updated_at = 0;
    // The last registration's outcome (migration 008): "" never tried,
    // "registered", "failed" (with the platform's reason) or "removed".
    std::string registration_state;
    std::optional<std::string> registration_error;
    std::optional<int64_t> registration_attempted_at;
};

// A connection's endpoint before anything was stored for it.
Endpoint fresh_endpoint(const store::Connection& c, const std::string& scheme, int64_t now);
std::optional<Endpoint> find_endpoint(store::Db& db, const std::string& connection_id);
void save_endpoint(store::Db& db, const Endpoint& e);

// The scheme deliveries for a connection of `platform` carry by default:
// the platform's own where it has one, else Standard Webhooks (what a
// custom CRM or any modern sender can produce).
const Scheme& default_scheme(const std::string& platform);
// The endpoint's scheme, or the default when none was chosen yet.
const Scheme& scheme_of(const store::Connection& c, const std::optional<Endpoint>& e);

// "{public_url}/webhooks/": where every connection's URL starts.
std::string webhooks_base_url(const Config& config);
// "{public_url}/webhooks/{scheme}/{connection_id}".
std::string webhook_url(const Config& config, const store::Connection& c, const Scheme& scheme);

// The keys that verify a delivery now: current first, then the previous
// one while its grace lasts (verify.h Secrets). Empty when none is set,
// and verify() then rejects every delivery.
Secrets load_secrets(const Vault& vault, store::Db& db, const store::Connection& c,
                     const std::optional<Endpoint>& e, int64_t now);

// Whether Onramp may choose the secret for this scheme
// (Scheme::secret_generated). Elsewhere the platform or the account fixes
// it (an app secret, a generated whsec_, an auth token) and the operator
// pastes it in.
bool can_generate_secret(const Scheme& scheme);
// A fresh secret in the scheme's format ("whsec_" + base64 where
// Scheme::whsec_secret, 32 random bytes base64url elsewhere).
std::string generate_secret(const Scheme& scheme);

// Stores `secret` as the current one; the old current one verifies for
// `grace_s` more seconds (0: at once no more). Call inside the caller's
// transaction. Returns the updated endpoint.
Result<Endpoint> set_secret(const Vault& vault, store::Db& db, const store::Connection& c, const Scheme& scheme,
                            const std::string& secret, int64_t grace_s, int64_t now);

}  // namespace onramp::webhooks
