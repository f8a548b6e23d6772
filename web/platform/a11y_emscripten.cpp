// The browser side of a11y.h.
//
// Each frame's widgets go to the page as one compact JSON list, only when
// it differs from the last one sent. The page keeps one element per widget
// id and touches only those whose entry changed. The elements are
// transparent and take no pointer events, so the mouse and touch still
// reach the canvas; what reaches the elements is what assistive technology
// and scripts do: focus, click, setting an input's value.
//
// Keys typed into a focused element still go to ImGui through GLFW's
// listeners on the window; the element's own default is cancelled where it
// would act twice (characters, Enter and Space on a button). An IME's
// composed text, autofill and the browser's undo change the input's value
// instead, and the whole new value replaces the field's.
#include "platform/a11y.h"

#include <emscripten.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "ui.h"

namespace {

struct A11yData {
    bool installed = false;
    WidgetLog* log = nullptr;  // where the page's requests go
    std::string published;     // the JSON last sent to the page
};

A11yData ad;

const char* role_name(Role r) {
    switch (r) {
    case Role::none: break;
    case Role::button: return "button";
    case Role::textbox: return "textbox";
    case Role::checkbox: return "checkbox";
    case Role::combobox: return "combobox";
    case Role::option: return "option";
    case Role::heading: return "heading";
    case Role::progressbar: return "progressbar";
    case Role::alert: return "alert";
    case Role::status: return "status";
    }
    return "text";
}

// The page's side, installed once: window.onrampA11y.update(state). Its
// comments of more than a line stand between the string's pieces, where
// the module does not carry them to the page.
const char* const kMirror = R"JS(
(function () {
    var canvas = Module['canvas'];
    canvas.setAttribute('aria-hidden', 'true');
    var root = document.createElement('main');
    root.id = 'onramp-a11y';
    root.style.cssText = 'position:fixed;inset:0;overflow:hidden;pointer-events:none;opacity:0;margin:0';
    var live = document.createElement('div');
    live.setAttribute('aria-live', 'polite');
    live.style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden';
    root.appendChild(live);
    canvas.parentNode.insertBefore(root, canvas.nextSibling);
    var m = window.onrampA11y = { els: {}, lists: {}, forms: {}, submits: {}, focus: null, announced: '', ours: false,
                                  pending: null };
    function call(name, types, args) { Module.ccall(name, null, types, args); }
    function domId(id) { return 'a11y-' + id.replace(/[^A-Za-z0-9_.-]/g, '_'); }
    function make(it) {
        var el, tag = { button: 'button', textbox: 'input', checkbox: 'input',
                        combobox: 'input', heading: it.l ? 'h1' : 'h2' }[it.r] || 'div';
        el = document.createElement(tag);
        if (tag === 'button') el.type = 'button';
        if (it.r === 'checkbox') el.type = 'checkbox';
        if (it.r === 'combobox') { el.readOnly = true; el.setAttribute('aria-haspopup', 'listbox'); }
        if (['combobox', 'option', 'progressbar', 'alert', 'status'].indexOf(it.r) >= 0)
            el.setAttribute('role', it.r);
        if (it.r === 'option') el.tabIndex = -1;
        if (it.r === 'progressbar') { el.setAttribute('aria-valuemin', '0'); el.setAttribute('aria-valuemax', '100'); }
        if (it.r === 'textbox') el.name = it.i;
        el.id = domId(it.i);
        el.dataset.id = it.i;
        el.dataset.role = it.r;
        el.style.cssText = 'position:absolute;margin:0;padding:0;border:0;box-sizing:border-box;overflow:hidden;font-size:12px;white-space:nowrap';
        return el;
    }
    function attr(el, name, value) {
        if (value === undefined || value === null || value === false) el.removeAttribute(name);
        else el.setAttribute(name, value === true ? 'true' : String(value));
    }
    function apply(el, it) {
        var s = el.style;
        s.left = it.x + 'px'; s.top = it.y + 'px'; s.width = it.w + 'px'; s.height = it.h + 'px';
        var input = el.tagName === 'INPUT';
        if (input) {
            attr(el, 'aria-label', it.n);
            el.disabled = !!it.d;
            if (it.r === 'checkbox') el.checked = !!it.c;
            else if (el.value !== it.v && !el.composing) el.value = it.v;
        } else if (el.textContent !== it.n && it.r !== 'progressbar') {
            el.textContent = it.n;
        }
        if (el.tagName === 'BUTTON') {
            el.disabled = !!it.d;
            el.type = it.f && m.submits[it.f] === it.i ? 'submit' : 'button';
        }
        if (it.r === 'textbox') {
            el.type = it.t; el.inputMode = it.im; el.setAttribute('autocomplete', it.ac);
        }
        if (it.r === 'progressbar') {
            attr(el, 'aria-label', it.n);
            attr(el, 'aria-valuenow', it.p >= 0 ? Math.round(it.p * 100) : null);
        }
        if (it.r === 'combobox') {
            attr(el, 'aria-expanded', it.e ? 'true' : 'false');
            attr(el, 'aria-controls', it.e ? domId(it.i) + '-list' : null);
        }
        attr(el, 'aria-busy', !!it.b);
        attr(el, 'aria-invalid', !!it.err);
        attr(el, 'aria-describedby', it.err ? domId(it.err) : null);
        attr(el, 'aria-selected', it.r === 'option' ? !!it.c : null);
    }
)JS"
// A form's submit event presses its submit button, unless that button's
// own click (already a press) sent it.
R"JS(
    function form(id) {
        var f = m.forms[id];
        if (!f) {
            f = m.forms[id] = document.createElement('form');
            f.id = domId(id);
            f.noValidate = true;
            f.style.cssText = 'position:absolute;inset:0;margin:0';
            f.addEventListener('submit', function (e) {
                e.preventDefault();
                var submit = m.submits[id];
                if (submit && !(e.submitter && e.submitter.dataset.id === submit))
                    call('onramp_a11y_press', ['string'], [submit]);
            });
            root.appendChild(f);
        }
        f.used = true;
        return f;
    }
)JS"
// Options live in a listbox of their combobox's: "industry.3" in
// "industry"'s; a form's widgets in its <form>.
R"JS(
    function parentOf(it) {
        if (it.r !== 'option') return it.f ? form(it.f) : root;
        var owner = it.i.slice(0, it.i.lastIndexOf('.'));
        var list = m.lists[owner];
        if (!list) {
            list = m.lists[owner] = document.createElement('div');
            list.id = domId(owner) + '-list';
            list.setAttribute('role', 'listbox');
            root.appendChild(list);
        }
        list.style.cssText = 'position:absolute;inset:0';
        list.used = true;
        return list;
    }
    m.update = function (state) {
        m.submits = state.forms;
        var seen = {}, prev = { [root.id]: live };
        state.items.forEach(function (it) {
            if (seen[it.i]) return;  // an id drawn twice: its first place
            seen[it.i] = true;
            var el = m.els[it.i];
            if (el && el.dataset.role !== it.r) { el.remove(); el = null; }
            if (!el) el = m.els[it.i] = make(it);
            var key = JSON.stringify(it);
            if (el.key !== key) { apply(el, it); el.key = key; }
)JS"
// Reading order is drawing order. Moving an element would take
// its focus away, so one already in place stays.
R"JS(
            var parent = parentOf(it), after = prev[parent.id] || null;
            var want = after ? after.nextSibling : parent.firstChild;
            if (el.parentNode !== parent || (want !== el && el.previousSibling !== after))
                parent.insertBefore(el, want);
            prev[parent.id] = el;
        });
        Object.keys(m.els).forEach(function (id) {
            if (!seen[id]) { m.els[id].remove(); delete m.els[id]; }
        });
        [m.lists, m.forms].forEach(function (all) {
            Object.keys(all).forEach(function (id) {
                if (all[id].used) all[id].used = false;
                else { all[id].remove(); delete all[id]; }
            });
        });
        state.items.forEach(function (it) {
            if (it.l && it.n !== m.announced) { m.announced = it.n; live.textContent = it.n; }
        });
)JS"
// ImGui's keyboard focus moved: the page's follows, unless the
// touch keyboard's input holds it (gestures_emscripten.cpp), or the
// page asked for another widget ImGui has not reached yet: a frame
// late, ImGui's answer to an earlier request would take the focus
// from under what is being typed. ImGui focusing nothing (a new
// page, web/main.cpp) leaves nothing focused.
R"JS(
        if (state.focus === m.pending) m.pending = null;
        if (state.focus !== m.focus && !m.pending) {
            m.focus = state.focus;
            var el = state.focus && m.els[state.focus];
            var g = window.onrampGestures;
            if (el && document.activeElement !== el && !(g && document.activeElement === g.text)) {
                m.ours = true;
                el.focus({ preventScroll: true });
                m.ours = false;
            } else if (!el && root.contains(document.activeElement)) {
                document.activeElement.blur();
            }
        }
    };
    root.addEventListener('focusin', function (e) {
        var id = e.target.dataset && e.target.dataset.id;
        if (!id || m.ours || id === m.focus) return;
        m.pending = id;
        call('onramp_a11y_focus', ['string'], [id]);
    });
    // A key or the pointer moves ImGui's focus on its own again.
    window.addEventListener('keydown', function () { m.pending = null; }, true);
    canvas.addEventListener('pointerdown', function () { m.pending = null; }, true);
    root.addEventListener('click', function (e) {
        var el = e.target, id = el.dataset && el.dataset.id;
        if (!id || el.dataset.role === 'textbox') return;
        e.preventDefault();  // a checkbox shows ImGui's state, not its own
        var g = window.onrampGestures;
        var q = g && g.region(id);
        if (q) g.act(q);
        m.pending = id;  // a pressed widget takes ImGui's focus
        call('onramp_a11y_press', ['string'], [id]);
    });
)JS"
// Enter and Space reach ImGui through GLFW, which presses the widget
// it has focused or submits the field's form; the browser's own click
// or form submission would do it twice.
R"JS(
    root.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || (e.key === ' ' && e.target.tagName !== 'INPUT')) e.preventDefault();
        if (e.key === ' ' && e.target.type === 'checkbox') e.preventDefault();
    });
    root.addEventListener('keyup', function (e) { if (e.key === ' ') e.preventDefault(); });
)JS"
// Typed characters reach ImGui through GLFW; the input's copy of them
// would come back as a new value.
R"JS(
    root.addEventListener('keypress', function (e) { if (e.target.tagName === 'INPUT') e.preventDefault(); });
    root.addEventListener('compositionstart', function (e) { e.target.composing = true; });
    root.addEventListener('compositionend', function (e) {
        e.target.composing = false;
        call('onramp_a11y_set_value', ['string', 'string'], [e.target.dataset.id, e.target.value]);
    });
    root.addEventListener('input', function (e) {
        var el = e.target;
        if (el.dataset.role !== 'textbox' || el.composing || e.isComposing) return;
        call('onramp_a11y_set_value', ['string', 'string'], [el.dataset.id, el.value]);
    });
})();
)JS";

