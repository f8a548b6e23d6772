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
//   fonts    {more, fallback, glyphs, atlas}: whether the second font
//            subset is merged into the atlas (theme.h MoreGlyphs), the code
//            point drawn for a character the fonts lack, how many glyphs the
//            body font has, and the atlas texture's [width, height] in pixels
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
        {"fonts", {{"more", app.ui.fonts.more},
                   {"fallback", app.ui.fonts.body->FallbackChar},
                   {"glyphs", app.ui.fonts.body->Glyphs.Size},
                   {"atlas", {ImGui::GetIO().Fonts->TexWidth, ImGui::GetIO().Fonts->TexHeight}}}},
    };
    hook.json = state.dump(-1, ' ', false, json::error_handler_t::replace);
    return hook.json.c_str();
}

// The code points of UTF-8 `text` that any of the fonts for text (body,
// strong, title, small) has no glyph for, as a JSON array: what the last
// frame would have drawn with the fallback glyph. Control characters, which
// ImGui does not draw, are left out.
extern "C" EMSCRIPTEN_KEEPALIVE const char* onramp_test_missing_glyphs(const char* text) {
    if (!hook.app) return "[]";
    const Fonts& f = hook.app->ui.fonts;
    const ImFont* fonts[] = {f.body, f.strong, f.title, f.small};
    nlohmann::json missing = nlohmann::json::array();
    for (const char* p = text; *p;) {
        unsigned int c = 0;
        p += ImTextCharFromUtf8(&c, p, nullptr);
        if (c < 0x20) continue;
        if (c > IM_UNICODE_CODEPOINT_MAX) {  // beyond the atlas's 16-bit code points
            missing.push_back(c);
            continue;
        }
        for (const ImFont* font : fonts) {
            if (!font->FindGlyphNoFallback(static_cast<ImWchar>(c))) {
                missing.push_back(c);
                break;
            }
        }
    }
    hook.json = missing.dump();
    return hook.json.c_str();
}
