// The durable webhook inbox: verified deliveries are committed to SQLite
// before the platform is answered, so nothing acknowledged can be lost.
//
// Group commit. Durability costs one fsync per transaction (WAL,
// synchronous=FULL), and one transaction per delivery would cap the inbox
// at the disk's fsync rate. Request threads therefore hand their delivery
// to one committer thread and wait; the committer takes everything queued,
// writes it in one transaction, commits, and wakes every waiter of that
// batch. While it commits, the next batch gathers. No request is answered
// before the transaction holding its row is durable.
//
// The HTTP route does not hold a thread while it waits: it hands its
// delivery over with add_then() and answers from the callback (a deferred
// response, edge/http/message.h). A batch can so hold a delivery from every
// open connection, not only one per worker thread: with 8 workers and a
// 6 ms fsync the inbox was capped near 8 / 6 ms, about 1,300 a second.
//
//   request thread            committer thread
//   --------------            ----------------
//   add() -> queue, wait      take the whole queue
//   (or add_then(): queue,
//    answer from `then`)
//                             BEGIN; per job: dedupe, insert, count; COMMIT
//   <- Stored / Problem       wake the batch's waiters; on_commit()
//
// Counters (received, verified, rejected, duplicate) ride in the same
// transactions, so a rejected delivery is counted without a write of its own.
//
// Checkpoints. SQLite folds the WAL back into the database file on the
// commit that takes it past 1000 pages, on the committing connection: for
// the inbox that was a stall of a thousand page writes and two more fsyncs
// every few batches, with the next batch's waiters behind it. The
// committer's own connection therefore does not checkpoint. A checkpointer
// thread does, beside the commits (PASSIVE, https://www.sqlite.org/wal.html
// "Checkpointing"), once the WAL is past checkpoint_pages; the committer
// checkpoints itself only past kMaxWalPages, so that the WAL stays bounded
// even if the checkpointer never catches up.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "edge/store/db.h"
#include "shared/result.h"

namespace onramp::webhooks {

struct NewDelivery {
    std::string org_id, connection_id, platform, topic;
    std::string delivery_id;  // "" when the platform gave none
    std::string body_sha256;  // hex
    std::string content_type;
    std::string body;
    int64_t received_at = 0;
};

struct Stored {
    int64_t seq = 0;         // the delivery's row (the earlier one for a duplicate)
    bool duplicate = false;  // already in the inbox: acknowledged, not stored again
};

struct InboxOptions {
    // Same body for the same connection within this many seconds is a
    // duplicate even without a platform delivery id (a retry by a platform
    // that sends none, or a resend under a new id).
    int64_t dedupe_window_s = 86400;
    size_t max_batch = 1024;  // jobs per transaction
    // WAL pages past which the checkpointer folds the WAL back into the
    // database (see "Checkpoints" above). SQLite's own autocheckpoint size
    // is 1000 pages, which the inbox fills in two or three commits: the
    // index pages keyed by random values (delivery ids, body hashes),
    // changed by nearly every commit, were then copied into the database
    // after nearly every commit too. At 8000 pages (32 MiB) each is copied
    // once for many commits; through serve, with 256 connections,
    // deliveries went from about 9,900 to 12,400-13,300 a second.
    int checkpoint_pages = 8000;
};

struct InboxStats {
    int64_t batches = 0, deliveries = 0, duplicates = 0;
    int64_t commit_us = 0;  // time inside transactions, summed
};

class Inbox {
public:
    Inbox(store::Store& store, InboxOptions options = {});
    ~Inbox();  // commits what is queued, then stops the committer
    Inbox(const Inbox&) = delete;
    Inbox& operator=(const Inbox&) = delete;

    // Stores a verified delivery (or finds it a duplicate) and returns once
    // that is durable. A database failure is a 503 problem: the platform
    // will retry, and nothing was acknowledged.
    Result<Stored> add(NewDelivery delivery);
    // The same without waiting: `then` gets the outcome on the committer
    // thread once it is durable (or failed), so it must not block.
    void add_then(NewDelivery delivery, std::function<void(Result<Stored>)> then);
    // Adds `n` to a counter in the next transaction and waits for it, so a
    // reader right after sees it.
    void count(const std::string& connection_id, const std::string& name, int64_t n = 1);

    // Called after each commit that stored a delivery (wakes the worker).
    void set_on_commit(std::function<void()> fn);
    InboxStats stats() const;

private:
    struct Job;
    void run();
    void enqueue(const std::shared_ptr<Job>& job);
    void submit(const std::shared_ptr<Job>& job);  // queues it and waits until it is committed
    void commit_batch(std::vector<std::shared_ptr<Job>>& batch);

    void checkpoint_when_due();
    void run_checkpoints();

    store::Store& store_;
    InboxOptions options_;
    std::unique_ptr<store::Db> writer_;  // the committer's connection, which never checkpoints by itself
    std::atomic<int> wal_pages_{0};      // in the WAL after the committer's last commit
    std::mutex checkpoint_mu_;
    std::condition_variable checkpoint_due_;
    bool checkpoint_wanted_ = false, checkpointer_stopping_ = false;
    std::thread checkpointer_;
    std::mutex mu_;
    std::condition_variable queued_;  // wakes the committer
    std::deque<std::shared_ptr<Job>> queue_;
    bool stopping_ = false;
    std::function<void()> on_commit_;
    mutable std::mutex stats_mu_;
    InboxStats stats_;
    std::thread committer_;
};

// Counters of one connection: received, verified, rejected, duplicate,
// dead_lettered (0 when never counted).
std::map<std::string, int64_t> read_counters(store::Db& db, const std::string& connection_id);
// How many of a connection's deliveries gave up (state 'dead') and wait for
// a replay, which takes them out of the count (worker.h).
int64_t dead_letters(store::Db& db, const std::string& connection_id);
// Adds to a counter in the caller's transaction.
void bump_counter(store::Db& db, const std::string& connection_id, const std::string& name, int64_t n);

}  // namespace onramp::webhooks
