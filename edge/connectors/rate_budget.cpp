// The rate budget: header parsing and the pacing models (Shopify's leaky
// bucket, BigCommerce's fixed window, a token bucket per named operation,
// and one for announced rates and the catalog defaults). The table of
// headers is in rate_budget.h.
#include "edge/connectors/rate_budget.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>

namespace onramp::connectors {

namespace {

// Shopify's bucket leaks size/20 per second: 40 → 2/s, 80 → 4/s, 400 → 20/s.
constexpr double kShopifyLeakDivisor = 20;

bool parse_double(const std::string& s, double& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    while (end && (*end == ' ' || *end == '\t')) ++end;
    return end && *end == '\0' && std::isfinite(out);
}

bool parse_int(const std::string& s, int64_t& out) {
    double d = 0;
    if (!parse_double(s, d) || d < 0) return false;
    out = int64_t(d);
    return true;
}

std::string trimmed(const std::string& s) {
    size_t a = s.find_first_not_of(" \t");
    if (a == std::string::npos) return "";
    size_t b = s.find_last_not_of(" \t");
    return s.substr(a, b - a + 1);
}

std::string header(const http::Headers& h, const char* name) {
    auto it = h.find(name);
    return it == h.end() ? std::string() : trimmed(it->second);
}

}  // namespace

int64_t monotonic_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

int64_t parse_retry_after_ms(const std::string& raw, int64_t now_unix) {
    std::string v = trimmed(raw);
    double seconds = 0;
    if (parse_double(v, seconds)) return seconds < 0 ? -1 : int64_t(std::ceil(seconds * 1000));
    // IMF-fixdate, the only HTTP-date form senders may generate (RFC 9110 §5.6.7).
    std::tm tm{};
    const char* end = strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end) return -1;
    int64_t at = int64_t(timegm(&tm));
    return std::max<int64_t>(0, (at - now_unix) * 1000);
}

RateBudget::RateBudget(RateLimit fallback, Clock clock) : clock_(std::move(clock)) {
    if (fallback.requests > 0 && fallback.window_seconds > 0) {
        bucket_.capacity = fallback.requests;
        bucket_.rate = double(fallback.requests) / fallback.window_seconds;
    }
    bucket_.tokens = bucket_.capacity;
    bucket_.at = clock_();
}

double RateBudget::bucket_tokens_at(const Bucket& b, int64_t now) {
    double elapsed = double(std::max<int64_t>(0, now - b.at)) / 1000.0;
    return std::min(b.capacity, b.tokens + b.rate * elapsed);
}

int64_t RateBudget::bucket_wait(const Bucket& b, int64_t now) {
    double tokens = bucket_tokens_at(b, now);
    return tokens < 1 ? int64_t(std::ceil((1 - tokens) / b.rate * 1000.0)) : 0;
}

void RateBudget::bucket_settle(Bucket& b, int64_t now) {
    if (b.in_flight <= 0) return;  // an answer to no request of this bucket's
    b.in_flight -= 1;
    // The platform's bucket is full at most when the request arrives, so
    // after it, and before those still in flight, it holds this much at most.
    b.tokens = std::min(bucket_tokens_at(b, now), b.capacity - 1 - double(b.in_flight));
    b.at = now;
}

void RateBudget::settle_locked(int64_t now, const OperationLimit* op) {
    if (!op) return bucket_settle(bucket_, now);
    Bucket b = operation_locked(*op, now);
    bucket_settle(b, now);
    operations_.insert_or_assign(std::string(op->name), b);
}

RateBudget::Bucket RateBudget::operation_locked(const OperationLimit& op, int64_t now) const {
    if (auto it = operations_.find(op.name); it != operations_.end()) return it->second;
    Bucket b;
    b.capacity = std::max(1.0, op.burst);
    b.rate = op.rate > 0 ? op.rate : 1;
    b.tokens = b.capacity;
    b.at = now;
    return b;
}

int64_t RateBudget::wait_locked(int64_t now, const OperationLimit* op) const {
    double wait = double(std::max<int64_t>(0, blocked_until_ - now));
    if (shopify_) {
        double leak = shopify_size_ / kShopifyLeakDivisor;
        double elapsed = double(std::max<int64_t>(0, now - shopify_at_)) / 1000.0;
        double used = std::max(0.0, shopify_used_ - leak * elapsed);
        double over = used + 1 - shopify_size_;
        if (over > 0) wait = std::max(wait, over / leak * 1000.0);
    }
    if (bc_ && now < bc_reset_at_ && bc_left_ <= 0) wait = std::max(wait, double(bc_reset_at_ - now));
    if (op)
        wait = std::max(wait, double(bucket_wait(operation_locked(*op, now), now)));
    else if (!shopify_ && !bc_)
        wait = std::max(wait, double(bucket_wait(bucket_, now)));
    return int64_t(std::ceil(wait));
}

