#include "test_hook.h"

#include <emscripten.h>

#include <nlohmann/json.hpp>
#include <string>

#include "app.h"
#include "imgui_internal.h"  // windows' scroll positions

// The hook's only state: the app it reads, and the last answer, which must
// outlive the call because JavaScript reads it after we return.
struct TestHook {
    const App* app = nullptr;
    std::string json;
};
static TestHook hook;

void test_hook_attach(const App* app) { hook.app = app; }

// Returns, as JSON:
//   frame    frames drawn so far
//   screen   "sign_in", "home", ...
//   step     the wizard's step ("company", "platforms", ...), or null
//   dpr, theme
//   focused  id of the widget being edited or pressed, or null
//   nav      id of the widget keyboard navigation stands on, or null
//   widgets  {id: {kind, x, y, w, h, text, disabled}} as drawn in the last
//            frame, the rect in CSS pixels relative to the canvas. Inputs
//            report their text, password fields included: this is for
//            tests only.
//   scroll   {window name: {x, y, max_x, max_y}} for each window drawn in the
//            last frame that can scroll, in CSS pixels
extern "C" EMSCRIPTEN_KEEPALIVE const char* onramp_test_state() {
    using nlohmann::json;
    if (!hook.app) return "{}";
    const App& app = *hook.app;
    const float s = 1.0f / app.ui.dpr;
    json widgets = json::object();
    for (const WidgetInfo& w : app.widgets.items) {
        widgets[w.id] = {
            {"kind", w.kind},
            {"x", w.min.x * s},
            {"y", w.min.y * s},
            {"w", (w.max.x - w.min.x) * s},
            {"h", (w.max.y - w.min.y) * s},
            {"text", w.text},
            {"disabled", w.disabled},
        };
    }
    json scroll = json::object();
    for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (!w->Active || (w->ScrollMax.x <= 0.0f && w->ScrollMax.y <= 0.0f)) continue;
        scroll[w->Name] = {{"x", w->Scroll.x * s}, {"y", w->Scroll.y * s},
                           {"max_x", w->ScrollMax.x * s}, {"max_y", w->ScrollMax.y * s}};
    }
    json state = {
        {"frame", app.frames},
        {"screen", screen_name(app.screen)},
        {"step", app.screen == Screen::Wizard ? json(onramp::onboarding::wizard_step_name(app.wizard.step))
                                              : json(nullptr)},
        {"dpr", app.ui.dpr},
        {"theme", app.theme == ThemeMode::Dark ? "dark" : "light"},
        {"focused", app.widgets.active.empty() ? json(nullptr) : json(app.widgets.active)},
        {"nav", app.widgets.nav.empty() ? json(nullptr) : json(app.widgets.nav)},
        {"widgets", widgets},
        {"scroll", scroll},
    };
    hook.json = state.dump(-1, ' ', false, json::error_handler_t::replace);
    return hook.json.c_str();
}
