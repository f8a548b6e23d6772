// Throttles password guessing: one guard, guarded_password_check(), stands
// in front of every password check (sign-in, accepting an invitation as an
// existing account, and any later password change), so no route can check
// a password without being counted.
//
// Policy (README, "API conventions"):
// - Per client address and account *pair*: the first `free_failures` (5)
//   failures cost nothing; after that each attempt must wait a delay that
//   doubles with every further failure (1 s, 2 s, 4 s, ... up to
//   `max_delay_seconds`, 15 minutes) since the pair's last attempt. The
//   right password clears the pair; a pair with no attempt for a day is
//   forgotten.
// - Per client address, across accounts: at most `max_per_address` (20)
//   failed attempts per `window_seconds` (15 minutes).
// - Nothing is per account alone. Security: an account-wide lock would let
//   anyone lock the operator out with five wrong guesses from anywhere;
//   here guesses from elsewhere never delay the owner signing in from an
//   address of their own, while each guessing address is slowed by the
//   growing delay and capped across the accounts it tries. IPv6 addresses
//   count per /64 (RFC 4291 section 2.5.4: one host is usually given a
//   whole /64), so one machine cannot step through its addresses.
// - Counted before the password is checked: begin() checks the limits and
//   counts the attempt in one step under the lock, so N parallel guesses
//   are N attempts and the limit holds; succeeded() gives a right
//   password's count back.
// - Unknown accounts, and accounts without a password, are checked against
//   a dummy hash of the same scrypt cost as real ones, so the time a
//   refusal takes does not tell whether an address has an account.
// In memory on purpose: a restart forgets the counters, which gains an
// attacker no more than waiting out the delays would.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace onramp::auth {

class LoginLimiter {
public:
    int free_failures = 5;             // per address and account, before delays start
    int64_t base_delay_seconds = 1;    // the first delay; each further failure doubles it
    int64_t max_delay_seconds = 900;
    int64_t forget_seconds = 86400;    // a pair with no attempt this long starts over
    int max_per_address = 20;          // failures per window per client address, across accounts
    int64_t window_seconds = 900;

    // Counts an attempt by `address` on `account` and answers 0, or answers
    // the seconds to wait and counts nothing. Check and count are one step
    // under the lock. `account` is compared case-insensitively.
    int64_t begin(const std::string& account, const std::string& address, int64_t now);
    // The attempt begun at `now` had the right password: the pair starts
    // over and the address's count of it is taken back.
    void succeeded(const std::string& account, const std::string& address, int64_t now);

    // A hash of no one's password with the stored form's parameters at
    // cost `log2_n`, made once per cost.
    std::string dummy_hash(int log2_n);

private:
    struct Pair {
        int failures = 0;  // attempts counted since the last success
        int64_t last_at = 0;
    };
    int64_t pair_wait(const Pair& p, int64_t now) const;
    int64_t address_wait(std::deque<int64_t>& events, int64_t now) const;
    void sweep(int64_t now);

    std::mutex mu_;
    std::map<std::pair<std::string, std::string>, Pair> pairs_;  // (address key, account)
    std::map<std::string, std::deque<int64_t>> addresses_;
    int64_t swept_at_ = 0;

    std::mutex dummy_mu_;
    std::map<int, std::string> dummies_;
};

// Caps requests that make the edge e-mail someone (a password reset, an
// invitation proof), per client address (address_key) and per recipient
// in a sliding window, so that neither one client nor many can flood an
// inbox. Counted whether or not the
// recipient has an account, so a refusal tells nothing about one. In
// memory, like LoginLimiter.
class RequestLimiter {
public:
    int64_t window_seconds = 3600;
    int max_per_client = 20;     // per client address, across recipients
    int max_per_recipient = 5;   // per recipient, across client addresses

    // Counts a request from `address` for `recipient` and answers 0, or
    // answers the seconds until both have room and counts nothing.
    int64_t begin(const std::string& address, const std::string& recipient, int64_t now);

private:
    std::mutex mu_;
    std::map<std::string, std::deque<int64_t>> events_;
    int64_t swept_at_ = 0;
};

// The key an address is counted under: IPv4 as written, IPv6 (and IPv4
// written as IPv6) by its /64 prefix; anything unparsable as written.
std::string address_key(const std::string& address);

struct PasswordCheck {
    bool right = false;
    int64_t retry_after = 0;  // > 0: refused before checking; the caller answers 429
};

// The only way a route checks a password. Counts the attempt (begin()),
// then checks `password` against `stored`, the account's hash; nullopt (no
// such account, or one without a password) is checked against the dummy
// hash at `log2_n` and is never right.
PasswordCheck guarded_password_check(LoginLimiter& limiter, const std::string& account, const std::string& address,
                                     const std::string& password, const std::optional<std::string>& stored,
                                     int log2_n, int64_t now);

// The same guard in front of every one-time code check (a TOTP code, a
// recovery code, an e-mailed proof): counted as a password attempt on
// `account`, then `check` runs and says whether the code was right.
PasswordCheck guarded_code_check(LoginLimiter& limiter, const std::string& account, const std::string& address,
                                 const std::function<bool()>& check, int64_t now);

}  // namespace onramp::auth
