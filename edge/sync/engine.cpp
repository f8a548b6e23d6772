#include "edge/sync/engine.h"

#include <cstdio>

#include "edge/api/views.h"
#include "edge/connections/credentials.h"
#include "edge/crypto/random.h"
#include "edge/events/events.h"
#include "edge/mail/queue.h"
#include "edge/thread_name.h"

namespace onramp::sync {

int64_t frequency_seconds(const std::string& f) {
    if (f == "hourly") return 3600;
    if (f == "daily") return 86400;
    if (f == "weekly") return 7 * 86400;
    return 0;
}

Engine::Engine(App& app, int workers) : app_(app), workers_(workers) {}

Engine::~Engine() { stop(); }

int Engine::recover() {
    auto db = app_.store->lease();
    return requeue_interrupted(*db);
}

void Engine::start() {
    recover();
    stopping_ = false;
    for (int i = 0; i < workers_; ++i)
        threads_.emplace_back([this] {
            name_thread("sync-work");
            worker_loop();
        });
    threads_.emplace_back([this] {
        name_thread("sync-schedule");
        scheduler_loop();
    });
}

void Engine::stop() {
    stopping_ = true;
    wake_.notify_all();
    {
        // Taken so that a waiter between its check and its wait sees the flag.
        std::lock_guard<std::mutex> lock(finished_mu_);
    }
    finished_cv_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
}

Result<Run> enqueue_run(App& app, const store::Connection& c, const std::string& kind) {
    const connectors::Platform* platform = connectors::find_platform(c.platform);
    if (!platform) return not_found("This platform cannot be synced.");
    auto db = app.store->lease();
    store::Tx tx(*db);
    if (auto active = active_run(*db, c.id)) return *active;
    Run r;
    r.id = crypto::random_id("run");
    r.org_id = c.org_id;
    r.connection_id = c.id;
    r.kind = kind;
    r.state = "queued";
    for (connectors::Resource res : platform->resources()) r.resources.emplace_back(connectors::to_string(res));
    r.queued_at = app.now();
    r.window_before = api::iso8601(r.queued_at - platform->settle_seconds());
    if (kind != "initial") r.window_after = last_success_bound(*db, c.id).value_or("");
    insert_run(*db, r);
    tx.commit();
    return r;
}

Result<Run> Engine::enqueue(const store::Connection& c, const std::string& kind) {
    auto r = enqueue_run(app_, c, kind);
    wake_.notify_one();
    return r;
}

int Engine::schedule_due() {
    std::vector<store::Connection> due;
    {
        auto db = app_.store->lease();
        store::Stmt st(*db, "SELECT id, org_id FROM connections WHERE status = 'active' AND sync_frequency != 'manual'");
        std::vector<std::pair<std::string, std::string>> ids;
        while (st.step()) ids.emplace_back(st.text(0), st.text(1));
        for (const auto& [id, org] : ids) {
            auto c = store::find_connection(*db, org, id);
            if (!c || active_run(*db, id)) continue;
            int64_t every = frequency_seconds(c->sync_frequency);
            // A connection made without an initial sync waits one period
            // from its creation, as the client chose.
            if (app_.now() - c->last_sync_at.value_or(c->created_at) < every) continue;
            due.push_back(*c);
        }
    }
    int n = 0;
    for (const store::Connection& c : due)
        if (enqueue(c, c.last_sync_at ? "incremental" : "initial")) ++n;
    return n;
}

void Engine::drain() {
    for (;;) {
        std::optional<Run> run;
        {
            auto db = app_.store->lease();
            run = claim_next(*db, app_.now());
        }
        if (!run) return;
        execute(std::move(*run));
    }
}

void Engine::worker_loop() {
    while (!stopping()) {
        heartbeat = app_.now();
        std::optional<Run> run;
        {
            auto db = app_.store->lease();
            run = claim_next(*db, app_.now());
        }
        if (run) {
            execute(std::move(*run));
            continue;
        }
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait_for(lock, std::chrono::seconds(2));
    }
}

void Engine::scheduler_loop() {
    while (!stopping()) {
        heartbeat = app_.now();
        schedule_due();
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait_for(lock, std::chrono::seconds(30), [this] { return stopping(); });
    }
}

namespace {

// Whether this connection's finished runs end with exactly two failures:
// the moment to alert, once per streak of failures.
bool second_failure_in_a_row(store::Db& db, const std::string& connection_id) {
    store::Stmt st(db,
                   "SELECT state FROM sync_runs WHERE connection_id = ? AND state IN ('succeeded', 'failed')"
                   " ORDER BY finished_at DESC, rowid DESC LIMIT 3");
    st.bind(1, connection_id);
    std::vector<std::string> last;
    while (st.step()) last.push_back(st.text(0));
    return last.size() >= 2 && last[0] == "failed" && last[1] == "failed" && (last.size() == 2 || last[2] != "failed");
}

void finish(App& app, Run& run, const std::string& state, const std::string& error) {
    run.state = state;
    run.finished_at = app.now();
    bool alert = false;
    {
        auto db = app.store->lease();
        store::Tx tx(*db);
        save_progress(*db, run);
        if (auto c = store::find_connection(*db, run.org_id, run.connection_id)) {
            c->last_sync_at = app.now();
            c->last_error = error.empty() ? std::nullopt : std::optional<std::string>(error);
            c->updated_at = app.now();
            store::update_connection(*db, *c);
        }
        alert = state == "failed" && second_failure_in_a_row(*db, run.connection_id);
        events::emit(*db, app.now(), state == "succeeded" ? "sync.finished" : "sync.failed", run.org_id, run_json(run));
        tx.commit();
    }
    if (alert) mail::alert_managers(app, mail::AlertKind::sync_failed_twice, run.connection_id, error);
}

// A resource the platform refuses for want of an optional scope (the
// client granted only the required ones: catalog Scope) is skipped, not a
// failed run: the run notes it and goes on with the next resource.
bool skip_unpermitted(App& app, Run& run, const connectors::Connector& entry, connectors::Resource resource,
                      const connectors::Failure& f) {
    const connectors::Scope* scope = connectors::optional_scope_for(entry, resource);
    if (f.cause != connectors::Cause::scope_missing || !scope) return false;
    run.errors.push_back({{"resource", std::string(connectors::to_string(resource))},
                          {"step", f.step},
                          {"cause", std::string(connectors::to_string(f.cause))},
                          {"skipped", true},
                          {"scope", std::string(scope->name)},
                          {"message", "Skipped: the permission " + std::string(scope->label) + " is not granted, so " +
                                          std::string(scope->feature) + "."}});
    ++run.resource_index;
    run.cursor.clear();
    auto db = app.store->lease();
    save_progress(*db, run);
    return true;
}

}  // namespace

std::optional<Run> Engine::wait_finished(const std::string& run_id, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        // The count is read before the run, so a run finishing in between
        // changes it and the wait below returns at once.
        uint64_t seen = 0;
        {
            std::lock_guard<std::mutex> lock(finished_mu_);
            seen = finished_;
        }
        std::optional<Run> run;
        {
            auto db = app_.store->lease();
            run = find_run(*db, run_id);
        }
        if (!run || run->state == "succeeded" || run->state == "failed") return run;
        std::unique_lock<std::mutex> lock(finished_mu_);
        if (!finished_cv_.wait_until(lock, deadline, [&] { return finished_ != seen || stopping(); })) return run;
        if (stopping()) return run;
    }
}

