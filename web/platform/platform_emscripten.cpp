// The browser side of platform.h, for Emscripten.
//
// Clipboard: emscripten's GLFW has no system clipboard, so the page's
// paste/copy/cut listeners (assets/index.html) call the exported functions
// below. ImGui reads and writes one buffer in PlatformData.
//
// Keys: ImGui 1.86 samples key state once per frame, so a key pressed and
// released between two frames (a quick Ctrl+V on a slow frame) would be
// missed, or seen without its modifier. Once a key goes down between two
// frames, every release that follows is held back until ImGui has seen a
// frame with the keys down.
//
// HTTP: platform_fetch is in fetch_emscripten.cpp (the static demo build
// answers requests in the module instead: fetch_static_demo.cpp).
//
// Scale: ImGui works in canvas pixels. The canvas gets its CSS size from the
// stylesheet and its backbuffer size here, CSS size × devicePixelRatio.
#include "platform/platform.h"

#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_internal.h"  // the active text field's selection, for copy

struct KeyRelease {
    int key, scancode, mods;
};

struct PlatformData {
    GLFWwindow* window = nullptr;
    std::string clipboard;   // last text pasted in or copied out
    std::string selection;   // returned to the page's copy listener
    ImGuiMouseCursor cursor = ImGuiMouseCursor_Arrow;
    bool pressed = false;                  // a key went down since the last frame began
    std::vector<KeyRelease> held;          // releases since then, in order
    std::vector<KeyRelease> release_now;   // held last frame: ImGui has seen the keys down
};

static PlatformData pd;

static const char* get_clipboard_text(void*) { return pd.clipboard.c_str(); }

// ImGui copied (Ctrl+C, or a copy button). Writing the system clipboard is
// best effort: the browser may refuse outside a user gesture, and the page's
// copy listener has already handled the keyboard case.
static void set_clipboard_text(void*, const char* text) {
    pd.clipboard = text;
    EM_ASM({
        if (navigator.clipboard && navigator.clipboard.writeText)
            navigator.clipboard.writeText(UTF8ToString($0)).catch(function() {});
    }, text);
}

static void forget_release(std::vector<KeyRelease>& releases, int key) {
    releases.erase(std::remove_if(releases.begin(), releases.end(),
                                  [key](const KeyRelease& r) { return r.key == key; }),
                   releases.end());
}

static void key_callback(GLFWwindow* window, int key, int scancode, int action, int mods) {
    if (action == GLFW_PRESS) {
        // Down again before its release was passed on: for ImGui it never went up.
        forget_release(pd.held, key);
        forget_release(pd.release_now, key);
        pd.pressed = true;
    } else if (action == GLFW_RELEASE && (pd.pressed || !pd.held.empty())) {
        pd.held.push_back({key, scancode, mods});
        return;
    }
    ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
}

// Emscripten's GLFW passes the browser's wheel deltas through unchanged:
// pixels (about 100 a notch), positive downwards. ImGui wants notches,
// positive upwards, and scrolls five lines a notch.
static void scroll_callback(GLFWwindow* window, double dx, double dy) {
    auto notches = [](double d) { return std::fabs(d) < 10.0 ? -d / 3.0 : -d / 100.0; };
    ImGui_ImplGlfw_ScrollCallback(window, notches(dx), notches(dy));
}

// Activity the page sees first: input of any kind, focus, resizing,
// messages from other windows (the OAuth popup) and a new address fragment,
// which platform_hash_changed() also reports. Kept in the page, read once
// per animation frame.
static const char* const kActivityListeners = R"JS(
window.onrampActiveAt = performance.now();
['pointerdown', 'pointermove', 'pointerup', 'wheel', 'keydown', 'keyup', 'touchstart', 'touchmove', 'touchend',
 'focus', 'blur', 'resize', 'paste', 'message', 'visibilitychange', 'input', 'hashchange', 'popstate'].forEach(function (type) {
    window.addEventListener(type, function () { window.onrampActiveAt = performance.now(); },
                            { capture: true, passive: true });
});
window.addEventListener('hashchange', function () { window.onrampHashChanged = true; });
window.addEventListener('popstate', function () { window.onrampHashChanged = true; });
)JS";

