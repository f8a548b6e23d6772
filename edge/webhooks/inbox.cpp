#include "edge/webhooks/inbox.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "edge/events/events.h"
#include "edge/log.h"
#include "edge/thread_name.h"

namespace onramp::webhooks {

namespace {

Problem unavailable() {
    Problem p;
    p.status = 503;
    p.error_code = "inbox_unavailable";
    p.title = "Service unavailable";
    p.detail = "The delivery could not be stored; it was not acknowledged. Send it again.";
    p.retry_after = 5;
    return p;
}

}  // namespace

// One request's work for the committer: a delivery to store, or only a
// counter to add. Its outcome goes to `then` when the request does not
// wait (add_then), else to a waiter sleeping on the job itself: one
// condition variable for all waiters made every commit wake every request
// thread, and each then queued for the same mutex only to find its job
// still pending.
struct Inbox::Job {
    std::optional<NewDelivery> delivery;
    std::string counter_connection, counter_name;
    int64_t counter_n = 0;
    std::function<void(Result<Stored>)> then;

    std::optional<Stored> stored;

    void wait() {
        std::unique_lock<std::mutex> lock(mu);
        done.wait(lock, [&] { return finished; });
    }
    void finish() {
        if (then) {
            then(stored ? Result<Stored>(*stored) : Result<Stored>(unavailable()));
            return;
        }
        std::lock_guard<std::mutex> lock(mu);
        finished = true;
        done.notify_one();
    }

private:
    std::mutex mu;
    std::condition_variable done;
    bool finished = false;
};

namespace {

// The statements one batch runs per delivery, prepared once per batch:
// preparing is most of the cost of these small statements.
struct BatchStatements {
    store::Stmt by_id, by_body, insert;
    explicit BatchStatements(store::Db& db)
        : by_id(db, "SELECT seq FROM webhook_deliveries WHERE connection_id = ? AND delivery_id = ?"),
          // min() rather than ORDER BY seq LIMIT 1: the index yields rows
          // by received_at, so the ORDER BY made SQLite open a temporary
          // B-tree to sort them, once per delivery, for nearly always none.
          by_body(db,
                  "SELECT min(seq) FROM webhook_deliveries WHERE connection_id = ? AND body_sha256 = ?"
                  " AND received_at >= ?"),
          insert(db,
                 "INSERT INTO webhook_deliveries (org_id, connection_id, platform, topic, delivery_id,"
                 " body_sha256, content_type, body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)") {}
};

// The earlier row this delivery repeats, if any: the same platform delivery
// id, or the same body within the window.
std::optional<int64_t> find_duplicate(BatchStatements& st, const NewDelivery& d, int64_t window_s) {
    if (!d.delivery_id.empty()) {
        st.by_id.reset();
        st.by_id.bind_all(d.connection_id, d.delivery_id);
        if (st.by_id.step()) return st.by_id.i64(0);
    }
    st.by_body.reset();
    st.by_body.bind_all(d.connection_id, d.body_sha256, d.received_at - window_s);
    if (st.by_body.step() && !st.by_body.is_null(0)) return st.by_body.i64(0);
    return std::nullopt;
}

int64_t insert_delivery(store::Db& db, BatchStatements& st, const NewDelivery& d) {
    store::Stmt& ins = st.insert;
    ins.reset();
    ins.bind_all(d.org_id, d.connection_id, d.platform, d.topic);
    if (d.delivery_id.empty())
        ins.bind(5, nullptr);
    else
        ins.bind(5, d.delivery_id);
    ins.bind(6, d.body_sha256).bind(7, d.content_type).bind_blob(8, d.body).bind(9, d.received_at);
    ins.run();
    return db.last_insert_rowid();
}

}  // namespace

void bump_counter(store::Db& db, const std::string& connection_id, const std::string& name, int64_t n) {
    db.write("INSERT INTO webhook_counters (connection_id, name, n) VALUES (?, ?, ?)"
             " ON CONFLICT (connection_id, name) DO UPDATE SET n = n + excluded.n",
             connection_id, name, n);
}

std::map<std::string, int64_t> read_counters(store::Db& db, const std::string& connection_id) {
    std::map<std::string, int64_t> out = {
        {"received", 0}, {"verified", 0}, {"rejected", 0}, {"duplicate", 0}, {"dead_lettered", 0}};
    store::Stmt st(db, "SELECT name, n FROM webhook_counters WHERE connection_id = ?");
    st.bind(1, connection_id);
    while (st.step()) out[st.text(0)] = st.i64(1);
    return out;
}

int64_t dead_letters(store::Db& db, const std::string& connection_id) {
    // By connection, so the count reads webhook_deliveries_connection's
    // rows of this connection only (migrations/006_webhooks.sql).
    store::Stmt st(db, "SELECT count(*) FROM webhook_deliveries WHERE connection_id = ? AND state = 'dead'");
    st.bind(1, connection_id);
    return st.step() ? st.i64(0) : 0;
}

namespace {

// See "Checkpoints" in inbox.h.
constexpr int kMaxWalPages = 16000;  // 64 MiB of 4 KiB pages

// SQLite's WAL hook, after each commit of the committer's connection:
// notes the WAL's size instead of checkpointing.
int note_wal_pages(void* pages, sqlite3*, const char*, int n) {
    static_cast<std::atomic<int>*>(pages)->store(n);
    return SQLITE_OK;
}

// The committer's busy handler. SQLite's own (busy_timeout) sleeps 1, 2,
// 5, 10 ms and longer between tries, so a commit that found another
// writer's short transaction in the way (the webhook worker marking a
// delivery processed) lost tens of milliseconds with a whole batch waiting
// on it; this one tries again every 0.2 ms, for up to 10 s as before.
int retry_soon(void*, int tries) {
    constexpr int kPauseUs = 200, kGiveUpUs = 10'000'000;
    if (tries * kPauseUs >= kGiveUpUs) return 0;
    std::this_thread::sleep_for(std::chrono::microseconds(kPauseUs));
    return 1;
}

void checkpoint_passive(store::Db& db) {
    sqlite3_wal_checkpoint_v2(db.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

}  // namespace

Inbox::Inbox(store::Store& store, InboxOptions options)
    : store_(store), options_(options), writer_(std::make_unique<store::Db>(store.path())) {
    sqlite3_wal_hook(writer_->raw(), note_wal_pages, &wal_pages_);
    sqlite3_busy_handler(writer_->raw(), retry_soon, nullptr);
    committer_ = std::thread([this] {
        name_thread("inbox-commit");
        run();
    });
    checkpointer_ = std::thread([this] {
        name_thread("inbox-checkpt");
        run_checkpoints();
    });
}

Inbox::~Inbox() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
    }
    queued_.notify_all();
    committer_.join();
    {
        std::lock_guard<std::mutex> lock(checkpoint_mu_);
        checkpointer_stopping_ = true;
    }
    checkpoint_due_.notify_all();
    checkpointer_.join();
}

void Inbox::checkpoint_when_due() {
    int pages = wal_pages_.load();
    if (pages >= kMaxWalPages) {
        checkpoint_passive(*writer_);
        return;
    }
    if (pages < options_.checkpoint_pages) return;
    {
        std::lock_guard<std::mutex> lock(checkpoint_mu_);
        checkpoint_wanted_ = true;
    }
    checkpoint_due_.notify_one();
}

void Inbox::run_checkpoints() {
    std::unique_ptr<store::Db> db;
    std::unique_lock<std::mutex> lock(checkpoint_mu_);
    for (;;) {
        checkpoint_due_.wait(lock, [&] { return checkpointer_stopping_ || checkpoint_wanted_; });
        if (checkpointer_stopping_) return;
        checkpoint_wanted_ = false;
        lock.unlock();
        try {
            if (!db) db = std::make_unique<store::Db>(store_.path());
            checkpoint_passive(*db);
        } catch (const std::exception& e) {
            nlohmann::json line = {{"level", "error"}, {"component", "webhook_inbox"}, {"checkpoint", e.what()}};
            logging::log(std::move(line));
        }
        lock.lock();
    }
}

void Inbox::set_on_commit(std::function<void()> fn) {
    std::lock_guard<std::mutex> lock(mu_);
    on_commit_ = std::move(fn);
}

InboxStats Inbox::stats() const {
    std::lock_guard<std::mutex> lock(stats_mu_);
    return stats_;
}

void Inbox::enqueue(const std::shared_ptr<Job>& job) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        queue_.push_back(job);
    }
    queued_.notify_one();
}

