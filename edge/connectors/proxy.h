// The credential proxy's forwarding: a caller's request to a connected
// platform, sent with the credentials the edge holds, so a stored secret
// never has to reach a browser. The route (edge/api/proxy.cpp) decides who
// may call which connection; this file decides what is forwarded:
//
//   path     appended to the platform's API base (Platform::proxy()), one
//            segment at a time, percent-encoded again; "", "." and ".."
//            segments, backslashes and control characters are refused, so
//            a path cannot leave the API base or name another host
//   query    forwarded as sent (control characters and spaces refused)
//   headers  only content negotiation and conditional headers go out
//            (Accept, If-None-Match, ...); the caller's Authorization,
//            Cookie and hop-by-hop headers never do; the platform's auth
//            headers are added last
//   answer   status and headers as soon as the platform sends them, with
//            the headers a client can use (content type, caching
//            validators, pagination, rate limits; Set-Cookie and the rest
//            are dropped), then the body streamed as it arrives; any
//            stored secret the platform echoed is masked with as many "*"
//            as it has characters, so the platform's Content-Length holds
//            (the last bytes of each piece, fewer than the longest secret,
//            wait for the next piece so a split secret is caught too)
//
// The answer is received on a thread of its own and handed over through
// an http::Relay (a few hundred KiB at most wait in between), so a slow
// caller slows the platform down rather than filling memory. A body that
// passes `max_answer` bytes, or a platform that drops the connection
// mid-body, ends the stream short (cut_reason() says why).
//
// Pacing, retries of GETs, the SSRF guard (every proxied host is checked,
// and the checked address pinned) and cross-origin redirect rules are the
// connectors' own (wire.h), with the connection's RateBudget.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "edge/connectors/connector.h"
#include "edge/http/message.h"

namespace onramp::connectors {

struct ProxyRequest {
    std::string method;
    std::string path;   // below the API base, decoded, no leading slash: "v3/catalog/products"
    std::string query;  // raw, without "?"
    http::Headers headers;
    std::string body;
};

// The platform's answer once its status and headers are in; the body is
// still on its way.
struct ProxyAnswer {
    int status = 0;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;
    // The platform's Content-Length, when it gave one (and no content
    // coding the edge undoes); -1 otherwise.
    int64_t content_length = -1;
    // The body as it arrives, one piece per call (an http::StreamProducer):
    // false once it has all come or was cut short.
    http::StreamProducer body;
    // After `body` returned false: why the body was cut short ("over_cap",
    // "platform_dropped"), "" when it came whole.
    std::function<std::string()> cut_reason;
};

// Why a path or query cannot be forwarded; nullopt when it can.
std::optional<std::string> proxy_refusal(const std::string& path, const std::string& query);

// Forwards `req` (already checked with proxy_refusal) to the platform and
// returns when the answer's head is in. A Failure only when no answer came
// back or the rate budget's wait is longer than ctx.retry.max_delay_ms
// (cause rate_limited, retry_after_s). Dropping the answer stops the
// transfer (at the platform's next bytes at the latest).
Outcome<ProxyAnswer> forward(const Platform& platform, const Credentials& creds, CallContext ctx,
                             const ProxyRequest& req, int64_t max_answer);

// Masks secrets in a body that arrives in pieces: the last (longest
// secret - 1) bytes of each piece are held back, so a secret split across
// two pieces is still found. Masks keep the length.
class Redactor {
public:
    explicit Redactor(std::vector<std::string> secrets);
    std::string feed(std::string_view piece);  // what may go out now
    std::string flush();                        // the held-back rest, at the end
    static void mask(std::string& text, const std::string& secret);

private:
    std::vector<std::string> secrets_;
    size_t hold_ = 0;
    std::string pending_;
};

}  // namespace onramp::connectors
