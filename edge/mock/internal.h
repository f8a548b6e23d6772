// What the mock's platform files (edge/platforms/<id>/mock*.cpp) share: the
// State (data set, faults, rate limit counters, statistics), the demo
// accounts they accept (demo/accounts.h), the fault guard every route goes
// through, and small response helpers. Internal to the mock platforms; the
// public interface is server.h.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>

#include "demo/accounts.h"
#include "demo/dataset.h"
#include "edge/http/client.h"
#include "edge/http/router.h"
#include "edge/mock/server.h"

namespace onramp::mock {

using nlohmann::json;

// The demo data set and accounts (demo/), by their plain names here.
using namespace ::onramp::demo;

// A webhook registered through a mock platform's hook API (webhooks.cpp).
struct MockHook {
    int64_t id = 0;
    std::string platform, topic, destination;
    json headers = json::object();  // echoed on every delivery, where the platform does
    std::string secret;             // WooCommerce: signs deliveries
    bool active = true;
};

// The mock custom CRM's OAuth sign-in (custom_crm_oauth.cpp).
struct CrmOAuth {
    struct Grant {
        std::string redirect_uri, challenge, scope;
        int64_t expires_at_ms = 0;
    };
    std::map<std::string, Grant> codes;    // authorization codes not yet exchanged
    std::set<std::string> access_tokens;   // issued; the CRM's API accepts them
    std::set<std::string> refresh_tokens;  // issued and not yet used (each works once)
    // Issued token → the sign-in it descends from (refreshes included), so
    // revoking a refresh token ends every access token of that sign-in.
    std::map<std::string, std::string> sign_in_of;
    bool denies = false;                   // the signed-in user declines at the authorize page
    int64_t expires_in = 3600;             // of each access token issued
};

struct State {
    explicit State(Options o);

    Options options;
    Dataset data;

    std::mutex mu;  // guards everything below
    std::map<std::string, Faults> faults;  // platform id or "*"
    std::map<std::string, Stats> stats;
    std::mt19937_64 rng;
    struct Window {
        int64_t start = 0;
        int count = 0;
    };
    struct Bucket {
        double level = 0;
        int64_t at = 0;
    };
    std::map<std::string, Window> windows;  // fixed-window limits, by key
    std::map<std::string, Bucket> buckets;  // leaky-bucket limits, by key
    std::set<std::string> oauth_codes;      // OAuth install codes issued, not yet exchanged
    CrmOAuth crm_oauth;
    std::vector<MockHook> hooks;             // registered webhooks, all platforms
    int64_t next_hook_id = 1;
    // Access tokens given up through the platform's own revoke call; an
    // OAuth install grants the token again.
    std::set<std::string> revoked_tokens;

