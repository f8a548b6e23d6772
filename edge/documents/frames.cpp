// The frames of the server–reader protocol (see frames.h and sandbox.h).
#include "edge/documents/frames.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace onramp::documents::frames {

std::string header(std::initializer_list<std::string> fields, size_t payload_size) {
    std::string out;
    for (const std::string& f : fields) out += f + " ";
    return out + std::to_string(payload_size) + "\n";
}

Parse take_frame(std::string_view buf, size_t& pos, Frame& out, size_t max_payload) {
    std::string_view rest = buf.substr(pos);
    size_t nl = rest.substr(0, kMaxHeader).find('\n');
    if (nl == std::string_view::npos) return rest.size() < kMaxHeader ? Parse::NeedMore : Parse::Malformed;
    std::vector<std::string_view> fields;
    std::string_view line = rest.substr(0, nl);
    for (size_t at = 0; at <= line.size();) {
        size_t sp = std::min(line.find(' ', at), line.size());
        fields.push_back(line.substr(at, sp - at));
        at = sp + 1;
    }
    size_t length = 0;
    if (fields.size() < 2 || !parse_number(fields.back(), length) || length > max_payload) return Parse::Malformed;
    if (rest.size() - nl - 1 < length) return Parse::NeedMore;
    fields.pop_back();
    out.fields = std::move(fields);
    out.payload = rest.substr(nl + 1, length);
    pos += nl + 1 + length;
    return Parse::Frame;
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(size_t(n));
    }
    return true;
}

bool write_frame(int fd, std::initializer_list<std::string> fields, std::string_view payload) {
    return write_all(fd, header(fields, payload.size())) && write_all(fd, payload);
}

namespace {

constexpr std::pair<Kind, std::string_view> kKindNames[] = {
    {Kind::Pdf, "pdf"}, {Kind::Docx, "docx"}, {Kind::Text, "text"}, {Kind::Markdown, "markdown"}};

}  // namespace

std::string kind_name(Kind kind) {
    for (const auto& [k, name] : kKindNames)
        if (k == kind) return std::string(name);
    return "";
}

std::optional<Kind> kind_named(std::string_view name) {
    for (const auto& [k, n] : kKindNames)
        if (n == name) return k;
    return std::nullopt;
}

std::string mib(size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace onramp::documents::frames
