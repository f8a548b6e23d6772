// Twilio: X-Twilio-Signature = base64(HMAC-SHA1(auth token, S)) where S is
// the full URL Twilio requested followed, for form POSTs, by every parameter
// as name + value in sorted order. JSON requests instead carry
// bodySHA256=<hex sha256(body)> in the URL query and S is the URL alone.
//
// Follows twilio-python twilio/request_validator.py and twilio-node
// src/webhooks/webhooks.ts, whose tests (token "12345", and twilio-node's
// spec/unit/webhooks/webhooks.spec.js) are our vectors:
// - the URL is normalised as twilio-node's URL parser does
//   (twilio_normalize_url: a quote in the query is signed as %27), and the
//   URL as given is tried too, as twilio-python signs it unparsed;
// - the URL is tried as given, with the port removed, and with the default
//   port added (:443 for https, :80 otherwise) — "signature generation on the
//   back end is inconsistent"; user-info, case and escapes are kept as given;
// - repeated names sign each value, sorted; twilio-node signs each distinct
//   value once and twilio-python every value, so both spellings are tried;
// - with bodySHA256 in the query, the body hash must match as well.
// Nothing time-bound is signed: replay protection is de-duplication on
// I-Twilio-Idempotency-Token by the inbox.
//
// Security: the URL is part of what is signed, so it must be the public URL
// (--public-url + raw request target), never one rebuilt from a Host header
// an attacker controls.
#include <algorithm>
#include <cctype>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/twilio/webhook.h"
#include "edge/webhooks/internal.h"

namespace onramp::webhooks::detail {

namespace {

constexpr std::string_view kHeader = "X-Twilio-Signature";

// The URL spellings Twilio may have signed: as given, without the port, with
// the scheme's default port. Empty when the URL has no "scheme://".
std::vector<std::string> url_candidates(const std::string& url) {
    size_t sep = url.find("://");
    if (sep == std::string::npos) return {};
    std::string scheme = url.substr(0, sep);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    size_t auth_begin = sep + 3;
    size_t auth_end = url.find_first_of("/?#", auth_begin);
    if (auth_end == std::string::npos) auth_end = url.size();
    size_t at = url.rfind('@', auth_end - 1);
    size_t host_begin = (at != std::string::npos && at >= auth_begin) ? at + 1 : auth_begin;
    size_t search_from = host_begin;
    if (host_begin < auth_end && url[host_begin] == '[') {  // IPv6 literal
        size_t close = url.find(']', host_begin);
        if (close != std::string::npos && close < auth_end) search_from = close;
    }
    size_t colon = url.find(':', search_from);
    bool has_port = colon != std::string::npos && colon < auth_end;

    std::vector<std::string> out = {url};
    if (has_port) {
        out.push_back(url.substr(0, colon) + url.substr(auth_end));
    } else {
        std::string port = scheme == "https" ? ":443" : ":80";
        out.push_back(url.substr(0, auth_end) + port + url.substr(auth_end));
    }
    return out;
}

std::string_view query_of(std::string_view url) {
    size_t q = url.find('?');
    if (q == std::string_view::npos) return {};
    std::string_view query = url.substr(q + 1);
    return query.substr(0, query.find('#'));
}

}  // namespace

std::string twilio_params_suffix(std::vector<std::pair<std::string, std::string>> params,
                                 bool distinct_values) {
    std::sort(params.begin(), params.end());
    if (distinct_values) params.erase(std::unique(params.begin(), params.end()), params.end());
    std::string out;
    for (const auto& [name, value] : params) out += name + value;
    return out;
}

Verdict verify_twilio(const Delivery& d, const Secrets& secrets, int64_t /*now*/) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();

    Verdict error;
    auto header = single_header(d.headers, kHeader, &error);
    if (!header) return error;
    if (d.url.empty())
        return fail(Failure::malformed,
                    "no public URL: Twilio signs the full URL it requested (set --public-url)");
    auto urls = url_candidates(d.url);
    std::string normalized = twilio_normalize_url(d.url);
    if (normalized != d.url)
        for (auto& u : url_candidates(normalized)) urls.push_back(std::move(u));
    if (urls.empty()) return fail(Failure::malformed, "URL " + detail::quoted(d.url) + " has no scheme://host");

    auto mac = crypto::base64_decode(*header);
    if (!mac) return fail(Failure::bad_encoding, "bad base64 in " + std::string(kHeader));
    if (mac->size() != 20)
        return fail(Failure::bad_encoding, std::string(kHeader) + " decodes to " +
                                               std::to_string(mac->size()) +
                                               " bytes; HMAC-SHA1 has 20");

    std::optional<std::string> body_sha256;
    for (auto& [name, value] : parse_form(query_of(d.url)))
        if (name == "bodySHA256" && !body_sha256) body_sha256 = value;  // first, as parse_qs

    std::vector<std::string> suffixes;
    if (body_sha256 || d.method == "GET" || d.body.empty()) {
        suffixes.push_back("");
    } else if (media_type(d) == "application/x-www-form-urlencoded") {
        auto params = parse_form(d.body);
        suffixes.push_back(twilio_params_suffix(params, true));
        std::string every = twilio_params_suffix(params, false);
        if (every != suffixes.front()) suffixes.push_back(every);
    } else {
        return fail(Failure::malformed,
                    "body is not form-encoded and the URL has no bodySHA256 parameter "
                    "(Twilio adds it when it sends JSON)");
    }

