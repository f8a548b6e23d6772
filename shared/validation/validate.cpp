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
#include <vector>

#include <nlohmann/json.hpp>

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

// The label inside a sentence: "Access token" → "access token", but
// "API key" and "LWA client secret" keep their capitals.
std::string label_in_sentence(const Field& f) {
    std::string s(f.label);
    if (s.size() >= 2 && is_upper(s[0]) && !is_upper(s[1])) s[0] = to_lower(s[0]);
    return s;
}

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
std::string describe_char(char c) {
    if (c == ' ') return "a space";
    if (static_cast<unsigned char>(c) >= 0x80) return "a non-English letter";
    return in_quotes(std::string_view(&c, 1));
}

// Ends a sentence whose last word may be a prefix ending in "." already
// ("amzn1.application-oa2-client.").
std::string sentence(std::string s) {
    if (!s.ends_with('.')) s += '.';
    return s;
}

FieldCheck pass(std::string value) { return {std::move(value), {}}; }
FieldCheck fail(std::string message) { return {{}, std::move(message)}; }

// ---------------------------------------------------------------------------
// [SECTION] Checks, one function per connectors::Check
// ---------------------------------------------------------------------------

FieldCheck check_text(const Field& f, std::string_view v) {
    int n = utf8_length(v);
    if (f.max_length > 0 && n > f.max_length)
        return fail(label_of(f) + " is too long (" + std::to_string(n) + " characters; at most " +
                    std::to_string(f.max_length) + ").");
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

// Returns the first problem with a path's characters, or "" when it is fine.
std::string path_problem(const Field& f, std::string_view path) {
    for (size_t i = 0; i < path.size(); ++i) {
        char c = path[i];
        if (c == '%') {
            if (i + 2 >= path.size() || !is_hex(path[i + 1]) || !is_hex(path[i + 2]))
                return label_of(f) + " has a % that is not followed by two hex digits.";
            i += 2;
        } else if (!is_path_char(c)) {
            return label_of(f) + " contains " + describe_char(c) +
                   ", which is not allowed in a web address.";
        }
    }
    if (has_dot_segment(path))
        return label_of(f) + " must not contain . or .. segments.";
    return "";
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
    const std::string L = label_of(f);
    for (char c : v)
        if (is_ascii_space(c)) return fail(L + " contains a space; a web address has none.");

    std::string_view rest = v;
    size_t sep = v.find("://");
    if (sep != std::string_view::npos) {
        std::string scheme = lower(v.substr(0, sep));
        if (scheme == "http")
            return fail(L + " must start with https:// — Onramp sends credentials only over an "
                            "encrypted connection.");
        if (scheme != "https") return fail(L + " must be a web address starting with https://.");
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
        return fail(L + " must not contain a user name or password (the part before @); enter them "
                        "in their own fields.");

    std::string host;
    std::string_view port;
    if (authority.starts_with('[')) {
        size_t close = authority.find(']');
        if (close == std::string_view::npos) return fail(L + " has an unclosed [ in its host.");
        host = lower(authority.substr(0, close + 1));
        if (host.size() < 4) return fail(L + " has an empty IPv6 address in its host.");
        for (char c : std::string_view(host).substr(1, host.size() - 2))
            if (!is_hex(c) && c != ':' && c != '.')
                return fail(L + " has an invalid IPv6 address in its host.");
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail(L + " has text after its IPv6 address.");
            port = after.substr(1);
        }
    } else {
        size_t colon = authority.find(':');
        host = lower(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
        if (host.ends_with('.')) host.pop_back();  // "shop.com." is the same host
        if (host.empty()) return fail(L + " has no host name, e.g. https://your-store.com.");
        for (unsigned char c : host)
            if (c >= 0x80)
                return fail(L + " contains non-English letters in its host; use the xn-- form of "
                                "the domain name your host gives you.");
        if (!valid_hostname(host))
            return fail(L + " has an invalid host name " + in_quotes(host) +
                        ": use letters, digits, hyphens and dots, e.g. your-store.com.");
        if (host.find('.') == std::string::npos)
            return fail(L + " needs a full host name with a dot, e.g. https://" + host + ".com.");
    }
    if (!port.empty() || authority.ends_with(':')) {
        bool digits = !port.empty() && port.size() <= 5 &&
                      std::all_of(port.begin(), port.end(), is_digit);
        int n = digits ? std::stoi(std::string(port)) : 0;
        if (n < 1 || n > 65535) return fail(L + " has an invalid port after the host name.");
        if (n == 443) port = {};
    }

    size_t cut = cut_position(f, tail);
    if (cut != std::string_view::npos) tail = tail.substr(0, cut);
    if (tail.find('#') != std::string_view::npos)
        return fail(L + " must not contain a # part; remove the # and what follows it.");
    if (tail.find('?') != std::string_view::npos)
        return fail(L + " must not contain a ? part; remove the ? and what follows it.");
    std::string path(tail);
    if (std::string p = path_problem(f, path); !p.empty()) return fail(p);
    while (path.ends_with('/')) path.pop_back();
    if (path.find("//") != std::string::npos) return fail(L + " contains an empty // segment.");

    std::string out = "https://" + host;
    if (!port.empty()) out += ":" + std::string(port);
    out += path;
    if (f.max_length > 0 && utf8_length(out) > f.max_length)
        return fail(L + " is too long (at most " + std::to_string(f.max_length) + " characters).");
    return pass(out);
}

FieldCheck check_url_path(const Field& f, std::string_view v) {
    const std::string L = label_of(f);
    if (v.find("://") != std::string_view::npos || v.starts_with("//"))
        return fail(L + " is a path such as /me, not a full address; the address goes in the base URL.");
    for (char c : v)
        if (is_ascii_space(c) || c == '\\')
            return fail(L + " contains a space or a backslash; a path has neither.");
    if (v.find('#') != std::string_view::npos)
        return fail(L + " must not contain a # part; remove the # and what follows it.");
    std::string out = v.starts_with('/') ? std::string(v) : "/" + std::string(v);
    size_t q = out.find('?');
    std::string_view path = std::string_view(out).substr(0, q);
    if (has_dot_segment(path))
        return fail(L + " must not contain . or .. segments: the test has to stay under the base URL.");
    if (std::string p = path_problem(f, path); !p.empty()) return fail(p);
    if (q != std::string::npos) {
        for (char c : std::string_view(out).substr(q + 1))
            if (!is_path_char(c) && c != '?' && c != '%')
                return fail(L + " contains " + describe_char(c) +
                            ", which is not allowed in a web address.");
    }
    if (f.max_length > 0 && utf8_length(out) > f.max_length)
        return fail(L + " is too long (at most " + std::to_string(f.max_length) + " characters).");
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
    const std::string L = label_of(f);
    if (v.ends_with(':')) v.remove_suffix(1);  // "X-API-Key:" copied from docs
    if (v.empty()) return fail(L + " is empty.");
    for (char c : v)
        if (!is_alnum(c) && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
            return fail(L + " can only contain letters, digits and - such as X-API-Key; it contains " +
                        describe_char(c) + ".");
    int max = f.max_length > 0 ? f.max_length : 64;
    if (int(v.size()) > max)
        return fail(L + " is too long (at most " + std::to_string(max) + " characters).");
    std::string key = lower(v);
    for (std::string_view r : kReservedHeaders)
        if (key == r)
            return fail(L + " cannot be " + std::string(v) +
                        ": Onramp sets that header itself. Use the header your CRM names for API keys.");
    return pass(std::string(v));
}

FieldCheck check_shopify_domain(const Field& f, std::string_view v) {
    const std::string L = label_of(f);
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
            return fail(L + " must be your store's myshopify.com address, e.g. your-store.myshopify.com, "
                            "not its public domain. Shopify admin shows it under Settings → Domains.");
        } else {
            name = host;
        }
    }
    if (name.empty()) return fail(L + " needs your shop's name, e.g. your-store.myshopify.com.");
    bool ok = name.size() <= 63 && is_alnum(name.front()) &&
              std::all_of(name.begin(), name.end(), [](char c) { return is_alnum(c) || c == '-'; });
    if (!ok)
        return fail(L + " can only contain letters, digits and hyphens before .myshopify.com, "
                        "e.g. your-store.myshopify.com.");
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
        return fail(label_of(f) + " is the " + std::to_string(f.min_length) + "–" +
                    std::to_string(f.max_length) +
                    " letters and digits after /stores/ in your API path, e.g. abc123 in "
                    "https://api.bigcommerce.com/stores/abc123/v3/.");
    return pass(s);
}

FieldCheck check_hex(const Field& f, std::string_view v) {
    const std::string L = label_of(f);
    std::string want = (f.prefix.empty() ? "" : std::string(f.prefix) + " followed by ") +
                       std::to_string(f.min_length) + " characters 0–9 and a–f";
    if (!starts_with_icase(v, f.prefix)) return fail(L + " should be " + want + ".");
    std::string_view body = v.substr(f.prefix.size());
    if (!std::all_of(body.begin(), body.end(), is_hex))
        return fail(L + " should be " + want + "; it contains other characters — check it was copied "
                        "exactly.");
    if (int(body.size()) != f.min_length)
        return fail(L + " should be " + want + "; this one has " + std::to_string(body.size()) +
                    (f.prefix.empty() ? "" : " after " + std::string(f.prefix)) +
                    " — check it was copied whole.");
    return pass(std::string(f.prefix) + std::string(body));
}

FieldCheck check_token(const Field& f, std::string_view v) {
    const std::string L = label_of(f);
    if (starts_with_icase(v, "bearer ") && !starts_with_icase(f.prefix, "bearer"))
        return fail("Paste the " + label_in_sentence(f) + " alone, without \u201CBearer\u201D in front.");
    if (!v.starts_with(f.prefix)) return fail(sentence(L + " should start with " + std::string(f.prefix)));
    std::string_view body = v.substr(f.prefix.size());
    for (char c : body) {
        if (is_ascii_space(c))
            return fail(L + " should be one unbroken string: it contains a space in the middle.");
        if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7E)
            return fail(L + " contains characters that can't be part of it (only letters, digits and "
                            "punctuation) — check it was copied exactly.");
    }
    int n = int(body.size());
    if (n < f.min_length)
        return fail(L + " looks too short (" + std::to_string(n) +
                    " characters) — check it was copied whole.");
    if (f.max_length > 0 && n > f.max_length)
        return fail(L + " is too long (" + std::to_string(n) + " characters; at most " +
                    std::to_string(f.max_length) + ") — check nothing else was copied with it.");
    return pass(std::string(v));
}

