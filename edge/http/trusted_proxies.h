// Reverse proxies whose forwarding headers are believed. Behind Caddy or
// nginx every connection comes from the proxy's address; the client's is
// in X-Forwarded-For, which anyone else could forge, so it is read only
// when the connection itself comes from a trusted proxy.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.h"

namespace onramp::http {

// An address block: IPv4 is held as ::ffff:a.b.c.d (RFC 4291 §2.5.5.2),
// so one comparison covers both families.
struct Cidr {
    std::array<uint8_t, 16> bytes{};
    int prefix = 128;  // bits of `bytes` that must match
};

// "10.0.0.0/8", "2001:db8::/32", or one address ("127.0.0.1", "::1").
// 400-style Problem (the caller turns it into a usage error) when not one.
Result<Cidr> parse_cidr(std::string_view text);

// An address in the form the access log and limiters use: IPv4 dotted,
// IPv6 compressed (RFC 5952), an IPv4-mapped IPv6 address as IPv4.
// nullopt when `text` is not an address; "[v6]" and a ":port" after an
// IPv4 address or a bracketed IPv6 one are accepted and dropped.
std::optional<std::string> normalize_address(std::string_view text);

struct ClientOrigin {
    std::string address;
    std::string scheme;  // "http" or "https"
};

class TrustedProxies {
public:
    TrustedProxies() = default;
    explicit TrustedProxies(std::vector<Cidr> blocks) : blocks_(std::move(blocks)) {}
    bool empty() const { return blocks_.empty(); }
    bool contains(std::string_view address) const;

    // Who the request comes from. `peer` is the connection's address;
    // `forwarded_for` every X-Forwarded-For value in order, `forwarded_proto`
    // the last X-Forwarded-Proto. From an untrusted peer the headers are
    // ignored. From a trusted one the client is the right-most
    // X-Forwarded-For address that is not itself a trusted proxy (each proxy
    // appends the address it received from; entries to the left of an
    // untrusted one were written by the client and prove nothing). An entry
    // that is not an address stops the walk at the nearest trusted hop.
    ClientOrigin resolve(const std::string& peer, const std::vector<std::string>& forwarded_for,
                         std::string_view forwarded_proto) const;

private:
    std::vector<Cidr> blocks_;
};

}  // namespace onramp::http