constexpr double kBusyMs = 2000;     // frames every animation frame after activity
constexpr double kIdleFrameMs = 500;  // and twice a second otherwise

static double active_at = 0, frame_at = 0;

void platform_note_activity() { active_at = emscripten_get_now(); }

bool platform_frame_due(bool editing) {
    const double now = emscripten_get_now();
    const double input_at = EM_ASM_DOUBLE({ return window.onrampActiveAt || 0; });
    if (editing || now - std::max(active_at, input_at) < kBusyMs || now - frame_at >= kIdleFrameMs) {
        frame_at = now;
        return true;
    }
    return false;
}

void platform_init(GLFWwindow* window) {
    emscripten_run_script(kActivityListeners);
    pd.window = window;
    ImGuiIO& io = ImGui::GetIO();
    io.GetClipboardTextFn = get_clipboard_text;
    io.SetClipboardTextFn = set_clipboard_text;
    io.ClipboardUserData = nullptr;
    // Replaces the backend's key callback; ours forwards to it.
    glfwSetKeyCallback(window, key_callback);
    glfwSetScrollCallback(window, scroll_callback);
}

// Releases held back during the frame before last are due now: the last
// NewFrame saw those keys down.
static void release_tapped_keys() {
    for (const KeyRelease& r : pd.release_now)
        ImGui_ImplGlfw_KeyCallback(pd.window, r.key, r.scancode, GLFW_RELEASE, r.mods);
    pd.release_now.swap(pd.held);
    pd.held.clear();
    pd.pressed = false;
}

// Called by the page's paste listener with the pasted text.
//
// Ctrl+V (and Shift+Insert) are ImGui shortcuts: ImGui pastes by itself on
// the next frame, reading the buffer filled here, so injecting as well would
// paste twice. Any other paste (Cmd+V on a Mac, a context menu, a synthetic
// event) is typed into the active field as characters. ImGui 1.86 would drop
// characters typed while Ctrl is held anyway.
extern "C" EMSCRIPTEN_KEEPALIVE void onramp_paste(const char* text) {
    pd.clipboard = text;
    const ImGuiIO& io = ImGui::GetIO();
    const bool shortcut = io.KeyCtrl || (io.KeyShift && io.KeysDown[GLFW_KEY_INSERT]);
    if (!shortcut) ImGui::GetIO().AddInputCharactersUTF8(text);
}

// Called by the page's copy and cut listeners, inside the user's gesture:
// returns the selected text of the field being edited, or "" (nothing to
// copy, or a password field, which never gives its text away). ImGui handles
// the key itself on the next frame (and deletes the selection on cut).
extern "C" EMSCRIPTEN_KEEPALIVE const char* onramp_copy_selection() {
    pd.selection.clear();
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    const ImGuiInputTextState& state = g.InputTextState;
    if (g.ActiveId == 0 || state.ID != g.ActiveId) return "";
    if (state.Flags & ImGuiInputTextFlags_Password) return "";
    int begin = ImMin(state.Stb.select_start, state.Stb.select_end);
    int end = ImMax(state.Stb.select_start, state.Stb.select_end);
    end = ImMin(end, state.CurLenW);
    if (begin >= end) return "";
    pd.selection.resize(static_cast<size_t>(end - begin) * 4 + 1);
    const int n = ImTextStrToUtf8(pd.selection.data(), static_cast<int>(pd.selection.size()),
                                  state.TextW.Data + begin, state.TextW.Data + end);
    pd.selection.resize(static_cast<size_t>(n));
    return pd.selection.c_str();
}

float platform_begin_frame(GLFWwindow* window) {
    release_tapped_keys();
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    const float dpr = static_cast<float>(emscripten_get_device_pixel_ratio());
    const int w = ImMax(1, static_cast<int>(std::lround(css_w * dpr)));
    const int h = ImMax(1, static_cast<int>(std::lround(css_h * dpr)));
    int cur_w = 0, cur_h = 0;
    glfwGetWindowSize(window, &cur_w, &cur_h);
    if (w != cur_w || h != cur_h) glfwSetWindowSize(window, w, h);
    return dpr;
}

