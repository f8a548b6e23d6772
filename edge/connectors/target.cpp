// The SSRF guard: address classification (RFC 6890 special-purpose
// registries, RFC 4291 IPv6 scopes) and resolve-once checking.
#include "edge/connectors/target.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>

#include "edge/http/client.h"

namespace onramp::connectors {

namespace {

struct V4Block {
    uint32_t base;
    int bits;
    AddressKind kind;
};

constexpr uint32_t ip4(int a, int b, int c, int d) {
    return (uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) | uint32_t(d);
}

// Every IPv4 block that is not the public internet, most specific first
// where they overlap.
constexpr V4Block kV4Blocks[] = {
    {ip4(255, 255, 255, 255), 32, AddressKind::reserved},   // limited broadcast
    {ip4(0, 0, 0, 0), 8, AddressKind::unspecified},         // "this network"
    {ip4(10, 0, 0, 0), 8, AddressKind::private_net},
    {ip4(100, 64, 0, 0), 10, AddressKind::private_net},     // carrier-grade NAT
    {ip4(127, 0, 0, 0), 8, AddressKind::loopback},
    {ip4(169, 254, 0, 0), 16, AddressKind::link_local},     // includes cloud metadata
    {ip4(172, 16, 0, 0), 12, AddressKind::private_net},
    {ip4(192, 0, 0, 0), 24, AddressKind::reserved},         // IETF protocol assignments
    {ip4(192, 0, 2, 0), 24, AddressKind::reserved},         // TEST-NET-1
    {ip4(192, 88, 99, 0), 24, AddressKind::reserved},       // 6to4 relay anycast
    {ip4(192, 168, 0, 0), 16, AddressKind::private_net},
    {ip4(198, 18, 0, 0), 15, AddressKind::reserved},        // benchmarking
    {ip4(198, 51, 100, 0), 24, AddressKind::reserved},      // TEST-NET-2
    {ip4(203, 0, 113, 0), 24, AddressKind::reserved},       // TEST-NET-3
    {ip4(224, 0, 0, 0), 4, AddressKind::multicast},
    {ip4(240, 0, 0, 0), 4, AddressKind::reserved},
};

AddressKind classify_v4(uint32_t a) {
    for (const V4Block& b : kV4Blocks) {
        uint32_t mask = b.bits == 0 ? 0 : ~uint32_t(0) << (32 - b.bits);
        if ((a & mask) == b.base) return b.kind;
    }
    return AddressKind::public_internet;
}

uint32_t v4_at(const unsigned char* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

AddressKind classify_v6(const unsigned char* a) {
    static const unsigned char zero[16] = {};
    if (std::memcmp(a, zero, 16) == 0) return AddressKind::unspecified;
    if (std::memcmp(a, zero, 15) == 0 && a[15] == 1) return AddressKind::loopback;
    // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible form).
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a, mapped, 12) == 0 || std::memcmp(a, zero, 12) == 0) return classify_v4(v4_at(a + 12));
    // NAT64 well-known prefix 64:ff9b::/96 reaches the embedded IPv4 address.
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (std::memcmp(a, nat64, 12) == 0) return classify_v4(v4_at(a + 12));
    // 6to4 2002:AABB:CCDD::/48 tunnels to IPv4 AA.BB.CC.DD.
    if (a[0] == 0x20 && a[1] == 0x02) return classify_v4(v4_at(a + 2));
    if (a[0] == 0xff) return AddressKind::multicast;
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return AddressKind::link_local;
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return AddressKind::private_net;  // site-local (deprecated)
    if ((a[0] & 0xfe) == 0xfc) return AddressKind::unique_local;
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return AddressKind::reserved;  // documentation
    if (a[0] == 0x01 && a[1] == 0 && std::memcmp(a + 2, zero, 6) == 0) return AddressKind::reserved;  // discard 100::/64
    return AddressKind::public_internet;
}

AddressKind classify_sockaddr(const sockaddr* sa) {
    if (sa->sa_family == AF_INET) {
        auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        return classify_v4(ntohl(in->sin_addr.s_addr));
    }
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    return classify_v6(in6->sin6_addr.s6_addr);
}

std::string numeric(const sockaddr* sa, socklen_t len) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (getnameinfo(sa, len, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) != 0) return "";
    return buf;
}

}  // namespace

bool classify_address(const std::string& ip, AddressKind& kind) {
    in_addr v4{};
    if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) {
        kind = classify_v4(ntohl(v4.s_addr));
        return true;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, ip.c_str(), &v6) == 1) {
        kind = classify_v6(v6.s6_addr);
        return true;
    }
    return false;
}

const char* describe(AddressKind kind) {
    switch (kind) {
    case AddressKind::public_internet: return "a public address";
    case AddressKind::loopback: return "this server itself (a loopback address)";
    case AddressKind::private_net: return "a private network address";
    case AddressKind::link_local: return "a link-local address";
    case AddressKind::unique_local: return "a private network address";
    case AddressKind::multicast: return "a multicast address";
    case AddressKind::unspecified: return "an unspecified address";
    case AddressKind::reserved: return "a reserved address";
    }
    return "a non-public address";
}

TargetCheck check_target(const std::string& url, bool allow_private) {
    TargetCheck out;
    http::ParsedUrl u;
    if (!http::parse_url(url, u)) {
        out.outcome = TargetCheck::Outcome::bad_url;
        out.message = "The address is not a valid web address.";
        return out;
    }
    out.host = u.host;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    // getaddrinfo also reads the odd numeric forms ("2130706433",
    // "0x7f.1"), so they are judged by the address they really are.
    if (getaddrinfo(u.host.c_str(), nullptr, &hints, &res) != 0 || !res) {
        out.outcome = TargetCheck::Outcome::dns_failure;
        out.message = "The host name " + u.host + " does not exist. Check the address for typos.";
        return out;
    }
    // Security: every address must pass, not only the first, so a name with
    // one public and one private record cannot be used to reach the latter.
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
        AddressKind kind = classify_sockaddr(ai->ai_addr);
        if (kind != AddressKind::public_internet && !allow_private) {
            out.outcome = TargetCheck::Outcome::refused;
            // Security: the message says no more than "not public", so it
            // cannot be used to map which internal names exist.
            out.kind = kind;
            out.message = "The address " + u.host +
                          " points to a private or local network, which Onramp does not connect to. "
                          "Use the public address of the service.";
            out.address.clear();
            break;
        }
        if (out.address.empty()) out.address = numeric(ai->ai_addr, ai->ai_addrlen);
    }
    freeaddrinfo(res);
    if (out.outcome == TargetCheck::Outcome::ok && out.address.empty()) {
        out.outcome = TargetCheck::Outcome::dns_failure;
        out.message = "The host name " + u.host + " has no usable address.";
    }
    return out;
}

}  // namespace onramp::connectors
