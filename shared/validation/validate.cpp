// Credential validation: the checks behind connectors::Check, and the walk
// over a connector's fields that applies them. See validate.h for the
// contract and catalog.h for what each check accepts.
//
// Every check is hand-written over bytes (no std::regex: it is large in WASM
// and cannot explain a failure). A check receives the value already trimmed,
// length-capped and free of control characters, and either returns the
// normalised value or a message naming the field by its label. Normalising
// twice gives the same value, so stored credentials re-validate unchanged.
//
// Index
//   [SECTION] Text helpers
//   [SECTION] Checks, one function per connectors::Check
//   [SECTION] validate_field
//   [SECTION] validate_credentials
#include "shared/validation/validate.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "shared/text.h"

namespace onramp::validation {

using connectors::Check;
using connectors::Condition;
using connectors::Connector;
using connectors::Field;
using connectors::InputType;
using connectors::Option;

namespace {

// ---------------------------------------------------------------------------
// [SECTION] Text helpers
// ---------------------------------------------------------------------------

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alnum(char c) { return is_digit(c) || is_lower(c) || is_upper(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
char to_lower(char c) { return is_upper(c) ? char(c - 'A' + 'a') : c; }
char to_upper(char c) { return is_lower(c) ? char(c - 'a' + 'A') : c; }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }  // UTF-8 10xxxxxx

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = to_lower(c);
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = to_upper(c);
    return out;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (to_lower(s[i]) != to_lower(prefix[i])) return false;
    return true;
}

// Invisible characters a copy from a web page or a PDF brings along: no-break
// space, narrow no-break space, zero-width space/joiners, word joiner, BOM.
constexpr std::string_view kInvisibleSpaces[] = {
    "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x8B", "\xE2\x80\x8C",
    "\xE2\x80\x8D", "\xE2\x81\xA0", "\xEF\xBB\xBF",
};

std::string_view trim(std::string_view s) {
    for (;;) {
        size_t before = s.size();
        while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
        while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
        for (std::string_view sp : kInvisibleSpaces) {
            if (s.starts_with(sp)) s.remove_prefix(sp.size());
            if (s.ends_with(sp)) s.remove_suffix(sp.size());
        }
        if (s.size() == before) return s;
    }
}

// Number of code points, which is what a client means by "characters".
int utf8_length(std::string_view s) {
    int n = 0;
    for (char c : s)
        if (!is_continuation(c)) ++n;
    return n;
}

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
// Checked because a value ends up in JSON responses and nlohmann::json
// refuses to serialise invalid UTF-8.
bool valid_utf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 0;
        if (extra == 0 || i + extra >= s.size()) return false;
        unsigned cp = extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k <= extra; ++k) {
            unsigned char cc = s[i + k];
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

// Calls fn(word) for each space-separated word of a catalog list.
template <class Fn>
void for_each_word(std::string_view list, Fn fn) {
    while (!list.empty()) {
        size_t sp = list.find(' ');
        std::string_view w = list.substr(0, sp);
        if (!w.empty()) fn(w);
        if (sp == std::string_view::npos) break;
        list.remove_prefix(sp + 1);
    }
}

bool in_word_list(std::string_view list, std::string_view word) {
    bool found = false;
    for_each_word(list, [&](std::string_view w) { found = found || w == word; });
    return found;
}

// How a select choice is compared: case-insensitive, with spaces and hyphens
// as underscores, so "OAuth 2.0", "Basic Auth" and "us-east-1" match the
// catalog's "oauth_2.0", "basic_auth" and "us_east_1".
std::string choice_key(std::string_view s) {
    std::string out = lower(s);
    for (char& c : out)
        if (c == ' ' || c == '-') c = '_';
    return out;
}

std::string label_of(const Field& f) { return std::string(f.label); }

// A client's text inside a message, in curly quotes, cut after 24 characters
// (on a character boundary) so a pasted essay does not become the message.
std::string in_quotes(std::string_view s) {
    constexpr int kMax = 24;
    size_t end = 0;
    for (int n = 0; end < s.size() && n < kMax; ++n) {
        ++end;
        while (end < s.size() && is_continuation(s[end])) ++end;
    }
    std::string out = "\u201C" + std::string(s.substr(0, end));
    if (end < s.size()) out += "\u2026";
    return out + "\u201D";
}

// One offending character for a message; a byte of a multi-byte character
// is not quoted on its own, which would put invalid UTF-8 in the message.
// The words are marked for the client's tables, which translate them.
std::string describe_char(char c) {
    if (c == ' ') return translatable("a space");
    if (static_cast<unsigned char>(c) >= 0x80) return translatable("a non-English letter");
    return in_quotes(std::string_view(&c, 1));
}

// A prefix at the end of a sentence, without its own final "."
// ("amzn1.application-oa2-client."): the template's full stop stands for it.
std::string before_full_stop(std::string_view prefix) {
    if (prefix.ends_with('.')) prefix.remove_suffix(1);
    return std::string(prefix);
}

FieldCheck pass(std::string value) { return {std::move(value), {}, {}}; }
FieldCheck fail(Message m) {
    std::string text = render(m);
    return {{}, std::move(text), std::move(m)};
}
// Names as literals and values as views, copied into the message in one
// place: the checks fail in some sixty places, and each building its own
// strings would weigh on the client's download.
FieldCheck fail(const char* code, std::initializer_list<std::pair<const char*, std::string_view>> values) {
    Message m{code, {}};
    for (const auto& [name, value] : values) m.params.emplace_back(name, value);
    return fail(std::move(m));
}
// The common case: a message whose only value is the field's label.
FieldCheck fail(const char* code, const Field& f) { return fail(code, {{"label", f.label}}); }

// ---------------------------------------------------------------------------
// [SECTION] Checks, one function per connectors::Check
// ---------------------------------------------------------------------------

FieldCheck check_text(const Field& f, std::string_view v) {
    int n = utf8_length(v);
    if (f.max_length > 0 && n > f.max_length)
        return fail("too_long", {{"label", f.label}, {"count", std::to_string(n)},
                                 {"max", std::to_string(f.max_length)}});
    return pass(std::string(v));
}

// Characters RFC 3986 allows in a path (pchar and "/") besides '%', which
// is checked separately for its two hex digits.
bool is_path_char(char c) {
    return is_alnum(c) || std::string_view("-._~!$&'()*+,;=:@/").find(c) != std::string_view::npos;
}

// Whether a path has a "." or ".." segment, also percent-encoded: such a
// segment would let a credential's path climb out of the API base.
bool has_dot_segment(std::string_view path) {
    while (!path.empty()) {
        size_t slash = path.find('/');
        std::string seg = lower(path.substr(0, slash));
        for (size_t p; (p = seg.find("%2e")) != std::string::npos;) seg.replace(p, 3, ".");
        if (seg == "." || seg == "..") return true;
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return false;
}

// The first problem with a path's characters, or a passing check when it is fine.
FieldCheck path_problem(const Field& f, std::string_view path) {
    for (size_t i = 0; i < path.size(); ++i) {
        char c = path[i];
        if (c == '%') {
            if (i + 2 >= path.size() || !is_hex(path[i + 1]) || !is_hex(path[i + 2]))
                return fail("bad_percent", f);
            i += 2;
        } else if (!is_path_char(c)) {
            return fail("bad_char", {{"label", f.label}, {"char", describe_char(c)}});
        }
    }
    if (has_dot_segment(path)) return fail("dot_segment", f);
    return pass({});
}

// Cuts a path at the first of the field's markers that starts a segment, so
// a pasted admin or API address ("https://shop.com/wp-admin/index.php")
// yields its site address.
size_t cut_position(const Field& f, std::string_view path_and_more) {
    size_t cut = std::string_view::npos;
    for_each_word(f.cut_path_at, [&](std::string_view marker) {
        for (size_t p = path_and_more.find(marker); p != std::string_view::npos;
             p = path_and_more.find(marker, p + 1)) {
            size_t end = p + marker.size();
            bool whole = end == path_and_more.size() ||
                         std::string_view("/?#").find(path_and_more[end]) != std::string_view::npos;
            if (whole) {
                cut = std::min(cut, p);
                break;
            }
        }
    });
    return cut;
}

bool valid_hostname(std::string_view host) {
    if (host.empty() || host.size() > 253) return false;
    while (!host.empty()) {
        size_t dot = host.find('.');
        std::string_view label = host.substr(0, dot);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label)
            if (!is_digit(c) && !is_lower(c) && c != '-') return false;
        if (dot == std::string_view::npos) break;
        host.remove_prefix(dot + 1);
        if (host.empty()) return false;
    }
    return true;
}

FieldCheck check_https_url(const Field& f, std::string_view v) {
    const std::string_view L = f.label;
    for (char c : v)
        if (is_ascii_space(c)) return fail("url_space", f);

    std::string_view rest = v;
    size_t sep = v.find("://");
    if (sep != std::string_view::npos) {
        std::string scheme = lower(v.substr(0, sep));
        if (scheme == "http")
            return fail("url_http", f);
        if (scheme != "https") return fail("url_scheme", f);
        rest = v.substr(sep + 3);
    } else if (rest.starts_with("//")) {
        rest.remove_prefix(2);
    }

    size_t auth_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, auth_end);
    std::string_view tail = auth_end == std::string_view::npos ? "" : rest.substr(auth_end);

    // Security: user:password@ in a URL ends up in logs and Referer headers,
    // and "https://good.com@evil.com" reads like good.com but connects to
    // evil.com. Credentials belong in their own fields.
    if (authority.find('@') != std::string_view::npos)
        return fail("url_userinfo", f);

    std::string host;
    std::string_view port;
    if (authority.starts_with('[')) {
        size_t close = authority.find(']');
        if (close == std::string_view::npos) return fail("ipv6_unclosed", f);
        host = lower(authority.substr(0, close + 1));
        if (host.size() < 4) return fail("ipv6_empty", f);
        for (char c : std::string_view(host).substr(1, host.size() - 2))
            if (!is_hex(c) && c != ':' && c != '.')
                return fail("ipv6_invalid", f);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail("ipv6_trailing", f);
            port = after.substr(1);
        }
    } else {
        size_t colon = authority.find(':');
        host = lower(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
        if (host.ends_with('.')) host.pop_back();  // "shop.com." is the same host
        if (host.empty()) return fail("host_missing", f);
        for (unsigned char c : host)
            if (c >= 0x80)
                return fail("host_non_ascii", f);
        if (!valid_hostname(host))
            return fail("host_invalid", {{"label", L}, {"host", in_quotes(host)}});
        if (host.find('.') == std::string::npos)
            return fail("host_no_dot", {{"label", L}, {"host", host}});
    }
    if (!port.empty() || authority.ends_with(':')) {
        bool digits = !port.empty() && port.size() <= 5 &&
                      std::all_of(port.begin(), port.end(), is_digit);
        int n = digits ? std::stoi(std::string(port)) : 0;
        if (n < 1 || n > 65535) return fail("port_invalid", f);
        if (n == 443) port = {};
    }

    size_t cut = cut_position(f, tail);
    if (cut != std::string_view::npos) tail = tail.substr(0, cut);
    if (tail.find('#') != std::string_view::npos)
        return fail("url_fragment", f);
    if (tail.find('?') != std::string_view::npos)
        return fail("url_query", f);
    std::string path(tail);
    if (FieldCheck p = path_problem(f, path); !p.ok()) return p;
    while (path.ends_with('/')) path.pop_back();
    if (path.find("//") != std::string::npos) return fail("empty_segment", f);

    std::string out = "https://" + host;
    if (!port.empty()) out += ":" + std::string(port);
    out += path;
    if (f.max_length > 0 && utf8_length(out) > f.max_length)
        return fail("too_long_max", {{"label", L}, {"max", std::to_string(f.max_length)}});
    return pass(out);
}

FieldCheck check_url_path(const Field& f, std::string_view v) {
    const std::string_view L = f.label;
    if (v.find("://") != std::string_view::npos || v.starts_with("//"))
        return fail("path_full_url", f);
    for (char c : v)
        if (is_ascii_space(c) || c == '\\')
            return fail("path_space", f);
    if (v.find('#') != std::string_view::npos)
        return fail("url_fragment", f);
    std::string out = v.starts_with('/') ? std::string(v) : "/" + std::string(v);
    size_t q = out.find('?');
    std::string_view path = std::string_view(out).substr(0, q);
    if (has_dot_segment(path))
        return fail("path_climbs", f);
    if (FieldCheck p = path_problem(f, path); !p.ok()) return p;
    if (q != std::string::npos) {
        for (char c : std::string_view(out).substr(q + 1))
            if (!is_path_char(c) && c != '?' && c != '%')
                return fail("bad_char", {{"label", L}, {"char", describe_char(c)}});
    }
    if (f.max_length > 0 && utf8_length(out) > f.max_length)
        return fail("too_long_max", {{"label", L}, {"max", std::to_string(f.max_length)}});
    return pass(out);
}

// Security: these headers frame or route the request. A credential that
// could set them could redirect the call (Host) or smuggle a second request
// past the platform's front end (Content-Length, Transfer-Encoding).
constexpr std::string_view kReservedHeaders[] = {
    "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade",
    "te", "trailer", "expect", "proxy-authorization", "proxy-connection", "content-type",
};

FieldCheck check_header_name(const Field& f, std::string_view v) {
    const std::string_view L = f.label;
    if (v.ends_with(':')) v.remove_suffix(1);  // "X-API-Key:" copied from docs
    if (v.empty()) return fail("header_empty", f);
    for (char c : v)
        if (!is_alnum(c) && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
            return fail("header_char", {{"label", L}, {"char", describe_char(c)}});
    int max = f.max_length > 0 ? f.max_length : 64;
    if (int(v.size()) > max)
        return fail("too_long_max", {{"label", L}, {"max", std::to_string(max)}});
    std::string key = lower(v);
    for (std::string_view r : kReservedHeaders)
        if (key == r)
            return fail("header_reserved", {{"label", L}, {"value", v}});
    return pass(std::string(v));
}

FieldCheck check_shopify_domain(const Field& f, std::string_view v) {
    std::string s = lower(v);
    for (std::string_view scheme : {"https://", "http://"})
        if (s.starts_with(scheme)) s.erase(0, scheme.size());
    std::string name;
    constexpr std::string_view kAdmin = "admin.shopify.com/store/";
    if (s.starts_with(kAdmin)) {
        name = s.substr(kAdmin.size(), s.find_first_of("/?#", kAdmin.size()) - kAdmin.size());
    } else {
        std::string host = s.substr(0, s.find_first_of("/?#"));
        constexpr std::string_view kSuffix = ".myshopify.com";
        if (host.ends_with(kSuffix)) {
            name = host.substr(0, host.size() - kSuffix.size());
        } else if (host.find('.') != std::string::npos) {
            return fail("shopify_public_domain", f);
        } else {
            name = host;
        }
    }
    if (name.empty()) return fail("shopify_no_name", f);
    bool ok = name.size() <= 63 && is_alnum(name.front()) &&
              std::all_of(name.begin(), name.end(), [](char c) { return is_alnum(c) || c == '-'; });
    if (!ok)
        return fail("shopify_chars", f);
    return pass(name + ".myshopify.com");
}

FieldCheck check_store_hash(const Field& f, std::string_view v) {
    std::string s = lower(v);
    auto take_segment_after = [&](std::string_view marker) {
        size_t p = s.find(marker) + marker.size();
        s = s.substr(p, s.find_first_of("/?#.", p) - p);
    };
    // A pasted API path, an OAuth context "stores/abc123", or a control-panel
    // host store-abc123.mybigcommerce.com all name the hash.
    if (s.find("/stores/") != std::string::npos)
        take_segment_after("/stores/");
    else if (s.starts_with("stores/"))
        take_segment_after("stores/");
    else if (s.find(".mybigcommerce.com") != std::string::npos && s.find("store-") != std::string::npos)
        take_segment_after("store-");
    int n = int(s.size());
    bool ok = n >= f.min_length && n <= f.max_length &&
              std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || is_lower(c); });
    if (!ok)
        return fail("store_hash", {{"label", f.label}, {"min", std::to_string(f.min_length)},
                                   {"max", std::to_string(f.max_length)}});
    return pass(s);
}

