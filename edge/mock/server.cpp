// The mock platform server: its lifecycle on top of edge/http's Router and
// Server, the control endpoints, the fault guard, rate-limit counters and
// the demo credentials. The platforms themselves are in edge/mock/<id>.cpp.
//
// Index
//   [SECTION] State, faults and limits
//   [SECTION] Knobs
//   [SECTION] Responses
//   [SECTION] Control endpoints
//   [SECTION] Lifecycle
//   [SECTION] Demo credentials
#include "edge/mock/server.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <regex>
#include <stdexcept>
#include <thread>

#include "edge/connectors/wire.h"
#include "edge/http/server.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"

namespace onramp::mock {

// ---------------------------------------------------------------------------
// [SECTION] State, faults and limits
// ---------------------------------------------------------------------------

json to_json(const Faults& f) {
    return {{"latency_ms", f.latency_ms},         {"fail_next", f.fail_next},
            {"error_rate", f.error_rate},         {"drop_next", f.drop_next},
            {"drop_rate", f.drop_rate},           {"rate_limit_next", f.rate_limit_next},
            {"retry_after_s", f.retry_after_s},   {"revoked", f.revoked},
            {"missing_scopes", f.missing_scopes}};
}

Faults faults_from_json(const json& j) {
    Faults f;
    auto num = [&](const char* k, auto& out) {
        if (j.contains(k) && j[k].is_number()) out = j[k].get<std::decay_t<decltype(out)>>();
    };
    num("latency_ms", f.latency_ms);
    num("fail_next", f.fail_next);
    num("error_rate", f.error_rate);
    num("drop_next", f.drop_next);
    num("drop_rate", f.drop_rate);
    num("rate_limit_next", f.rate_limit_next);
    num("retry_after_s", f.retry_after_s);
    if (j.contains("revoked") && j["revoked"].is_boolean()) f.revoked = j["revoked"].get<bool>();
    if (j.contains("missing_scopes") && j["missing_scopes"].is_array())
        for (const json& s : j["missing_scopes"])
            if (s.is_string()) f.missing_scopes.insert(s.get<std::string>());
    return f;
}

State::State(Options o) : options(std::move(o)), data(options.products, options.seed), rng(options.seed) {}

int64_t State::wall_now() const {
    if (options.now_unix) return options.now_unix();
    return int64_t(std::time(nullptr));
}

int64_t State::now_ms() const {
    if (options.now_ms) return options.now_ms();
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

namespace {

// The entry a platform's faults live in (its own, else "*"); null when none.
Faults* fault_entry(State& s, const std::string& platform) {
    auto it = s.faults.find(platform);
    if (it == s.faults.end()) it = s.faults.find("*");
    return it == s.faults.end() ? nullptr : &it->second;
}

enum class Injected { none, drop, unavailable, error, limited };

struct Admission {
    int latency_ms = 0;
    Injected what = Injected::none;
    double retry_after_s = 1;
};

Admission admit(State& s, const std::string& platform) {
    std::lock_guard<std::mutex> lock(s.mu);
    s.stats[platform].requests++;
    Admission a;
    Faults* f = fault_entry(s, platform);
    if (!f) return a;
    a.latency_ms = f->latency_ms;
    a.retry_after_s = f->retry_after_s;
    std::uniform_real_distribution<double> unit(0, 1);
    if (f->drop_next > 0) {
        f->drop_next--;
        a.what = Injected::drop;
    } else if (f->drop_rate > 0 && unit(s.rng) < f->drop_rate) {
        a.what = Injected::drop;
    } else if (f->fail_next > 0) {
        f->fail_next--;
        a.what = Injected::unavailable;
    } else if (f->error_rate > 0 && unit(s.rng) < f->error_rate) {
        a.what = Injected::error;
    } else if (f->rate_limit_next > 0) {
        f->rate_limit_next--;
        a.what = Injected::limited;
    }
    return a;
}

void count_outcome(State& s, const std::string& platform, Injected what, int status) {
    std::lock_guard<std::mutex> lock(s.mu);
    Stats& st = s.stats[platform];
    if (what == Injected::drop) st.dropped++;
    if (status == 429) st.rate_limited++;
    if (status >= 500) st.errors++;
}

}  // namespace

Faults faults_for(State& s, const std::string& platform) {
    std::lock_guard<std::mutex> lock(s.mu);
    Faults* f = fault_entry(s, platform);
    return f ? *f : Faults{};
}

bool revoked(State& s, const std::string& platform) { return faults_for(s, platform).revoked; }

bool scope_missing(State& s, const std::string& platform, const std::string& scope) {
    return faults_for(s, platform).missing_scopes.count(scope) > 0;
}

http::Handler guard(State& s, const std::string& platform, ErrorShape shape, MockHandler handler) {
    return [&s, platform, shape, handler](const http::Call& c) -> Result<http::Response> {
        Admission a = admit(s, platform);
        if (a.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(a.latency_ms));
        http::Response out;
        switch (a.what) {
        case Injected::drop: out = dropped(); break;
        case Injected::unavailable: out = shape(503, "Service Unavailable", 0); break;
        case Injected::error: out = shape(500, "Internal Server Error", 0); break;
        case Injected::limited: out = shape(429, "Too Many Requests", a.retry_after_s); break;
        case Injected::none: out = handler(c.req); break;
        }
        count_outcome(s, platform, a.what, out.status);
        return out;
    };
}

void add_route(http::Router& r, State& s, const std::string& platform, const ErrorShape& shape,
               const std::string& method, const std::string& pattern, MockHandler handler) {
    http::Route route;
    route.method = method;
    route.pattern = pattern;
    route.access = http::Access::Public;
    route.body = method == "GET" || method == "DELETE" ? http::Body::None : http::Body::Raw;
    route.handler = guard(s, platform, shape, std::move(handler));
    r.add(std::move(route));
}

WindowTake window_take(State& s, const std::string& key, int quota, int64_t window_ms) {
    std::lock_guard<std::mutex> lock(s.mu);
    int64_t now = s.now_ms();
    State::Window& w = s.windows[key];
    if (w.start == 0 || now - w.start >= window_ms) {
        w.start = now;
        w.count = 0;
    }
    WindowTake t;
    t.reset_ms = std::max<int64_t>(1, w.start + window_ms - now);
    if (w.count >= quota) {
        t.allowed = false;
        t.left = 0;
        return t;
    }
    w.count++;
    t.left = quota - w.count;
    return t;
}

BucketTake bucket_take(State& s, const std::string& key, double size, double per_s) {
    std::lock_guard<std::mutex> lock(s.mu);
    int64_t now = s.now_ms();
    State::Bucket& b = s.buckets[key];
    double elapsed = b.at == 0 ? 0 : double(now - b.at) / 1000.0;
    b.level = std::max(0.0, b.level - elapsed * per_s);
    b.at = now;
    BucketTake t;
    if (b.level + 1 > size) {
        t.allowed = false;
        t.level = b.level;
        t.retry_after_s = (b.level + 1 - size) / per_s;
        return t;
    }
    b.level += 1;
    t.level = b.level;
    return t;
}

// ---------------------------------------------------------------------------
// [SECTION] Knobs
// ---------------------------------------------------------------------------

namespace {

const platforms::MockKnob* find_knob(const std::string& flag) {
    for (const platforms::Module* m : platforms::modules())
        for (const platforms::MockKnob& k : m->mock_knobs)
            if (k.flag == flag) return &k;
    return nullptr;
}

}  // namespace

std::optional<double> positive_number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    double x = std::strtod(text.c_str(), &end);
    if (*end || !std::isfinite(x) || x <= 0) return std::nullopt;
    return x;
}

std::optional<std::pair<double, double>> positive_pair(const std::string& text) {
    size_t slash = text.find('/');
    if (slash == std::string::npos) return std::nullopt;
    auto a = positive_number(text.substr(0, slash));
    auto b = positive_number(text.substr(slash + 1));
    if (!a || !b) return std::nullopt;
    return std::pair{*a, *b};
}

std::string knob_text(const Options& o, const std::string& flag, const std::string& fallback) {
    auto it = o.knobs.find(flag);
    return it == o.knobs.end() ? fallback : it->second;
}

std::string knob_problem(const std::map<std::string, std::string>& knobs) {
    for (const auto& [flag, value] : knobs) {
        const platforms::MockKnob* k = find_knob(flag);
        if (!k) return "no platform's mock has a setting '" + flag + "'";
        if (!k->accepts(value)) return flag + " wants " + std::string(k->value) + ", got '" + value + "'";
    }
    return "";
}

// ---------------------------------------------------------------------------
// [SECTION] Responses
// ---------------------------------------------------------------------------

http::Response reply(const json& body, int status) { return http::Response::json(body, status); }

http::Response page(int status, const std::string& text) {
    http::Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = text;
    return r;
}

http::Response dropped() {
    http::Response r;
    r.status = 200;
    r.content_type = "application/json";
    r.body = "{\"truncated\":";
    r.set_header("Content-Length", "4096");
    r.set_header("Connection", "close");
    return r;
}

std::string self_url(const http::Request& req) {
    std::string host = req.header("Host");
    return "http://" + (host.empty() ? std::string("127.0.0.1") : host);
}

std::string q(const http::Request& req, const std::string& name) { return req.query_value(name); }

int64_t q_int(const http::Request& req, const std::string& name, int64_t fallback, int64_t max) {
    std::string v = req.query_value(name);
    if (v.empty()) return fallback;
    if (v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos) return -1;
    int64_t n = std::stoll(v);
    return n < 1 || n > max ? -1 : n;
}

int64_t q_time(const http::Request& req, const std::string& name) {
    std::string v = req.query_value(name);
    if (v.empty()) return -1;
    return connectors::wire::unix_seconds(v);
}

bool iso8601_date_time(const std::string& v) {
    static const std::regex kShape(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$)");
    return std::regex_match(v, kShape) && connectors::wire::unix_seconds(v) >= 0;
}

std::string iso8601(int64_t t) { return connectors::wire::iso_from_unix(t); }

std::string iso8601_offset(int64_t t, int minutes) {
    std::time_t local = std::time_t(t + int64_t(minutes) * 60);
    std::tm tm{};
    gmtime_r(&local, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    int m = std::abs(minutes);
    char zone[16];
    std::snprintf(zone, sizeof zone, "%c%02d:%02d", minutes < 0 ? '-' : '+', m / 60, m % 60);
    return std::string(buf) + zone;
}

std::string rfc2822(int64_t t) {
    std::time_t tt = std::time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                  kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string money(int64_t cents) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100),
                  static_cast<long long>(cents % 100));
    return buf;
}

