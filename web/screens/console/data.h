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

// A label and a value as the console shows them ("Company phone", "+1 555").
struct Fact {
    std::string label, value;
};

// GET /api/v1/onboarding/status (X-Org-Id): where a client is in the wizard,
// and what the client entered.
struct OnboardingInfo {
    std::string step;        // "company_basics", ..., "" when unknown
    bool completed = false;
    int steps_done = 0, steps_total = 0;
    std::string completed_at;
    std::vector<Fact> company;  // the company details, in the wizard's order; empty ones left out
    std::vector<Fact> goals;    // goals and preferences, flattened ("Primary goals": "a, b")
};

// GET /api/v1/onboarding/documents: a client's uploaded documents.
struct DocumentInfo {
    std::string id, filename, category, status, uploaded_at;
};

// GET /api/v1/onboarding/invited-users: a client's team invitations.
struct InvitationInfo {
    std::string id, email, role, status, created_at;  // status "pending", "accepted", "expired", ...
};

// An opening of an onboarding link.
struct LinkOpening {
    std::string at, device, address;
};

// GET .../onboarding-links: a link's state. Members the edge does not send
// stay empty (-1 for the count): the console shows "—" for them.
struct LinkInfo {
    std::string id, state, note, created_at, expires_at, last_opened_at, last_activity_at;
    std::vector<std::string> platforms;
    std::vector<LinkOpening> openings;
    int64_t opened_count = -1;
    int require_code = -1;  // -1 unknown, 0 no, 1 yes
};

// A link just made: its address (shown once) and where it was e-mailed.
struct NewLink {
    std::string id, url, emailed_to;
};

// GET /api/v1/connectors: a platform a link can ask for.
struct PlatformChoice {
    std::string id, name;
};

// GET /api/v1/auth/api-keys.
struct ApiKeyRow {
    std::string id, name, prefix, created_at, last_used_at, revoked_at;
};

// POST /api/v1/auth/api-keys: the key, whose secret is shown this once.
struct NewApiKey {
    std::string id, name, secret;
};

// One platform account of a client, with its health.
struct ClientConnection {
    std::string id, platform, name, status, sync_frequency;
    std::string last_test_at, last_sync_at, last_error;
    int last_test_ok = -1;  // -1 never tested, 0 failed, 1 passed
    std::vector<std::string> credential_fields;  // the names of its stored credentials
    int64_t dead_letters = 0;  // webhook deliveries that gave up, until replayed (0 from an older edge)
};

struct SyncRunRow {
    std::string id, kind, state, queued_at, finished_at;
    int64_t items = 0, created = 0, updated = 0, failed = 0;
};

struct ProductRow {
    std::string id, title, sku, price, currency, status, updated_at;
    int64_t inventory = -1;   // -1: unknown; else the product's, or its variants' sum
    // Payments and refunds: amounts in the currency's minor units (-1: none),
    // what a payment says it is for, the payment a refund returns, and why.
    int64_t amount = -1, refunded = -1;
    std::string description, payment_id, reason, created_at;
};

struct ProductPage {
    std::vector<ProductRow> rows;
    int64_t total = 0;        // matching products on the server, all pages
    int64_t page = 1, per_page = 0;
};

struct DeliveryRow {
    std::string id, topic, state, received_at, last_error;
    int64_t attempts = 0;
};

struct AuditRow {
    std::string at, actor, action, object, client;  // object and client by name where the edge knows it
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
onramp::Result<std::vector<DocumentInfo>> parse_documents(const HttpReply& reply);
onramp::Result<std::vector<InvitationInfo>> parse_invitations(const HttpReply& reply);
onramp::Result<std::vector<LinkInfo>> parse_links(const HttpReply& reply);
onramp::Result<NewLink> parse_new_link(const HttpReply& reply);
onramp::Result<OrgRow> parse_org(const HttpReply& reply);
onramp::Result<std::vector<PlatformChoice>> parse_platforms(const HttpReply& reply);
onramp::Result<std::vector<ApiKeyRow>> parse_api_keys(const HttpReply& reply);
onramp::Result<NewApiKey> parse_new_api_key(const HttpReply& reply);
// Any 2xx reply: true; else the Problem (an action's outcome).
onramp::Result<bool> parse_done(const HttpReply& reply);

// A refusal in the problem's own words: its title, its detail and each
// field's message ("Validation failed: name: is required").
std::string problem_words(const onramp::Problem& p);

// Body of POST /api/v1/orgs/{org}/onboarding-links. A negative
// expires_in_hours, an empty send_to and require_code false are left out
// (the edge's defaults); anything else is sent for the edge to check.
std::string link_request_body(const std::vector<std::string>& platforms, const std::string& note,
                              int expires_in_hours, const std::string& send_to, bool require_code = false);

// {"name": name}, JSON-escaped.
std::string name_body(const std::string& name);

// A connection's health in a word: "healthy", "failing", "untested", "disabled".
const char* connection_health(const ClientConnection& c);

// "company_basics" -> "Company basics".
std::string step_label(const std::string& step);

// A state the edge names in a word ("healthy", "pending", "revoked", ...) as
// the client reads it, in the current language; an unknown word as it is.
// The code compares the edge's words; only what is drawn goes through here.
std::string state_word(const std::string& state);

// An amount in a currency's minor units as a person reads it: 1234, "usd"
// -> "12.34 USD"; 500, "jpy" -> "500 JPY" (currencies without a minor
// unit, as Stripe lists them: https://docs.stripe.com/currencies#zero-decimal).
std::string minor_amount(int64_t minor, const std::string& currency);

// The synced record kinds a connection to `platform` has, as the records
// route names them, in the order its tabs show: those its catalog entry's
// sync capabilities name, and payments and refunds for a platform in the
// payments category (the catalog has no sync bit for those). A platform the
// catalog does not know, or one that syncs none, shows the commerce and
// call-tracking kinds.
std::vector<std::string> record_resources(const std::string& platform);

// "2026-11-29T21:56:28Z" -> seconds since 1970; -1 when not such a time.
int64_t unix_time(const std::string& iso);

// Why a client needs a person, or "" when it does not: webhook deliveries
// that gave up (finished or not: a replay is an operator's job); else, for a
// client that has not finished onboarding, a failing connection, or nothing
// done for `idle_days` (the latest of its links' activity and openings, else
// the organization's creation).
std::string stuck_reason(const OnboardingInfo& onboarding, const std::vector<ClientConnection>& connections,
                         const std::vector<LinkInfo>& links, const std::string& org_created_at, int64_t now,
                         int idle_days);

// The client's webhook deliveries that gave up, over its connections.
int64_t dead_letters(const std::vector<ClientConnection>& connections);

// Organizations created in each of the last `weeks` weeks up to `now`,
// oldest first.
std::vector<double> clients_per_week(const std::vector<OrgRow>& orgs, int64_t now, int weeks);

// "2026-11-29T21:56:28Z" -> "2026-11-29 21:56"; anything else unchanged.
std::string short_time(const std::string& iso);
