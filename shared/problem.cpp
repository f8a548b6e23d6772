#include "shared/problem.h"

#include <utility>

namespace onramp {

static Problem make(int status, std::string code, std::string title, std::string detail) {
    Problem p;
    p.status = status;
    p.error_code = std::move(code);
    p.title = std::move(title);
    p.detail = std::move(detail);
    return p;
}

Problem bad_request(std::string detail, std::string code) {
    return make(400, std::move(code), "Bad request", std::move(detail));
}
Problem unauthorized(std::string detail) {
    return make(401, "unauthorized", "Unauthorized", std::move(detail));
}
Problem forbidden(std::string detail) {
    return make(403, "forbidden", "Forbidden", std::move(detail));
}
Problem not_found(std::string detail) {
    return make(404, "not_found", "Not found", std::move(detail));
}
Problem method_not_allowed(std::string detail) {
    return make(405, "method_not_allowed", "Method not allowed", std::move(detail));
}
Problem conflict(std::string detail, std::string code) {
    return make(409, std::move(code), "Conflict", std::move(detail));
}
Problem gone(std::string detail, std::string code) {
    return make(410, std::move(code), "Gone", std::move(detail));
}
Problem payload_too_large(std::string detail) {
    return make(413, "payload_too_large", "Payload too large", std::move(detail));
}
Problem unsupported_media_type(std::string detail) {
    return make(415, "unsupported_media_type", "Unsupported media type", std::move(detail));
}
Problem unprocessable(std::map<std::string, std::string> errors, std::string detail) {
    Problem p = make(422, "validation_failed", "Validation failed", std::move(detail));
    p.errors = std::move(errors);
    return p;
}
Problem too_many_requests(int retry_after_seconds, std::string detail) {
    Problem p = make(429, "rate_limited", "Too many requests", std::move(detail));
    p.retry_after = retry_after_seconds < 1 ? 1 : retry_after_seconds;
    return p;
}
Problem internal_error(std::string detail) {
    return make(500, "internal_error", "Internal server error", std::move(detail));
}
Problem bad_gateway(std::string detail, std::string code) {
    return make(502, std::move(code), "Platform error", std::move(detail));
}

}  // namespace onramp
