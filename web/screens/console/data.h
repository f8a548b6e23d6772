// What the operator console shows, as plain rows, and the parsing of the
// edge's replies into them. No I/O and no drawing here. Parsers never
// throw (exceptions abort in this build): a missing member becomes an
// empty value, and a reply that is not 2xx becomes its Problem.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "platform/platform.h"
#include "shared/result.h"

struct OrgRow {
    std::string id, name, tier, created_at;
};

// GET /api/v1/onboarding/status (X-Org-Id): where a client is in the wizard.
struct OnboardingInfo {
    std::string step;        // "company_basics", ..., "" when unknown
    bool completed = false;
    int steps_done = 0, steps_total = 0;
};

// One platform account of a client, with its health.
struct ClientConnection {
    std::string id, platform, name, status, sync_frequency;
    std::string last_test_at, last_sync_at, last_error;
    int last_test_ok = -1;  // -1 never tested, 0 failed, 1 passed
};

struct SyncRunRow {
    std::string id, kind, state, queued_at, finished_at;
    int64_t items = 0, created = 0, updated = 0, failed = 0;
};

struct ProductRow {
    std::string id, title, sku, price, currency, status, updated_at;
    int64_t inventory = -1;   // -1: unknown; else the product's, or its variants' sum
};

struct ProductPage {
    std::vector<ProductRow> rows;
    int64_t total = 0;        // matching products on the server, all pages
};

struct DeliveryRow {
    std::string id, topic, state, received_at, last_error;
    int64_t attempts = 0;
};

struct AuditRow {
    std::string at, actor, action, object;
};

struct VaultKeyRow {
    std::string key_id, state, created_at, retired_at;
    int64_t secrets = 0;
    bool held = false;
};

struct VaultInfo {
    std::string key_id, rotating_to;
    int64_t secrets = 0;
    std::vector<VaultKeyRow> keys;
};

struct AuditPage {
    std::vector<AuditRow> rows;
    std::string next_cursor;  // "" on the last page
};

onramp::Result<std::vector<OrgRow>> parse_orgs(const HttpReply& reply);
onramp::Result<OnboardingInfo> parse_onboarding(const HttpReply& reply);
onramp::Result<std::vector<ClientConnection>> parse_connections(const HttpReply& reply);
onramp::Result<std::vector<SyncRunRow>> parse_sync_runs(const HttpReply& reply);
onramp::Result<ProductPage> parse_products(const HttpReply& reply);
onramp::Result<std::vector<DeliveryRow>> parse_deliveries(const HttpReply& reply);
onramp::Result<AuditPage> parse_audit(const HttpReply& reply);
onramp::Result<VaultInfo> parse_vault(const HttpReply& reply);

// A connection's health in a word: "healthy", "failing", "untested", "disabled".
const char* connection_health(const ClientConnection& c);

// "company_basics" -> "Company basics".
std::string step_label(const std::string& step);

// "2026-11-29T21:56:28Z" -> "2026-11-29 21:56"; anything else unchanged.
std::string short_time(const std::string& iso);