void Engine::notify_finished() {
    {
        std::lock_guard<std::mutex> lock(finished_mu_);
        ++finished_;
    }
    finished_cv_.notify_all();
}

void Engine::execute(Run run) {
    std::optional<store::Connection> conn;
    connectors::Credentials creds;
    const connectors::Platform* platform = nullptr;
    {
        auto db = app_.store->lease();
        conn = store::find_connection(*db, run.org_id, run.connection_id);
        if (conn) platform = connectors::find_platform(conn->platform);
        if (conn && platform) {
            auto loaded = connections::load_credentials(*app_.vault, *db, *conn, platform->entry());
            if (!loaded) {
                run.errors.push_back({{"message", "the stored credentials could not be read"}});
                finish(app_, run, "failed", "The stored credentials could not be read.");
                notify_finished();
                return;
            }
            creds = std::move(*loaded);
        }
    }
    if (!conn || !platform) {
        run.errors.push_back({{"message", "the connection no longer exists"}});
        finish(app_, run, "failed", "");
        notify_finished();
        return;
    }
    connectors::CallContext ctx = app_.contexts->for_connection(conn->id, platform->entry());
    connectors::Window window{run.window_after, run.window_before};

    while (run.resource_index < int(run.resources.size())) {
        if (stopping()) return;  // stays "running"; requeued at the next start
        heartbeat = app_.now();
        auto resource = connectors::parse_resource(run.resources[size_t(run.resource_index)]);
        if (!resource) {
            ++run.resource_index;
            continue;
        }
        auto page = platform->fetch_page(creds, ctx, *resource, run.cursor, window);
        if (!page && skip_unpermitted(app_, run, platform->entry(), *resource, page.failure())) {
            if (on_checkpoint) on_checkpoint(run);
            continue;
        }
        if (!page) {
            const connectors::Failure& f = page.failure();
            run.errors.push_back({{"resource", run.resources[size_t(run.resource_index)]},
                                  {"step", f.step},
                                  {"cause", std::string(connectors::to_string(f.cause))},
                                  {"message", f.message}});
            finish(app_, run, "failed", f.message);
            notify_finished();
            return;
        }
        // The checkpoint: this page's records and the cursor past it commit
        // together, or neither does.
        {
            auto db = app_.store->lease();
            store::Tx tx(*db);
            UpsertCounts counts =
                upsert_items(*db, run.org_id, run.connection_id, *resource, page->items, app_.now());
            run.created += counts.created;
            run.updated += counts.updated;
            run.pages += 1;
            // Each resource's first page may say how many it has: the total
            // grows as the run reaches each resource.
            if (page->total && run.cursor.empty()) run.total = run.total.value_or(0) + *page->total;
            if (page->next_cursor.empty()) {
                ++run.resource_index;
                run.cursor.clear();
            } else {
                run.cursor = page->next_cursor;
            }
            save_progress(*db, run);
            tx.commit();
        }
        if (on_checkpoint) on_checkpoint(run);
    }
    finish(app_, run, "succeeded", "");
    notify_finished();
}

}  // namespace onramp::sync