// The id of the alert that tells what is wrong with widget `w`: the
// screens record a field's error as "<field>.error".
std::string error_of(const WidgetLog& log, const WidgetInfo& w) {
    const std::string want = w.id + ".error";
    for (const WidgetInfo& e : log.items)
        if (e.id == want && e.role == Role::alert) return want;
    return {};
}

bool has_options(const WidgetLog& log, const WidgetInfo& w) {
    const std::string prefix = w.id + ".";
    for (const WidgetInfo& o : log.items)
        if (o.role == Role::option && o.id.compare(0, prefix.size(), prefix) == 0) return true;
    return false;
}

nlohmann::json item_json(const WidgetLog& log, const WidgetInfo& w, float s) {
    using nlohmann::json;
    json j = {{"i", w.id}, {"r", role_name(w.role)}, {"n", w.label.empty() ? w.text : w.label},
              {"x", w.min.x * s}, {"y", w.min.y * s},
              {"w", (w.max.x - w.min.x) * s}, {"h", (w.max.y - w.min.y) * s}};
    if (w.disabled) j["d"] = true;
    if (w.busy) j["b"] = true;
    if (w.live) j["l"] = true;
    if (!w.form.empty()) j["f"] = w.form;
    switch (w.role) {
    case Role::textbox: {
        const InputAttributes a = ui_input_attributes(w.keyboard);
        j["v"] = w.text;
        j["t"] = a.type;
        j["im"] = a.inputmode;
        j["ac"] = w.autocomplete.empty() ? a.autocomplete : w.autocomplete;
        break;
    }
    case Role::checkbox: j["c"] = w.text == "on"; break;
    case Role::combobox:
        j["v"] = w.text;
        j["e"] = has_options(log, w);
        break;
    case Role::progressbar: j["p"] = w.value; break;
    default: break;
    }
    const std::string error = error_of(log, w);
    if (!error.empty() && w.role != Role::alert) j["err"] = error;
    return j;
}

}  // namespace

