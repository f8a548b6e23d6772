#include "edge/auth/login_limiter.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "edge/auth/passwords.h"

namespace onramp::auth {

namespace {

// How often the maps are swept of pairs and addresses that no longer count.
constexpr int64_t kSweepSeconds = 60;

std::string lower(std::string s) {
    for (char& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

}  // namespace

std::string address_key(const std::string& address) {
    std::string host = address.substr(0, address.find('%'));  // a zone ("fe80::1%eth0") names no other host
    unsigned char v6[16];
    if (host.find(':') == std::string::npos || inet_pton(AF_INET6, host.c_str(), v6) != 1) return address;
    char text[INET6_ADDRSTRLEN] = {};
    bool v4_mapped = std::all_of(v6, v6 + 10, [](unsigned char b) { return b == 0; }) && v6[10] == 0xff &&
                     v6[11] == 0xff;
    if (v4_mapped) return inet_ntop(AF_INET, v6 + 12, text, sizeof text) ? std::string(text) : address;
    std::fill(v6 + 8, v6 + 16, 0);
    return inet_ntop(AF_INET6, v6, text, sizeof text) ? std::string(text) + "/64" : address;
}

int64_t LoginLimiter::pair_wait(const Pair& p, int64_t now) const {
    if (p.failures < free_failures) return 0;
    int doublings = std::min(p.failures - free_failures, 30);
    int64_t delay = std::min(max_delay_seconds, base_delay_seconds << doublings);
    int64_t ready = p.last_at + delay;
    return ready > now ? ready - now : 0;
}

int64_t LoginLimiter::address_wait(std::deque<int64_t>& events, int64_t now) const {
    while (!events.empty() && events.front() <= now - window_seconds) events.pop_front();
    if (int(events.size()) < max_per_address) return 0;
    return events.front() + window_seconds - now;
}

void LoginLimiter::sweep(int64_t now) {
    for (auto it = pairs_.begin(); it != pairs_.end();)
        it = now - it->second.last_at >= forget_seconds ? pairs_.erase(it) : std::next(it);
    for (auto it = addresses_.begin(); it != addresses_.end();) {
        address_wait(it->second, now);  // drops the events that left the window
        it = it->second.empty() ? addresses_.erase(it) : std::next(it);
    }
    swept_at_ = now;
}

int64_t LoginLimiter::begin(const std::string& account, const std::string& address, int64_t now) {
    std::lock_guard<std::mutex> lock(mu_);
    if (now - swept_at_ >= kSweepSeconds) sweep(now);
    std::string key = address_key(address);
    std::pair<std::string, std::string> id{key, lower(account)};
    // A refused attempt adds no entry: guessing at a locked pair or address
    // costs no memory.
    Pair pair;
    if (auto it = pairs_.find(id); it != pairs_.end() && now - it->second.last_at < forget_seconds) pair = it->second;
    std::deque<int64_t> none;
    auto events = addresses_.find(key);
    int64_t wait = std::max(pair_wait(pair, now), address_wait(events == addresses_.end() ? none : events->second, now));
    if (wait > 0) return wait;
    pair.failures += 1;
    pair.last_at = now;
    pairs_[id] = pair;
    addresses_[key].push_back(now);
    return 0;
}

void LoginLimiter::succeeded(const std::string& account, const std::string& address, int64_t now) {
    std::lock_guard<std::mutex> lock(mu_);
    std::string key = address_key(address);
    pairs_.erase({key, lower(account)});
    auto events = addresses_.find(key);
    if (events == addresses_.end()) return;
    auto counted = std::find(events->second.rbegin(), events->second.rend(), now);
    if (counted != events->second.rend()) events->second.erase(std::next(counted).base());
}

int64_t RequestLimiter::begin(const std::string& address, const std::string& recipient, int64_t now) {
    const std::pair<std::string, int> keys[] = {{"client " + address_key(address), max_per_client},
                                                {"to " + lower(recipient), max_per_recipient}};
    std::lock_guard<std::mutex> lock(mu_);
    auto drop_old = [&](std::deque<int64_t>& events) {
        while (!events.empty() && events.front() <= now - window_seconds) events.pop_front();
    };
    if (now - swept_at_ >= kSweepSeconds) {
        for (auto it = events_.begin(); it != events_.end();) {
            drop_old(it->second);
            it = it->second.empty() ? events_.erase(it) : std::next(it);
        }
        swept_at_ = now;
    }
    int64_t wait = 0;
    for (const auto& [key, max] : keys) {
        auto it = events_.find(key);
        if (it == events_.end()) continue;
        drop_old(it->second);
        if (int(it->second.size()) >= max) wait = std::max(wait, it->second.front() + window_seconds - now);
    }
    if (wait > 0) return wait;
    for (const auto& [key, max] : keys) events_[key].push_back(now);
    return 0;
}

std::string LoginLimiter::dummy_hash(int log2_n) {
    std::lock_guard<std::mutex> lock(dummy_mu_);
    auto it = dummies_.find(log2_n);
    if (it == dummies_.end()) it = dummies_.emplace(log2_n, hash_password(generate_password(), log2_n)).first;
    return it->second;
}

PasswordCheck guarded_password_check(LoginLimiter& limiter, const std::string& account, const std::string& address,
                                     const std::string& password, const std::optional<std::string>& stored,
                                     int log2_n, int64_t now) {
    PasswordCheck out;
    out.retry_after = limiter.begin(account, address, now);
    if (out.retry_after > 0) return out;
    if (stored)
        out.right = verify_password(password, *stored);
    else
        verify_password(password, limiter.dummy_hash(log2_n));  // the same work, never right
    if (out.right) limiter.succeeded(account, address, now);
    return out;
}

PasswordCheck guarded_code_check(LoginLimiter& limiter, const std::string& account, const std::string& address,
                                 const std::function<bool()>& check, int64_t now) {
    PasswordCheck out;
    out.retry_after = limiter.begin(account, address, now);
    if (out.retry_after > 0) return out;
    out.right = check();
    if (out.right) limiter.succeeded(account, address, now);
    return out;
}

}  // namespace onramp::auth