bool valid_amazon_id(const Field& f, std::string_view id) {
    return int(id.size()) >= f.min_length && int(id.size()) <= f.max_length &&
           std::all_of(id.begin(), id.end(), [](char c) { return is_upper(c) || is_digit(c); });
}

std::string amazon_id_shape(const Field& f) {
    return std::to_string(f.min_length) + "–" + std::to_string(f.max_length) +
           " capital letters and digits" +
           (f.placeholder.empty() ? "" : ", e.g. " + std::string(f.placeholder));
}

FieldCheck check_amazon_id(const Field& f, std::string_view v) {
    std::string id = upper(v);
    if (!valid_amazon_id(f, id)) return fail(label_of(f) + " should be " + amazon_id_shape(f) + ".");
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
    if (ids.empty()) return fail(label_of(f) + " needs at least one ID, e.g. " + std::string(f.placeholder) + ".");
    for (const std::string& id : ids)
        if (!valid_amazon_id(f, id))
            return fail(in_quotes(id) + " in " + label_of(f) + " is not valid: each ID is " +
                        amazon_id_shape(f) + ". Separate several with commas.");
    std::string out;
    for (const std::string& id : ids) out += (out.empty() ? "" : ",") + id;
    return pass(out);
}

FieldCheck check_phone(const Field& f, std::string_view v) {
    const std::string L = label_of(f);
    std::string s;
    for (char c : v)
        if (!is_ascii_space(c) && c != '-' && c != '.' && c != '(' && c != ')' && c != '/') s += c;
    if (s.starts_with("00")) s = "+" + s.substr(2);  // international call prefix
    const std::string example = ", e.g. +1 555 123 4567";
    if (!s.starts_with('+')) {
        if (!s.empty() && std::all_of(s.begin(), s.end(), is_digit))
            return fail(L + " needs the country code: start with + and the country code" + example + ".");
        return fail(L + " should be a phone number starting with + and the country code" + example + ".");
    }
    std::string digits = s.substr(1);
    if (!std::all_of(digits.begin(), digits.end(), is_digit))
        return fail(L + " can only contain digits, spaces, dashes and brackets after the +" + example +
                    " (no extension).");
    // E.164: at most 15 digits including the country code, which never
    // starts with 0. Seven is about the shortest number a country issues.
    if (digits.size() < 7 || digits.size() > 15 || digits.front() == '0')
        return fail(L + " should have 7 to 15 digits after the +, country code included; this one has " +
                    std::to_string(digits.size()) + ".");
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
        return fail(label_of(f) + " should be a whole number" +
                    (f.placeholder.empty() ? "" : ", e.g. " + std::string(f.placeholder)) + ".");
    return pass(std::string(v));
}

