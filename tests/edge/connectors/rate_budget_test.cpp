// The rate budget on a fake clock: each platform's headers, the catalog
// default, per-operation buckets, Retry-After in both forms, and the
// longest wait winning.
#include <doctest/doctest.h>

#include "edge/connectors/rate_budget.h"

#include <algorithm>
#include <functional>

using onramp::connectors::OperationLimit;
using onramp::connectors::parse_retry_after_ms;
using onramp::connectors::RateBudget;
using onramp::connectors::RateLimit;
using onramp::http::Headers;

namespace {

struct FakeClock {
    int64_t now = 1000000;
    RateBudget::Clock fn() {
        return [this] { return now; };
    }
};

// The platform's side of a token bucket: it takes a token when a request
// arrives, and refuses (a 429) one that finds none.
struct PlatformBucket {
    double size = 1, rate = 1;  // tokens; tokens per second
    double tokens = 1;
    int64_t at = 0;
    bool arrive(int64_t t) {
        tokens = std::min(size, tokens + rate * double(t - at) / 1000.0);
        at = t;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
};

// Sends `n` calls of `op` one after another, each sent when the budget says,
// reaching the platform `flight(i)` ms later and answered as it arrives.
// Returns how many the platform refused.
int send_in_turn(RateBudget& b, FakeClock& clock, const OperationLimit& op, PlatformBucket& platform, int n,
                 const std::function<int64_t(int)>& flight) {
    int refused = 0;
    for (int i = 0; i < n; ++i) {
        clock.now += b.reserve(&op);
        clock.now += flight(i);
        bool took = platform.arrive(clock.now);
        refused += !took;
        b.observe(Headers{}, took ? 200 : 429, &op);
    }
    return refused;
}

}  // namespace

TEST_SUITE("connectors.rate_budget") {

TEST_CASE("the catalog default is a token bucket: a burst of `requests`, then one per window/requests") {
    FakeClock clock;
    RateBudget b(RateLimit{3, 3}, clock.fn());  // 3 per 3 s
    CHECK(b.reserve() == 0);
    CHECK(b.reserve() == 0);
    CHECK(b.reserve() == 0);
    CHECK(b.reserve() == 1000);  // the fourth waits for one token
    CHECK(b.reserve() == 2000);  // and the fifth queues behind it
    clock.now += 3000;            // the two queued ones have gone; one token is back
    CHECK(b.peek() == 0);
}

TEST_CASE("no default means one request per second") {
    FakeClock clock;
    RateBudget b(RateLimit{}, clock.fn());
    CHECK(b.reserve() == 0);
    CHECK(b.reserve() == 1000);
}

TEST_CASE("Shopify's call limit: the bucket fills to its size, then waits for the leak") {
    FakeClock clock;
    RateBudget b(RateLimit{2, 1}, clock.fn());
    b.reserve();
    b.observe(Headers{{"X-Shopify-Shop-Api-Call-Limit", "38/40"}}, 200);
    CHECK(b.reserve() == 0);    // 39 of 40
    CHECK(b.reserve() == 0);    // 40 of 40: the whole bucket is used, none kept spare
    CHECK(b.reserve() == 500);  // 41 would overflow it: wait for 1 call to leak at 2/s
    clock.now += 5000;          // 10 calls leaked
    CHECK(b.peek() == 0);
    CHECK(b.state().shopify);
}

TEST_CASE("Shopify's count in an answer is topped up by the calls still in flight") {
    FakeClock clock;
    RateBudget b(RateLimit{2, 1}, clock.fn());
    b.reserve();
    b.reserve();  // two calls sent; the first one's answer counts only itself
    b.observe(Headers{{"X-Shopify-Shop-Api-Call-Limit", "39/40"}}, 200);
    CHECK(b.state().shopify_used == 40);
    CHECK(b.reserve() == 500);
    b.observe(Headers{{"X-Shopify-Shop-Api-Call-Limit", "40/40"}}, 200);
    b.observe(Headers{{"X-Shopify-Shop-Api-Call-Limit", "40/40"}}, 200);
    CHECK(b.state().shopify_used == 40);  // nothing in flight any more
}

TEST_CASE("a call that got no answer is no longer counted as in flight") {
    FakeClock clock;
    RateBudget b(RateLimit{2, 1}, clock.fn());
    b.reserve();
    b.reserve();
    b.unanswered();  // the connection failed
    b.observe(Headers{{"X-Shopify-Shop-Api-Call-Limit", "39/40"}}, 200);
    CHECK(b.state().shopify_used == 39);
}

TEST_CASE("Shopify's bucket size sets its leak rate (80 leaks 4/s)") {
    FakeClock clock;
    RateBudget b({}, clock.fn());
    b.observe(Headers{{"X-Shopify-Shop-Api-Call-Limit", "80/80"}}, 200);
    CHECK(b.reserve() == 250);
}

TEST_CASE("BigCommerce's window: go while requests are left, then wait for the reset") {
    FakeClock clock;
    RateBudget b({}, clock.fn());
    b.observe(Headers{{"X-Rate-Limit-Requests-Left", "2"},
                      {"X-Rate-Limit-Time-Reset-Ms", "12000"},
                      {"X-Rate-Limit-Requests-Quota", "150"},
                      {"X-Rate-Limit-Time-Window-Ms", "30000"}},
              200);
    CHECK(b.reserve() == 0);
    CHECK(b.reserve() == 0);
    CHECK(b.reserve() == 12000);  // the window is spent
    CHECK(b.state().bc_left == 149);  // the waiting request opened the next window
    clock.now += 12000;
    CHECK(b.reserve() == 0);
}

TEST_CASE("an announced rate for a call naming no operation paces at that rate, one at a time") {
    FakeClock clock;
    RateBudget b(RateLimit{100, 1}, clock.fn());
    b.observe(Headers{{"x-amzn-RateLimit-Limit", "0.5"}}, 200);
    CHECK(b.reserve() == 0);
    CHECK(b.reserve() == 2000);
}

TEST_CASE("an operation's calls use its documented burst at once, then its rate") {
    FakeClock clock;
    RateBudget b(RateLimit{1, 1}, clock.fn());
    const OperationLimit op{"listOrders", 0.5, 20};
    for (int i = 0; i < 20; ++i) CHECK(b.reserve(&op) == 0);
    CHECK(b.reserve(&op) == 2000);
    CHECK(b.reserve(&op) == 4000);  // queued behind the one before
}

TEST_CASE("the rate an answer announces replaces the documented one; the burst stays") {
    FakeClock clock;
    RateBudget b(RateLimit{1, 1}, clock.fn());
    const OperationLimit op{"listOrders", 0.5, 20};
    CHECK(b.reserve(&op) == 0);
    b.observe(Headers{{"x-amzn-RateLimit-Limit", "0.25"}}, 200, &op);
    CHECK(b.operation_state(op).rate == doctest::Approx(0.25));
    CHECK(b.operation_state(op).burst == 20);
    for (int i = 0; i < 19; ++i) CHECK(b.reserve(&op) == 0);
    CHECK(b.reserve(&op) == 4000);
    clock.now += 3600 * 1000;  // an hour: refilled to the burst, not beyond
    CHECK(b.operation_state(op).tokens == doctest::Approx(20));
}

TEST_CASE("each operation has a bucket of its own") {
    FakeClock clock;
    RateBudget b(RateLimit{1, 1}, clock.fn());
    const OperationLimit slow{"listOrders", 0.0167, 2}, fast{"listItems", 5, 5};
    CHECK(b.reserve(&slow) == 0);
    CHECK(b.reserve(&slow) == 0);
    CHECK(b.reserve(&slow) > 59000);  // its burst is spent
    for (int i = 0; i < 5; ++i) CHECK(b.reserve(&fast) == 0);  // the other's is whole
    CHECK(b.reserve() == 0);  // and so is the default bucket
}

TEST_CASE("a 429 for an operation empties its bucket") {
    FakeClock clock;
    RateBudget b(RateLimit{1, 1}, clock.fn());
    const OperationLimit op{"listOrders", 0.5, 20};
    CHECK(b.reserve(&op) == 0);
    b.observe(Headers{{"x-amzn-RateLimit-Limit", "0.5"}}, 429, &op);  // another client drained it
    CHECK(b.peek(&op) == 2000);
}

TEST_CASE("a call that reaches the platform late does not let the next one, paced from its send, arrive too early") {
    FakeClock clock;
    RateBudget b(RateLimit{1, 1}, clock.fn());
    const OperationLimit op{"getOrders", 1, 1};
    PlatformBucket platform{1, 1, 1, clock.now};

    // Sent at once, but on a loaded machine it reaches the platform (and is
    // answered) 900 ms later; the platform's full bucket refilled nothing
    // meanwhile.
    CHECK(b.reserve(&op) == 0);
    clock.now += 900;
    REQUIRE(platform.arrive(clock.now));
    b.observe(Headers{}, 200, &op);

    // The next, sent when the budget says and arriving at once, finds a token.
    int64_t wait = b.reserve(&op);
    CHECK(wait == 1000);
    clock.now += wait;
    CHECK(platform.arrive(clock.now));
}

TEST_CASE("calls held in flight for different times draw no 429 from a bucket that counts them on arrival") {
    FakeClock clock;
    RateBudget b(RateLimit{1, 1}, clock.fn());
    const OperationLimit op{"searchListingsItems", 5, 5};
    PlatformBucket platform{5, 5, 5, clock.now};
    const int64_t flights[] = {0, 0, 150, 0, 3, 400, 0, 0, 1200, 1, 0, 90};
    CHECK(send_in_turn(b, clock, op, platform, 120, [&](int i) { return flights[i % 12]; }) == 0);
}

TEST_CASE("calls answered at once keep the full pace: the burst at once, then one per 1/rate") {
    FakeClock clock;
    RateBudget b(RateLimit{1, 1}, clock.fn());
    const OperationLimit op{"searchListingsItems", 5, 5};
    PlatformBucket platform{5, 5, 5, clock.now};
    int64_t start = clock.now;
    CHECK(send_in_turn(b, clock, op, platform, 105, [](int) { return 0; }) == 0);
    CHECK(clock.now - start == 100 * 200);
}

TEST_CASE("a call that got no answer may have arrived: the next waits as after an answer") {
    FakeClock clock;
    RateBudget b(RateLimit{1, 1}, clock.fn());
    const OperationLimit op{"getOrders", 1, 1};
    CHECK(b.reserve(&op) == 0);
    clock.now += 900;
    b.unanswered(&op);  // the connection failed after the request went out
    CHECK(b.peek(&op) == 1000);
}

TEST_CASE("Retry-After on a 429 blocks until then, in seconds, fractions or an HTTP-date") {
    FakeClock clock;
    RateBudget b(RateLimit{100, 1}, clock.fn());
    b.observe(Headers{{"Retry-After", "2.0"}}, 429);
    CHECK(b.peek() == 2000);
    b.observe(Headers{{"Retry-After", "1"}}, 429);
    CHECK(b.peek() == 2000);  // a shorter wait never shortens a longer one
    CHECK(parse_retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470) == 10000);
    CHECK(parse_retry_after_ms("0.25", 0) == 250);
    CHECK(parse_retry_after_ms("soon", 0) == -1);
}

TEST_CASE("Retry-After on a success is ignored") {
    FakeClock clock;
    RateBudget b(RateLimit{100, 1}, clock.fn());
    b.observe(Headers{{"Retry-After", "30"}}, 200);
    CHECK(b.peek() == 0);
}

TEST_CASE("when several speak, the longest wait wins") {
    FakeClock clock;
    RateBudget b({}, clock.fn());
    b.observe(Headers{{"X-Rate-Limit-Requests-Left", "0"},
                      {"X-Rate-Limit-Time-Reset-Ms", "3000"},
                      {"X-Rate-Limit-Requests-Quota", "150"},
                      {"X-Rate-Limit-Time-Window-Ms", "30000"},
                      {"X-Retry-After", "5"}},
              429);
    CHECK(b.peek() == 5000);
    clock.now += 5000;
    CHECK(b.peek() == 0);
}

TEST_CASE("malformed headers change nothing") {
    FakeClock clock;
    RateBudget b(RateLimit{10, 1}, clock.fn());
    b.observe(Headers{{"X-Shopify-Shop-Api-Call-Limit", "lots"},
                      {"X-Rate-Limit-Requests-Left", "-"},
                      {"x-amzn-RateLimit-Limit", "0"}},
              200);
    CHECK_FALSE(b.state().shopify);
    CHECK_FALSE(b.state().bigcommerce);
    CHECK(b.reserve() == 0);
}

}
