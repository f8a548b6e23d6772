// The event dispatcher: a thread that sends due event deliveries
// (event_deliveries, edge/events/events.h) to their endpoints, signed
// (edge/events/endpoints.h), one at a time, oldest due first.
//
//   due delivery --2xx--------------------------------------> delivered
//   due delivery --other status, no answer, refused address,
//                  younger than give_up_after_s----------------> pending, next_attempt_at = now + backoff
//   due delivery --the same, older than give_up_after_s-------> failed
//
// The backoff starts at base_backoff_s and doubles per attempt up to
// max_backoff_s (10 seconds to 2 hours), each wait drawn within ±25%
// (jitter) so that many deliveries failing together do not all come back
// at once; a receiver down for a day is tried about twenty times. An
// endpoint that fails is not tried again in the same pass, so one
// receiver that hangs costs one timeout per pass, not one per event.
//
// At most once per success: a delivery is marked delivered in the same
// step that learns of the 2xx, and only pending rows are sent, so an
// acknowledged event is not sent again unless someone replays it. The
// webhook-id is the event's id on every attempt, so a receiver can drop
// a repeat it gets when its 2xx was lost on the way.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "edge/app.h"

namespace onramp::events {

struct DispatcherOptions {
    int64_t base_backoff_s = 10;
    int64_t max_backoff_s = 2 * 3600;
    int64_t give_up_after_s = 24 * 3600;  // from when the event happened
    int timeout_ms = 10000;               // connect and read, each
    int poll_ms = 1000;                   // also woken by wake()
    int batch = 50;                       // deliveries read per pass
    // A number in [0, 1) for the jitter; empty: drawn at random. Tests fix it.
    std::function<double()> random;
};

class Dispatcher {
public:
    explicit Dispatcher(App& app, DispatcherOptions options = {});
    ~Dispatcher();
    void start();
    void stop();  // finishes the delivery being sent
    void wake();

    // Sends every delivery due now on the calling thread, until none is
    // left; returns how many were tried (tests drive it so).
    int drain();

private:
    int pass();
    void loop();

    App& app_;
    DispatcherOptions options_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::mutex mu_;
    std::condition_variable wake_;
    bool woken_ = false;
};

// Seconds to wait after the given number of failed attempts (1, 2, ...):
// base·2^(attempts-1), capped at max, scaled by 0.75 + random/2.
int64_t backoff_seconds(const DispatcherOptions& o, int attempts, double random);

}  // namespace onramp::events
