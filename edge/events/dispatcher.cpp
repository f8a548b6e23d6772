// The event dispatcher (dispatcher.h).
#include "edge/events/dispatcher.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "edge/connectors/target.h"
#include "edge/crypto/aead.h"
#include "edge/crypto/random.h"
#include "edge/events/endpoints.h"
#include "edge/events/events.h"
#include "edge/http/client.h"
#include "edge/thread_name.h"
#include "shared/json.h"

namespace onramp::events {

namespace {

struct Due {
    int64_t id = 0;
    std::string endpoint_id, url;
    Event event;
    int attempts = 0;
};

std::vector<Due> read_due(store::Db& db, int64_t now, int limit) {
    store::Stmt st(db,
                   "SELECT d.id, d.endpoint_id, p.url, d.attempts, e.seq, e.id, e.org_id, e.type, e.data, e.created_at"
                   " FROM event_deliveries d JOIN event_endpoints p ON p.id = d.endpoint_id"
                   " JOIN events e ON e.seq = d.event_seq"
                   " WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND p.enabled = 1"
                   " ORDER BY d.next_attempt_at, d.id LIMIT ?");
    st.bind(1, now).bind(2, limit);
    std::vector<Due> out;
    while (st.step()) {
        Due d;
        d.id = st.i64(0);
        d.endpoint_id = st.text(1);
        d.url = st.text(2);
        d.attempts = int(st.i64(3));
        d.event.seq = st.i64(4);
        d.event.id = st.text(5);
        d.event.org_id = st.text(6);
        d.event.type = st.text(7);
        d.event.data = nlohmann::json::parse(st.text(8), nullptr, false);
        d.event.created_at = st.i64(9);
        out.push_back(std::move(d));
    }
    return out;
}

// What one attempt came to: a status when the receiver answered, else why not.
struct Attempt {
    int status = 0;
    std::string error;
    bool delivered() const { return status >= 200 && status < 300; }
};

// Security: the address is checked at every attempt, after resolving the
// name, and the request goes to the checked address (DNS cannot change in
// between); the scheme too, since the deployment's flags may have changed
// since the endpoint was saved.
Attempt send(App& app, const DispatcherOptions& o, const Due& d, const std::vector<std::string>& secrets,
             int64_t now) {
    Attempt a;
    http::ParsedUrl u;
    if (!http::parse_url(d.url, u) || (u.scheme != "https" && !app.config.outbound_allow_http)) {
        a.error = "the endpoint's address is not an https:// URL this server sends to";
        return a;
    }
    connectors::TargetCheck target = connectors::check_target(d.url, app.config.outbound_allow_private);
    if (target.outcome != connectors::TargetCheck::Outcome::ok) {
        a.error = target.message;
        return a;
    }
    std::string body = payload(d.event);
    http::FetchRequest req;
    req.method = "POST";
    req.url = d.url;
    req.connect_address = target.address;
    req.content_type = "application/json";
    req.body = body;
    req.connect_timeout_ms = o.timeout_ms;
    req.read_timeout_ms = o.timeout_ms;
    req.headers.emplace("webhook-id", d.event.id);
    req.headers.emplace("webhook-timestamp", std::to_string(now));
    req.headers.emplace("webhook-signature", signature_header(secrets, d.event.id, now, body));
    req.headers.emplace("User-Agent", "Onramp-Events/1");
    http::FetchResult r = http::fetch(req);
    if (!r.ok()) {
        a.error = r.failure.message.empty() ? "no answer" : r.failure.message;
        return a;
    }
    a.status = r.response.status;
    if (!a.delivered()) a.error = "the receiver answered " + std::to_string(a.status);
    return a;
}

void record(App& app, const DispatcherOptions& o, const Due& d, const Attempt& a, int64_t now) {
    auto db = app.store->lease();
    std::optional<int64_t> status = a.status ? std::optional<int64_t>(a.status) : std::nullopt;
    store::Stmt st(*db,
                   "UPDATE event_deliveries SET state = ?, attempts = attempts + 1, last_attempt_at = ?,"
                   " response_status = ?, last_error = ?, next_attempt_at = ?, delivered_at = ?"
                   " WHERE id = ? AND state = 'pending'");
    st.bind(2, now);
    if (status)
        st.bind(3, *status);
    else
        st.bind(3, nullptr);
    st.bind(7, d.id);
    if (a.delivered()) {
        st.bind(1, "delivered").bind(4, nullptr).bind(5, nullptr).bind(6, now);
    } else {
        double r = o.random ? o.random() : double(crypto::random_bytes(1)[0] & 0xff) / 256.0;
        int64_t next = now + backoff_seconds(o, d.attempts + 1, r);
        bool give_up = next - d.event.created_at > o.give_up_after_s;
        st.bind(1, give_up ? "failed" : "pending").bind(4, a.error);
        if (give_up)
            st.bind(5, nullptr);
        else
            st.bind(5, next);
        st.bind(6, nullptr);
    }
    st.run();
}

void log_outcome(App& app, const Due& d, const Attempt& a) {
    // Ids and outcomes only: the URL may carry a token of the receiver's.
    nlohmann::json line = {{"level", a.delivered() ? "info" : "warn"},
                           {"component", "events"},
                           {"delivery_id", d.id},
                           {"endpoint_id", d.endpoint_id},
                           {"event_type", d.event.type},
                           {"status", a.status},
                           {"outcome", a.delivered() ? "delivered" : a.error}};
    app.log(dump_json(line));
}

}  // namespace

int64_t backoff_seconds(const DispatcherOptions& o, int attempts, double random) {
    int64_t backoff = o.base_backoff_s;
    for (int i = 1; i < attempts && backoff < o.max_backoff_s; ++i) backoff *= 2;
    backoff = std::min(backoff, o.max_backoff_s);
    return std::max<int64_t>(1, std::llround(double(backoff) * (0.75 + random / 2)));
}

Dispatcher::Dispatcher(App& app, DispatcherOptions options) : app_(app), options_(std::move(options)) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::start() {
    stopping_ = false;
    thread_ = std::thread([this] {
        name_thread("events-send");
        loop();
    });
}

void Dispatcher::stop() {
    stopping_ = true;
    wake();
    if (thread_.joinable()) thread_.join();
}

void Dispatcher::wake() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        woken_ = true;
    }
    wake_.notify_one();
}

