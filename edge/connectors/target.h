// The server-side request forgery guard for addresses a client types: a
// WooCommerce site, a self-hosted Chatwoot, a custom CRM's base and token
// URLs. Outside demo mode Onramp must not become a way to reach the
// machines next to it (cloud metadata at 169.254.169.254, an admin panel on
// 10.0.0.5, the edge itself on 127.0.0.1).
//
// Security: the host is resolved once, every address it resolves to is
// checked, and the connection is then made to the checked address (the
// request still carries the host name in Host and TLS SNI), so a DNS answer
// that changes between check and connect (DNS rebinding) cannot slip
// through. Redirects are re-checked hop by hop by the caller (transport.cpp).
#pragma once

#include <string>

namespace onramp::connectors {

// Where an IP address points, for the guard.
enum class AddressKind {
    public_internet,
    loopback,       // 127.0.0.0/8, ::1
    private_net,    // 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier NAT), fec0::/10
    link_local,     // 169.254/16 (cloud metadata), fe80::/10
    unique_local,   // fc00::/7
    multicast,      // 224/4, ff00::/8
    unspecified,    // 0.0.0.0/8, ::
    reserved,       // documentation, benchmarking, 240/4, broadcast, other special-purpose blocks
};

// The kind of a numeric IPv4 or IPv6 address ("10.0.0.1", "::1", no
// brackets). IPv6 forms that embed an IPv4 address (::ffff:a.b.c.d, NAT64
// 64:ff9b::/96, 6to4 2002::/16) are judged by the embedded address.
// Returns false when `ip` is not a numeric address.
bool classify_address(const std::string& ip, AddressKind& kind);

const char* describe(AddressKind kind);  // "a loopback address", ...

struct TargetCheck {
    enum class Outcome { ok, bad_url, dns_failure, refused };
    Outcome outcome = Outcome::ok;
    std::string host;      // the URL's host
    std::string address;   // ok: the checked address to connect to
    AddressKind kind = AddressKind::public_internet;  // refused: why (for logs and tests)
    std::string message;   // otherwise: for the client; never names the resolved address
};

// Resolves the host of an absolute http(s) URL and checks every address it
// resolves to. With `allow_private` (demo mode and tests only) nothing is
// refused, but the host is still resolved and pinned.
TargetCheck check_target(const std::string& url, bool allow_private);

}  // namespace onramp::connectors
