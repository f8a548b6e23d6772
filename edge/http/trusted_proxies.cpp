// Trusted reverse proxies and the client address behind them (see
// trusted_proxies.h).
#include "edge/http/trusted_proxies.h"

#include <arpa/inet.h>

#include <cstring>

#include "edge/http/header_text.h"

namespace onramp::http {

namespace {

// The address's 16 bytes, IPv4 mapped into IPv6.
std::optional<std::array<uint8_t, 16>> address_bytes(std::string_view text) {
    std::string s(text);
    std::array<uint8_t, 16> out{};
    in_addr v4;
    if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
        out[10] = out[11] = 0xff;
        std::memcpy(out.data() + 12, &v4, 4);
        return out;
    }
    in6_addr v6;
    if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        std::memcpy(out.data(), &v6, 16);
        return out;
    }
    return std::nullopt;
}

bool is_v4_mapped(const std::array<uint8_t, 16>& b) {
    for (int i = 0; i < 10; ++i)
        if (b[i]) return false;
    return b[10] == 0xff && b[11] == 0xff;
}

std::string format(const std::array<uint8_t, 16>& b) {
    char buf[INET6_ADDRSTRLEN];
    if (is_v4_mapped(b)) return inet_ntop(AF_INET, b.data() + 12, buf, sizeof buf);
    return inet_ntop(AF_INET6, b.data(), buf, sizeof buf);
}

// "[::1]:443" -> "::1"; "1.2.3.4:80" -> "1.2.3.4"; anything else as it is.
std::string_view strip_port(std::string_view s) {
    if (!s.empty() && s.front() == '[') {
        size_t close = s.find(']');
        if (close == std::string_view::npos) return s;
        std::string_view rest = s.substr(close + 1);
        if (!rest.empty() && (rest[0] != ':' || rest.size() == 1)) return s;
        return s.substr(1, close - 1);
    }
    size_t colon = s.find(':');
    if (colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos)
        return s.substr(0, colon);  // one colon: an IPv4 address and a port
    return s;
}

bool matches(const Cidr& c, const std::array<uint8_t, 16>& b) {
    int bits = c.prefix;
    for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        uint8_t mask = bits >= 8 ? 0xff : uint8_t(0xff << (8 - bits));
        if ((c.bytes[i] & mask) != (b[i] & mask)) return false;
    }
    return true;
}

std::vector<std::string_view> split_list(const std::vector<std::string>& values) {
    std::vector<std::string_view> out;
    for (const std::string& v : values) {
        std::string_view s = v;
        while (true) {
            size_t comma = s.find(',');
            out.push_back(trim_ows(s.substr(0, comma)));
            if (comma == std::string_view::npos) break;
            s.remove_prefix(comma + 1);
        }
    }
    return out;
}

}  // namespace

Result<Cidr> parse_cidr(std::string_view text) {
    auto bad = [&] {
        return bad_request("'" + std::string(text) + "' is not an address or an address block like 10.0.0.0/8.");
    };
    size_t slash = text.find('/');
    auto bytes = address_bytes(text.substr(0, slash));
    if (!bytes) return bad();
    bool v4 = is_v4_mapped(*bytes) && text.find(':') == std::string_view::npos;
    Cidr c;
    c.bytes = *bytes;
    c.prefix = 128;
    if (slash != std::string_view::npos) {
        std::string_view p = text.substr(slash + 1);
        if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string_view::npos) return bad();
        int n = std::stoi(std::string(p));
        if (n > (v4 ? 32 : 128)) return bad();
        c.prefix = v4 ? 96 + n : n;
    }
    return c;
}

std::optional<std::string> normalize_address(std::string_view text) {
    auto bytes = address_bytes(strip_port(trim_ows(text)));
    if (!bytes) return std::nullopt;
    return format(*bytes);
}

bool TrustedProxies::contains(std::string_view address) const {
    auto bytes = address_bytes(address);
    if (!bytes) return false;
    for (const Cidr& c : blocks_)
        if (matches(c, *bytes)) return true;
    return false;
}

ClientOrigin TrustedProxies::resolve(const std::string& peer, const std::vector<std::string>& forwarded_for,
                                     std::string_view forwarded_proto) const {
    ClientOrigin out{peer, "http"};
    if (!contains(peer)) return out;
    std::vector<std::string_view> hops = split_list(forwarded_for);
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        auto address = normalize_address(*it);
        if (!address) break;
        out.address = *address;
        if (!contains(*address)) break;
    }
    // Each proxy may append its own: the right-most is the trusted one's.
    size_t comma = forwarded_proto.rfind(',');
    std::string_view proto =
        trim_ows(comma == std::string_view::npos ? forwarded_proto : forwarded_proto.substr(comma + 1));
    if (proto == "https" || proto == "http") out.scheme = std::string(proto);
    return out;
}

}  // namespace onramp::http
