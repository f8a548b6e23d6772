// The browser side of gestures.h.
//
// The page keeps the regions published by the last frame (in CSS pixels,
// relative to the canvas) and listens for clicks on the canvas in the
// capture phase, before emscripten's own handlers. A click that starts and
// ends in the same region performs its act right there, inside the gesture.
// Touch screens act on pointerup, which is a gesture for them, mice on
// click.
//
// The on-screen keyboard: a canvas cannot take text, so a tap (touch or
// pen, not a mouse) on a text field focuses a hidden <input>. Its value
// always holds one sentinel character: what is typed after it goes to ImGui
// as characters, and a deleted sentinel is a Backspace, which keyboards
// without key codes send no other way. A word the keyboard is still
// composing (Gboard) goes once it is committed.
//
// Taps: emscripten's GLFW takes touchstart and touchend as mouse button
// presses without moving the cursor (it reads no coordinates from touch
// events), so a finger down across a frame pressed wherever the previous
// tap was. The browser follows every tap with mouse events at the right
// place, which ImGui takes as the click; touch events stop before GLFW.
// The pointer is moved to the finger when it goes down, so that what is
// under it is hovered for the frames it is held.
//
// Scrolling: a finger that moves more than a few pixels from where it went
// down drags the content under it (touch_scroll.h) and is no tap: its
// touchend is cancelled, so the browser sends no mouse events for it, and
// no region acts. A finger that stops content still moving after a drag is
// no tap either.
#include "platform/gestures.h"
#include "platform/platform.h"

#include <GLFW/glfw3.h>
#include <emscripten.h>

#include <deque>
#include <map>
#include <nlohmann/json.hpp>

#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_internal.h"  // what ImGui's keyboard navigation would press
#include "platform/touch_scroll.h"
#include "ui.h"

