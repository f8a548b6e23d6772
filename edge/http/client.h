// Outbound HTTP(S): how connectors reach platforms and how tests reach a
// running edge. HTTPS verifies the server certificate against the system CA
// store; every call has connect and read timeouts. Failures come back as a
// FetchError naming the stage (DNS, connect, TLS, timeout), which the
// connectors turn into words a client understands.
#pragma once

#include <string>

#include "edge/http/message.h"
#include "shared/result.h"

namespace onramp::http {

struct FetchRequest {
    std::string method = "GET";
    std::string url;  // absolute: scheme://host[:port]/path?query
    Headers headers;
    std::string body;
    std::string content_type;
    int connect_timeout_ms = 5000;
    int read_timeout_ms = 15000;
    // Security: when set, connect to this numeric address instead of
    // resolving the URL's host again; Host and TLS SNI still name the host.
    // The SSRF guard (edge/connectors/target.h) resolves and checks once,
    // then pins the checked address here, so DNS cannot change in between.
    std::string connect_address;
};

struct FetchResponse {
    int status = 0;
    Headers headers;
    std::string body;
    std::string header(std::string_view name) const;
};

// Cancelled: a body writer (BodyRoute) stopped the transfer.
enum class FetchError { BadUrl, Dns, Connect, Tls, Timeout, Read, Write, Cancelled, Other };

struct FetchFailure {
    FetchError kind;
    std::string message;  // for logs and problem details; never holds a credential
};

struct FetchResult {
    bool ok() const { return failure.message.empty() && response.status != 0; }
    FetchResponse response;
    FetchFailure failure{FetchError::Other, ""};
};

FetchResult fetch(const FetchRequest& req);

// Where a response body goes when it should not wait in memory. Asked
// once the status and headers are in, before any of the body (also when
// there is none: HEAD, 204), it returns a writer that is handed the body
// piece by piece as it arrives, or an empty function to collect the body
// into FetchResponse::body as usual. A writer that returns false stops
// the transfer; the FetchResult is then a Cancelled failure.
using BodyRoute = std::function<ChunkWriter(const FetchResponse& head)>;
FetchResult fetch(const FetchRequest& req, const BodyRoute& route);

struct ParsedUrl {
    std::string scheme, host, path_and_query;
    int port = 0;
};
// Splits an absolute http(s) URL; false when it is not one.
bool parse_url(const std::string& url, ParsedUrl& out);

}  // namespace onramp::http