FieldCheck check_hex(const Field& f, std::string_view v) {
    // Each message has a form naming the prefix, for fields that have one.
    MessageParams params = {{"label", label_of(f)}, {"count", std::to_string(f.min_length)}};
    if (!f.prefix.empty()) params.emplace_back("prefix", std::string(f.prefix));
    auto hex_fail = [&](std::string code) {
        return fail(Message{f.prefix.empty() ? code : code + "_prefix", params});
    };
    if (!starts_with_icase(v, f.prefix)) return hex_fail("hex_start");
    std::string_view body = v.substr(f.prefix.size());
    if (!std::all_of(body.begin(), body.end(), is_hex)) return hex_fail("hex_chars");
    if (int(body.size()) != f.min_length) {
        params.emplace_back("actual", std::to_string(body.size()));
        return hex_fail("hex_length");
    }
    return pass(std::string(f.prefix) + std::string(body));
}

FieldCheck check_token(const Field& f, std::string_view v) {
    const std::string_view L = f.label;
    if (starts_with_icase(v, "bearer ") && !starts_with_icase(f.prefix, "bearer"))
        return fail("token_bearer", f);
    if (!v.starts_with(f.prefix))
        return fail("token_prefix", {{"label", L}, {"prefix", before_full_stop(f.prefix)}});
    std::string_view body = v.substr(f.prefix.size());
    for (char c : body) {
        if (is_ascii_space(c))
            return fail("token_space", f);
        if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7E)
            return fail("token_chars", f);
    }
    int n = int(body.size());
    if (n < f.min_length)
        return fail("token_short", {{"label", L}, {"count", std::to_string(n)}});
    if (f.max_length > 0 && n > f.max_length)
        return fail("token_long",
                    {{"label", L}, {"count", std::to_string(n)}, {"max", std::to_string(f.max_length)}});
    return pass(std::string(v));
}