bool platform_prefers_dark() {
    return EM_ASM_INT({
        return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 1 : 0;
    }) != 0;
}

void platform_update_cursor() {
    const ImGuiMouseCursor cursor = ImGui::GetMouseCursor();
    if (cursor == pd.cursor) return;
    pd.cursor = cursor;
    const char* css = "default";
    switch (cursor) {
    case ImGuiMouseCursor_TextInput: css = "text"; break;
    case ImGuiMouseCursor_Hand: css = "pointer"; break;
    case ImGuiMouseCursor_NotAllowed: css = "not-allowed"; break;
    case ImGuiMouseCursor_None: css = "none"; break;
    default: break;
    }
    EM_ASM({ Module['canvas'].style.cursor = UTF8ToString($0); }, css);
}

std::string platform_location_hash() {
    return emscripten_run_script_string("window.location.hash");
}

bool platform_hash_changed() {
    return EM_ASM_INT({
        var changed = window.onrampHashChanged === true;
        window.onrampHashChanged = false;
        return changed;
    });
}

// The tab's sessionStorage under `key` ("" removes it). Storage may be
// refused (a privacy mode): then a reload asks to sign in.
static void keep_in_tab(const char* key, const std::string& value) {
    EM_ASM({
        try {
            var k = UTF8ToString($0);
            var v = UTF8ToString($1);
            if (v) window.sessionStorage.setItem(k, v);
            else window.sessionStorage.removeItem(k);
        } catch (e) {}
    }, key, value.c_str());
}

// `key` is one of this file's constants, never text from outside.
static std::string kept_in_tab(const char* key) {
    return emscripten_run_script_string(
        (std::string("(function () { try { return window.sessionStorage.getItem('") + key +
         "') || ''; } catch (e) { return ''; } })()").c_str());
}

void platform_remember_session(const std::string& refresh_token) { keep_in_tab("onramp.session", refresh_token); }
std::string platform_remembered_session() { return kept_in_tab("onramp.session"); }

void platform_remember_link(const std::string& token) { keep_in_tab("onramp.link", token); }
std::string platform_remembered_link() { return kept_in_tab("onramp.link"); }

void platform_replace_hash(const std::string& hash) {
    EM_ASM({
        try {
            var l = window.location;
            window.history.replaceState(window.history.state, document.title, l.pathname + l.search + UTF8ToString($0));
        } catch (e) {}
    }, hash.c_str());
}

void platform_push_hash(const std::string& hash) {
    EM_ASM({
        try {
            var l = window.location;
            window.history.pushState(null, document.title, l.pathname + l.search + UTF8ToString($0));
        } catch (e) {}
    }, hash.c_str());
}

void platform_show_logo(const std::string& data_url, const std::string& alt, float x, float y, float size) {
    EM_ASM({
        var url = UTF8ToString($0);
        var img = document.getElementById('brand-logo');
        if (!url) { if (img) img.remove(); return; }
        if (!img) {
            img = document.createElement('img');
            img.id = 'brand-logo';
            img.style.cssText = 'position:fixed;object-fit:contain;pointer-events:none';
            document.body.appendChild(img);
        }
        if (img.getAttribute('src') !== url) img.src = url;
        img.alt = UTF8ToString($1);
        img.style.left = $2 + 'px';
        img.style.top = $3 + 'px';
        img.style.width = img.style.height = $4 + 'px';
    }, data_url.c_str(), alt.c_str(), x, y, size);
}

void platform_tell_parent(const std::string& type, const std::string& detail_json, const std::string& origins_json) {
    EM_ASM({
        if (window.onrampTellParent) window.onrampTellParent(UTF8ToString($0), UTF8ToString($1), UTF8ToString($2));
    }, type.c_str(), detail_json.c_str(), origins_json.c_str());
}

void platform_first_frame_drawn() {
    EM_ASM({ if (Module['onFirstFrame']) Module['onFirstFrame'](); });
}
