#include "edge/http/static_files.h"

#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace onramp::http {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool safe_path(const std::string& path) {
    if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) return false;
    size_t i = 0;
    while (i < path.size()) {
        size_t j = path.find('/', i + 1);
        std::string seg = path.substr(i + 1, (j == std::string::npos ? path.size() : j) - i - 1);
        if (seg == ".." || seg == ".") return false;
        if (j == std::string::npos) break;
        i = j;
    }
    return true;
}

std::optional<std::string> read_file(const std::string& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool accepts_gzip(const Request& req) { return req.header("Accept-Encoding").find("gzip") != std::string::npos; }

}  // namespace

std::string mime_type_for(const std::string& path) {
    if (ends_with(path, ".html")) return "text/html; charset=utf-8";
    if (ends_with(path, ".js") || ends_with(path, ".mjs")) return "text/javascript; charset=utf-8";
    if (ends_with(path, ".wasm")) return "application/wasm";
    if (ends_with(path, ".css")) return "text/css; charset=utf-8";
    if (ends_with(path, ".json")) return "application/json";
    if (ends_with(path, ".png")) return "image/png";
    if (ends_with(path, ".svg")) return "image/svg+xml";
    if (ends_with(path, ".ico")) return "image/x-icon";
    if (ends_with(path, ".txt")) return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

std::optional<Response> serve_static(const std::string& root, const Request& req) {
    if (root.empty() || !safe_path(req.path)) return std::nullopt;
    std::string rel = req.path == "/" ? "/index.html" : req.path;
    std::string file = root + rel;

    Response r;
    r.content_type = mime_type_for(rel);
    std::optional<std::string> body;
    if (accepts_gzip(req) && (body = read_file(file + ".gz"))) {
        r.set_header("Content-Encoding", "gzip");
    } else if (!(body = read_file(file))) {
        return std::nullopt;
    }
    r.set_header("Vary", "Accept-Encoding");
    // index.html names the other files, so it must always be revalidated;
    // the others change only when index.html does, but they keep their
    // names across builds, so they may be cached only briefly too.
    r.set_header("Cache-Control", rel == "/index.html" ? "no-cache" : "public, max-age=300");
    r.set_header("X-Content-Type-Options", "nosniff");
    r.body = std::move(*body);
    return r;
}

}  // namespace onramp::http
