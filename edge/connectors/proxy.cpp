#include "edge/connectors/proxy.h"

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <future>
#include <thread>

#include "edge/connectors/wire.h"
#include "edge/http/relay.h"

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
// are the platforms' own (docs/platforms/), so a client can pace and page.
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

// How much of a body may wait between the platform and the caller.
constexpr size_t kRelayBytes = 256 << 10;

// The stored secrets a platform might echo: every sensitive field long
// enough not to match by chance.
std::vector<std::string> secrets_of(const Platform& platform, const Credentials& creds) {
    std::vector<std::string> out;
    for (const Field& f : platform.entry().fields) {
        if (!f.sensitive) continue;
        auto v = creds.find(std::string(f.name));
        if (v != creds.end() && v->second.size() >= 6) out.push_back(v->second);
    }
    return out;
}

// The length the caller can be promised: the platform's Content-Length,
// unless a coding is involved (httplib undoes gzip, which changes it).
int64_t declared_length(const http::FetchResponse& head) {
    std::string length = head.header("Content-Length");
    std::string coding = head.header("Content-Encoding");
    if (length.empty() || !head.header("Transfer-Encoding").empty() || (!coding.empty() && coding != "identity"))
        return -1;
    if (length.find_first_not_of("0123456789") != std::string::npos || length.size() > 18) return -1;
    return std::stoll(length);
}

ProxyAnswer answer_head(const http::FetchResponse& head, const std::vector<std::string>& secrets) {
    ProxyAnswer a;
    a.status = head.status;
    a.content_type = head.header("Content-Type");
    a.content_length = declared_length(head);
    for (const auto& [k, v] : head.headers)
        if (returned_header(k)) a.headers.emplace_back(k, v);
    // Security: a platform that echoes a credential (an error page quoting
    // the request) must not hand it to the caller.
    for (const std::string& secret : secrets)
        for (auto& [k, v] : a.headers) Redactor::mask(v, secret);
    return a;
}

// One proxied answer in flight: the thread that receives it from the
// platform and what that thread hands over. Whoever holds the last
// reference (the caller's stream, or forward() on a failure) stops the
// relay and waits for the thread, which ends at the platform's next bytes
// or its read timeout at the latest.
struct Flight {
    http::Relay relay{kRelayBytes};
    std::promise<Outcome<ProxyAnswer>> head;
    std::thread receiver;

    ~Flight() {
        relay.stop();
        if (receiver.joinable()) receiver.join();
    }
};

// The receiving thread: sends the request, hands over the head, then
// pushes the body (masked, counted against the cap) into the relay.
void receive(Flight& flight, const Platform& platform, CallContext ctx, const wire::Request& out,
             std::vector<std::string> secrets, int64_t max_answer) {
    bool headed = false;
    int64_t received = 0;
    Redactor redactor(secrets);
    auto route = [&](const http::FetchResponse& head) -> http::ChunkWriter {
        headed = true;
        flight.head.set_value(answer_head(head, secrets));
        return [&](std::string_view piece) {
            received += int64_t(piece.size());
            if (received > max_answer) {
                flight.relay.cut("over_cap");
                return false;
            }
            return flight.relay.push(redactor.feed(piece));
        };
    };
    try {
        auto res = wire::send(platform, ctx, out, route);
        if (!headed && !res) {
            flight.head.set_value(res.failure());
        } else if (!headed) {  // send() asks the route for every answer it returns; kept for safety
            flight.head.set_value(answer_head(*res, secrets));
            flight.relay.finish();
        } else if (!res) {
            flight.relay.cut("platform_dropped");
        } else {
            flight.relay.push(redactor.flush());
            flight.relay.finish();
        }
    } catch (const std::exception&) {
        // Nothing the thread does throws on purpose; if something does,
        // the caller still gets an answer instead of a terminated process.
        Failure f;
        f.step = out.step;
        f.message = std::string(platform.entry().name) + " could not be reached.";
        if (!headed) flight.head.set_value(f);
        flight.relay.cut("internal_error");
    }
}

}  // namespace

Redactor::Redactor(std::vector<std::string> secrets) : secrets_(std::move(secrets)) {
    for (const std::string& s : secrets_) hold_ = std::max(hold_, s.size() - 1);
}

std::string Redactor::feed(std::string_view piece) {
    pending_.append(piece);
    for (const std::string& s : secrets_) mask(pending_, s);
    if (pending_.size() <= hold_) return "";
    std::string out = pending_.substr(0, pending_.size() - hold_);
    pending_.erase(0, pending_.size() - hold_);
    return out;
}

std::string Redactor::flush() {
    std::string out;
    out.swap(pending_);
    return out;
}

void Redactor::mask(std::string& text, const std::string& secret) {
    if (secret.empty()) return;
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + secret.size()))
        text.replace(at, secret.size(), secret.size(), '*');
}

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

Outcome<ProxyAnswer> forward(const Platform& platform, const Credentials& creds, CallContext ctx,
                             const ProxyRequest& in, int64_t max_answer) {
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

    auto flight = std::make_shared<Flight>();
    auto head = flight->head.get_future();
    flight->receiver = std::thread(receive, std::ref(*flight), std::cref(platform), std::move(ctx), std::move(out),
                                   secrets_of(platform, creds), max_answer);
    Outcome<ProxyAnswer> answer = head.get();
    if (!answer) return answer;
    answer->body = [flight](const http::ChunkWriter& write) {
        std::string piece;
        if (!flight->relay.pull(piece)) return false;
        if (write(piece)) return true;
        flight->relay.stop();
        return false;
    };
    answer->cut_reason = [flight] { return flight->relay.cut_reason(); };
    return answer;
}

}  // namespace onramp::connectors