bool valid_amazon_id(const Field& f, std::string_view id) {
    return int(id.size()) >= f.min_length && int(id.size()) <= f.max_length &&
           std::all_of(id.begin(), id.end(), [](char c) { return is_upper(c) || is_digit(c); });
}

// A message about an ID's shape, naming the field's example when it has one.
FieldCheck amazon_id_fail(const Field& f, const std::string& code, MessageParams params) {
    params.emplace_back("label", label_of(f));
    params.emplace_back("min", std::to_string(f.min_length));
    params.emplace_back("max", std::to_string(f.max_length));
    if (f.placeholder.empty()) return fail(Message{code, std::move(params)});
    params.emplace_back("example", std::string(f.placeholder));
    return fail(Message{code + "_example", std::move(params)});
}

FieldCheck check_amazon_id(const Field& f, std::string_view v) {
    std::string id = upper(v);
    if (!valid_amazon_id(f, id)) return amazon_id_fail(f, "amazon_id", {});
    return pass(id);
}

FieldCheck check_amazon_id_list(const Field& f, std::string_view v) {
    std::vector<std::string> ids;
    std::string cur;
    auto flush = [&] {
        if (!cur.empty() && std::find(ids.begin(), ids.end(), cur) == ids.end()) ids.push_back(cur);
        cur.clear();
    };
    for (char c : v) {
        if (c == ',' || c == ';' || is_ascii_space(c))
            flush();
        else
            cur += to_upper(c);
    }
    flush();
    if (ids.empty())
        return fail("amazon_id_list_empty", {{"label", f.label}, {"example", f.placeholder}});
    for (const std::string& id : ids)
        if (!valid_amazon_id(f, id)) return amazon_id_fail(f, "amazon_id_list_item", {{"id", in_quotes(id)}});
    std::string out;
    for (const std::string& id : ids) out += (out.empty() ? "" : ",") + id;
    return pass(out);
}

