// platform/locale.h for the browser: navigator.languages, localStorage and
// <html lang>. The static demo uses it too.
#include "platform/locale.h"

#include <emscripten.h>

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
