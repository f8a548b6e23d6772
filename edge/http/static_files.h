// Serves the web client's files (index.html, onramp.js, onramp.wasm).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "edge/http/message.h"

namespace onramp::http {

// Returns the file for a GET under `root`, or nullopt when there is none.
// Prefers a precompressed NAME.gz sibling when the client accepts gzip.
// Security: paths containing ".." segments or NUL are refused, so a request
// can never read outside root.
// A GET with one satisfiable byte range (RFC 9110 §14.2) gets 206 and that
// range; a range past the end gets 416. Several ranges, or a Range header
// that does not parse, get the whole file (200): a server may ignore Range,
// and answering many small overlapping ranges would cost far more than
// the file. If-Range is not supported (there are no validators), so a
// request that sends it gets the whole file too.
std::optional<Response> serve_static(const std::string& root, const Request& req);

// The part of a `size`-byte body that a Range header asks for.
struct RangeAnswer {
    enum Kind { Whole, Part, Unsatisfiable } kind = Whole;
    size_t first = 0;  // Part: the first and last byte, inclusive
    size_t last = 0;
};
RangeAnswer pick_range(std::string_view header, size_t size);

std::string mime_type_for(const std::string& path);

}  // namespace onramp::http