// ---------------------------------------------------------------------------
// [SECTION] Control endpoints
// ---------------------------------------------------------------------------

namespace {

http::Route control(std::string method, std::string pattern, std::function<http::Response(const http::Request&)> fn) {
    http::Route r;
    r.method = std::move(method);
    r.pattern = std::move(pattern);
    r.access = http::Access::Public;
    r.body = r.method == "POST" ? http::Body::Json : http::Body::None;
    r.handler = [fn](const http::Call& c) -> Result<http::Response> { return fn(c.req); };
    return r;
}

json stats_json(const Stats& s) {
    return {{"requests", s.requests}, {"rate_limited", s.rate_limited}, {"errors", s.errors}, {"dropped", s.dropped}};
}

void add_control(http::Router& r, State& s) {
    r.add(control("GET", "/_mock/health", [](const http::Request&) { return reply({{"ok", true}}); }));
    r.add(control("GET", "/_mock/credentials", [](const http::Request&) { return reply(demo_credentials()); }));
    r.add(control("GET", "/_mock/faults", [&s](const http::Request&) {
        std::lock_guard<std::mutex> lock(s.mu);
        json out = json::object();
        for (const auto& [k, f] : s.faults) out[k] = to_json(f);
        return reply(out);
    }));
    r.add(control("POST", "/_mock/faults", [&s](const http::Request& req) {
        json body = json::parse(req.body, nullptr, false);
        if (!body.is_object()) return reply({{"error", "send a JSON object"}}, 400);
        std::string platform = body.value("platform", "*");
        std::lock_guard<std::mutex> lock(s.mu);
        s.faults[platform] = faults_from_json(body);
        return reply({{"platform", platform}, {"faults", to_json(s.faults[platform])}});
    }));
    r.add(control("DELETE", "/_mock/faults", [&s](const http::Request&) {
        std::lock_guard<std::mutex> lock(s.mu);
        s.faults.clear();
        return http::Response::empty(204);
    }));
    r.add(control("GET", "/_mock/stats", [&s](const http::Request&) {
        std::lock_guard<std::mutex> lock(s.mu);
        json out = json::object();
        for (const auto& [k, st] : s.stats) out[k] = stats_json(st);
        return reply(out);
    }));
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Lifecycle
// ---------------------------------------------------------------------------

struct MockPlatforms::Runner {
    http::Router router;
    std::unique_ptr<http::Server> server;
    std::thread thread;
};

namespace {

// A platform reading a knob it cannot use would fall back to its default
// silently; a test meant to exercise a small limit would then pass untested.
Options checked(Options o) {
    if (std::string problem = knob_problem(o.knobs); !problem.empty()) throw std::invalid_argument("mock: " + problem);
    return o;
}

}  // namespace

MockPlatforms::MockPlatforms(Options options)
    : state_(std::make_unique<State>(checked(std::move(options)))), runner_(std::make_unique<Runner>()) {
    add_control(runner_->router, *state_);
    for (const platforms::Module* m : platforms::modules())
        if (m->mock_routes) m->mock_routes(runner_->router, *state_);
    add_webhook_apis(runner_->router, *state_);
}

MockPlatforms::~MockPlatforms() { stop(); }

bool MockPlatforms::start() {
    http::ServerOptions so;
    so.host = state_->options.host;
    so.port = state_->options.port;
    so.threads = state_->options.threads;
    runner_->server = std::make_unique<http::Server>(runner_->router, so);
    if (!runner_->server->bind()) {
        runner_->server.reset();
        return false;
    }
    runner_->thread = std::thread([this] { runner_->server->run(); });
    // cpp-httplib 0.11.4 has no wait_until_ready(): spin until it runs.
    for (int i = 0; i < 2000 && !runner_->server->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return true;
}

void MockPlatforms::stop() {
    if (!runner_->server) return;
    runner_->server->stop();
    if (runner_->thread.joinable()) runner_->thread.join();
    runner_->server.reset();
}

int MockPlatforms::port() const { return runner_->server ? runner_->server->port() : 0; }

std::string MockPlatforms::url() const { return "http://" + state_->options.host + ":" + std::to_string(port()); }

void MockPlatforms::set_faults(const std::string& platform, const Faults& f) {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->faults[platform] = f;
}

void MockPlatforms::clear_faults() {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->faults.clear();
}

Stats MockPlatforms::stats(const std::string& platform) const {
    std::lock_guard<std::mutex> lock(state_->mu);
    auto it = state_->stats.find(platform);
    return it == state_->stats.end() ? Stats{} : it->second;
}

State& MockPlatforms::state() { return *state_; }

// ---------------------------------------------------------------------------
// [SECTION] Demo credentials
// ---------------------------------------------------------------------------

json demo_custom_crm_variants() {
    using namespace demo;
    json common = {{"base_url", kCrmUrl}, {"test_path", "/me"}};
    json api_key = common, bearer = common, basic = common, oauth2 = common;
    api_key.update({{"auth_type", "api_key"}, {"api_key_header", "X-API-Key"}, {"api_key", kCrmApiKey}});
    bearer.update({{"auth_type", "bearer"}, {"bearer_token", kCrmBearer}});
    basic.update({{"auth_type", "basic"}, {"username", kCrmUser}, {"password", kCrmPassword}});
    oauth2.update({{"auth_type", "oauth2"},
                   {"client_id", kCrmClientId},
                   {"client_secret", kCrmClientSecret},
                   {"token_url", std::string(kCrmUrl) + "/oauth/token"},
                   {"authorize_url", std::string(kCrmUrl) + "/oauth/authorize"},
                   {"revocation_url", std::string(kCrmUrl) + "/oauth/revoke"},
                   {"scope", "contacts.read"}});
    return {{"api_key", api_key}, {"bearer", bearer}, {"basic", basic}, {"oauth2", oauth2}};
}

json demo_credentials() {
    json out = json::object();
    for (const platforms::Module* m : platforms::modules())
        if (m->demo_credentials) out[std::string(m->id)] = m->demo_credentials();
    return out;
}

std::map<std::string, std::string> demo_base_urls(const std::string& mock_url) {
    std::map<std::string, std::string> out;
    for (const platforms::Module* m : platforms::modules())
        for (const auto& [key, path] : m->mock_base_urls) out.emplace(std::string(key), mock_url + std::string(path));
    return out;
}

void set_up_demo_apps(MockPlatforms& mock, const std::string& public_url) {
    for (const platforms::Module* m : platforms::modules())
        if (m->mock_oauth_callback)
            m->mock_oauth_callback(mock.state(), public_url + "/oauth/" + std::string(m->id) + "/callback");
}

std::unique_ptr<MockPlatforms> start_demo_platforms(std::map<std::string, std::string>& base_urls) {
    Options o;
    for (const platforms::Module* m : platforms::modules())
        for (const platforms::MockKnob& k : m->mock_knobs)
            if (!k.demo_value.empty()) o.knobs.emplace(std::string(k.flag), std::string(k.demo_value));
    auto mock = std::make_unique<MockPlatforms>(o);
    if (!mock->start()) return nullptr;
    for (const auto& [key, url] : demo_base_urls(mock->url())) base_urls.emplace(key, url);  // emplace keeps the operator's
    return mock;
}

}  // namespace onramp::mock
