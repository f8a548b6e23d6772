// The mail sender: a thread that sends the queue's due messages (table
// mail_messages, edge/mail/queue.h), one at a time, oldest due first.
//
//   due message --opened, rendered, accepted by the server--> sent, bodies blanked
//   due message --refused, younger than give_up_after_s-----> queued, next_attempt_at = now + backoff
//   due message --refused for good (SMTP 5yz), or too old,
//                or its sealed bodies do not open------------> failed, bodies blanked
//
// The backoff starts at base_backoff_s and doubles per attempt up to
// max_backoff_s (1 minute to 1 hour): a server down for a day is tried
// about thirty times. Requests never wait for it: enqueue is an INSERT
// that wakes this thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "edge/app.h"

namespace onramp::mail {

struct SenderOptions {
    int64_t base_backoff_s = 60;
    int64_t max_backoff_s = 3600;
    int64_t give_up_after_s = 24 * 3600;  // from when it was queued
    long send_timeout_s = 60;
    int poll_ms = 30000;  // also woken by wake() after each enqueue
    int batch = 20;       // messages read per pass
};

class Sender {
public:
    explicit Sender(App& app, SenderOptions options = {});
    ~Sender();
    void start();
    void stop();  // finishes the message being sent
    void wake();

    // Sends every message due now on the calling thread; returns how many
    // were tried (tests drive it so).
    int drain();

private:
    int pass();
    void loop();

    App& app_;
    SenderOptions options_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::mutex mu_;
    std::condition_variable wake_;
    bool woken_ = false;
};

// Seconds to wait after the given number of failed attempts (1, 2, ...).
int64_t backoff_seconds(const SenderOptions& o, int attempts);

}  // namespace onramp::mail
