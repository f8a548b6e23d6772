// Request and Response helpers (edge/http/message.h).
#include "edge/http/message.h"

#include <nlohmann/json.hpp>

#include "shared/json.h"

namespace onramp::http {

std::string Request::header(std::string_view name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

bool Request::has_header(std::string_view name) const { return headers.find(name) != headers.end(); }

std::string Request::query_value(std::string_view name) const {
    auto it = query.find(std::string(name));
    return it == query.end() ? std::string() : it->second;
}

std::string Request::param(std::string_view name) const {
    auto it = params.find(std::string(name));
    return it == params.end() ? std::string() : it->second;
}

// dump_json: an answer that echoes bytes from the request which are not
// UTF-8 (a path, a header) goes out with U+FFFD in their place instead of
// throwing on its way out.
Response Response::json(const nlohmann::json& value, int status) {
    Response r;
    r.status = status;
    r.body = dump_json(value);
    return r;
}

Response Response::empty(int status) {
    Response r;
    r.status = status;
    r.content_type.clear();
    return r;
}

void Response::set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
}

}  // namespace onramp::http
