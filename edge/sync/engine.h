// The sync engine: copies each connection's products (with variants),
// orders, calls or contacts into the records table, in the background.
//
// A run is a row in sync_runs; workers claim queued runs and fetch page
// after page through the connection's Platform. After each page, one
// transaction stores the page and moves the run's cursor (the checkpoint),
// so a server killed with SIGKILL resumes exactly where it stopped: at the
// next start, runs left "running" are queued again and continue from their
// cursor. Records are upserted by platform id, so a page fetched twice
// after a crash creates no duplicates.
//
// Incremental runs ask the platform only for what changed since the last
// successful run's upper bound; the bound of a run is frozen when it is
// queued, so an object changed while a run is going is picked up by the
// next run instead of being skipped.
//
// Pacing is the connector's: each connection has one RateBudget, fed by
// the platform's rate-limit headers (edge/connectors/rate_budget.h).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "edge/app.h"
#include "edge/store/connections.h"
#include "edge/sync/records.h"

namespace onramp::sync {

class Engine {
public:
    explicit Engine(App& app, int workers = 2);
    ~Engine();

    // Queues interrupted runs again (recover), starts the workers and the
    // scheduler.
    void start();
    // Runs a previous process left "running" go back to the queue, to
    // continue from their last checkpoint. Returns how many.
    int recover();
    // Workers finish their current page and stop; unfinished runs resume at
    // the next start.
    void stop();

    // enqueue_run, then wakes a worker.
    Result<Run> enqueue(const store::Connection& c, const std::string& kind);
    // A run was queued elsewhere: start it now rather than at the next poll.
    void wake() { wake_.notify_one(); }
    // Queues incremental runs for connections whose schedule is due.
    // Returns how many were queued.
    int schedule_due();

    // Claims and runs queued runs on the calling thread until none is left
    // (tests, and the benchmark tool, drive the engine this way).
    void drain();

    // Waits until the run has finished (succeeded or failed) or `timeout`
    // has passed, whichever comes first, and returns it as it then is;
    // null when there is no such run. The waiting thread sleeps on a
    // condition each finished run notifies; it does not poll.
    std::optional<Run> wait_finished(const std::string& run_id, std::chrono::milliseconds timeout);

    // Told after every checkpoint (a page committed), on the worker's
    // thread: progress for logs, tests and the benchmark.
    std::function<void(const Run&)> on_checkpoint;

    // app.now() when a loop last went round (each worker and the scheduler
    // per iteration, a worker also per page): /readyz calls the engine
    // stuck when it is old.
    std::atomic<int64_t> heartbeat{0};

private:
    void worker_loop();
    void scheduler_loop();
    void execute(Run run);
    void notify_finished();
    bool stopping() const { return stopping_.load(); }

    App& app_;
    int workers_;
    std::vector<std::thread> threads_;
    std::atomic<bool> stopping_{false};
    std::mutex mu_;
    std::condition_variable wake_;
    // wait_finished: how many runs this engine finished, and its waiters.
    std::mutex finished_mu_;
    std::condition_variable finished_cv_;
    uint64_t finished_ = 0;
};

// Queues a run for the connection, or returns the one already queued or
// running (one run per connection at a time). kind: initial, manual,
// incremental. Workers pick it up; app.sync->wake() starts it at once.
Result<Run> enqueue_run(App& app, const store::Connection& c, const std::string& kind);

// Seconds between scheduled runs for a sync_frequency; 0 for manual.
int64_t frequency_seconds(const std::string& frequency);

}  // namespace onramp::sync
