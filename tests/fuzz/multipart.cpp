// libFuzzer target: an upload's multipart/form-data body as the server
// reads it before dispatch (edge/http/multipart.h).
//
// The first input line is the request's Content-Type value (which carries
// the boundary); the rest is the body. Besides the sanitizers, the target
// checks what the header promises: a refusal is a 400 "malformed_multipart";
// an accepted body has at most max_parts parts, each with a non-empty name
// that is valid UTF-8, and no part's content is longer than the body.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "edge/documents/detect.h"
#include "edge/http/multipart.h"

namespace {

[[noreturn]] void broken(const char* what) {
    std::fprintf(stderr, "fuzz multipart: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    size_t eol = in.find('\n');
    std::string_view content_type = eol == std::string_view::npos ? in : in.substr(0, eol);
    std::string_view body = eol == std::string_view::npos ? std::string_view() : in.substr(eol + 1);

    onramp::http::MultipartLimits limits;
    limits.max_parts = 8;
    limits.max_part_header_bytes = 512;
    auto parts = onramp::http::parse_multipart(body, content_type, limits);
    if (!parts) {
        if (parts.problem().status != 400 || parts.problem().error_code != "malformed_multipart")
            broken("a refusal that is not 400 malformed_multipart");
        return 0;
    }
    if (parts->size() > limits.max_parts) broken("more parts than the limit");
    for (const auto& part : *parts) {
        if (part.name.empty() || !onramp::documents::valid_utf8(part.name)) broken("a part name empty or not UTF-8");
        if (part.content.size() > body.size()) broken("a part longer than the body");
    }
    (void)onramp::http::media_type_of(content_type);
    return 0;
}