namespace {

struct Region {
    std::string id;
    GestureKind kind;
    ImVec2 min, max;
    std::string payload;
};

enum class SoftBackspace { up, down, released };  // released: the next frame sees it up

struct GestureData {
    bool installed = false;
    std::vector<Region> frame;   // regions added while drawing this frame
    std::string published;       // the JSON last sent to the page
    bool wanted_text = false;    // io.WantTextInput last frame
    // What the on-screen keyboard sent and ImGui has not been given yet, in
    // order: text, or "" for a Backspace. ImGui samples keys once a frame and
    // types a frame's text before its keys, so a Backspace must be seen down
    // by one frame and up by the next, and text after it waits for the first.
    std::deque<std::string> soft_keys;
    SoftBackspace backspace = SoftBackspace::up;
    std::map<std::string, std::shared_ptr<Upload>> uploads;
    std::string oauth_message;
    const WidgetLog* log = nullptr;  // the last frame's widgets
    TouchScroll scroll;
    float dpr = 1.0f;  // the last frame's: the page speaks CSS pixels
};

GestureData gd;

const char* kind_name(GestureKind k) {
    switch (k) {
    case GestureKind::copy_text: return "copy";
    case GestureKind::open_url: return "url";
    case GestureKind::open_popup: return "popup";
    case GestureKind::pick_file: return "file";
    case GestureKind::download: return "download";
    }
    return "";
}

// The page's listeners, installed once. Its comments of more than a line
// stand between the string's pieces, where the module does not carry them
// to the page.
const char* const kListeners = R"JS(
(function () {
    var g = window.onrampGestures = { regions: [], down: null, lastType: 'mouse' };
    var canvas = Module['canvas'];
    function call(name, types, args) { Module.ccall(name, null, types, args); }
    function hit(e) {
        var r = canvas.getBoundingClientRect();
        var x = e.clientX - r.left, y = e.clientY - r.top;
        for (var i = 0; i < g.regions.length; i++) {
            var q = g.regions[i];
            if (x >= q.x0 && x <= q.x1 && y >= q.y0 && y <= q.y1) return q;
        }
        return null;
    }
    var SENTINEL = String.fromCharCode(0x200b);
    var text = document.createElement('input');
    text.type = 'text';
    text.setAttribute('autocomplete', 'off');
    text.setAttribute('autocapitalize', 'off');
    text.setAttribute('autocorrect', 'off');
    text.setAttribute('spellcheck', 'false');
    text.setAttribute('aria-hidden', 'true');
    text.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;border:0;padding:0;font-size:16px';
    document.body.appendChild(text);
    g.text = text;
    g.composing = false;
    function typed() {
        var v = text.value;
        if (v.indexOf(SENTINEL) !== 0) call('onramp_soft_backspace', [], []);
        else if (v.length > 1) call('onramp_soft_text', ['string'], [v.slice(1)]);
        text.value = SENTINEL;
    }
)JS"
// A composing keyboard sends the whole word so far with every letter;
// resetting the value under it would type each of them.
R"JS(
    text.addEventListener('compositionstart', function () { g.composing = true; });
    text.addEventListener('compositionend', function () { g.composing = false; typed(); });
    text.addEventListener('input', function (e) { if (!g.composing && !e.isComposing) typed(); });
)JS"
// A hardware keyboard's characters already reach ImGui through GLFW's
// keypress listener; in the hidden input too, they would be typed twice.
R"JS(
    text.addEventListener('keypress', function (e) { e.preventDefault(); });
)JS"
// One finger scrolls once it has moved SLOP CSS pixels (about where a
// phone stops calling it a tap). Pointer events follow it: the browser
// holds touchmove back until the finger leaves a slop of its own, twice
// as wide. g.drag is the finger, kept after it lifts for the touchend
// that follows.
R"JS(
    var SLOP = 8, MAX_SPEED = 8000;  // CSS px, CSS px/s
    function at(e) {
        var r = canvas.getBoundingClientRect();
        return { x: e.clientX - r.left, y: e.clientY - r.top, t: e.timeStamp };
    }
    function finger(e) {
        var d = g.drag;
        return e.pointerType === 'touch' && d && !d.ended && d.id === e.pointerId ? d : null;
    }
)JS"
// CSS px/s over the last 100 ms of the drag (at least its last move);
// nothing when the finger rested before it left. Times are the events'
// own, not when a busy page got to them.
R"JS(
    function velocity(d, end) {
        var s = d.samples, b = s[s.length - 1], i = s.length - 2;
        if (i < 0 || end - b.t > 80) return { x: 0, y: 0 };
        while (i > 0 && b.t - s[i - 1].t <= 100) i--;
        var dt = (b.t - s[i].t) / 1000;
        var cap = function (v) { return Math.max(-MAX_SPEED, Math.min(MAX_SPEED, v)); };
        return dt > 0 ? { x: cap((b.x - s[i].x) / dt), y: cap((b.y - s[i].y) / dt) } : { x: 0, y: 0 };
    }
    function release(d, v) {
        if (d.scrolling) call('onramp_touch_release', ['number', 'number'], [v.x, v.y]);
        d.ended = true;
    }
    canvas.addEventListener('pointerdown', function (e) {
        if (g.drag && !g.drag.ended) release(g.drag, { x: 0, y: 0 });
        if (e.pointerType !== 'touch') {
            g.drag = null;
        } else if (!e.isPrimary) {
            if (g.drag) g.drag.noTap = true;  // a second finger: neither a tap nor a drag
        } else {
            var p = at(e);
)JS"
// The pointer goes where the finger is, as soon as it is down:
// the browser moves it only at the release, in one batch with
// the press, and a row that lets others overlap it takes a press
// only when it was hovered the frame before. GLFW reads the
// position from mousemove on the canvas.
R"JS(
            canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: e.clientX, clientY: e.clientY, bubbles: true }));
            var caught = Module.ccall('onramp_touch_catch', 'number', [], []) !== 0;
            g.drag = { id: e.pointerId, start: p, last: p, samples: [p], scrolling: false, noTap: caught };
        }
    }, true);
    canvas.addEventListener('pointermove', function (e) {
        var d = finger(e);
        if (!d) return;
        var p = at(e);
        if (!d.scrolling) {
            if (Math.hypot(p.x - d.start.x, p.y - d.start.y) < SLOP) return;
            d.scrolling = d.noTap = true;
            call('onramp_touch_start', ['number', 'number'], [d.start.x, d.start.y]);
        }
        call('onramp_touch_move', ['number', 'number'], [p.x - d.last.x, p.y - d.last.y]);
        d.last = p;
        d.samples.push(p);
        if (d.samples.length > 16) d.samples.shift();
    }, true);
    canvas.addEventListener('pointerup', function (e) {
        var d = finger(e);
        if (d) release(d, velocity(d, e.timeStamp));
    }, true);
    canvas.addEventListener('pointercancel', function (e) {
        var d = finger(e);
        if (d) release(d, { x: 0, y: 0 });
    }, true);
)JS"
// Touch events stop before GLFW's listeners on the canvas (see Taps,
// above). A finger that was no tap has its touchend cancelled: then the
// browser sends no mouse events for it, and ImGui sees no click.
R"JS(
    ['touchstart', 'touchmove', 'touchend', 'touchcancel'].forEach(function (type) {
        window.addEventListener(type, function (e) {
            if (e.target !== canvas) return;
            e.stopPropagation();
            if (type === 'touchend' && g.drag && g.drag.noTap && e.cancelable) e.preventDefault();
        }, { capture: true, passive: type !== 'touchend' });
    });
    function upload(id, spec, file) {
        var size = file.size;
        call('onramp_upload_event', ['string', 'number', 'number', 'number', 'number', 'string'],
             [id, 0, 0, size, 0, file.name]);
        // The static demo has no server: its module answers (fetch_static_demo.cpp).
        if (window.onrampLocalUpload) return window.onrampLocalUpload(id, spec, file);
        var form = new FormData();
        form.append('file', file, file.name);
        for (var k in spec.fields) form.append(k, spec.fields[k]);
        var xhr = new XMLHttpRequest();
        xhr.open('POST', spec.url);
        xhr.setRequestHeader('Accept', 'application/json');
        if (spec.bearer) xhr.setRequestHeader('Authorization', 'Bearer ' + spec.bearer);
        if (spec.org_id) xhr.setRequestHeader('X-Org-Id', spec.org_id);
        xhr.upload.onprogress = function (e) {
            call('onramp_upload_event', ['string', 'number', 'number', 'number', 'number', 'string'],
                 [id, 1, e.loaded, e.lengthComputable ? e.total : size, 0, '']);
        };
        xhr.onload = function () {
            call('onramp_upload_event', ['string', 'number', 'number', 'number', 'number', 'string'],
                 [id, 2, size, size, xhr.status, xhr.responseText || '']);
        };
        xhr.onerror = xhr.onabort = function () {
            call('onramp_upload_event', ['string', 'number', 'number', 'number', 'number', 'string'],
                 [id, 2, 0, size, 0, '']);
        };
        xhr.send(form);
    }
)JS"
// The field's kind of keyboard (ui.h, Keyboard). A keyboard already up
// for another kind goes away first, so the phone raises the right one.
R"JS(
    function keyboardFor(q) {
        if (text.type === q.type && text.inputMode === q.inputmode
            && text.getAttribute('autocomplete') === q.autocomplete) return;
        if (document.activeElement === text) text.blur();
        text.type = q.type;
        text.inputMode = q.inputmode;
        text.setAttribute('autocomplete', q.autocomplete);
    }
    function act(q) {
        if (q.kind === 'copy') {
            if (navigator.clipboard && navigator.clipboard.writeText)
                navigator.clipboard.writeText(q.payload).catch(function () {});
        } else if (q.kind === 'url') {
            window.open(q.payload, '_blank', 'noopener');
        } else if (q.kind === 'popup') {
            g.popup = window.open(q.payload || 'about:blank', 'onramp-oauth', 'popup,width=520,height=720');
        } else if (q.kind === 'file') {
            var spec = JSON.parse(q.payload);
            var input = document.createElement('input');
            input.type = 'file';
            if (spec.accept) input.accept = spec.accept;
            input.addEventListener('change', function () {
                if (input.files && input.files[0]) upload(q.id, spec, input.files[0]);
            });
            input.click();
        } else if (q.kind === 'download') {
)JS"
// The API wants the bearer header, which a plain link cannot
// send: fetch the file, then save it from a blob.
R"JS(
            var d = JSON.parse(q.payload);
            var headers = {};
            if (d.bearer) headers.Authorization = 'Bearer ' + d.bearer;
            if (d.org_id) headers['X-Org-Id'] = d.org_id;
            fetch(d.url, { headers: headers }).then(function (r) {
                if (!r.ok) throw new Error('HTTP ' + r.status);
                return r.blob();
            }).then(function (blob) {
                var a = document.createElement('a');
                a.href = URL.createObjectURL(blob);
                a.download = d.filename;
                a.click();
                setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
            }).catch(function (e) { console.warn('download failed: ' + e.message); });
        } else if (q.kind === 'text' && g.lastType !== 'mouse') {
            keyboardFor(q);
            text.value = SENTINEL;
            text.focus({ preventScroll: true });
        }
    }
)JS"
// The accessibility mirror performs a region's act when a screen
// reader clicks its element (a11y_emscripten.cpp).
R"JS(
    g.act = act;
    g.region = function (id) {
        return g.regions.filter(function (r) { return r.id === id && r.kind !== 'text'; })[0];
    };
    canvas.addEventListener('pointerdown', function (e) {
        g.down = hit(e);
        g.lastType = e.pointerType;
)JS"
// A word still being composed belongs to the field it was typed in:
// leaving the input commits it (compositionend) before ImGui sees
// the tap move elsewhere.
R"JS(
        if (g.composing) {
            text.blur();
            text.focus({ preventScroll: true });
        }
    }, true);
    canvas.addEventListener('pointerup', function (e) {
        if (e.pointerType === 'mouse' || (g.drag && g.drag.noTap)) return;
        var q = hit(e);
        if (q && g.down && g.down.id === q.id) act(q);
    }, true);
    canvas.addEventListener('click', function (e) {
        if (g.lastType !== 'mouse') return;
        var q = hit(e);
        if (q && g.down && g.down.id === q.id) act(q);
    }, true);
)JS"
// Enter and Space press the widget ImGui's keyboard navigation stands on,
// whether the page's focus is on its mirror element or on the canvas, but
// only in the next frame: its act runs here, in the keydown, which is the
// gesture. ImGui's own press only changes the screen.
R"JS(
    window.addEventListener('keydown', function (e) {
        if ((e.key !== 'Enter' && e.key !== ' ') || e.repeat) return;
        var q = g.region(Module.ccall('onramp_key_target', 'string', [], []));
        if (q) act(q);
    }, true);
)JS"
// After a tap, the browser's compatibility mousedown would move the
// focus to the canvas and put the keyboard away; emscripten still sees
// the event.
R"JS(
    canvas.addEventListener('mousedown', function (e) {
        if (g.lastType !== 'mouse' && document.activeElement === text) e.preventDefault();
    }, true);
)JS"
// OAuth completion: only a window of this page's own origin (the
// edge's callback page) may report it; anything else is ignored.
R"JS(
    window.addEventListener('message', function (e) {
        if (e.origin !== window.location.origin) return;
        if (!e.data || e.data.source !== 'onramp' || e.data.type !== 'oauth_result') return;
        call('onramp_oauth_message', ['string'], [JSON.stringify(e.data)]);
    });
})();
)JS";