    int64_t now_ms() const;
    int64_t wall_now() const;  // Unix seconds (Options::now_unix)
};

// --- faults ----------------------------------------------------------------

// The faults in force for `platform`: its own entry, else "*".
Faults faults_for(State& s, const std::string& platform);
bool revoked(State& s, const std::string& platform);
// The Shopify access token the request carries works: the demo token,
// not given up, and no "revoked" fault in force (shopify.cpp).
bool shopify_token_accepted(State& s, const http::Request& req);
bool scope_missing(State& s, const std::string& platform, const std::string& scope);

// How a platform renders an error of its own: status, message, and for 429
// the Retry-After it should carry.
using ErrorShape = std::function<http::Response(int status, const std::string& message, double retry_after_s)>;
using MockHandler = std::function<http::Response(const http::Request&)>;

// Wraps a platform route: counts it, applies latency, and answers injected
// drops, 503s, 500s and 429s (in that order of precedence) before the
// handler runs.
http::Handler guard(State& s, const std::string& platform, ErrorShape shape, MockHandler handler);

// A route of the mock: public, body not parsed by the router.
void add_route(http::Router& r, State& s, const std::string& platform, const ErrorShape& shape,
               const std::string& method, const std::string& pattern, MockHandler handler);

// --- rate limits -------------------------------------------------------------

struct WindowTake {
    bool allowed = true;
    int left = 0;           // after this request
    int64_t reset_ms = 0;   // until the window resets
};
// A fixed window of `quota` requests per `window_ms` under `key`.
WindowTake window_take(State& s, const std::string& key, int quota, int64_t window_ms);

struct BucketTake {
    bool allowed = true;
    double level = 0;          // after this request
    double retry_after_s = 0;  // when refused
};
// A leaky bucket of `size` leaking `per_s` (equally: a token bucket with
// burst `size` refilling `per_s`).
BucketTake bucket_take(State& s, const std::string& key, double size, double per_s);

// A knob's text (Options::knobs, platforms::MockKnob) read as numbers by
// the platform that declares it: "N/X", both positive and finite, or one
// such number; nullopt for anything else, which the knob's `accepts` refuses.
std::optional<std::pair<double, double>> positive_pair(const std::string& text);
std::optional<double> positive_number(const std::string& text);
// Knob `flag`'s text in `o`, else `fallback` (the documented limit).
std::string knob_text(const Options& o, const std::string& flag, const std::string& fallback);

// --- responses -----------------------------------------------------------------

http::Response reply(const json& body, int status = 200);
// A plain-text page, as authorization servers show a person an error.
http::Response page(int status, const std::string& text);
// Security: a deliberate protocol violation for fault injection: the
// response promises more bytes than it sends and closes the connection, so
// the client sees the connection drop mid-answer.
http::Response dropped();
// "http://host:port" as the client addressed us, for absolute links.
std::string self_url(const http::Request& req);
// First query value or "".
std::string q(const http::Request& req, const std::string& name);
// A positive integer query value within [1, max], `fallback` when absent;
// -1 when present but not such a number.
int64_t q_int(const http::Request& req, const std::string& name, int64_t fallback, int64_t max);
// Unix seconds for an ISO 8601 / RFC 2822 / Unix-seconds query value; -1
// when absent or unreadable.
int64_t q_time(const http::Request& req, const std::string& name);
// Whether a value is an ISO 8601 date-time with its zone
// (2025-03-04T05:06:07Z, 2025-03-04T00:06:07.5-05:00): what platforms that
// take only ISO 8601 accept, where q_time also reads Unix seconds and RFC 2822.
bool iso8601_date_time(const std::string& v);

std::string iso8601(int64_t unix_seconds);                       // 2025-03-04T05:06:07Z
std::string iso8601_offset(int64_t unix_seconds, int minutes);   // 2025-03-04T00:06:07-05:00
std::string rfc2822(int64_t unix_seconds);                       // Tue, 04 Mar 2025 05:06:07 +0000
std::string money(int64_t cents);                                // "19.99"

// --- platforms -------------------------------------------------------------------

// The custom CRM's /oauth/authorize, /oauth/token (every grant) and
// /oauth/revoke, and
// whether an Authorization header carries a token /oauth/token issued.
void add_custom_crm_oauth(http::Router& r, State& s);
bool crm_token_issued(State& s, const std::string& authorization);
// A platform's webhook registration API as the mock serves it. The routes
// and the hook store are common (webhooks.cpp); what differs is declared in
// the platform's folder and reached through its module (Module::mock_hooks).
struct MockHookApi {
    std::string collection;   // route pattern: GET lists, POST creates
    std::string item_prefix;  // + "{id}": PUT updates, DELETE removes
    std::string item_suffix;  // after the id in the same path segment (".json"), or ""
    std::string topic_key, destination_key;  // the hook's fields in a request body
    int created_status = 201;
    // The request carries the demo account's credentials, not revoked.
    std::function<bool(State&, const http::Request&)> allowed;
    // The request body taken to the hook's fields; a hook (or the list of
    // them) put into the answer's shape.
    std::function<json(const json& body)> unwrap;
    std::function<json(const json& hooks, bool list)> wrap;
    // The hook as the platform shows it (secrets write-only).
    std::function<json(const MockHook&)> visible;
    std::function<http::Response(int status, const std::string& message)> error;
    // Why the platform would refuse to deliver to this destination (one
    // that is not on loopback), or "".
    std::function<std::string(const http::ParsedUrl&)> destination_refused;
    // The delivery the platform would send the hook for `topic` about
    // object `id`: its body and headers, signed as the platform signs.
    std::function<void(const MockHook&, const std::string& topic, int64_t id, http::FetchRequest& out)> delivery;
};

// Every module's hook registration API (MockHookApi), and
// POST /_mock/webhooks/send (webhooks.cpp).
void add_webhook_apis(http::Router& r, State& s);

}  // namespace onramp::mock