FieldCheck check_phone(const Field& f, std::string_view v) {
    const std::string_view L = f.label;
    std::string s;
    for (char c : v)
        if (!is_ascii_space(c) && c != '-' && c != '.' && c != '(' && c != ')' && c != '/') s += c;
    if (s.starts_with("00")) s = "+" + s.substr(2);  // international call prefix
    if (!s.starts_with('+')) {
        if (!s.empty() && std::all_of(s.begin(), s.end(), is_digit)) return fail("phone_country", f);
        return fail("phone_plus", f);
    }
    std::string digits = s.substr(1);
    if (!std::all_of(digits.begin(), digits.end(), is_digit)) return fail("phone_chars", f);
    // E.164: at most 15 digits including the country code, which never
    // starts with 0. Seven is about the shortest number a country issues.
    if (digits.size() < 7 || digits.size() > 15 || digits.front() == '0')
        return fail("phone_length", {{"label", L}, {"count", std::to_string(digits.size())}});
    return pass("+" + digits);
}

FieldCheck check_digits(const Field& f, std::string_view v) {
    if (!f.prefix.empty()) {
        size_t p = v.find(f.prefix);
        if (p != std::string_view::npos) {
            std::string_view after = v.substr(p + f.prefix.size());
            v = after.substr(0, std::find_if_not(after.begin(), after.end(), is_digit) - after.begin());
        }
    }
    int max = f.max_length > 0 ? f.max_length : 18;
    if (v.empty() || int(v.size()) > max || !std::all_of(v.begin(), v.end(), is_digit))
        return f.placeholder.empty()
                   ? fail("digits", f)
                   : fail("digits_example", {{"label", f.label}, {"example", f.placeholder}});
    return pass(std::string(v));
}

