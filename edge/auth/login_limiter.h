// Throttles password guessing: failed logins are counted per account and
// per client address in a sliding window; past the limit, login answers 429
// with Retry-After even for the right password, so guessing gains nothing.
// In memory on purpose: a restart forgets the counters, which costs an
// attacker nothing they could not get by waiting out the window.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace onramp::auth {

class LoginLimiter {
public:
    int max_per_account = 5;   // failures per window per e-mail
    int max_per_address = 20;  // attempts per window per client address
    int64_t window_seconds = 900;

    // Seconds to wait before another attempt, or 0 when allowed.
    int64_t retry_after(const std::string& account, const std::string& address, int64_t now);
    void record_attempt(const std::string& address, int64_t now);
    void record_failure(const std::string& account, int64_t now);
    void record_success(const std::string& account);

private:
    int64_t wait(std::deque<int64_t>& events, int limit, int64_t now);
    std::mutex mu_;
    std::map<std::string, std::deque<int64_t>> accounts_;
    std::map<std::string, std::deque<int64_t>> addresses_;
};

}  // namespace onramp::auth
