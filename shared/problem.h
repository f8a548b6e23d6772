// A problem is an error as a value: what went wrong, in words a client can
// act on, and the HTTP status it maps to. The edge turns it into RFC 9457
// application/problem+json in exactly one place (edge/http/router.cpp); the
// web client shows `detail` and the per-field `errors` next to the inputs.
#pragma once

#include <map>
#include <string>

namespace onramp {

struct Problem {
    int status = 500;
    std::string error_code;  // stable, machine-readable: "validation_failed"
    std::string title;       // short, human: "Validation failed"
    std::string detail;      // this occurrence, human
    std::map<std::string, std::string> errors;  // field -> message (422)
    int retry_after = 0;     // seconds; sent as Retry-After when > 0
    // Extension members (RFC 9457 section 3.2) as a serialised JSON object,
    // or empty: what a failed platform test verified and where it stopped.
    // A string keeps shared/'s problem free of a JSON library.
    std::string extensions_json;
};

// Constructors for the statuses the API uses. Each sets a default title and
// error code that callers may override.
Problem bad_request(std::string detail, std::string code = "bad_request");
Problem unauthorized(std::string detail = "Sign in first: the request has no valid access token.");
Problem forbidden(std::string detail = "Your role does not allow this.");
Problem not_found(std::string detail = "No such resource.");
Problem method_not_allowed(std::string detail);
Problem conflict(std::string detail, std::string code = "conflict");
// 410: the thing existed but can no longer be used (a spent or withdrawn link).
Problem gone(std::string detail, std::string code = "gone");
Problem payload_too_large(std::string detail);
Problem unsupported_media_type(std::string detail);
Problem unprocessable(std::map<std::string, std::string> errors,
                      std::string detail = "Some fields are missing or invalid.");
Problem too_many_requests(int retry_after_seconds, std::string detail);
Problem internal_error(std::string detail = "Something went wrong on our side.");
Problem bad_gateway(std::string detail, std::string code = "platform_error");

}  // namespace onramp
