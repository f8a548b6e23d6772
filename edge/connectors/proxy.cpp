#include "edge/connectors/proxy.h"

#include <strings.h>

#include <cctype>

#include "edge/connectors/wire.h"

namespace onramp::connectors {

namespace {

bool one_of(const std::string& name, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (strcasecmp(name.c_str(), n) == 0) return true;
    return false;
}

// Caller headers that change only how the answer is shaped.
bool forwarded_request_header(const std::string& name) {
    return one_of(name, {"Accept", "Accept-Language", "If-None-Match", "If-Match", "If-Modified-Since",
                         "If-Unmodified-Since"});
}

// Platform headers a client can use. Rate-limit and pagination headers
// are the platforms' own (PLATFORMS.md), so a client can pace and page.
bool returned_header(const std::string& name) {
    if (one_of(name, {"ETag", "Last-Modified", "Link", "Retry-After", "X-Retry-After",
                      "X-Shopify-Shop-Api-Call-Limit", "X-WP-Total", "X-WP-TotalPages", "x-amzn-RateLimit-Limit",
                      "x-amzn-RequestId"}))
        return true;
    return strncasecmp(name.c_str(), "X-Rate-Limit-", 13) == 0;
}

bool control_or_space(char ch) { return static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f; }

// RFC 3986 pchar: unreserved, sub-delims, ":" and "@" stay as they are.
std::string encode_segment(const std::string& s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char ch : s) {
        if (std::isalnum(ch) || std::string_view("-._~!$&'()*+,;=:@").find(char(ch)) != std::string_view::npos) {
            out += char(ch);
        } else {
            out += '%';
            out += kHex[ch >> 4];
            out += kHex[ch & 15];
        }
    }
    return out;
}

void redact(std::string& text, const std::string& secret) {
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
        text.replace(at, secret.size(), "[redacted]");
}

}  // namespace

std::optional<std::string> proxy_refusal(const std::string& path, const std::string& query) {
    if (path.empty()) return "Name a path below the platform's API, e.g. /api/v1/proxy/{id}/v3/catalog/products.";
    if (path.size() > 2048) return "The path is longer than 2048 characters.";
    size_t i = 0;
    while (i <= path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        std::string seg = path.substr(i, j - i);
        if (seg.empty() || seg == "." || seg == "..")
            return "The path may not contain empty, \".\" or \"..\" segments: it must stay below the platform's API.";
        i = j + 1;
    }
    for (char ch : path)
        if (control_or_space(ch) || ch == '\\') return "The path contains a control character, space or backslash.";
    if (query.size() > 4096) return "The query is longer than 4096 characters.";
    for (char ch : query)
        if (control_or_space(ch) || ch == '#') return "The query contains a control character, space or '#'.";
    return std::nullopt;
}

Outcome<ProxyAnswer> forward(const Platform& platform, const Credentials& creds, CallContext& ctx,
                             const ProxyRequest& in) {
    auto target = platform.proxy(creds, ctx);
    if (!target) return target.failure();

    wire::Request out;
    out.step = "proxy";
    out.method = in.method;
    std::string path;
    size_t i = 0;
    while (i < in.path.size()) {
        size_t j = in.path.find('/', i);
        if (j == std::string::npos) j = in.path.size();
        path += "/" + encode_segment(in.path.substr(i, j - i));
        i = j + 1;
    }
    out.url = target->base_url + path + (in.query.empty() ? "" : "?" + in.query);
    for (const auto& [k, v] : in.headers)
        if (forwarded_request_header(k)) out.headers.emplace(k, v);
    // The platform's own auth headers last, replacing any of the same name.
    for (const auto& [k, v] : target->headers) {
        out.headers.erase(k);
        out.headers.emplace(k, v);
    }
    out.body = in.body;
    auto type = in.headers.find("Content-Type");
    if (type != in.headers.end()) out.content_type = type->second;
    // Security: every proxied host goes through the SSRF guard, also the
    // fixed ones: the check is cheap and a DNS answer can change.
    out.typed_host = true;
    out.host_field = "base_url";
    // Only requests that change nothing are repeated after a 429 or 5xx.
    out.retryable = in.method == "GET" || in.method == "HEAD";

    auto res = wire::send(platform, ctx, out);
    if (!res) return res.failure();

    ProxyAnswer a;
    a.status = res->status;
    a.content_type = res->header("Content-Type");
    a.body = std::move(res->body);
    for (const auto& [k, v] : res->headers)
        if (returned_header(k)) a.headers.emplace_back(k, v);
    // Security: a platform that echoes a credential (an error page quoting
    // the request) must not hand it to the caller.
    for (const Field& f : platform.entry().fields) {
        if (!f.sensitive) continue;
        auto v = creds.find(std::string(f.name));
        if (v == creds.end() || v->second.size() < 6) continue;
        redact(a.body, v->second);
        for (auto& [k, hv] : a.headers) redact(hv, v->second);
    }
    return a;
}

}  // namespace onramp::connectors
