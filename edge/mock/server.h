// The mock platform server: one loopback HTTP server that speaks every
// platform's wire protocol at once, each under its own path prefix, so the
// production connectors can be pointed at it by base-URL override alone
// (Config::base_urls / CallContext::base_urls):
//
// Each platform's routes, its path prefix here (Module::mock_base_urls, e.g.
// /<id>/{account} standing in for https://{account}) and its demo
// account are in its folder (edge/platforms/<id>/mock*.cpp and module.cpp);
// the server adds every module's routes. This file holds what is common:
// faults, rate-limit helpers, statistics and the control endpoints.
//
// It accepts exactly the credentials demo_credentials() returns, answers
// with each platform's own error shapes, paginates the platform's way,
// sends its rate-limit headers and answers 429 when a client exceeds them.
// Faults are injected through the control endpoints (or set_faults):
//
//   GET    /_mock/health            {"ok": true}
//   GET    /_mock/credentials       demo_credentials()
//   GET    /_mock/faults            the faults in force, per platform
//   POST   /_mock/faults            {"platform": "<id>" | "*", "latency_ms": 0, "fail_next": 0,
//                                    "error_rate": 0, "drop_next": 0, "drop_rate": 0,
//                                    "rate_limit_next": 0, "retry_after_s": 1, "revoked": false,
//                                    "missing_scopes": ["read_orders"]}  (replaces that platform's)
//   DELETE /_mock/faults            clears every fault
//   GET    /_mock/stats             requests, 429s, 5xx and drops per platform
//
// Security: the control endpoints have no authentication. The mock is test
// and demo tooling; it listens on loopback, holds only synthetic data and
// accepts only the published demo credentials.
//
// Webhook registration APIs and OAuth authorize/token endpoints are more
// routes in the platform files, using the same State (edge/mock/internal.h).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace onramp::mock {

// Injected misbehaviour for one platform (or "*": all of them). Counters
// ("_next") are consumed request by request, which makes tests exact;
// rates draw from a generator seeded by Options::seed.
struct Faults {
    int latency_ms = 0;            // every answer waits this long
    int fail_next = 0;             // the next N requests answer 503
    double error_rate = 0;         // a share of requests answers 500
    int drop_next = 0;             // the next N connections drop mid-answer
    double drop_rate = 0;
    int rate_limit_next = 0;       // the next N requests answer 429
    double retry_after_s = 1;      // Retry-After sent with 429 (fractions allowed, as some platforms send)
    bool revoked = false;          // every credential is rejected (401)
    std::set<std::string> missing_scopes;  // the platform's scope names not granted (403)
};
nlohmann::json to_json(const Faults& f);
Faults faults_from_json(const nlohmann::json& j);  // missing keys keep their defaults

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;                  // 0: any free port
    int threads = 8;
    int64_t products = 300;        // 1..100000; orders half as many, calls and contacts as many
    uint64_t seed = 1;
    // Each platform's settings, most often its rate limits: the flag name
    // its module declares (platforms::MockKnob, "<id>-<what>") → the value's
    // text, as `mock-platforms --<id>-<what> VALUE` gives it. An absent knob
    // has the documented limit (docs/platforms/<id>.md); tests shrink them.
    // Each platform reads its own, in its folder (edge/platforms/<id>/).
    std::map<std::string, std::string> knobs;
    std::function<int64_t()> now_ms;  // monotonic ms for rate limits; null: the steady clock
    std::function<int64_t()> now_unix;  // wall clock for time bounds; null: the system clock
};

// Why `knobs` cannot be used: "<flag> wants N/MS, got 'x'" for the first
// value its module's MockKnob does not accept, or "no platform's mock has a
// setting '<flag>'"; "" when every knob is usable. MockPlatforms refuses
// such options (std::invalid_argument); `mock-platforms` checks them first.
std::string knob_problem(const std::map<std::string, std::string>& knobs);

struct Stats {
    int64_t requests = 0, rate_limited = 0, errors = 0, dropped = 0;
};

struct State;

class MockPlatforms {
public:
    // Throws std::invalid_argument when knob_problem(options.knobs) names one.
    explicit MockPlatforms(Options options = {});
    ~MockPlatforms();
    MockPlatforms(const MockPlatforms&) = delete;
    MockPlatforms& operator=(const MockPlatforms&) = delete;

    // Binds and serves on a background thread. False when the address is
    // taken (errno set).
    bool start();
    void stop();  // idempotent; in-flight requests finish first
    int port() const;
    std::string url() const;  // "http://127.0.0.1:PORT"

    void set_faults(const std::string& platform, const Faults& f);  // "*" for all
    void clear_faults();
    Stats stats(const std::string& platform) const;
    State& state();  // for tests that edit the data set (touch) or inspect limits

private:
    std::unique_ptr<State> state_;
    struct Runner;
    std::unique_ptr<Runner> runner_;
};

// The credentials the mock accepts, per platform id, in the catalog's field
// names: {"<id>": {"<field>": "<value>", ...}, ...}.
// They pass the shared validator. The custom CRM entry uses an API key;
// the mock also accepts the bearer, basic and OAuth 2.0 values in
// demo_custom_crm_variants(). Its OAuth 2.0 app connects with the client
// credentials alone, or signs in through its authorize_url.
nlohmann::json demo_credentials();
nlohmann::json demo_custom_crm_variants();  // {"api_key": {...}, "bearer": {...}, "basic": {...}, "oauth2": {...}}

// The Shopify app the mock's OAuth endpoints know (client id and secret),
// which a demo edge uses when SHOPIFY_API_KEY and SHOPIFY_API_SECRET are
// unset: {"client_id", "client_secret"}.
nlohmann::json demo_shopify_app();

// The base-URL overrides that send every connector to a mock at `mock_url`
// ("http://127.0.0.1:PORT"), for Config::base_urls.
std::map<std::string, std::string> demo_base_urls(const std::string& mock_url);

// For `serve --demo`: starts the mock on a free loopback port and adds its
// overrides to `base_urls`, keeping any the operator gave with --base-url.
// Every knob that declares a demo value (MockKnob::demo_value) takes it, so
// that a demo sync finishes while someone watches.
// Null when no port could be bound.
std::unique_ptr<MockPlatforms> start_demo_platforms(std::map<std::string, std::string>& base_urls);
// For `serve --demo`, once the edge's public URL is known: sets on the mock
// what each platform's app settings would hold about this edge, its OAuth
// callback URL (Module::mock_oauth_callback), so the demo's sign-ins
// complete.
void set_up_demo_apps(MockPlatforms& mock, const std::string& public_url);

}  // namespace onramp::mock
