// A request budget for one platform account, fed by the platform's own
// rate-limit headers, so callers pace themselves before the platform has to
// say 429. One RateBudget per connection, shared by everything that calls
// that account (test, sync pages, proxy); it is thread-safe.
//
// What it understands (each platform's published rate limits; docs/platforms/):
//
//   header                                   model
//   X-Shopify-Shop-Api-Call-Limit: 32/40     leaky bucket: 40 calls, leaking 40/20 per second
//                                            (2/s Standard, 4/s at 80, 20/s at 400)
//   X-Rate-Limit-Requests-Left: 35           fixed window: that many left until the window
//   X-Rate-Limit-Time-Reset-Ms: 12000        resets in that many ms, then Requests-Quota per
//   X-Rate-Limit-Requests-Quota: 150         Time-Window-Ms (BigCommerce)
//   X-Rate-Limit-Time-Window-Ms: 30000
//   x-amzn-RateLimit-Limit: 0.0167           token bucket refilling at that many per second:
//                                            the operation's own bucket when the call names
//                                            one (OperationLimit: its documented burst), else
//                                            burst 1 (the header does not give the burst)
//   Retry-After: 2.0 | HTTP-date             nothing before then (Shopify sends fractions)
//   X-Retry-After: 5                         the same (BigCommerce)
//   none of the above                        token bucket from the catalog's default
//                                            (requests per window), until a header speaks
//
// Platforms that limit each operation separately (a token bucket per
// operation, its rate and burst documented per operation) have each call
// name its OperationLimit: the budget keeps one bucket per operation, full
// at its documented burst, refilling at the rate the platform announces
// (the documented one until it does). A 429 for an operation empties its
// bucket: the platform has said it is empty.
//
// When several speak, the longest wait wins. reserve() both computes the
// wait and counts the request, so concurrent callers queue up behind each
// other instead of all seeing "go" before the first response arrives.
//
// A token bucket here mirrors the platform's, but the platform takes its
// token when the request arrives, which can be any time between our send
// and its answer (a loaded machine or network holds some requests longer
// than others). While a bucket is below its size that makes no difference:
// the refill does not depend on when a token was taken. A full bucket
// refills nothing, though, so a request that arrives late leaves the
// platform's bucket emptier afterwards than a bucket charged at the send;
// the next request, paced 1/rate after the send, can then arrive less than
// 1/rate after it and draw a 429. So a token is charged when the request is
// reserved (concurrent callers queue), and when its answer comes (or it
// fails) the bucket is held to what the platform's can hold at most had the
// request arrived only then: its size, less that request and the ones still
// in flight. On a quiet machine answers come back at once and a paced
// bucket is nowhere near full, so the pace is the same; it can only cost
// the time a request spent in flight while the bucket was full.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "edge/http/message.h"
#include "shared/connectors/catalog.h"

namespace onramp::connectors {

// Monotonic milliseconds (steady clock).
int64_t monotonic_ms();

// One operation's documented token bucket, declared by the platform's
// connector beside the call (edge/platforms/<id>/).
struct OperationLimit {
    std::string_view name;  // the bucket's key within the connection
    double rate = 0;        // requests per second, until a response announces the rate
    double burst = 0;       // the bucket's size: requests that may go at once
};

class RateBudget {
public:
    using Clock = std::function<int64_t()>;  // monotonic milliseconds

    // `fallback` paces requests until the platform's headers say more;
    // {0, 0} means one request per second.
    explicit RateBudget(RateLimit fallback = {}, Clock clock = monotonic_ms);

    // Counts one request and returns how many milliseconds the caller must
    // wait before sending it (0: now). `op`: the operation it calls, when
    // the platform limits operations separately.
    int64_t reserve(const OperationLimit* op = nullptr);
    // The wait reserve() would return, without counting a request.
    int64_t peek(const OperationLimit* op = nullptr) const;
    // Feeds back a response to a call of `op` (or of no named operation):
    // its rate-limit headers and status.
    void observe(const http::Headers& headers, int status, const OperationLimit* op = nullptr);
    // A request reserve() counted for `op` got no answer (the connection
    // failed, or it was never sent): it is no longer in flight. It may
    // still have reached the platform, as late as now.
    void unanswered(const OperationLimit* op = nullptr);

    // What the budget believes, for diagnostics and tests.
    struct State {
        int64_t blocked_ms = 0;        // Retry-After still to run
        bool shopify = false;          // a call-limit header was seen
        double shopify_used = 0, shopify_size = 0;
        bool bigcommerce = false;      // requests-left headers were seen
        int64_t bc_left = 0, bc_reset_ms = 0;
        double bucket_tokens = 0, bucket_rate = 0;  // per second
    };
    State state() const;
    // An operation's bucket: tokens and rate now (its documented burst and
    // rate before its first call).
    struct OperationState {
        double tokens = 0, rate = 0, burst = 0;
    };
    OperationState operation_state(const OperationLimit& op) const;

private:
    struct Bucket {
        double capacity = 1, rate = 1;  // tokens; tokens per second
        double tokens = 1;
        int64_t at = 0;                 // when `tokens` was measured
        int64_t in_flight = 0;          // requests charged and not yet answered
    };
    int64_t wait_locked(int64_t now, const OperationLimit* op) const;
    void count_locked(int64_t now, int64_t wait, const OperationLimit* op);
    static double bucket_tokens_at(const Bucket& b, int64_t now);
    static int64_t bucket_wait(const Bucket& b, int64_t now);
    // One of the bucket's requests is answered, or failed, at `now`: no
    // longer in flight, it may have been counted by the platform as late
    // as now (see the header comment).
    static void bucket_settle(Bucket& b, int64_t now);
    void settle_locked(int64_t now, const OperationLimit* op);
    // The operation's bucket as it stands, or a full one at its documented
    // figures before its first call.
    Bucket operation_locked(const OperationLimit& op, int64_t now) const;

    mutable std::mutex mu_;
    Clock clock_;
    int64_t blocked_until_ = 0;
    // Requests reserved and not yet answered: a platform's count in an
    // answer may not include them yet.
    int64_t in_flight_ = 0;

    // Shopify's leaky bucket: `used` of `size` when measured at `at`.
    bool shopify_ = false;
    double shopify_used_ = 0, shopify_size_ = 40;
    int64_t shopify_at_ = 0;

    // BigCommerce's window: `left` requests until `reset_at`, then `quota`
    // per `window_ms`.
    bool bc_ = false;
    int64_t bc_left_ = 0, bc_reset_at_ = 0, bc_quota_ = 0, bc_window_ms_ = 0;

    // The catalog default, replaced by an announced rate once seen on a
    // call that names no operation.
    Bucket bucket_;
    // One bucket per named operation.
    std::map<std::string, Bucket, std::less<>> operations_;
};

// Parses a Retry-After value: delay seconds (integer or, as Shopify sends,
// fractional) or an HTTP-date (RFC 9110 §10.2.3), relative to `now_unix`.
// Returns milliseconds, or -1 when the value is neither.
int64_t parse_retry_after_ms(const std::string& value, int64_t now_unix);

}  // namespace onramp::connectors
