// The reader's side of the frames (see read.h, and sandbox.h for the
// protocol): one request in, progress and warning frames and one result out.
#include <poppler/cpp/poppler-global.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "edge/documents/frames.h"
#include "edge/documents/reader/read.h"
#include "edge/documents/sandbox.h"

namespace onramp::documents {

namespace {

using namespace frames;

constexpr int kExitMalformedRequest = 2;

struct Request {
    Kind kind;
    ExtractLimits limits;
    std::string_view content;
};

std::optional<Request> parse_request(std::string_view bytes) {
    Frame f;
    size_t pos = 0;
    if (take_frame(bytes, pos, f, bytes.size()) != Parse::Frame || pos != bytes.size()) return std::nullopt;
    if (f.fields.size() != 5 || f.fields[0] != "extract") return std::nullopt;
    auto kind = kind_named(f.fields[1]);
    Request r{kind.value_or(Kind::Text), {}, f.payload};
    if (!kind || !parse_number(f.fields[2], r.limits.max_pages) ||
        !parse_number(f.fields[3], r.limits.max_text_bytes) ||
        !parse_number(f.fields[4], r.limits.max_inflated_bytes))
        return std::nullopt;
    return r;
}

// All of `fd`. Its size is reserved up front when known (the request is a
// file), so a large document is held once, without the doubling growth.
std::optional<std::string> read_all(int fd) {
    std::string out;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) out.reserve(size_t(st.st_size));
    char buf[64 * 1024];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) return out;
        out.append(buf, size_t(n));
    }
}

struct ChildState {
    int out;
    int warnings = 0;
};

// poppler's complaints about a damaged file become warning frames (the
// parent logs them), the first kMaxWarnings of them.
void send_warning(const std::string& message, void* closure) {
    auto& c = *static_cast<ChildState*>(closure);
    if (c.warnings++ >= kMaxWarnings) return;
    std::string_view m = std::string_view(message).substr(0, kMaxWarningBytes);
    write_frame(c.out, {"warning"}, m);
}

// The limit RLIMIT_AS put on this process, for the message; the parent set it.
std::string memory_limit_text() {
    rlimit rl{};
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return "more memory than the reader may use";
    return "more than " + mib(size_t(rl.rlim_cur)) + " of memory";
}

// Reads the request and extracts; nullopt for a malformed request.
std::optional<Result<Extracted>> extract_request(int in, ChildState& c) {
    auto bytes = read_all(in);
    if (!bytes) return std::nullopt;
    auto request = parse_request(*bytes);
    if (!request) return std::nullopt;
    Progress progress = [&c](int percent) { return write_frame(c.out, {"progress", std::to_string(percent)}, ""); };
    return extract_text(request->kind, request->content, request->limits, progress);
}

// extract_request, with an exception made into a result: an allocation
// that failed (reading the file, or extracting it) means the document needs
// more memory than RLIMIT_AS allows.
std::optional<Result<Extracted>> extract_guarded(int in, ChildState& c) {
    try {
        return extract_request(in, c);
    } catch (const std::bad_alloc&) {
        return extraction_problem("The document is too large to read (it needs " + memory_limit_text() + ").",
                                  "too_large");
    } catch (const std::exception& e) {
        return extraction_problem(std::string("The file could not be read (") + e.what() + ").");
    }
}

}  // namespace

int serve_extraction(int in, int out) {
    ChildState state{out};
    poppler::set_debug_error_function(send_warning, &state);
    auto extracted = extract_guarded(in, state);
    if (!extracted) return kExitMalformedRequest;
    const Result<Extracted>& r = *extracted;
    if (r)
        write_frame(out, {"done", std::to_string(r->pages), r->truncated ? "1" : "0"}, r->text);
    else
        write_frame(out, {"failed", r.problem().error_code}, r.problem().detail);
    return 0;
}

}  // namespace onramp::documents