void install() {
    gd.installed = true;
    emscripten_run_script(kListeners);
}

// The hidden input's type, inputmode and autocomplete for a field typed
// with `k`. It holds a sentinel, never the field's value, so only the
// user's own passwords are left to the browser's password manager; the
// accessibility mirror's inputs (a11y.h) are the ones autofill fills.
nlohmann::json keyboard_attributes(Keyboard k) {
    const InputAttributes a = ui_input_attributes(k);
    const bool own_password = k == Keyboard::current_password || k == Keyboard::new_password;
    return {{"type", a.type}, {"inputmode", a.inputmode},
            {"autocomplete", own_password ? a.autocomplete : "off"}};
}

// Gives ImGui what the on-screen keyboard sent, as far as it can take it
// now (see GestureData::soft_keys).
void pass_soft_keys() {
    while (!gd.soft_keys.empty() && gd.backspace != SoftBackspace::down) {
        const std::string& key = gd.soft_keys.front();
        if (!key.empty()) {
            ImGui::GetIO().AddInputCharactersUTF8(key.c_str());
        } else if (gd.backspace == SoftBackspace::up) {
            ImGui_ImplGlfw_KeyCallback(glfwGetCurrentContext(), GLFW_KEY_BACKSPACE, 0, GLFW_PRESS, 0);
            gd.backspace = SoftBackspace::down;
        } else {
            break;
        }
        gd.soft_keys.pop_front();
    }
}

