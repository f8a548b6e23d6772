#include "edge/auth/login_limiter.h"

namespace onramp::auth {

int64_t LoginLimiter::wait(std::deque<int64_t>& events, int limit, int64_t now) {
    while (!events.empty() && events.front() <= now - window_seconds) events.pop_front();
    if (int(events.size()) < limit) return 0;
    return events.front() + window_seconds - now;
}

int64_t LoginLimiter::retry_after(const std::string& account, const std::string& address, int64_t now) {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t a = wait(accounts_[account], max_per_account, now);
    int64_t b = wait(addresses_[address], max_per_address, now);
    return a > b ? a : b;
}

void LoginLimiter::record_attempt(const std::string& address, int64_t now) {
    std::lock_guard<std::mutex> lock(mu_);
    addresses_[address].push_back(now);
}

void LoginLimiter::record_failure(const std::string& account, int64_t now) {
    std::lock_guard<std::mutex> lock(mu_);
    accounts_[account].push_back(now);
}

void LoginLimiter::record_success(const std::string& account) {
    std::lock_guard<std::mutex> lock(mu_);
    accounts_.erase(account);
}

}  // namespace onramp::auth
