// verify() by scheme name, and the helpers every scheme shares
// (edge/webhooks/internal.h).
#include "edge/webhooks/verify.h"

#include <iterator>
#include <nlohmann/json.hpp>

#include "edge/webhooks/internal.h"
#include "edge/webhooks/scheme.h"
#include "shared/json.h"

namespace onramp::webhooks {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string form_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 &&
                   hex_digit(s[i + 2]) >= 0) {
            out += char(hex_digit(s[i + 1]) << 4 | hex_digit(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}


}  // namespace

std::string_view failure_name(Failure failure) {
    switch (failure) {
        case Failure::none:
            return "none";
        case Failure::no_secret:
            return "no_secret";
        case Failure::bad_secret:
            return "bad_secret";
        case Failure::missing_header:
            return "missing_header";
        case Failure::malformed:
            return "malformed";
        case Failure::bad_encoding:
            return "bad_encoding";
        case Failure::mismatch:
            return "mismatch";
        case Failure::timestamp:
            return "timestamp";
        case Failure::ping:
            return "ping";
        case Failure::unknown_scheme:
            return "unknown_scheme";
    }
    return "unknown";
}

Verdict verify(std::string_view scheme, const Delivery& delivery, const Secrets& secrets,
               int64_t now_unix) {
    const Scheme* found = find_scheme(scheme);
    if (!found)
        return detail::fail(Failure::unknown_scheme,
                            "unknown webhook scheme \"" + std::string(scheme) + "\"");
    return verify(*found, delivery, secrets, now_unix);
}

namespace detail {

Verdict fail(Failure failure, std::string reason) {
    Verdict v;
    v.valid = false;
    v.failure = failure;
    v.reason = std::move(reason);
    return v;
}

Verdict accept(std::string delivery_id, std::string topic) {
    Verdict v;
    v.valid = true;
    v.delivery_id = token_or_empty(std::move(delivery_id));
    v.topic = token_or_empty(std::move(topic));
    return v;
}

std::string token_or_empty(std::string text) {
    constexpr size_t kMaxToken = 200;
    if (text.size() > kMaxToken) return {};
    for (unsigned char c : text)
        if (c < '!' || c > '~') return {};
    return text;
}

std::string quoted(std::string_view text) {
    constexpr size_t kMaxQuoted = 64;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (size_t i = 0; i < text.size() && i < kMaxQuoted; ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= ' ' && c <= '~' && c != '\\' && c != '"') {
            out += char(c);
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    if (text.size() > kMaxQuoted) out += "...";
    return out + "\"";
}

std::vector<std::string_view> usable_keys(const std::vector<std::string>& keys) {
    std::vector<std::string_view> out;
    for (const auto& k : keys)
        if (!k.empty()) out.push_back(k);
    return out;
}

Verdict no_secret() {
    return fail(Failure::no_secret, "no webhook secret configured: verification is never skipped");
}

std::optional<std::string_view> single_header(const Headers& headers, std::string_view name,
                                              Verdict* error) {
    auto [first, last] = headers.equal_range(name);
    if (first == last) {
        *error = fail(Failure::missing_header, "missing header " + std::string(name));
        return std::nullopt;
    }
    if (std::next(first) != last) {
        *error = fail(Failure::malformed, "header " + std::string(name) + " sent more than once");
        return std::nullopt;
    }
    return std::string_view(first->second);
}

std::string header_or_empty(const Headers& headers, std::string_view name) {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

bool has_header(const Headers& headers, std::string_view name) {
    return headers.find(name) != headers.end();
}

void set_header(Delivery& delivery, std::string_view name, std::string value) {
    delivery.headers.erase(std::string(name));
    delivery.headers.emplace(std::string(name), std::move(value));
}

std::string header_or(const Delivery& delivery, std::string_view name, std::string_view fallback) {
    auto it = delivery.headers.find(name);
    return it == delivery.headers.end() ? std::string(fallback) : it->second;
}

std::string media_type(const Delivery& delivery) {
    std::string raw = delivery.content_type.empty()
                          ? header_or_empty(delivery.headers, "Content-Type")
                          : delivery.content_type;
    std::string out;
    for (char c : raw) {
        if (c == ';') break;
        if (c == ' ' || c == '\t') continue;
        out += lower(c);
    }
    return out;
}

std::optional<int64_t> parse_unix_seconds(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    int64_t n = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

std::string describe_skew(int64_t timestamp, int64_t now, int64_t tolerance) {
    int64_t d = now - timestamp;
    std::string where =
        d >= 0 ? std::to_string(d) + " s in the past" : std::to_string(-d) + " s in the future";
    return std::to_string(timestamp) + " is " + where + "; allowed " + std::to_string(tolerance) +
           " s";
}

std::string json_member(std::string_view body, const char* name) {
    auto doc = parse_json(body);
    if (!doc || !doc->is_object()) return {};
    auto it = doc->find(name);
    if (it == doc->end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return it->dump();
    return {};
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!text.empty()) {
        size_t amp = text.find('&');
        std::string_view pair = text.substr(0, amp);
        if (!pair.empty()) {
            size_t eq = pair.find('=');
            if (eq == std::string_view::npos)
                out.emplace_back(form_decode(pair), std::string());
            else
                out.emplace_back(form_decode(pair.substr(0, eq)), form_decode(pair.substr(eq + 1)));
        }
        if (amp == std::string_view::npos) break;
        text.remove_prefix(amp + 1);
    }
    return out;
}

}  // namespace detail

}  // namespace onramp::webhooks