FieldCheck check_callrail_account(const Field& f, std::string_view v) {
    const std::string shape = label_of(f) +
                              " is the number under your account name in CallRail, e.g. 713-863-719, "
                              "or an ID starting with ACC.";
    if (starts_with_icase(v, "ACC")) {
        std::string_view body = v.substr(3);
        if (body.size() < 8 || body.size() > 64 || !std::all_of(body.begin(), body.end(), is_alnum))
            return fail(shape);
        return pass("ACC" + std::string(body));
    }
    std::string digits;
    for (char c : v) {
        if (c == '-' || c == ' ') continue;
        if (!is_digit(c)) return fail(shape);
        digits += c;
    }
    if (digits.size() < 5 || digits.size() > 12) return fail(shape);
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
    std::string list;
    for (size_t i = 0; i < f.options.size(); ++i) {
        list += i == 0 ? "" : i + 1 == f.options.size() ? " or " : ", ";
        list += f.options[i].value;
    }
    return fail(label_of(f) + (f.options.size() > 1 ? " must be one of " : " must be ") + list + ".");
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
    return fail(label_of(f) + " cannot be checked.");
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] validate_field
// ---------------------------------------------------------------------------

FieldCheck validate_field(const Field& field, std::string_view value) {
    const std::string L = label_of(field);
    std::string_view v = trim(value);
    if (v.empty()) {
        if (!field.default_value.empty()) return run_check(field, field.default_value);
        if (field.required) return fail(L + " is required.");
        return pass({});
    }
    if (int(v.size()) > connectors::kMaxValueLength)
        return fail(L + " is too long (" + std::to_string(utf8_length(v)) + " characters; at most " +
                    std::to_string(connectors::kMaxValueLength) + ").");
    if (!valid_utf8(v))
        return fail(L + " contains bytes that are not valid text — type or paste it again.");
    for (char c : v) {
        unsigned char u = static_cast<unsigned char>(c);
        if ((c == '\n' || c == '\r') && field.input != InputType::textarea)
            return fail(L + " contains a line break — paste it again on one line.");
        if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F)
            return fail(L + " contains an invisible control character — type or paste it again.");
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

std::string unknown_field_message(const Connector& c, std::string_view key) {
    std::string names;
    for (size_t i = 0; i < c.fields.size(); ++i) {
        names += i == 0 ? "" : i + 1 == c.fields.size() ? " and " : ", ";
        names += c.fields[i].name;
    }
    return std::string(c.name) + " has no field named " + in_quotes(key) + "; its fields are " + names + ".";
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
        out.errors[name] = label_of(f) + " was sent twice, as " + in_quotes(it->second) + " and " +
                           in_quotes(key) + "; send it once.";
        return;
    }
    in.key[name] = std::string(key);
    in.text[name] = std::move(text);
}

