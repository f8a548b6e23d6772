// platform/locale.h for the browser: navigator.languages, localStorage and
// emscripten_fetch. The static demo uses it too: its tables are files
// beside its page like the client's.
#include "platform/locale.h"

#include <emscripten.h>
#include <emscripten/fetch.h>

#include <cstring>

std::vector<std::string> platform_browser_languages() {
    const std::string joined = emscripten_run_script_string(
        "(function () { var l = navigator.languages || [navigator.language || '']; return l.join(','); })()");
    // Split by hand: <sstream> would bring iostreams' locales into the module.
    std::vector<std::string> out;
    for (size_t start = 0; start < joined.size();) {
        size_t comma = joined.find(',', start);
        if (comma == std::string::npos) comma = joined.size();
        if (comma > start) out.push_back(joined.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

void platform_store_language(const std::string& code) {
    EM_ASM({
        try {
            var v = UTF8ToString($0);
            if (v) window.localStorage.setItem('onramp.language', v);
            else window.localStorage.removeItem('onramp.language');
        } catch (e) {}
    }, code.c_str());
}

std::string platform_stored_language() {
    return emscripten_run_script_string(
        "(function () { try { return window.localStorage.getItem('onramp.language') || ''; }"
        " catch (e) { return ''; } })()");
}

void platform_set_page_language(const std::string& code) {
    EM_ASM({ document.documentElement.lang = UTF8ToString($0); }, code.c_str());
}

// Success and error alike: the reply with its status, 0 when none came.
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

std::shared_ptr<HttpReply> platform_fetch_page_file(const std::string& path) {
    auto* reply = new std::shared_ptr<HttpReply>(std::make_shared<HttpReply>());
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    strcpy(attr.requestMethod, "GET");
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.onsuccess = on_file_done;
    attr.onerror = on_file_done;
    attr.userData = reply;
    std::shared_ptr<HttpReply> out = *reply;
    emscripten_fetch(&attr, path.c_str());
    return out;
}
