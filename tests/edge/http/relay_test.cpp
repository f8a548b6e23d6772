// Specification of http::Relay: a body handed from the thread that
// receives it to the thread that sends it on, bounded in between.
#include <doctest/doctest.h>

#include <thread>

#include "edge/http/relay.h"

using onramp::http::Relay;

TEST_SUITE("http.relay") {

TEST_CASE("pieces come out in order and the end is whole") {
    Relay relay(1024);
    CHECK(relay.push("one "));
    CHECK(relay.push("two"));
    relay.finish();
    std::string piece, all;
    while (relay.pull(piece)) all += piece;
    CHECK(all == "one two");
    CHECK(relay.cut_reason().empty());
}

TEST_CASE("a receiver ahead of its reader waits for room, so no more than the capacity is held") {
    Relay relay(10);
    std::thread receiver([&] {
        for (int i = 0; i < 50; ++i) REQUIRE(relay.push("0123456789"));  // each piece fills the relay
        relay.finish();
    });
    std::string piece, all;
    int pieces = 0;
    while (relay.pull(piece)) {
        CHECK(piece.size() == 10);
        all += piece;
        ++pieces;
    }
    receiver.join();
    CHECK(pieces == 50);
    CHECK(all.size() == 500);
}

TEST_CASE("a piece larger than the capacity still goes through, alone") {
    Relay relay(4);
    std::thread receiver([&] {
        REQUIRE(relay.push("abcdefgh"));
        REQUIRE(relay.push("ij"));
        relay.finish();
    });
    std::string piece;
    REQUIRE(relay.pull(piece));
    CHECK(piece == "abcdefgh");
    REQUIRE(relay.pull(piece));
    CHECK(piece == "ij");
    CHECK_FALSE(relay.pull(piece));
    receiver.join();
}

TEST_CASE("a cut ends the body with its first reason") {
    Relay relay(1024);
    CHECK(relay.push("part"));
    relay.cut("over_cap");
    relay.cut("platform_dropped");
    CHECK_FALSE(relay.push("more"));
    std::string piece;
    CHECK(relay.pull(piece));
    CHECK_FALSE(relay.pull(piece));
    CHECK(relay.cut_reason() == "over_cap");
}

TEST_CASE("when the reader stops, a receiver waiting for room is released and told") {
    Relay relay(4);
    CHECK(relay.push("full"));
    bool pushed = true;
    std::thread receiver([&] { pushed = relay.push("blocked"); });
    relay.stop();
    receiver.join();
    CHECK_FALSE(pushed);
    CHECK_FALSE(relay.push("x"));
}

}  // TEST_SUITE