FieldCheck check_callrail_account(const Field& f, std::string_view v) {
    const FieldCheck shape = fail("callrail_account", f);
    if (starts_with_icase(v, "ACC")) {
        std::string_view body = v.substr(3);
        if (body.size() < 8 || body.size() > 64 || !std::all_of(body.begin(), body.end(), is_alnum))
            return shape;
        return pass("ACC" + std::string(body));
    }
    std::string digits;
    for (char c : v) {
        if (c == '-' || c == ' ') continue;
        if (!is_digit(c)) return shape;
        digits += c;
    }
    if (digits.size() < 5 || digits.size() > 12) return shape;
    return pass(digits);
}

FieldCheck check_one_of(const Field& f, std::string_view v) {
    std::string key = choice_key(v);
    for (const Option& o : f.options) {
        bool match = choice_key(o.value) == key;
        for_each_word(o.aliases, [&](std::string_view a) { match = match || choice_key(a) == key; });
        if (match) return pass(std::string(o.value));
    }
    // Values, not labels: the form offers the labels already, and an API
    // client needs to know what to send.
    // The last value apart, so that each language says "or" its own way.
    std::string list;
    for (size_t i = 0; i + 1 < f.options.size(); ++i) list += (i == 0 ? "" : ", ") + std::string(f.options[i].value);
    const std::string last(f.options.empty() ? "" : f.options.back().value);
    if (f.options.size() > 1) return fail("one_of", {{"label", f.label}, {"values", list}, {"last", last}});
    return fail("one_of_single", {{"label", f.label}, {"value", last}});
}