int Dispatcher::pass() {
    int64_t now = app_.now();
    std::vector<Due> due;
    {
        auto db = app_.store->lease();
        prune(*db, now - kRetentionSeconds);
        due = read_due(*db, now, options_.batch);
    }
    std::set<std::string> failing;  // endpoints that failed in this pass
    int tried = 0;
    for (const Due& d : due) {
        if (stopping_) break;
        if (failing.count(d.endpoint_id)) continue;
        Result<std::vector<std::string>> secrets = [&] {
            auto db = app_.store->lease();
            return signing_secrets(app_, *db, d.endpoint_id, now);
        }();
        Attempt a;
        if (secrets)
            a = send(app_, options_, d, *secrets, now);
        else
            a.error = "the endpoint's signing secret could not be opened: " + secrets.problem().detail;
        if (secrets)
            for (std::string& s : *secrets) crypto::wipe(s);
        record(app_, options_, d, a, now);
        log_outcome(app_, d, a);
        if (!a.delivered()) failing.insert(d.endpoint_id);
        ++tried;
    }
    return tried;
}

int Dispatcher::drain() {
    int total = 0;
    for (;;) {
        int n = pass();
        if (n == 0) return total;
        total += n;
    }
}

void Dispatcher::loop() {
    while (!stopping_) {
        int n = 0;
        try {
            n = pass();
        } catch (const std::exception& e) {
            nlohmann::json line = {{"level", "error"}, {"component", "events"}, {"error", e.what()}};
            app_.log(dump_json(line));
        }
        if (n > 0) continue;
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [&] { return woken_ || stopping_.load(); });
        woken_ = false;
    }
}

}  // namespace onramp::events