void Inbox::submit(const std::shared_ptr<Job>& job) {
    enqueue(job);
    job->wait();
}

Result<Stored> Inbox::add(NewDelivery delivery) {
    auto job = std::make_shared<Job>();
    job->delivery = std::move(delivery);
    submit(job);
    if (!job->stored) return unavailable();
    return *job->stored;
}

void Inbox::add_then(NewDelivery delivery, std::function<void(Result<Stored>)> then) {
    auto job = std::make_shared<Job>();
    job->delivery = std::move(delivery);
    job->then = std::move(then);
    enqueue(job);
}

void Inbox::count(const std::string& connection_id, const std::string& name, int64_t n) {
    auto job = std::make_shared<Job>();
    job->counter_connection = connection_id;
    job->counter_name = name;
    job->counter_n = n;
    submit(job);
}

void Inbox::run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
        queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) return;
        std::vector<std::shared_ptr<Job>> batch;
        while (!queue_.empty() && batch.size() < options_.max_batch) {
            batch.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        auto on_commit = on_commit_;
        lock.unlock();
        commit_batch(batch);
        bool stored_any = false;
        for (auto& job : batch) {
            if (job->stored && !job->stored->duplicate) stored_any = true;
            job->finish();
        }
        if (stored_any && on_commit) on_commit();
        checkpoint_when_due();
        lock.lock();
    }
}

