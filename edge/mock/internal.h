// What the mock's platform files share: the State (data set, faults, rate
// limit counters, statistics), the demo credentials they accept, the fault
// guard every route goes through, and small response helpers.
// Internal to edge/mock; the public interface is server.h.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>

#include "edge/http/router.h"
#include "edge/mock/dataset.h"
#include "edge/mock/server.h"

namespace onramp::mock {

using nlohmann::json;

// The one account per platform the mock knows. All pass the shared
// validator (shared/validation/validate.h).
namespace demo {
inline constexpr const char* kBigCommerceStoreHash = "onrampdemo";
inline constexpr const char* kBigCommerceToken = "demo_bc_token_5f2a9c3e8d7b6a4f1e0c";
inline constexpr const char* kShopifyDomain = "onramp-demo.myshopify.com";
inline constexpr const char* kShopifyToken = "shpat_demo_4b7e1f0a9c2d8e3f6a5b";
inline constexpr const char* kShopifyAppKey = "demo_shopify_app_key_0123456789";
inline constexpr const char* kShopifyAppSecret = "demo_shopify_app_secret_0123456789";
inline constexpr const char* kWooSite = "https://demo-store.onramp.test";
inline constexpr const char* kWooKey = "ck_0123456789abcdef0123456789abcdef01234567";
inline constexpr const char* kWooSecret = "cs_89abcdef0123456789abcdef0123456789abcdef";
inline constexpr const char* kAmazonSellerId = "A2DEMOSELLER01";
inline constexpr const char* kAmazonMarketplace = "ATVPDKIKX0DER";
inline constexpr const char* kAmazonClientId = "amzn1.application-oa2-client.demo0123456789";
inline constexpr const char* kAmazonClientSecret = "demo-lwa-secret-0123456789abcdef";
inline constexpr const char* kAmazonRefreshToken = "Atzr|demo-refresh-token-0123456789abcdef";
inline constexpr const char* kAmazonAccessToken = "Atza|demo-access-token-0123456789abcdef";
inline constexpr const char* kCallRailKey = "demo_callrail_key_0123456789ab";
inline constexpr const char* kCallRailAccount = "ACC8f3e2d1c0b";
inline constexpr const char* kTwilioSid = "AC0123456789abcdef0123456789abcdef";
inline constexpr const char* kTwilioToken = "fedcba9876543210fedcba9876543210";
inline constexpr const char* kChatwootUrl = "https://chat.onramp-demo.test";
inline constexpr const char* kChatwootAccount = "1";
inline constexpr const char* kChatwootToken = "demo_chatwoot_token_0123456789";
inline constexpr const char* kCrmUrl = "https://crm.onramp-demo.test/api";
inline constexpr const char* kCrmApiKey = "demo-crm-key-0123456789";
inline constexpr const char* kCrmBearer = "demo-crm-bearer-0123456789";
inline constexpr const char* kCrmUser = "demo@onramp-demo.test";
inline constexpr const char* kCrmPassword = "demo-crm-password";
inline constexpr const char* kCrmClientId = "demo-crm-client";
inline constexpr const char* kCrmClientSecret = "demo-crm-secret-0123456789";
inline constexpr const char* kCrmAccessToken = "demo-crm-access-0123456789";
}  // namespace demo

// A webhook registered through a mock platform's hook API (webhooks.cpp).
struct MockHook {
    int64_t id = 0;
    std::string platform, topic, destination;
    json headers = json::object();  // BigCommerce: echoed on every delivery
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
    std::set<std::string> oauth_codes;      // Shopify authorization codes not yet exchanged
    CrmOAuth crm_oauth;
    std::vector<MockHook> hooks;             // registered webhooks, all platforms
    int64_t next_hook_id = 1;
    // Shopify access tokens given up (DELETE /admin/api_permissions/current.json);
    // an OAuth install grants the token again.
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

std::string iso8601(int64_t unix_seconds);                       // 2025-03-04T05:06:07Z
std::string iso8601_offset(int64_t unix_seconds, int minutes);   // 2025-03-04T00:06:07-05:00
std::string rfc2822(int64_t unix_seconds);                       // Tue, 04 Mar 2025 05:06:07 +0000
std::string money(int64_t cents);                                // "19.99"

// --- platforms -------------------------------------------------------------------

void add_bigcommerce(http::Router& r, State& s);
void add_shopify(http::Router& r, State& s);
void add_shopify_oauth(http::Router& r, State& s);
void add_woocommerce(http::Router& r, State& s);
void add_amazon(http::Router& r, State& s);
void add_callrail(http::Router& r, State& s);
void add_twilio(http::Router& r, State& s);
void add_chatwoot(http::Router& r, State& s);
void add_custom_crm(http::Router& r, State& s);
// The custom CRM's /oauth/authorize, /oauth/token (every grant) and
// /oauth/revoke, and
// whether an Authorization header carries a token /oauth/token issued.
void add_custom_crm_oauth(http::Router& r, State& s);
bool crm_token_issued(State& s, const std::string& authorization);
// Hook registration APIs of BigCommerce, Shopify, WooCommerce, and
// POST /_mock/webhooks/send (webhooks.cpp).
void add_webhook_apis(http::Router& r, State& s);

}  // namespace onramp::mock
