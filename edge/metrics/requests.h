// Counts HTTP requests for onramp_http_requests_total from the access log's
// lines: the server hands every finished request's line to one callback,
// so counting there sees each request once, 413s refused before routing
// included, without touching the server.
//
// The route label is the pattern the Router matches the path to. Matching
// runs once per distinct (method, status, path); the counter it found is
// kept in a bounded cache, so a busy endpoint (webhook ingest) costs one
// hash lookup under a mutex and no allocation per request.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "edge/http/router.h"
#include "edge/metrics/registry.h"

namespace onramp::metrics {

struct AccessFields {
    std::string_view method;
    std::string_view path;  // as the line has it (JSON-escaped)
    int status = 0;
};

// Reads method, path and status from an access line (edge/http/server.h):
// views into line, nullopt when one is missing.
std::optional<AccessFields> parse_access_line(std::string_view line);

class RequestCounter {
public:
    // requests: labels method, route, status.
    RequestCounter(const http::Router& router, Family& requests) : router_(router), requests_(requests) {}
    void count(std::string_view access_line);

private:
    Value& series(const AccessFields& f);

    struct ViewHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
    };
    const http::Router& router_;
    Family& requests_;
    std::mutex mu_;
    std::unordered_map<std::string, Value*, ViewHash, std::equal_to<>> cache_;
};

}  // namespace onramp::metrics
