// The webhook worker: applies inbox deliveries to the synced records, in
// arrival order per connection.
//
//   received --apply ok--------------------------> processed
//   received --topic not synced------------------> ignored (kept)
//   received --platform/store failure------------> failed (next_attempt_at = now + backoff)
//   failed   --due, apply ok---------------------> processed
//   failed   --attempts reached max_attempts-----> dead (counted dead_lettered)
//   dead     --operator replay (replay())--------> received, attempts 0
//
// Order: a connection's deliveries are taken by ascending seq, and a
// connection whose oldest unfinished delivery is waiting out its backoff is
// skipped as a whole, so no later delivery overtakes it.
//
// Exactly once: a refetch happens outside any transaction, then one
// transaction applies the change and marks the delivery processed. A
// process killed in between leaves the delivery "received": it is applied
// again after restart, and applying is idempotent (upsert and delete by the
// platform's id), so its effect lands once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "edge/app.h"

namespace onramp::webhooks {

struct WorkerOptions {
    int max_attempts = 6;
    int64_t base_backoff_s = 30;   // doubled per failed attempt
    int64_t max_backoff_s = 3600;
    int poll_ms = 1000;            // also woken by wake() after each inbox commit
    int batch = 200;               // deliveries read per pass
};

class Worker {
public:
    explicit Worker(App& app, WorkerOptions options = {});
    ~Worker();
    void start();
    void stop();  // finishes the current delivery
    void wake();

    // Applies every delivery that is due now on the calling thread; returns
    // how many were handled (tests and the benchmark drive it so).
    int drain();

    // app.now() when the loop last went round (per pass and per delivery):
    // /readyz calls the worker stuck when it is old.
    std::atomic<int64_t> heartbeat{0};

private:
    int pass();
    void loop();

    App& app_;
    WorkerOptions options_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::mutex mu_;
    std::condition_variable wake_;
    bool woken_ = false;
};

// Operator replay: a dead (or failed, or ignored) delivery goes back to
// "received" with its attempts reset. False when the delivery is not in
// such a state.
bool replay(store::Db& db, const std::string& connection_id, int64_t seq);

}  // namespace onramp::webhooks
