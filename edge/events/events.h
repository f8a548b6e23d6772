// Events out: what happened in an organization, recorded once and then
// carried two ways, to the agency's own systems by signed webhooks
// (edge/events/dispatcher.h) and to the console by a server-sent events
// stream (GET /api/v1/orgs/{org_id}/events, edge/api/event_endpoints.cpp).
//
//   emit() --one transaction--> events row (seq) + one pending delivery per
//                               enabled endpoint subscribed to the type
//
// emit() writes on the caller's connection, so an event commits (or not)
// with the change that caused it; the dispatcher finds its deliveries at
// its next pass (it polls about once a second, or is woken). Events are
// kept for kRetentionSeconds and then deleted with their deliveries.
//
// Security: data holds ids, names and outcomes, never a credential, a
// token or a signing secret; it goes to whatever URL a manager typed.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edge/store/db.h"

namespace onramp::events {

constexpr int64_t kRetentionSeconds = 7 * 24 * 3600;

// Every event type, in the order the README lists them.
const std::vector<std::string>& all_types();
bool known_type(std::string_view type);

struct Event {
    int64_t seq = 0;
    std::string id;  // "evt_...": the webhook-id
    std::string org_id, type;
    nlohmann::json data;
    int64_t created_at = 0;
};

// Records an event of `org_id` and queues its deliveries, in the caller's
// transaction when one is open. `data` must hold no secret; org_id is
// added to it. Returns the event's seq.
int64_t emit(store::Db& db, int64_t now, const std::string& type, const std::string& org_id,
             nlohmann::json data);

// The endpoints subscribed to each (organization, event type), looked up
// once for many events recorded in one transaction: the webhook inbox
// records one event per delivery, a hundred to a batch. Valid only inside
// the transaction that filled it, which holds the write lock, so no
// endpoint can change meanwhile.
struct SubscriberCache {
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> found;
};

// webhook.received for a delivery the inbox just stored: its ids, topic
// and the platform's body when it is JSON (else null). The body is what
// the platform sent after its signature was checked; the signature and
// the webhook secret are not part of it.
void emit_webhook_received(store::Db& db, SubscriberCache& subscribers, int64_t now, const std::string& org_id,
                           const std::string& connection_id, const std::string& platform, const std::string& topic,
                           int64_t delivery_seq, const std::string& body);
// document.ingested for a document whose text was just stored.
void emit_document_ingested(store::Db& db, const std::string& document_id, int64_t now);

// The body sent and streamed: {"type", "timestamp" (RFC 3339), "data"}.
std::string payload(const Event& e);

// The org's events after seq `after`, oldest first, at most `limit`.
std::vector<Event> read_after(store::Db& db, const std::string& org_id, int64_t after, int limit);
std::optional<Event> find(store::Db& db, int64_t seq);

// Deletes events created before `before` (and their deliveries); returns how many.
int prune(store::Db& db, int64_t before);

}  // namespace onramp::events
