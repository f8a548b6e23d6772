// The interface every platform's HTTP code implements (one file per
// platform: bigcommerce.cpp, shopify.cpp, ...), and the values that cross
// it. The catalog entry (shared/connectors/catalog.h) says what a platform
// *is*; a Platform says how to *talk* to it.
//
//   caller                     Platform                      platform API
//   ------                     --------                      ------------
//   credentials (validated) -> test()        -> a few GETs -> Verified | Failure{step, cause}
//   cursor, window          -> fetch_page()  -> one list   -> items + next cursor
//   resource, id            -> fetch_one()   -> one GET    -> item (webhook refetch)
//                              proxy()       -> (token)    -> API base + auth headers
//                              revoke()      -> one call   -> the token stops working (disconnect)
//
// Every call takes a CallContext, which the caller keeps per connection:
// base-URL overrides (the mock platforms, a staging store), timeouts, the
// connection's RateBudget, a token cache for platforms that exchange a
// refresh token first, and the SSRF switch. Production and the mock differ
// only in the base URLs in that context.
//
// Credentials come in as the shared validator left them (normalised,
// canonical field names); nothing here stores them, and no Failure or log
// line ever contains one.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "edge/connectors/rate_budget.h"
#include "edge/http/message.h"
#include "shared/connectors/catalog.h"

namespace onramp::connectors {

using Credentials = std::map<std::string, std::string>;

// Why a platform call failed, in the terms a client can act on.
enum class Cause {
    credential_rejected,  // 401: wrong, revoked or half-copied key
    scope_missing,        // 403: the key works but lacks a permission
    store_not_found,      // 404: no such store / shop / account
    dns_failure,          // the host name does not resolve
    tls_failure,          // certificate not trusted or handshake failed
    timeout,              // no answer within the read timeout
    rate_limited,         // 429 still after the retries
    platform_error,       // 5xx, or an answer we could not read
    connection_failed,    // refused, reset or dropped
    address_refused,      // Security: a typed address points into a private network
};
std::string_view to_string(Cause c);

struct Failure {
    std::string step;              // what Onramp was doing: "fetch_store", "exchange_refresh_token"
    Cause cause = Cause::platform_error;
    std::string message;           // for the client, in plain words
    std::string platform_message;  // the platform's own words, shortened; never a credential
    int http_status = 0;           // the platform's status; 0 when no answer came back
    std::string field;             // the credential field at fault, when one is ("base_url")
    int retry_after_s = 0;         // rate_limited: when trying again makes sense
    std::vector<std::string> missing_scopes;  // scope_missing: what to grant
};

// A value or a Failure (the connectors' Result).
template <class T>
class Outcome {
public:
    Outcome(T value) : v_(std::move(value)) {}
    Outcome(Failure failure) : v_(std::move(failure)) {}
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const Failure& failure() const { return std::get<1>(v_); }

private:
    std::variant<T, Failure> v_;
};

// What a successful test established. Scopes are the platform's own
// identifiers (catalog Scope::name); platforms without scopes leave them
// empty. `required_scopes` and `missing_scopes` are the required ones (a
// test missing any fails); the optional ones missing are in `limited`, each
// {"scope", "label", "feature"} ("orders will not sync"), and a test that
// passes with some tells the client what the import leaves out.
struct Verified {
    std::string account_name;  // store, shop, seller or account name
    std::string domain;        // the store's or account's domain, when it has one
    std::string account_id;
    std::vector<std::string> granted_scopes, required_scopes, missing_scopes;
    nlohmann::json limited = nlohmann::json::array();
    nlohmann::json details = nlohmann::json::object();  // platform facts: plan, currency, marketplaces
};

// A test's result: what was verified before it stopped (possibly partial:
// the store was found, then a scope was missing) and the failure, if any.
struct TestOutcome {
    Verified verified;
    std::optional<Failure> failure;
    bool ok() const { return !failure.has_value(); }
};

enum class Resource { products, orders, calls, contacts, payments, refunds };
std::string_view to_string(Resource r);
std::optional<Resource> parse_resource(std::string_view s);
// The catalog capability that syncing this resource is (sync_orders).
Capability sync_capability(Resource r);
// The optional scope (catalog Scope::needed_for) that syncing this
// resource needs, or null when none: a platform refusing the resource for
// a missing scope then means the client chose not to grant it.
const Scope* optional_scope_for(const Connector& entry, Resource r);

// An incremental sync's time window on the platform's updated-at, as UTC
// ISO 8601 ("2026-01-02T03:04:05Z"); empty means open. The sync engine
// freezes `updated_before` at the start of a run and passes the same window
// with every page of the run.
struct Window {
    std::string updated_after;
    std::string updated_before;
};

// One synced object. `data` is the normalised JSON (shapes below); `id` and
// `updated_at` (UTC ISO 8601) repeat the platform's id and change time so
// the sync engine can upsert without reading `data`.
//
//   product  {id, title, sku, status, vendor, description, price, currency,
//             inventory, created_at, updated_at,
//             variants: [{id, sku, title, price, inventory, options: {name: value}}]}
//   order    {id, number, status, currency, total, customer_email, created_at, updated_at,
//             line_items: [{product_id, variant_id, sku, title, quantity, price}]}
//   call     {id, direction ("inbound"|"outbound"), from, to, status, duration_seconds,
//             started_at, updated_at, answered, recording_url}
//   contact  {id, name, email, phone, company, created_at, updated_at}
//   payment  {id, status, amount, amount_received, amount_refunded, currency, customer,
//             description, created_at, updated_at}
//   refund   {id, payment_id, charge_id, status, amount, currency, reason, created_at, updated_at}
//
// Money is a decimal string ("19.99"), except in payments and refunds, which
// keep the payment platform's integer amount in the currency's smallest unit
// (1999 for $19.99, 1999 for ¥1999) beside its lowercase ISO currency code:
// turning it into a decimal needs each currency's exponent, which only the
// platform knows. Absent values are null.
struct Item {
    std::string id;
    std::string updated_at;
    nlohmann::json data;
};

// One page of a list. An empty `next_cursor` means this was the last page.
// Cursors are opaque strings the sync engine stores as its checkpoint; they
// never contain a credential or a host, so they survive a restart and a
// base-URL change.
struct Page {
    std::vector<Item> items;
    std::string next_cursor;
    std::optional<int64_t> total;  // when the platform says how many there are
};

// Where the credential proxy sends a caller's request, and the headers that
// authenticate it (the proxy drops the caller's own auth headers).
struct ProxyTarget {
    std::string base_url;  // no trailing slash; proxied paths are appended
    http::Headers headers;
};

struct RetryPolicy {
    int max_attempts = 4;        // first try included
    int base_delay_ms = 500;     // doubled per attempt, with full jitter
    int max_delay_ms = 30000;    // no single wait is longer (Retry-After included)
};

// An access token obtained from a longer-lived credential (Amazon's LWA
// refresh token, a custom CRM's client credentials), reused until shortly
// before it expires.
struct TokenCache {
    std::mutex mu;
    std::string access_token;
    int64_t expires_at_ms = 0;  // monotonic_ms()
    std::string key;            // which credentials it belongs to (a digest, not the secret)
};

struct CallContext {
    // Per-platform base-URL overrides (Config::base_urls). Keys are
    // platform ids plus "amazon_lwa" (Amazon's token host),
    // "custom_crm_token", "custom_crm_authorize" and "custom_crm_revoke" (a
    // custom CRM's OAuth token, authorization and revocation URLs). A value may
    // contain {field} placeholders filled from the credentials, e.g.
    // "http://127.0.0.1:9000/shopify/{shop_domain}".
    std::map<std::string, std::string> base_urls;
    // Security: true only in demo mode and tests. Otherwise an address a
    // client typed may not resolve to a private, loopback, link-local,
    // unique-local, multicast or unspecified address (target.h).
    bool allow_private_addresses = false;
    int connect_timeout_ms = 5000;
    int read_timeout_ms = 15000;
    RetryPolicy retry;
    // The connection's budget; made from the catalog default on first use
    // when null. Share one per connection.
    std::shared_ptr<RateBudget> budget;
    std::shared_ptr<TokenCache> tokens;
    // Unix seconds, for credentials that carry an expiry (a custom CRM's
    // OAuth access token). Null: the system clock.
    std::function<int64_t()> now;
    // Told when the platform issued new credentials during a call (a
    // refreshed OAuth access token, a rotated refresh token): the fields
    // that changed, "" for one that no longer applies, to be stored in place
    // of the old ones. Null where nothing is stored yet (a one-off test).
    std::function<void(const Credentials& changed)> save_credentials;
    // How to wait (rate budget, backoff). Null: sleep the thread.
    std::function<void(int64_t ms)> sleep;
    // A number in [0, 1) for backoff jitter. Null: random.
    std::function<double()> jitter;
    // Told about every wait and retry, for logs and tests: (step, status, wait_ms).
    std::function<void(const std::string& step, int status, int64_t wait_ms)> on_retry;
};

// A platform's HTTP code. Implementations are stateless; all state lives in
// the CallContext, so one instance serves every connection.
class Platform {
public:
    explicit Platform(const Connector& entry) : entry_(entry) {}
    virtual ~Platform() = default;

