#include "edge/webhooks/worker.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <vector>

#include "edge/connections/credentials.h"
#include "edge/events/events.h"
#include "edge/log.h"
#include "edge/mail/queue.h"
#include "edge/store/connections.h"
#include "edge/sync/records.h"
#include "edge/thread_name.h"
#include "edge/webhooks/inbox.h"
#include "edge/webhooks/topics.h"

namespace onramp::webhooks {

namespace {

struct Pending {
    int64_t seq = 0;
    std::string org_id, connection_id, platform, topic, body, state;
    int attempts = 0;
    std::optional<int64_t> next_attempt_at;
};

std::vector<Pending> read_pending(store::Db& db, int limit) {
    store::Stmt st(db,
                   "SELECT seq, org_id, connection_id, platform, topic, body, state, attempts, next_attempt_at"
                   " FROM webhook_deliveries WHERE state IN ('received', 'failed') ORDER BY seq LIMIT ?");
    st.bind(1, limit);
    std::vector<Pending> out;
    while (st.step()) {
        Pending p;
        p.seq = st.i64(0);
        p.org_id = st.text(1);
        p.connection_id = st.text(2);
        p.platform = st.text(3);
        p.topic = st.text(4);
        p.body = st.text(5);
        p.state = st.text(6);
        p.attempts = int(st.i64(7));
        if (!st.is_null(8)) p.next_attempt_at = st.i64(8);
        out.push_back(std::move(p));
    }
    return out;
}

void finish(store::Db& db, int64_t seq, const char* state, const std::string& note, int64_t now) {
    db.write("UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_error = ?,"
             " next_attempt_at = NULL, processed_at = ? WHERE seq = ?",
             state, note.empty() ? std::optional<std::string>() : std::optional<std::string>(note), now, seq);
}

// What applying one delivery came to.
struct Applied {
    bool ok = false;
    const char* state = "processed";  // processed | ignored when ok
    std::string error;                // when not ok
};

Applied fail(std::string error) {
    Applied a;
    a.error = std::move(error);
    return a;
}

Applied apply(App& app, const Pending& p, int64_t now) {
    Action action = classify(p.platform, p.topic, p.body);
    if (action.kind == Action::ignore) {
        auto db = app.store->lease();
        finish(*db, p.seq, "ignored", action.why, now);
        return {true, "ignored", ""};
    }
    const connectors::Platform* platform = connectors::find_platform(p.platform);
    std::optional<store::Connection> conn;
    {
        auto db = app.store->lease();
        conn = store::find_connection_any_org(*db, p.connection_id);
    }
    if (!conn) return fail("the connection no longer exists");
    if (!platform) {
        auto db = app.store->lease();
        finish(*db, p.seq, "ignored", "platform " + p.platform + " has no connector", now);
        return {true, "ignored", ""};
    }

    std::optional<connectors::Item> item;
    if (action.kind == Action::refetch) {
        connectors::Credentials creds;
        {
            auto db = app.store->lease();
            auto loaded = connections::load_credentials(*app.vault, *db, *conn, platform->entry());
            if (!loaded) return fail("credentials unavailable: " + loaded.problem().detail);
            creds = std::move(*loaded);
        }
        connectors::CallContext ctx = app.contexts->for_connection(conn->id, platform->entry());
        auto fetched = platform->fetch_one(creds, ctx, action.resource, action.object_id);
        if (fetched) {
            item = std::move(*fetched);
        } else if (fetched.failure().http_status != 404) {
            const auto& f = fetched.failure();
            return fail(f.step + ": " + std::string(connectors::to_string(f.cause)) + " (" + f.message + ")");
        }
        // 404: the object is gone since the delivery was sent; its current
        // state is "absent", so it is removed like a delete.
    }

    auto db = app.store->lease();
    store::Tx tx(*db);
    if (item)
        sync::upsert_items(*db, conn->org_id, conn->id, action.resource, {*item}, now);
    else
        sync::delete_item(*db, conn->id, action.resource, action.object_id);
    finish(*db, p.seq, "processed", "", now);
    tx.commit();
    return {true, "processed", ""};
}

void dead_letter(App& app, const Pending& p, int attempts, const std::string& error) {
    auto db = app.store->lease();
    store::Tx tx(*db);
    db->write("UPDATE webhook_deliveries SET state = 'dead', attempts = ?, last_error = ?, next_attempt_at = NULL"
              " WHERE seq = ?",
              attempts, error, p.seq);
    bump_counter(*db, p.connection_id, "dead_lettered", 1);
    events::emit(*db, app.now(), "webhook.dead_lettered", p.org_id,
                 {{"connection_id", p.connection_id}, {"platform", p.platform}, {"topic", p.topic},
                  {"delivery_seq", p.seq}, {"attempts", attempts}, {"error", error}});
    tx.commit();
}

void record_failure(App& app, const Pending& p, const WorkerOptions& o, const std::string& error, int64_t now) {
    int attempts = p.attempts + 1;
    if (attempts >= o.max_attempts) {
        dead_letter(app, p, attempts, error);
        // After the commit: the alert takes a connection of its own.
        mail::alert_managers(app, mail::AlertKind::webhook_dead_lettered, p.connection_id, error);
        return;
    }
    int64_t backoff = o.base_backoff_s;
    for (int i = 1; i < attempts && backoff < o.max_backoff_s; ++i) backoff *= 2;
    backoff = std::min(backoff, o.max_backoff_s);
    auto db = app.store->lease();
    db->write("UPDATE webhook_deliveries SET state = 'failed', attempts = ?, last_error = ?, next_attempt_at = ?"
              " WHERE seq = ?",
              attempts, error, now + backoff, p.seq);
}

}  // namespace

bool replay(store::Db& db, const std::string& connection_id, int64_t seq) {
    return db.write("UPDATE webhook_deliveries SET state = 'received', attempts = 0, next_attempt_at = NULL,"
                    " last_error = NULL, processed_at = NULL"
                    " WHERE seq = ? AND connection_id = ? AND state IN ('dead', 'failed', 'ignored')",
                    seq, connection_id) == 1;
}

Worker::Worker(App& app, WorkerOptions options) : app_(app), options_(options) {}

Worker::~Worker() { stop(); }

void Worker::start() {
    stopping_ = false;
    thread_ = std::thread([this] {
        name_thread("webhook-work");
        loop();
    });
}

void Worker::stop() {
    stopping_ = true;
    wake();
    if (thread_.joinable()) thread_.join();
}

void Worker::wake() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        woken_ = true;
    }
    wake_.notify_one();
}