FieldCheck run_check(const Field& f, std::string_view v) {
    switch (f.check) {
    case Check::text: return check_text(f, v);
    case Check::https_url: return check_https_url(f, v);
    case Check::url_path: return check_url_path(f, v);
    case Check::header_name: return check_header_name(f, v);
    case Check::shopify_domain: return check_shopify_domain(f, v);
    case Check::store_hash: return check_store_hash(f, v);
    case Check::hex: return check_hex(f, v);
    case Check::token: return check_token(f, v);
    case Check::amazon_id: return check_amazon_id(f, v);
    case Check::amazon_id_list: return check_amazon_id_list(f, v);
    case Check::phone: return check_phone(f, v);
    case Check::digits: return check_digits(f, v);
    case Check::callrail_account: return check_callrail_account(f, v);
    case Check::one_of: return check_one_of(f, v);
    }
    return fail("unchecked", f);
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] validate_field
// ---------------------------------------------------------------------------

FieldCheck validate_field(const Field& field, std::string_view value) {
    std::string_view v = trim(value);
    if (v.empty()) {
        if (!field.default_value.empty()) return run_check(field, field.default_value);
        if (field.required) return fail("field_required", field);
        return pass({});
    }
    if (int(v.size()) > connectors::kMaxValueLength)
        return fail("too_long", {{"label", field.label}, {"count", std::to_string(utf8_length(v))},
                                 {"max", std::to_string(connectors::kMaxValueLength)}});
    if (!valid_utf8(v)) return fail("invalid_utf8", field);
    for (char c : v) {
        unsigned char u = static_cast<unsigned char>(c);
        if ((c == '\n' || c == '\r') && field.input != InputType::textarea)
            return fail("line_break", field);
        if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F)
            return fail("control_char", field);
    }
    return run_check(field, v);
}

