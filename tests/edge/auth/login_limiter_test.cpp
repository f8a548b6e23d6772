// Specification of the sign-in guard (edge/auth/login_limiter.h): attempts
// are counted before the password is checked, per address and account pair
// with a growing delay, capped per address across accounts, and unknown
// accounts cost as much to check as real ones.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "edge/auth/login_limiter.h"
#include "edge/auth/passwords.h"

using namespace onramp::auth;

namespace {

constexpr int64_t kNow = 1'800'000'000;

}  // namespace

TEST_SUITE("auth.login_limiter") {

TEST_CASE("attempts are counted when they begin: of sixteen begun before any is checked, five go ahead") {
    LoginLimiter l;
    int allowed = 0;
    for (int i = 0; i < 16; ++i) allowed += l.begin("op@onramp.test", "198.51.100.7", kNow) == 0;
    CHECK(allowed == 5);
}

TEST_CASE("sixteen parallel wrong guesses get five password checks") {
    LoginLimiter l;
    const std::string stored = hash_password("the-right-one", 10);
    std::atomic<int> checked{0}, refused{0}, right{0};
    std::vector<std::thread> guesses;
    for (int i = 0; i < 16; ++i)
        guesses.emplace_back([&, i] {
            PasswordCheck c =
                guarded_password_check(l, "op@onramp.test", "198.51.100.7", "guess-" + std::to_string(i), stored, 10, kNow);
            right += c.right;
            (c.retry_after > 0 ? refused : checked) += 1;
        });
    for (std::thread& g : guesses) g.join();
    CHECK(checked == 5);
    CHECK(refused == 11);
    CHECK(right == 0);
}

TEST_CASE("failures from one address never delay the account at another") {
    LoginLimiter l;
    for (int i = 0; i < 40; ++i) l.begin("OP@onramp.test", "203.0.113.9", kNow + i * 1000);
    CHECK(l.begin("op@onramp.test", "203.0.113.9", kNow + 39 * 1000) > 0);
    CHECK(l.begin("op@onramp.test", "198.51.100.7", kNow + 39 * 1000) == 0);
}

TEST_CASE("past five failures each attempt waits twice as long as the one before, up to the cap") {
    LoginLimiter l;
    l.max_per_address = 1000;  // the address cap is another test's subject
    for (int i = 0; i < 5; ++i) REQUIRE(l.begin("ann@acme.test", "198.51.100.7", kNow) == 0);
    int64_t t = kNow;
    for (int k = 0; k < 14; ++k) {
        CAPTURE(k);
        int64_t wait = l.begin("ann@acme.test", "198.51.100.7", t);
        CHECK(wait == std::min<int64_t>(l.max_delay_seconds, int64_t(1) << k));
        CHECK(l.begin("ann@acme.test", "198.51.100.7", t + wait - 1) > 0);
        t += wait;
        REQUIRE(l.begin("ann@acme.test", "198.51.100.7", t) == 0);
    }
}

TEST_CASE("the right password starts the pair over and takes its attempt back from the address") {
    LoginLimiter l;
    l.max_per_address = 7;
    for (int i = 0; i < 5; ++i) l.begin("ann@acme.test", "198.51.100.7", kNow);
    REQUIRE(l.begin("ann@acme.test", "198.51.100.7", kNow + 1) == 0);
    l.succeeded("ann@acme.test", "198.51.100.7", kNow + 1);
    // Without the reset the pair would wait 2 s here.
    CHECK(l.begin("ann@acme.test", "198.51.100.7", kNow + 1) == 0);
    // The address counts 6 of its 7 now: the success was taken back.
    CHECK(l.begin("bob@acme.test", "198.51.100.7", kNow + 1) == 0);
    CHECK(l.begin("cy@acme.test", "198.51.100.7", kNow + 1) > 0);
}

TEST_CASE("one address is capped across accounts; another address is not") {
    LoginLimiter l;
    for (int i = 0; i < 20; ++i) REQUIRE(l.begin("u" + std::to_string(i) + "@x.test", "203.0.113.9", kNow) == 0);
    int64_t wait = l.begin("u99@x.test", "203.0.113.9", kNow + 10);
    CHECK(wait == l.window_seconds - 10);
    CHECK(l.begin("u99@x.test", "198.51.100.7", kNow + 10) == 0);
    CHECK(l.begin("u99@x.test", "203.0.113.9", kNow + l.window_seconds) == 0);
}

TEST_CASE("a pair left alone for a day starts over") {
    LoginLimiter l;
    for (int i = 0; i < 8; ++i) l.begin("ann@acme.test", "198.51.100.7", kNow + i * 1000);
    CHECK(l.begin("ann@acme.test", "198.51.100.7", kNow + 7000) > 0);
    int64_t later = kNow + 7000 + l.forget_seconds;
    for (int i = 0; i < 5; ++i) CHECK(l.begin("ann@acme.test", "198.51.100.7", later) == 0);
}

TEST_CASE("IPv6 addresses count per /64; IPv4, also written as IPv6, per address") {
    CHECK(address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::2"));
    CHECK(address_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64");
    CHECK(address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1"));
    CHECK(address_key("::ffff:198.51.100.7") == "198.51.100.7");
    CHECK(address_key("198.51.100.7") == "198.51.100.7");
    CHECK(address_key("fe80::1%eth0") == "fe80::/64");
    CHECK(address_key("not an address") == "not an address");

    LoginLimiter l;
    for (int i = 0; i < 20; ++i) l.begin("u" + std::to_string(i) + "@x.test", "2001:db8::" + std::to_string(i + 1), kNow);
    CHECK(l.begin("u99@x.test", "2001:db8::ffff", kNow) > 0);
}

TEST_CASE("an unknown account is checked against a dummy hash of the real cost, and is never right") {
    LoginLimiter l;
    CHECK(l.dummy_hash(11).rfind("scrypt$11$", 0) == 0);
    CHECK(l.dummy_hash(12).rfind("scrypt$12$", 0) == 0);
    CHECK(l.dummy_hash(11) == l.dummy_hash(11));  // made once per cost
    PasswordCheck c = guarded_password_check(l, "nobody@x.test", "198.51.100.7", "anything", std::nullopt, 11, kNow);
    CHECK_FALSE(c.right);
    CHECK(c.retry_after == 0);
}

TEST_CASE("a right password is right, and is counted only while it is checked") {
    LoginLimiter l;
    const std::string stored = hash_password("the-right-one", 10);
    for (int i = 0; i < 4; ++i)
        CHECK_FALSE(guarded_password_check(l, "ann@acme.test", "198.51.100.7", "wrong", stored, 10, kNow).right);
    CHECK(guarded_password_check(l, "Ann@Acme.test", "198.51.100.7", "the-right-one", stored, 10, kNow).right);
    for (int i = 0; i < 5; ++i) CHECK(l.begin("ann@acme.test", "198.51.100.7", kNow) == 0);
}

}  // TEST_SUITE
