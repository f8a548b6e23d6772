// Specification of trusted reverse proxies: which peers' forwarding headers
// are believed, and which X-Forwarded-For entry is the client.
#include <doctest/doctest.h>

#include "edge/http/trusted_proxies.h"

using namespace onramp;
using namespace onramp::http;

namespace {

TrustedProxies proxies(std::initializer_list<const char*> blocks) {
    std::vector<Cidr> out;
    for (const char* b : blocks) {
        auto c = parse_cidr(b);
        REQUIRE_MESSAGE(c, b);
        out.push_back(*c);
    }
    return TrustedProxies(std::move(out));
}

}  // namespace

TEST_SUITE("http.trusted_proxies") {

TEST_CASE("address blocks in IPv4 and IPv6, and single addresses, parse; anything else is refused") {
    TrustedProxies p = proxies({"10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1"});
    CHECK(p.contains("10.200.3.4"));
    CHECK_FALSE(p.contains("11.0.0.1"));
    CHECK(p.contains("192.168.1.7"));
    CHECK_FALSE(p.contains("192.168.1.8"));
    CHECK(p.contains("2001:db8:ffff::1"));
    CHECK_FALSE(p.contains("2001:db9::1"));
    CHECK(p.contains("::1"));
    CHECK(p.contains("::ffff:10.1.2.3"));  // an IPv4-mapped peer is the IPv4 address
    for (const char* bad : {"", "10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "::/129", "example.com", "10.0.0.0/8x"})
        CHECK_FALSE_MESSAGE(parse_cidr(bad), bad);
}

TEST_CASE("from an untrusted peer the forwarding headers are ignored") {
    TrustedProxies p = proxies({"127.0.0.1"});
    ClientOrigin o = p.resolve("198.51.100.9", {"203.0.113.7"}, "https");
    CHECK(o.address == "198.51.100.9");
    CHECK(o.scheme == "http");
    CHECK(TrustedProxies().resolve("127.0.0.1", {"203.0.113.7"}, "https").address == "127.0.0.1");
}

TEST_CASE("from a trusted peer the client is the right-most address that is not a trusted proxy") {
    TrustedProxies p = proxies({"127.0.0.1", "10.0.0.0/8"});
    // The left-most entry is whatever the client claimed: never believed
    // over an address a trusted proxy appended.
    ClientOrigin o = p.resolve("127.0.0.1", {"1.1.1.1, 203.0.113.7", "10.0.0.5"}, "https");
    CHECK(o.address == "203.0.113.7");
    CHECK(o.scheme == "https");
    CHECK(p.resolve("127.0.0.1", {"[2001:db8::7]:4431"}, "").address == "2001:db8::7");
    CHECK(p.resolve("127.0.0.1", {"203.0.113.7:5555"}, "").address == "203.0.113.7");
    // Every hop trusted: the farthest one is the client.
    CHECK(p.resolve("127.0.0.1", {"10.0.0.1, 10.0.0.2"}, "").address == "10.0.0.1");
    // No header: the proxy itself.
    CHECK(p.resolve("127.0.0.1", {}, "").address == "127.0.0.1");
}

TEST_CASE("an entry that is not an address stops at the nearest trusted hop; an odd scheme is ignored") {
    TrustedProxies p = proxies({"127.0.0.1", "10.0.0.0/8"});
    CHECK(p.resolve("127.0.0.1", {"203.0.113.7, unknown, 10.0.0.5"}, "").address == "10.0.0.5");
    CHECK(p.resolve("127.0.0.1", {"garbage"}, "").address == "127.0.0.1");
    CHECK(p.resolve("127.0.0.1", {}, "gopher").scheme == "http");
    CHECK(p.resolve("127.0.0.1", {}, "http, https").scheme == "https");
}

TEST_CASE("addresses are normalized the way the access log shows them") {
    CHECK(normalize_address("::FFFF:1.2.3.4") == "1.2.3.4");
    CHECK(normalize_address("2001:0db8:0000::0001") == "2001:db8::1");
    CHECK(normalize_address(" 1.2.3.4 ") == "1.2.3.4");
    CHECK_FALSE(normalize_address("1.2.3"));
    CHECK_FALSE(normalize_address("[::1"));
}

}  // TEST_SUITE
