// Serves the web client's files (index.html, onramp.js, onramp.wasm).
#pragma once

#include <optional>
#include <string>

#include "edge/http/message.h"

namespace onramp::http {

// Returns the file for a GET under `root`, or nullopt when there is none.
// Prefers a precompressed NAME.gz sibling when the client accepts gzip.
// Security: paths containing ".." segments or NUL are refused, so a request
// can never read outside root.
std::optional<Response> serve_static(const std::string& root, const Request& req);

std::string mime_type_for(const std::string& path);

}  // namespace onramp::http
