// The SSRF guard: address classes for literal IPv4 and IPv6 addresses
// (including the forms that embed IPv4), localhost, odd numeric spellings,
// and a connector refusing a typed address outside demo mode.
#include <doctest/doctest.h>

#include "edge/connectors/connector.h"
#include "edge/connectors/target.h"

using onramp::connectors::AddressKind;
using onramp::connectors::check_target;
using onramp::connectors::classify_address;
using onramp::connectors::TargetCheck;

namespace {

AddressKind kind_of(const std::string& ip) {
    AddressKind k = AddressKind::public_internet;
    REQUIRE_MESSAGE(classify_address(ip, k), ip);
    return k;
}

}  // namespace

TEST_SUITE("connectors.target") {

TEST_CASE("IPv4 special-purpose blocks are not public") {
    CHECK(kind_of("127.0.0.1") == AddressKind::loopback);
    CHECK(kind_of("127.255.0.9") == AddressKind::loopback);
    CHECK(kind_of("10.1.2.3") == AddressKind::private_net);
    CHECK(kind_of("172.16.0.1") == AddressKind::private_net);
    CHECK(kind_of("172.31.255.255") == AddressKind::private_net);
    CHECK(kind_of("192.168.1.1") == AddressKind::private_net);
    CHECK(kind_of("100.64.0.1") == AddressKind::private_net);
    CHECK(kind_of("169.254.169.254") == AddressKind::link_local);
    CHECK(kind_of("0.0.0.0") == AddressKind::unspecified);
    CHECK(kind_of("224.0.0.1") == AddressKind::multicast);
    CHECK(kind_of("255.255.255.255") == AddressKind::reserved);
    CHECK(kind_of("192.0.2.10") == AddressKind::reserved);
}

TEST_CASE("public IPv4 addresses next to the private blocks are public") {
    CHECK(kind_of("8.8.8.8") == AddressKind::public_internet);
    CHECK(kind_of("172.32.0.1") == AddressKind::public_internet);
    CHECK(kind_of("172.15.255.255") == AddressKind::public_internet);
    CHECK(kind_of("100.128.0.1") == AddressKind::public_internet);
    CHECK(kind_of("11.0.0.1") == AddressKind::public_internet);
}

TEST_CASE("IPv6 scopes, and IPv6 forms that embed an IPv4 address") {
    CHECK(kind_of("::1") == AddressKind::loopback);
    CHECK(kind_of("::") == AddressKind::unspecified);
    CHECK(kind_of("fe80::1") == AddressKind::link_local);
    CHECK(kind_of("fd00::1") == AddressKind::unique_local);
    CHECK(kind_of("fc12:3456::1") == AddressKind::unique_local);
    CHECK(kind_of("ff02::1") == AddressKind::multicast);
    CHECK(kind_of("::ffff:127.0.0.1") == AddressKind::loopback);
    CHECK(kind_of("::ffff:169.254.169.254") == AddressKind::link_local);
    CHECK(kind_of("64:ff9b::10.0.0.1") == AddressKind::private_net);
    CHECK(kind_of("2002:c0a8:0101::1") == AddressKind::private_net);  // 6to4 of 192.168.1.1
    CHECK(kind_of("2001:db8::1") == AddressKind::reserved);
    CHECK(kind_of("2606:4700:4700::1111") == AddressKind::public_internet);
    CHECK(kind_of("::ffff:8.8.8.8") == AddressKind::public_internet);
}

TEST_CASE("URLs with private literal addresses are refused, and the message names no address") {
    for (const char* url : {"https://127.0.0.1/", "https://10.0.0.5:8443/x", "https://[::1]/api",
                            "https://169.254.169.254/latest/meta-data", "https://[fd00::5]/",
                            "https://[::ffff:10.0.0.1]/", "http://0.0.0.0:8080/"}) {
        TargetCheck t = check_target(url, false);
        CHECK_MESSAGE(t.outcome == TargetCheck::Outcome::refused, url);
        CHECK(t.address.empty());
        CHECK(t.message.find("private or local network") != std::string::npos);
    }
}

TEST_CASE("localhost and numeric spellings of loopback are refused") {
    for (const char* url : {"https://localhost/", "https://LOCALHOST:9000/", "http://2130706433/",
                            "http://0x7f.1/", "http://127.1/"}) {
        TargetCheck t = check_target(url, false);
        CHECK_MESSAGE(t.outcome == TargetCheck::Outcome::refused, url);
    }
}

TEST_CASE("a public literal address passes and is pinned") {
    TargetCheck t = check_target("https://93.184.216.34/path", false);
    CHECK(t.outcome == TargetCheck::Outcome::ok);
    CHECK(t.address == "93.184.216.34");
}

TEST_CASE("demo mode allows loopback but still pins the address") {
    TargetCheck t = check_target("http://localhost:8080/", true);
    CHECK(t.outcome == TargetCheck::Outcome::ok);
    CHECK((t.address == "127.0.0.1" || t.address == "::1"));
}

TEST_CASE("a name that does not resolve is a DNS failure") {
    TargetCheck t = check_target("https://no-such-host.invalid/", false);
    CHECK(t.outcome == TargetCheck::Outcome::dns_failure);
    CHECK(t.message.find("no-such-host.invalid") != std::string::npos);
}

TEST_CASE("user-info and other non-URLs are bad URLs") {
    CHECK(check_target("https://user@127.0.0.1/", false).outcome == TargetCheck::Outcome::bad_url);
    CHECK(check_target("ftp://example.com/", false).outcome == TargetCheck::Outcome::bad_url);
}

}
