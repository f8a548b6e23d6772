// Request targets: percent-decoding and query splitting (see request_target.h).
#include "edge/http/request_target.h"

#include <optional>

#include "edge/documents/detect.h"
#include "edge/http/header_text.h"

namespace onramp::http {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes %XX escapes (and '+' as a space in a query); nullopt when an
// escape is malformed or the result is not UTF-8 without NUL.
std::optional<std::string> decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(char(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(plus_is_space && c == '+' ? ' ' : c);
        }
    }
    if (out.find('\0') != std::string::npos || !documents::valid_utf8(out)) return std::nullopt;
    return out;
}

bool visible_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) return false;
    return true;
}

// "http://host:8080/a?b" -> "/a?b"; "http://host" -> "/".
std::string_view strip_authority(std::string_view raw) {
    for (std::string_view scheme : {"http://", "https://"}) {
        if (!iequals_ascii(raw.substr(0, scheme.size()), scheme)) continue;
        std::string_view rest = raw.substr(scheme.size());
        size_t start = rest.find_first_of("/?");
        return start == std::string_view::npos ? std::string_view("/") : rest.substr(start);
    }
    return raw;
}

Problem bad_target(const std::string& why) { return bad_request("The request target " + why + ".", "bad_target"); }

}  // namespace

std::string_view raw_path(std::string_view raw) { return raw.substr(0, raw.find('?')); }

Result<Target> parse_target(std::string_view raw) {
    if (!visible_ascii(raw)) return bad_target("holds a byte that is not visible ASCII");
    std::string_view target = strip_authority(raw);
    if (target.empty() || target[0] != '/') return bad_target("must start with '/'");
    size_t q = target.find('?');
    Target out;
    auto path = decode(target.substr(0, q), false);
    if (!path) return bad_target("path has a malformed escape, a NUL or bytes that are not UTF-8");
    out.path = std::move(*path);
    if (q == std::string_view::npos) return out;
    std::string_view query = target.substr(q + 1);
    size_t i = 0;
    while (i <= query.size()) {
        size_t amp = query.find('&', i);
        if (amp == std::string_view::npos) amp = query.size();
        std::string_view pair = query.substr(i, amp - i);
        i = amp + 1;
        if (pair.empty()) continue;
        size_t eq = pair.find('=');
        auto key = decode(pair.substr(0, eq), true);
        auto value = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
        if (!key || !value) return bad_target("query has a malformed escape, a NUL or bytes that are not UTF-8");
        out.query.emplace(std::move(*key), std::move(*value));
    }
    return out;
}

}  // namespace onramp::http
