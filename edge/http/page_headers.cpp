// Security headers for HTML pages (edge/http/page_headers.h).
#include "edge/http/page_headers.h"

namespace onramp::http {

namespace {

// The client is Emscripten output: its scripts are files from this origin
// (assets/boot.js, onramp.js), it compiles WebAssembly, and Emscripten's
// emscripten_run_script evaluates strings, which needs 'unsafe-eval' (that
// also allows WebAssembly compilation). Styles: the page's own <style> and
// the ones the runtime sets on the canvas. Logos are data: URLs
// (docs/branding.md). Every request goes to this origin.
constexpr const char* kPolicy =
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors ";

}  // namespace

bool is_page(const Response& r) { return r.content_type.rfind("text/html", 0) == 0; }

void add_page_headers(Response& r, const Request& req, const std::vector<std::string>& frame_ancestors) {
    std::string ancestors;
    for (const std::string& o : frame_ancestors) ancestors += (ancestors.empty() ? "" : " ") + o;
    r.set_header("Content-Security-Policy", kPolicy + (ancestors.empty() ? std::string("'none'") : ancestors));
    if (ancestors.empty()) r.set_header("X-Frame-Options", "DENY");
    r.set_header("Referrer-Policy", "no-referrer");
    // Only over HTTPS: a browser ignores it over HTTP, and a deployment
    // reached on plain HTTP (demo, tests) must not be pinned to HTTPS.
    if (req.scheme == "https") r.set_header("Strict-Transport-Security", "max-age=31536000");
}

}  // namespace onramp::http
