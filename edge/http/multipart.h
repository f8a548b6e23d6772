// A strict multipart/form-data parser (RFC 7578 on RFC 2046 §5.1): the
// server turns an upload's body into Request::form and Request::files with
// it before dispatch. A pure function of the bytes, so it can be fuzzed.
//
// Security: every count and size is bounded (parts, each part's header
// block), a body that does not end with the close delimiter is refused
// rather than taken for the whole, and names are checked to be UTF-8
// without control bytes, so nothing malformed reaches a handler.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.h"

namespace onramp::http {

struct MultipartLimits {
    size_t max_parts = 100;
    size_t max_part_header_bytes = 8192;  // one part's header lines, together
};

struct FormPart {
    std::string name;
    std::optional<std::string> filename;  // the Content-Disposition filename, when it has one
    std::string content_type;             // "" when the part names none
    std::string content;
};

// The parts of `body`, in order. `content_type` is the request's header
// value, which carries the boundary. 400 (error_code "malformed_multipart")
// naming what is wrong: no or a bad boundary, a part without
// `Content-Disposition: form-data; name=...`, a header block over the
// limit, too many parts, or a body cut before its close delimiter.
Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view content_type,
                                              const MultipartLimits& limits = {});

// The media type of a Content-Type value, lower-cased, without parameters:
// "Multipart/Form-Data; boundary=x" -> "multipart/form-data".
std::string media_type_of(std::string_view content_type);

}  // namespace onramp::http
