// platform_fetch for the browser build: emscripten_fetch (XMLHttpRequest)
// to the page's own origin.
#include <emscripten/fetch.h>

#include <cstdio>

#include "platform/platform.h"

// One request in flight. emscripten_fetch copies the headers but not the
// body, so the body lives here until the reply arrives.
struct FetchContext {
    std::shared_ptr<HttpReply> reply;
    std::string body;
};

// Both the success and the error callback: a reply with any status, or
// status 0 when there was none.
static void on_fetch_done(emscripten_fetch_t* fetch) {
    auto* ctx = static_cast<FetchContext*>(fetch->userData);
    ctx->reply->status = fetch->status;
    if (fetch->data && fetch->numBytes > 0)
        ctx->reply->body.assign(fetch->data, static_cast<size_t>(fetch->numBytes));
    ctx->reply->done = true;
    platform_note_activity();
    emscripten_fetch_close(fetch);
    delete ctx;
}

std::shared_ptr<HttpReply> platform_fetch(const HttpRequest& request) {
    auto* ctx = new FetchContext{std::make_shared<HttpReply>(), request.body};
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    snprintf(attr.requestMethod, sizeof(attr.requestMethod), "%s", request.method.c_str());
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.onsuccess = on_fetch_done;
    attr.onerror = on_fetch_done;
    attr.userData = ctx;

    const std::string auth = "Bearer " + request.bearer;
    const char* headers[9] = {"Accept", "application/json"};
    int n = 2;
    if (!ctx->body.empty()) {
        headers[n++] = "Content-Type";
        headers[n++] = "application/json";
        attr.requestData = ctx->body.data();
        attr.requestDataSize = ctx->body.size();
    }
    if (!request.bearer.empty()) {
        headers[n++] = "Authorization";
        headers[n++] = auth.c_str();
    }
    if (!request.org_id.empty()) {
        headers[n++] = "X-Org-Id";
        headers[n++] = request.org_id.c_str();
    }
    headers[n] = nullptr;
    attr.requestHeaders = headers;

    std::shared_ptr<HttpReply> reply = ctx->reply;
    emscripten_fetch(&attr, request.url.c_str());
    return reply;
}