    bool matched = false;
    for (auto key : keys) {
        for (const auto& url : urls)
            for (const auto& suffix : suffixes)
                if (crypto::constant_time_equal(crypto::hmac_sha1(key, url + suffix), *mac))
                    matched = true;
        if (matched) break;
    }
    if (!matched)
        return fail(Failure::mismatch,
                    "signature mismatch: " + std::string(kHeader) +
                        " does not match this URL and parameters under the auth token (tried the "
                        "URL as given, without its port and with the default port)");
    if (body_sha256 &&
        !crypto::constant_time_equal(crypto::hex_encode(crypto::sha256(d.body)), *body_sha256))
        return fail(Failure::mismatch,
                    "body does not match the bodySHA256 parameter of the signed URL");
    return accept(header_or_empty(d.headers, "I-Twilio-Idempotency-Token"));
}

}  // namespace onramp::webhooks::detail

namespace onramp::webhooks {

namespace {

// Whether the WHATWG URL parser percent-encodes byte `c` in the query of an
// http(s) URL (the special-query percent-encode set) or in its path.
bool encoded_in_query(unsigned char c) {
    return c <= 0x20 || c >= 0x7F || c == '"' || c == '#' || c == '<' || c == '>' || c == '\'';
}
bool encoded_in_path(unsigned char c) {
    return c <= 0x20 || c >= 0x7F || c == '"' || c == '#' || c == '<' || c == '>' || c == '`' || c == '{' ||
           c == '}';
}

}  // namespace

std::string twilio_normalize_url(std::string_view url) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    size_t sep = url.find("://");
    if (sep == std::string_view::npos) return std::string(url);
    size_t path = url.find_first_of("/?#", sep + 3);
    if (path == std::string_view::npos) return std::string(url);
    size_t fragment = url.find('#', path);
    size_t query = url.find('?', path);
    if (query != std::string_view::npos && fragment != std::string_view::npos && query > fragment)
        query = std::string_view::npos;
    size_t end = fragment == std::string_view::npos ? url.size() : fragment;
    std::string out(url.substr(0, path));
    for (size_t i = path; i < end; ++i) {
        auto c = static_cast<unsigned char>(url[i]);
        bool in_query = query != std::string_view::npos && i > query;
        if (in_query ? encoded_in_query(c) : encoded_in_path(c)) {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += char(c);
        }
    }
    return out + std::string(url.substr(end));
}

std::string sign_twilio(std::string_view auth_token, std::string_view url,
                        const std::vector<std::pair<std::string, std::string>>& params) {
    std::string s = twilio_normalize_url(url) + detail::twilio_params_suffix(params, false);
    return crypto::base64_encode(crypto::hmac_sha1(auth_token, s));
}

std::string twilio_url_with_body_hash(std::string_view url, std::string_view body) {
    std::string out(url);
    out += out.find('?') == std::string::npos ? '?' : '&';
    return out + "bodySHA256=" + crypto::hex_encode(crypto::sha256(body));
}

}  // namespace onramp::webhooks

namespace onramp::platforms::twilio {

using namespace webhooks;

namespace {

// A form POST signs its parameters; anything else signs the URL, which for
// a JSON body carries the body's hash.
void sign(Delivery& d, const Secrets& s, int64_t) {
    if (detail::media_type(d) == "application/x-www-form-urlencoded") {
        detail::set_header(d, "X-Twilio-Signature", sign_twilio(s.keys.front(), d.url, detail::parse_form(d.body)));
        return;
    }
    if (d.method != "GET" && !d.body.empty()) d.url = twilio_url_with_body_hash(d.url, d.body);
    detail::set_header(d, "X-Twilio-Signature", sign_twilio(s.keys.front(), d.url));
}

// Twilio's "CallStatus" as "call.<status>" for a form; "twilio" otherwise.
std::string topic_from_body(const std::string& body, const std::string& content_type) {
    if (content_type.find("x-www-form-urlencoded") == std::string::npos) return {};
    for (const auto& [k, v] : detail::parse_form(body))
        if (k == "CallStatus" && !detail::token_or_empty(v).empty()) return "call." + v;
    return "twilio";
}

}  // namespace

const Scheme& scheme() {
    static const Scheme s{
        .name = "twilio",
        .verify = detail::verify_twilio,
        .sign = sign,
        .example_secrets = [](bool) { return Secrets{.keys = {"12345"}}; },
        .accepts_form = true,
        .signs_url = true,
        .credential_secret = "auth_token",
        .topic_from_body = topic_from_body,
        .manual_steps = [](const std::string& url) {
            return nlohmann::json::array(
                {"Twilio Console > Phone Numbers > your number: set the status callback / webhook URL to " + url +
                     " (HTTP POST).",
                 "Twilio signs with the account's auth token, which Onramp already holds."});
        },
    };
    return s;
}

}  // namespace onramp::platforms::twilio
