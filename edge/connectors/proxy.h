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
//   answer   status and body, with the headers a client can use
//            (content type, caching validators, pagination, rate limits);
//            Set-Cookie and the rest are dropped, and any stored secret
//            the platform echoed is replaced by "[redacted]"
//
// Pacing, retries of GETs, the SSRF guard (every proxied host is checked,
// and the checked address pinned) and cross-origin redirect rules are the
// connectors' own (wire.h), with the connection's RateBudget.
#pragma once

#include <optional>
#include <string>

#include "edge/connectors/connector.h"

namespace onramp::connectors {

struct ProxyRequest {
    std::string method;
    std::string path;   // below the API base, decoded, no leading slash: "v3/catalog/products"
    std::string query;  // raw, without "?"
    http::Headers headers;
    std::string body;
};

struct ProxyAnswer {
    int status = 0;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

// Why a path or query cannot be forwarded; nullopt when it can.
std::optional<std::string> proxy_refusal(const std::string& path, const std::string& query);

// Forwards `req` (already checked with proxy_refusal) to the platform.
// A Failure only when no answer came back or the rate budget's wait is
// longer than ctx.retry.max_delay_ms (cause rate_limited, retry_after_s).
Outcome<ProxyAnswer> forward(const Platform& platform, const Credentials& creds, CallContext& ctx,
                             const ProxyRequest& req);

}  // namespace onramp::connectors
