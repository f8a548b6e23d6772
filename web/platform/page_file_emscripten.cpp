// platform_fetch_page_file for the browser: emscripten_fetch (XMLHttpRequest),
// in the client and the static demo alike.
#include "platform/page_file.h"

#include <emscripten/fetch.h>

#include <cstdio>

// Both the success and the error callback: a reply with any status, or
// status 0 when there was none.
static void on_file_done(emscripten_fetch_t* fetch) {
    auto* reply = static_cast<std::shared_ptr<HttpReply>*>(fetch->userData);
    (*reply)->status = fetch->status;
    if (fetch->data && fetch->numBytes > 0)
        (*reply)->body.assign(fetch->data, static_cast<size_t>(fetch->numBytes));
    (*reply)->done = true;
    platform_note_activity();
    emscripten_fetch_close(fetch);
    delete reply;
}

std::shared_ptr<HttpReply> platform_fetch_page_file(const std::string& name) {
    auto reply = std::make_shared<HttpReply>();
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    snprintf(attr.requestMethod, sizeof(attr.requestMethod), "GET");
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.onsuccess = on_file_done;
    attr.onerror = on_file_done;
    attr.userData = new std::shared_ptr<HttpReply>(reply);
    emscripten_fetch(&attr, name.c_str());
    return reply;
}