// ---------------------------------------------------------------------------
// [SECTION] validate_credentials
// ---------------------------------------------------------------------------

namespace {

const Field* resolve_field(const Connector& c, std::string_view key) {
    if (const Field* f = c.find_field(key)) return f;
    for (const Field& f : c.fields)
        if (in_word_list(f.aliases, key)) return &f;
    return nullptr;
}

// Records a message under `name` in both forms, English and coded.
void set_error(Validation& out, const std::string& name, Message m) {
    out.errors[name] = render(m);
    out.messages[name] = std::move(m);
}

Message unknown_field_message(const Connector& c, std::string_view key) {
    // The last name apart, so that each language says "and" its own way.
    std::string names;
    for (size_t i = 0; i + 1 < c.fields.size(); ++i) names += (i == 0 ? "" : ", ") + std::string(c.fields[i].name);
    MessageParams params = {{"connector", std::string(c.name)}, {"key", in_quotes(key)},
                            {"last", std::string(c.fields.back().name)}};
    if (c.fields.size() == 1) return {"unknown_field_single", std::move(params)};
    params.emplace_back("fields", names);
    return {"unknown_field", std::move(params)};
}

// Raw text per canonical field name, with the key each arrived under.
struct Input {
    std::map<std::string, std::string> text;
    std::map<std::string, std::string> key;
};

// Records one value, or an error when the same field came twice, e.g. as
// "shop_domain" and its alias "shop".
void put(Validation& out, Input& in, const Field& f, std::string_view key, std::string text) {
    std::string name(f.name);
    if (auto it = in.key.find(name); it != in.key.end()) {
        set_error(out, name, {"sent_twice", {{"label", label_of(f)}, {"first", in_quotes(it->second)},
                                             {"second", in_quotes(key)}}});
        return;
    }
    in.key[name] = std::string(key);
    in.text[name] = std::move(text);
}

// If `raw` starts with the prefix of another field of the connector, the
// client pasted that field's value here (WooCommerce's ck_/cs_ swap).
std::optional<Message> swapped_field_message(const Connector& c, const Field& f, std::string_view raw) {
    raw = trim(raw);
    for (const Field& other : c.fields) {
        if (&other == &f || other.prefix.empty() || other.prefix == f.prefix) continue;
        if (other.check != Check::hex && other.check != Check::token) continue;
        if (!starts_with_icase(raw, other.prefix)) continue;
        MessageParams params = {{"other", label_of(other)}, {"other_prefix", std::string(other.prefix)},
                                {"label", label_of(f)}};
        if (f.prefix.empty()) return Message{"swapped", std::move(params)};
        params.emplace_back("prefix", before_full_stop(f.prefix));
        return Message{"swapped_prefix", std::move(params)};
    }
    return std::nullopt;
}

Validation validate_input(const Connector& c, Validation out, const Input& in) {
    // Unconditional fields first, so the conditions of the others are judged
    // on normalised values ("OAuth 2.0" → "oauth2").
    for (bool conditional : {false, true}) {
        for (const Field& f : c.fields) {
            if (f.visible_when.always() == conditional) continue;
            std::string name(f.name);
            if (out.errors.count(name)) continue;
            if (!field_visible(c, f, out.values)) continue;  // hidden: dropped
            auto it = in.text.find(name);
            std::string_view raw = it == in.text.end() ? std::string_view() : std::string_view(it->second);
            FieldCheck r = validate_field(f, raw);
            if (!r.ok()) {
                std::optional<Message> swapped = swapped_field_message(c, f, raw);
                set_error(out, name, swapped ? std::move(*swapped) : std::move(r.message));
            } else if (!r.value.empty()) {
                out.values[name] = std::move(r.value);
            }
        }
    }
    if (!out.ok()) out.values.clear();
    return out;
}

// What a JSON value is, in words the client's tables translate.
std::string json_kind(const nlohmann::json& v) {
    if (v.is_number()) return translatable("a number");
    if (v.is_boolean()) return translatable("true or false");
    if (v.is_array()) return translatable("a list");
    if (v.is_object()) return translatable("an object");
    return translatable("that kind of value");
}

}  // namespace

