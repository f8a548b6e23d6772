// Event endpoints: the URLs an organization's managers (or, deployment
// wide, the operators) register to receive events, their signing secrets,
// and the delivery log of each.
//
// Signing follows Standard Webhooks
// (https://github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md):
// headers webhook-id (the event id, the same on every attempt),
// webhook-timestamp (Unix seconds of the attempt) and webhook-signature
// "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>", where key is the
// base64 after "whsec_" of the endpoint's secret. A rotated secret keeps
// signing beside the new one for kRotationOverlapSeconds, space-separated
// as the spec allows, so a receiver can switch secrets without missing a
// delivery.
//
// Security: the secret is shown once, when it is made (create, rotate),
// and stored only sealed by the vault (Vault::seal, bound to the endpoint
// id). Endpoint URLs must be https:// and may not name a loopback,
// private, link-local or metadata address unless the deployment allows
// it (Config::outbound_allow_http, outbound_allow_private); names are
// resolved and checked again at each delivery (edge/connectors/target.h).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edge/app.h"
#include "shared/result.h"

namespace onramp::events {

constexpr int64_t kRotationOverlapSeconds = 24 * 3600;

struct Endpoint {
    std::string id;
    std::optional<std::string> org_id;  // nullopt: deployment-wide
    std::string url, description;
    std::vector<std::string> event_types;
    bool enabled = true;
    std::optional<int64_t> previous_expires_at;  // a rotated secret still signs until then
    int64_t created_at = 0, updated_at = 0;
};

// 422 naming `url` when it is not an http(s) URL this deployment may send
// to (scheme, a numeric address of a non-public kind, length).
Status check_url(const Config& config, const std::string& url);
// "whsec_" and the base64 of 32 random bytes.
std::string new_secret();

// Inserts the endpoint (its id is made here) with a new secret; returns the
// secret, which is not stored in plaintext anywhere.
std::string create(App& app, store::Db& db, Endpoint& e);
// The endpoint with this id in this scope (an org's, or deployment-wide).
std::optional<Endpoint> find(store::Db& db, const std::optional<std::string>& org_id, const std::string& id);
std::vector<Endpoint> list(store::Db& db, const std::optional<std::string>& org_id);
void update(store::Db& db, const Endpoint& e);
bool remove(store::Db& db, const std::optional<std::string>& org_id, const std::string& id);
// A new secret; the current one keeps signing until now + kRotationOverlapSeconds.
std::string rotate_secret(App& app, store::Db& db, Endpoint& e, int64_t now);

// The secrets that sign a delivery now: the current one, and the previous
// one while its overlap lasts. A Problem when a sealed secret does not open.
Result<std::vector<std::string>> signing_secrets(App& app, store::Db& db, const std::string& endpoint_id,
                                                 int64_t now);
// webhook-signature: one "v1,<base64>" per secret, space-separated.
std::string signature_header(const std::vector<std::string>& secrets, const std::string& id, int64_t timestamp,
                             const std::string& body);

nlohmann::json endpoint_json(const Endpoint& e);

// One row of an endpoint's delivery log.
struct Delivery {
    int64_t id = 0, event_seq = 0;
    std::string event_id, type, state;
    int attempts = 0;
    std::optional<int64_t> next_attempt_at, last_attempt_at, response_status, delivered_at;
    std::optional<std::string> last_error;
    int64_t created_at = 0;
};

// Newest first; `state` filters when not empty.
std::vector<Delivery> deliveries(store::Db& db, const std::string& endpoint_id, const std::string& state, int limit,
                                 int offset);
int count_deliveries(store::Db& db, const std::string& endpoint_id, const std::string& state);
std::optional<Delivery> find_delivery(store::Db& db, const std::string& endpoint_id, int64_t id);
// Sends a delivery again: back to pending, due now. False when the
// endpoint has no such delivery.
bool replay(store::Db& db, const std::string& endpoint_id, int64_t id, int64_t now);
nlohmann::json delivery_json(const Delivery& d);

}  // namespace onramp::events