void a11y_end_frame(WidgetLog& widgets, float dpr) {
    if (!ad.installed) {
        ad.installed = true;
        emscripten_run_script(kMirror);
    }
    ad.log = &widgets;
    widgets.focus_request.clear();
    if (!std::exchange(widgets.press_deferred, false)) widgets.press_request.clear();
    widgets.set_values.clear();
    using nlohmann::json;
    const float s = 1.0f / dpr;
    json items = json::array();
    for (const WidgetInfo& w : widgets.items) items.push_back(item_json(widgets, w, s));
    const std::string& focus = widgets.active.empty() ? widgets.nav : widgets.active;
    json forms = json::object();
    for (const auto& [form, submit] : widgets.forms) forms[form] = submit;
    json state = {{"items", std::move(items)},
                  {"focus", focus.empty() ? json(nullptr) : json(focus)},
                  {"forms", std::move(forms)}};
    std::string text = state.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text == ad.published) return;
    ad.published = std::move(text);
    EM_ASM({ window.onrampA11y.update(JSON.parse(UTF8ToString($0))); }, ad.published.c_str());
}

extern "C" EMSCRIPTEN_KEEPALIVE void onramp_a11y_focus(const char* id) {
    if (ad.log) ad.log->focus_request = id;
}

// A press supersedes a focus asked for since the last frame: moving the
// focus would activate its widget in place of the pressed one, and the
// pressed widget takes the focus anyway.
extern "C" EMSCRIPTEN_KEEPALIVE void onramp_a11y_press(const char* id) {
    if (!ad.log) return;
    ad.log->press_request = id;
    ad.log->focus_request.clear();
}

extern "C" EMSCRIPTEN_KEEPALIVE void onramp_a11y_set_value(const char* id, const char* value) {
    if (!ad.log) return;
    ad.log->set_values[id] = value;
}