void RateBudget::count_locked(int64_t now, int64_t wait, const OperationLimit* op) {
    int64_t at = now + wait;
    if (shopify_) {
        double leak = shopify_size_ / kShopifyLeakDivisor;
        double elapsed = double(std::max<int64_t>(0, at - shopify_at_)) / 1000.0;
        shopify_used_ = std::max(0.0, shopify_used_ - leak * elapsed) + 1;
        shopify_at_ = std::max(shopify_at_, at);
    }
    if (bc_) {
        // A request sent after the reset belongs to the next window.
        if (at >= bc_reset_at_) {
            int64_t window = bc_window_ms_ > 0 ? bc_window_ms_ : 1000;
            while (bc_reset_at_ <= at) bc_reset_at_ += window;
            bc_left_ = bc_quota_;
        }
        bc_left_ -= 1;
    }
    if (op) {
        Bucket b = operation_locked(*op, now);
        b.tokens = bucket_tokens_at(b, now) - 1;
        b.at = now;
        b.in_flight += 1;
        operations_.insert_or_assign(std::string(op->name), b);
    } else if (!shopify_ && !bc_) {
        bucket_.tokens = bucket_tokens_at(bucket_, now) - 1;
        bucket_.at = now;
        bucket_.in_flight += 1;
    }
}

int64_t RateBudget::reserve(const OperationLimit* op) {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = clock_();
    int64_t wait = wait_locked(now, op);
    count_locked(now, wait, op);
    ++in_flight_;
    return wait;
}

int64_t RateBudget::peek(const OperationLimit* op) const {
    std::lock_guard<std::mutex> lock(mu_);
    return wait_locked(clock_(), op);
}

void RateBudget::observe(const http::Headers& h, int status, const OperationLimit* op) {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = clock_();
    in_flight_ = std::max<int64_t>(0, in_flight_ - 1);

    std::string call_limit = header(h, "X-Shopify-Shop-Api-Call-Limit");
    if (size_t slash = call_limit.find('/'); slash != std::string::npos) {
        double used = 0, size = 0;
        if (parse_double(call_limit.substr(0, slash), used) && parse_double(call_limit.substr(slash + 1), size) &&
            size > 0) {
            // The count includes this call; the others still in flight may
            // reach Shopify after it counted, so they are counted too. The
            // estimate is re-anchored on every answer and errs high (the
            // count is as of the call, the leak since then not subtracted),
            // so no call needs to be kept spare.
            shopify_ = true;
            shopify_used_ = used + double(in_flight_);
            shopify_size_ = size;
            shopify_at_ = now;
        }
    }

    int64_t left = 0, reset = 0;
    if (parse_int(header(h, "X-Rate-Limit-Requests-Left"), left) &&
        parse_int(header(h, "X-Rate-Limit-Time-Reset-Ms"), reset)) {
        bc_ = true;
        bc_left_ = left;
        bc_reset_at_ = now + reset;
        int64_t quota = 0, window = 0;
        if (parse_int(header(h, "X-Rate-Limit-Requests-Quota"), quota)) bc_quota_ = quota;
        if (parse_int(header(h, "X-Rate-Limit-Time-Window-Ms"), window)) bc_window_ms_ = window;
        if (bc_quota_ < left) bc_quota_ = left;
    }

    settle_locked(now, op);
    double rate = 0;
    bool announced = parse_double(header(h, "x-amzn-RateLimit-Limit"), rate) && rate > 0;
    if (op) {
        // The operation's bucket: the announced rate (it may differ from the
        // documented one, by selling partner or usage plan), the documented
        // burst. A 429 says the platform's bucket is empty, whatever ours
        // believed.
        Bucket b = operation_locked(*op, now);
        b.tokens = bucket_tokens_at(b, now);
        b.at = now;
        if (announced) b.rate = rate;
        if (status == 429) b.tokens = std::min(b.tokens, 0.0);
        operations_.insert_or_assign(std::string(op->name), b);
    } else if (announced) {
        // A rate announced for a call that names no operation (the proxy):
        // the burst is unknown, so assume 1, the one pace that can never
        // overdraw the bucket.
        double tokens = bucket_tokens_at(bucket_, now);
        bucket_.capacity = 1;
        bucket_.rate = rate;
        bucket_.tokens = std::min(tokens, 1.0);
        bucket_.at = now;
    }

    if (status == 429 || status >= 500) {
        for (const char* name : {"Retry-After", "X-Retry-After"}) {
            int64_t ms = parse_retry_after_ms(header(h, name), int64_t(std::time(nullptr)));
            if (ms >= 0) blocked_until_ = std::max(blocked_until_, now + ms);
        }
    }
}

void RateBudget::unanswered(const OperationLimit* op) {
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_ = std::max<int64_t>(0, in_flight_ - 1);
    settle_locked(clock_(), op);
}

RateBudget::State RateBudget::state() const {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = clock_();
    State s;
    s.blocked_ms = std::max<int64_t>(0, blocked_until_ - now);
    s.shopify = shopify_;
    s.shopify_used = shopify_used_;
    s.shopify_size = shopify_size_;
    s.bigcommerce = bc_;
    s.bc_left = bc_left_;
    s.bc_reset_ms = std::max<int64_t>(0, bc_reset_at_ - now);
    s.bucket_tokens = bucket_tokens_at(bucket_, now);
    s.bucket_rate = bucket_.rate;
    return s;
}

RateBudget::OperationState RateBudget::operation_state(const OperationLimit& op) const {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = clock_();
    Bucket b = operation_locked(op, now);
    return {bucket_tokens_at(b, now), b.rate, b.capacity};
}

}  // namespace onramp::connectors