void Inbox::commit_batch(std::vector<std::shared_ptr<Job>>& batch) {
    auto t0 = std::chrono::steady_clock::now();
    int64_t stored = 0, duplicates = 0;
    try {
        store::Db* db = writer_.get();
        store::Tx tx(*db);
        BatchStatements statements(*db);
        events::SubscriberCache subscribers;
        // Counters are summed per batch: one upsert per (connection, name).
        std::map<std::pair<std::string, std::string>, int64_t> counts;
        for (auto& job : batch) {
            if (!job->delivery) {
                counts[{job->counter_connection, job->counter_name}] += job->counter_n;
                continue;
            }
            const NewDelivery& d = *job->delivery;
            counts[{d.connection_id, "received"}] += 1;
            counts[{d.connection_id, "verified"}] += 1;
            if (auto earlier = find_duplicate(statements, d, options_.dedupe_window_s)) {
                job->stored = Stored{*earlier, true};
                counts[{d.connection_id, "duplicate"}] += 1;
                ++duplicates;
            } else {
                job->stored = Stored{insert_delivery(*db, statements, d), false};
                events::emit_webhook_received(*db, subscribers, d.received_at, d.org_id, d.connection_id,
                                              d.platform, d.topic, job->stored->seq, d.body);
                ++stored;
            }
        }
        for (const auto& [key, n] : counts) bump_counter(*db, key.first, key.second, n);
        statements.by_id.reset();
        statements.by_body.reset();
        tx.commit();
    } catch (const std::exception& e) {
        // Nothing of this batch is durable: every waiter answers 503.
        for (auto& job : batch) job->stored.reset();
        nlohmann::json line = {{"level", "error"}, {"component", "webhook_inbox"}, {"error", e.what()}};
        logging::log(std::move(line));
        return;
    }
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
    std::lock_guard<std::mutex> lock(stats_mu_);
    stats_.batches += 1;
    stats_.deliveries += stored;
    stats_.duplicates += duplicates;
    stats_.commit_us += us;
}

}  // namespace onramp::webhooks