    const Connector& entry() const { return entry_; }
    std::string_view id() const { return entry_.id; }

    // Which resources fetch_page/fetch_one serve.
    virtual std::vector<Resource> resources() const = 0;

    // How many seconds behind now a sync window may end: the platform
    // refuses a later updated-before (Amazon's getOrders: two minutes). The
    // sync engine ends each run's window there and stores that bound, so the
    // next incremental run starts exactly where this one ended.
    virtual int64_t settle_seconds() const { return 0; }

    // Proves the credentials work: the cheapest authenticated calls that
    // show who they belong to, then a check of the permissions sync needs.
    virtual TestOutcome test(const Credentials& creds, CallContext& ctx) const = 0;

    // One page of `resource`, starting at `cursor` ("" for the first page).
    // By default no resource is served (a messaging channel syncs nothing):
    // wire::unsupported_resource, in edge/connectors/wire.cpp.
    virtual Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource,
                                     const std::string& cursor, const Window& window) const;

    // One object by its platform id (a webhook said it changed); by default
    // none, as fetch_page.
    virtual Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                                    const std::string& id) const;

    // The API base and auth headers for the credential proxy. May call the
    // platform (token exchange).
    virtual Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const = 0;

    // Disconnecting: whether the platform lets an app give up these
    // credentials, so a copy left anywhere stops working; most do not. Read
    // from the credentials alone, without a call (a custom CRM can only
    // with OAuth 2.0 tokens and a revocation URL).
    virtual bool can_revoke(const Credentials&) const { return false; }
    // Gives the credentials up at the platform. nullopt: they no longer
    // work (credentials the platform already rejects count as given up).
    virtual std::optional<Failure> revoke(const Credentials& creds, CallContext& ctx) const;

private:
    const Connector& entry_;
};

// The platform with this catalog id, or null (registry.cpp).
const Platform* find_platform(std::string_view id);

}  // namespace onramp::connectors