// If `raw` starts with the prefix of another field of the connector, the
// client pasted that field's value here (WooCommerce's ck_/cs_ swap).
std::string swapped_field_message(const Connector& c, const Field& f, std::string_view raw) {
    raw = trim(raw);
    for (const Field& other : c.fields) {
        if (&other == &f || other.prefix.empty() || other.prefix == f.prefix) continue;
        if (other.check != Check::hex && other.check != Check::token) continue;
        if (!starts_with_icase(raw, other.prefix)) continue;
        std::string msg = "This looks like your " + label_in_sentence(other) + " (it starts with " +
                          std::string(other.prefix) + "); paste the " + label_in_sentence(f) + " here";
        if (!f.prefix.empty()) msg += " — it starts with " + std::string(f.prefix);
        return sentence(msg);
    }
    return "";
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
                std::string swapped = swapped_field_message(c, f, raw);
                out.errors[name] = swapped.empty() ? r.error : swapped;
            } else if (!r.value.empty()) {
                out.values[name] = std::move(r.value);
            }
        }
    }
    if (!out.ok()) out.values.clear();
    return out;
}

std::string json_kind(const nlohmann::json& v) {
    if (v.is_number()) return "a number";
    if (v.is_boolean()) return "true or false";
    if (v.is_array()) return "a list";
    if (v.is_object()) return "an object";
    return "that kind of value";
}

}  // namespace

Validation validate_credentials(const Connector& connector, const nlohmann::json& credentials) {
    Validation out;
    if (!credentials.is_object()) {
        out.errors["credentials"] = "Send the credentials as a JSON object of field names and values, "
                                    "e.g. {\"" + std::string(connector.fields.front().name) + "\": \"…\"}.";
        return out;
    }
    Input in;
    for (const auto& [key, v] : credentials.items()) {
        const Field* f = resolve_field(connector, key);
        if (!f) {
            out.errors[key] = unknown_field_message(connector, key);
            continue;
        }
        const std::string L = label_of(*f);
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
            out.errors[std::string(f->name)] = L + " must be text, or a list of texts, in quotes.";
        } else {
            out.errors[std::string(f->name)] = L + " must be text in quotes, not " + json_kind(v) + ".";
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
            out.errors[key] = unknown_field_message(connector, key);
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