// A frame has run: a Backspace it saw down goes up, one it saw up is done.
void soft_keys_frame_done() {
    if (gd.backspace == SoftBackspace::released) {
        gd.backspace = SoftBackspace::up;
    } else if (gd.backspace == SoftBackspace::down) {
        ImGui_ImplGlfw_KeyCallback(glfwGetCurrentContext(), GLFW_KEY_BACKSPACE, 0, GLFW_RELEASE, 0);
        gd.backspace = SoftBackspace::released;
    }
    pass_soft_keys();
}

}  // namespace

void gesture_on_last_item(const char* id, GestureKind kind, const std::string& payload) {
    gd.frame.push_back({id, kind, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), payload});
}

void gestures_end_frame(const WidgetLog& widgets, float dpr) {
    if (!gd.installed) install();
    gd.log = &widgets;
    soft_keys_frame_done();
    gd.dpr = dpr;
    touch_scroll_frame(gd.scroll, ImGui::GetIO().DeltaTime);
    // Content still coasting after a flick moves every frame.
    if (gd.scroll.x.velocity != 0.0f || gd.scroll.y.velocity != 0.0f) platform_note_activity();
    using nlohmann::json;
    const float s = 1.0f / dpr;
    json regions = json::array();
    auto add = [&](const std::string& id, const char* kind, ImVec2 min, ImVec2 max,
                   const std::string& payload) -> json& {
        regions.push_back({{"id", id}, {"kind", kind}, {"x0", min.x * s}, {"y0", min.y * s},
                           {"x1", max.x * s}, {"y1", max.y * s}, {"payload", payload}});
        return regions.back();
    };
    for (const Region& r : gd.frame) add(r.id, kind_name(r.kind), r.min, r.max, r.payload);
    for (const WidgetInfo& w : widgets.items) {
        if (w.kind == "input")
            add(w.id, "text", w.min, w.max, "").update(keyboard_attributes(w.keyboard));
    }
    gd.frame.clear();
    std::string text = regions.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text != gd.published) {
        gd.published = std::move(text);
        EM_ASM({ window.onrampGestures.regions = JSON.parse(UTF8ToString($0)); },
               gd.published.c_str());
    }
    // Leaving a text field puts the on-screen keyboard away.
    const bool wants = ImGui::GetIO().WantTextInput;
    if (gd.wanted_text && !wants) EM_ASM({ window.onrampGestures.text.blur(); });
    gd.wanted_text = wants;
}

