// platform_fetch for the static demo build: requests are answered inside
// the module by the FakeEdge (static_demo/fake_edge.h), never sent. The
// reply is complete on return; screens take it in on their next frame, as
// they do a network reply.
//
// Uploads, which the page performs itself (platform/gestures.h), come here
// too: the page's window.onrampLocalUpload hands the picked file's name and
// size to onramp_static_demo_upload (the content is never read).
#include <emscripten.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "platform/platform.h"
#include "static_demo/fake_edge.h"

// gestures_emscripten.cpp: an upload's progress and its answer.
extern "C" void onramp_upload_event(const char* id, int phase, double sent, double total, int status,
                                    const char* text);

namespace {

// Progress in two steps, then the answer, so the wizard's upload bar shows.
const char* const kUploadBridge = R"JS(
window.onrampLocalUpload = function (id, spec, file) {
    var size = file.size;
    setTimeout(function () {
        Module.ccall('onramp_upload_event', null, ['string', 'number', 'number', 'number', 'number', 'string'],
                     [id, 1, size / 2, size, 0, '']);
    }, 150);
    setTimeout(function () {
        Module.ccall('onramp_static_demo_upload', null,
                     ['string', 'string', 'string', 'string', 'number', 'string', 'string'],
                     [id, spec.url, spec.bearer || '', spec.org_id || '', size, file.name,
                      (spec.fields && spec.fields.category) || '']);
    }, 400);
};
)JS";

double unix_ms() {
    using namespace std::chrono;
    return static_cast<double>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace

// The demo's one server, made on first use and kept for the page's
// lifetime, like the page's real server; its clock is moved to now on
// every use.
FakeEdge& static_demo_edge() {
    static FakeEdge* edge = [] {
        auto* e = new FakeEdge;
        fake_edge_init(*e, unix_ms(), emscripten_run_script_string("window.location.origin"));
        emscripten_run_script(kUploadBridge);
        return e;
    }();
    fake_edge_set_clock(*edge, unix_ms());
    return *edge;
}

std::shared_ptr<HttpReply> platform_fetch(const HttpRequest& request) {
    return std::make_shared<HttpReply>(fake_edge_answer(static_demo_edge(), request));
}

extern "C" EMSCRIPTEN_KEEPALIVE void onramp_static_demo_upload(const char* id, const char* url, const char* bearer,
                                                               const char* org_id, double size, const char* filename,
                                                               const char* category) {
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.bearer = bearer;
    request.org_id = org_id;
    request.body = nlohmann::json{{"filename", filename}, {"size", static_cast<int64_t>(size)}, {"category", category}}
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const HttpReply reply = fake_edge_answer(static_demo_edge(), request);
    onramp_upload_event(id, 2, size, size, reply.status, reply.body.c_str());
}
