// The frames the server and its document reader exchange (the protocol is
// described in sandbox.h): both sides write and parse them with these.
#pragma once

#include <charconv>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edge/documents/detect.h"

namespace onramp::documents::frames {

constexpr size_t kMaxHeader = 256;        // far more than "extract markdown 2000 4194304 67108864 <n>"
constexpr size_t kMaxWarningBytes = 500;  // a poppler complaint quoting a long string is cut here

// The header line of a frame whose payload is `payload_size` bytes.
std::string header(std::initializer_list<std::string> fields, size_t payload_size);

// A frame read from a buffer; the views point into that buffer.
struct Frame {
    std::vector<std::string_view> fields;  // the header's, without the length
    std::string_view payload;
};

enum class Parse { Frame, NeedMore, Malformed };

// Takes the frame starting at buf[pos] and moves pos past it. NeedMore
// when the buffer ends inside the frame; Malformed when the bytes are not
// a frame, or announce a payload longer than max_payload.
Parse take_frame(std::string_view buf, size_t& pos, Frame& out, size_t max_payload);

// write(2) until all of `data` is written; false on an error.
bool write_all(int fd, std::string_view data);
bool write_frame(int fd, std::initializer_list<std::string> fields, std::string_view payload);

// A kind's name in the request (content types hold spaces).
std::string kind_name(Kind kind);
std::optional<Kind> kind_named(std::string_view name);

template <class N>
bool parse_number(std::string_view s, N& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

// "64 MiB", for messages about limits.
std::string mib(size_t bytes);

}  // namespace onramp::documents::frames