void gesture_navigate_popup(const std::string& url) {
    EM_ASM({
        var g = window.onrampGestures;
        if (g && g.popup && !g.popup.closed) g.popup.location.href = UTF8ToString($0);
    }, url.c_str());
}

void gesture_close_popup() {
    EM_ASM({
        var g = window.onrampGestures;
        if (g && g.popup && !g.popup.closed) g.popup.close();
    });
}

std::shared_ptr<Upload> gesture_upload(const std::string& id) {
    auto it = gd.uploads.find(id);
    return it == gd.uploads.end() ? nullptr : it->second;
}

std::string gesture_take_oauth_message() { return std::exchange(gd.oauth_message, {}); }

// phase 0: started (text: the file name); 1: progress; 2: finished (text: the body).
extern "C" EMSCRIPTEN_KEEPALIVE void onramp_upload_event(const char* id, int phase, double sent,
                                                         double total, int status,
                                                         const char* text) {
    platform_note_activity();
    std::shared_ptr<Upload>& u = gd.uploads[id];
    if (phase == 0 || !u) {
        u = std::make_shared<Upload>();
        u->filename = text;
    }
    u->sent = sent;
    u->total = total;
    if (phase == 2) {
        u->status = status;
        u->body = text;
        u->done = true;
    }
}

// The widget Enter or Space presses in the next frame (web/main.cpp): the
// one ImGui's keyboard navigation highlights, none while a field is edited.
extern "C" EMSCRIPTEN_KEEPALIVE const char* onramp_key_target() {
    const ImGuiContext& g = *GImGui;
    return gd.log && g.ActiveId == 0 && !g.NavDisableHighlight ? gd.log->nav.c_str() : "";
}

// Typing is not pasting: the clipboard stays as it was.
extern "C" EMSCRIPTEN_KEEPALIVE void onramp_soft_text(const char* text) {
    gd.soft_keys.emplace_back(text);
    pass_soft_keys();
}

extern "C" EMSCRIPTEN_KEEPALIVE void onramp_soft_backspace() {
    gd.soft_keys.emplace_back();
    pass_soft_keys();
}

extern "C" EMSCRIPTEN_KEEPALIVE void onramp_oauth_message(const char* data) {
    gd.oauth_message = data;
}

// A finger's drag, in CSS pixels relative to the canvas (touch_scroll.h).
extern "C" EMSCRIPTEN_KEEPALIVE int onramp_touch_catch() { return touch_scroll_catch(gd.scroll) ? 1 : 0; }

extern "C" EMSCRIPTEN_KEEPALIVE void onramp_touch_start(double x, double y) {
    touch_scroll_start(gd.scroll, ImVec2(float(x) * gd.dpr, float(y) * gd.dpr));
}

extern "C" EMSCRIPTEN_KEEPALIVE void onramp_touch_move(double dx, double dy) {
    touch_scroll_move(gd.scroll, ImVec2(float(dx) * gd.dpr, float(dy) * gd.dpr));
}

extern "C" EMSCRIPTEN_KEEPALIVE void onramp_touch_release(double vx, double vy) {
    touch_scroll_release(gd.scroll, ImVec2(float(vx) * gd.dpr, float(vy) * gd.dpr));
}
