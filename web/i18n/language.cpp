// The page's language (language.h): the precedence, the fetch of a table and
// the switch.
#include "i18n/language.h"

#include "i18n/i18n.h"
#include "imgui.h"
#include "platform/locale.h"
#include "platform/page_file.h"
#include "ui.h"

namespace {

// Shows the language precedence gives: English at once; another once its
// table (web/i18n/<code>.json beside the page) arrives, English until then.
void follow(LanguageState& s) {
    const std::string want = i18n_choose(s.chosen, s.org_default, s.browser);
    if (want == s.shown) return;
    s.shown = want;
    platform_set_page_language(want);
    if (want == "en") {
        s.reply.reset();
        s.fetching.clear();
        i18n_install("en", {});
        return;
    }
    s.fetching = want;
    s.reply = platform_fetch_page_file("i18n/" + want + ".json");
}

}  // namespace

void language_start(LanguageState& s) {
    s.browser = platform_browser_languages();
    s.chosen = platform_stored_language();
    if (!i18n_supported(s.chosen)) s.chosen.clear();
    follow(s);
}

void language_choose(LanguageState& s, const std::string& code) {
    if (!i18n_supported(code)) return;
    s.chosen = code;
    platform_store_language(code);
    follow(s);
}

void language_set_org_default(LanguageState& s, const std::string& code) {
    if (code == s.org_default) return;
    s.org_default = code;
    follow(s);
}

bool language_poll(LanguageState& s) {
    if (!s.reply || !s.reply->done) return false;
    auto reply = std::move(s.reply);
    const std::string code = std::move(s.fetching);
    s.fetching.clear();
    // A table that does not come (offline, not installed) leaves English.
    if (code != s.shown || reply->status != 200) return false;
    i18n_install(code, i18n_parse_table(reply->body));
    return true;
}

float language_switch_width() {
    // The longest name, the arrow's square and the frame's padding.
    return ImGui::CalcTextSize("Español").x + ImGui::GetFrameHeight() + 2.0f * ImGui::GetStyle().FramePadding.x;
}

bool language_switch(LanguageState& s, const Ui& ui) {
    const char* current = "English";
    for (const Language& l : kLanguages)
        if (s.shown == l.code) current = l.name;
    ImGui::SetNextItemWidth(language_switch_width());
    bool changed = false;
    if (ImGui::BeginCombo("##language", current)) {
        for (const Language& l : kLanguages) {
            const bool selected = s.shown == l.code;
            if (ImGui::Selectable(l.name, selected) && !selected) {
                language_choose(s, l.code);
                changed = true;
            }
            ui_record(ui, std::string("language.") + l.code, "option", l.name);
            if (selected) ImGui::SetItemDefaultFocus();
        }
        ImGui::EndCombo();
    }
    ui_record(ui, "language", "select", current, tr("Language"));
    return changed;
}