int Worker::pass() {
    std::vector<Pending> pending;
    {
        auto db = app_.store->lease();
        pending = read_pending(*db, options_.batch);
    }
    int64_t now = app_.now();
    std::set<std::string> blocked;  // connections whose head must go first
    int handled = 0;
    for (const Pending& p : pending) {
        if (stopping_) break;
        heartbeat = app_.now();
        if (blocked.count(p.connection_id)) continue;
        if (p.state == "failed" && p.next_attempt_at && *p.next_attempt_at > now) {
            blocked.insert(p.connection_id);
            continue;
        }
        Applied a;
        try {
            a = apply(app_, p, now);
        } catch (const std::exception& e) {
            a = fail(std::string("storage: ") + e.what());
        }
        if (!a.ok) {
            record_failure(app_, p, options_, a.error, now);
            blocked.insert(p.connection_id);
        }
        app_.metrics.webhook_handled.at({a.ok ? a.state : "failed"}).add();
        ++handled;
    }
    return handled;
}

int Worker::drain() {
    int total = 0;
    for (;;) {
        int n = pass();
        if (n == 0) return total;
        total += n;
    }
}

void Worker::loop() {
    while (!stopping_) {
        heartbeat = app_.now();
        int n = 0;
        try {
            n = pass();
        } catch (const std::exception& e) {
            logging::log({{"level", "error"}, {"component", "webhook_worker"}, {"error", e.what()}});
        }
        if (n > 0) continue;
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [&] { return woken_ || stopping_.load(); });
        woken_ = false;
    }
}

}  // namespace onramp::webhooks