Validation validate_credentials(const Connector& connector, const nlohmann::json& credentials) {
    Validation out;
    if (!credentials.is_object()) {
        set_error(out, "credentials",
                  {"credentials_not_object", {{"field", std::string(connector.fields.front().name)}}});
        return out;
    }
    Input in;
    for (const auto& [key, v] : credentials.items()) {
        const Field* f = resolve_field(connector, key);
        if (!f) {
            set_error(out, key, unknown_field_message(connector, key));
            continue;
        }
        if (v.is_null()) continue;  // same as leaving it out
        if (v.is_string()) {
            put(out, in, *f, key, v.get<std::string>());
        } else if (v.is_number_integer() && f->input == InputType::number) {
            put(out, in, *f, key, v.dump());
        } else if (v.is_array() && f->check == Check::amazon_id_list &&
                   std::all_of(v.begin(), v.end(), [](const nlohmann::json& e) { return e.is_string(); })) {
            std::string joined;
            for (const auto& e : v) joined += (joined.empty() ? "" : ",") + e.get<std::string>();
            put(out, in, *f, key, joined);
        } else if (v.is_array() && f->check == Check::amazon_id_list) {
            set_error(out, std::string(f->name), {"list_not_texts", {{"label", label_of(*f)}}});
        } else {
            set_error(out, std::string(f->name), {"not_text", {{"label", label_of(*f)}, {"kind", json_kind(v)}}});
        }
    }
    return validate_input(connector, std::move(out), in);
}

Validation validate_credentials(const Connector& connector,
                                const std::map<std::string, std::string>& credentials) {
    Validation out;
    Input in;
    for (const auto& [key, text] : credentials) {
        if (const Field* f = resolve_field(connector, key))
            put(out, in, *f, key, text);
        else
            set_error(out, key, unknown_field_message(connector, key));
    }
    return validate_input(connector, std::move(out), in);
}

bool condition_holds(const Connector& connector, const Condition& when,
                     const std::map<std::string, std::string>& values) {
    if (when.always()) return true;
    const Field* control = connector.find_field(when.field);
    if (!control) return false;
    auto it = values.find(std::string(control->name));
    FieldCheck c = validate_field(*control, it == values.end() ? std::string_view() : it->second);
    return c.ok() && c.value == when.value;
}

bool field_visible(const Connector& connector, const Field& field,
                   const std::map<std::string, std::string>& values) {
    return condition_holds(connector, field.visible_when, values);
}

std::map<std::string, std::string> masked_credentials(const Connector& connector,
                                                      const std::map<std::string, std::string>& values) {
    constexpr std::string_view kMask = "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022";
    std::map<std::string, std::string> out;
    for (const auto& [name, value] : values) {
        const Field* f = connector.find_field(name);
        if (f && !f->sensitive) {
            out[name] = value;
            continue;
        }
        // Unknown names are masked whole: better a hidden label than a shown
        // secret. Short secrets too: four characters of an 8-character
        // password are half of it.
        std::string masked(kMask);
        if (f && utf8_length(value) >= 16 && valid_utf8(value)) {
            size_t i = value.size();
            for (int n = 0; n < 4 && i > 0;) {
                --i;
                if ((static_cast<unsigned char>(value[i]) & 0xC0) != 0x80) ++n;
            }
            masked += value.substr(i);
        }
        out[name] = masked;
    }
    return out;
}

}  // namespace onramp::validation
