// Step 8, verify: the server's four checks, what is missing, and a jump to
// the step that fixes it; what passed but is not finished (an invitation
// still pending). Then the last screen: what was connected, what happens
// next.
#include <algorithm>

#include "i18n/i18n.h"
#include "screens/wizard/steps.h"
#include "screens/wizard/widgets.h"

// A round badge: a tick when the check passed, a bar when it did not.
static void check_badge(const Ui& ui, bool ok) {
    const float d = ImGui::GetTextLineHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(d, d));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 col = ImGui::ColorConvertFloat4ToU32(wz_tone_color(ui, ok ? Tone::success : Tone::danger));
    const ImU32 ink = ImGui::ColorConvertFloat4ToU32(ui.palette->surface);
    const ImVec2 c(p.x + 0.5f * d, p.y + 0.5f * d);
    dl->AddCircleFilled(c, 0.5f * d, col, 24);
    const float t = 0.12f * d;
    if (ok) {
        const ImVec2 pts[3] = {ImVec2(c.x - 0.22f * d, c.y), ImVec2(c.x - 0.05f * d, c.y + 0.17f * d),
                               ImVec2(c.x + 0.24f * d, c.y - 0.16f * d)};
        dl->AddPolyline(pts, 3, ink, 0, t);
    } else {
        dl->AddLine(ImVec2(c.x - 0.22f * d, c.y), ImVec2(c.x + 0.22f * d, c.y), ink, t);
    }
}

static const char* const kCheckLabels[4] = {
    tr_noop("Company basics"), tr_noop("A connected platform"), tr_noop("A document ready to use"),
    tr_noop("A CSR or sales rep on the team")};

Intent draw_verify(VerifyView& v, const Ui& ui) {
    Intent intent = Intent::none;
    wz_help(ui, tr("A last look before you go live: Onramp checks that everything is in place."));
    ui_vspace(ui, 0.25f);
    if (in_flight(v.run)) {
        wz_loading(ui, "verify.loading", tr("Checking your setup\xE2\x80\xA6"));
    } else if (v.has_result) {
        for (int i = 0; i < 4; ++i) {
            const std::string id = "check." + std::to_string(i);
            ImGui::PushID(i);
            check_badge(ui, v.checks[i]);
            ImGui::SameLine();
            ImGui::TextUnformatted(tr_text(kCheckLabels[i]));
            if (ui.log) {
                ui.log->items.push_back({id, "check", ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                         v.checks[i] ? "ok" : "missing"});
                // What a screen reader reads: the check and its badge in words.
                ui.log->items.back().label =
                    std::string(tr_text(kCheckLabels[i])) + ": " + (v.checks[i] ? tr("done") : tr("missing"));
            }
            if (!v.checks[i]) {
                ImGui::SameLine();
                ImGui::SetCursorPosX(ImGui::GetCursorPosX() +
                                     std::max(0.0f, ImGui::GetContentRegionAvail().x - 4.0f * ui.em));
                // No vertical padding: the link sits on the row's text line.
                ImGui::PushStyleVar(ImGuiStyleVar_FramePadding,
                                    ImVec2(ImGui::GetStyle().FramePadding.x, 0.0f));
                if (ui_link_button(ui, ("fix." + std::to_string(i)).c_str(), tr("Fix \xE2\x86\x92"))) {
                    v.jump_to = i;
                    intent = Intent::jump;
                }
                ImGui::PopStyleVar();
            }
            ImGui::PopID();
        }
        for (size_t i = 0; i < v.errors.size(); ++i) wz_help(ui, tr_text(v.errors[i].c_str()));
        for (size_t i = 0; i < v.notes.size(); ++i) wz_value(ui, ("verify.note." + std::to_string(i)).c_str(), v.notes[i]);
        if (v.completed) wz_notice(ui, "verify.result", Tone::success, tr("Everything is in place"));
        else wz_notice(ui, "verify.result", Tone::danger, tr("A few things are missing"),
                       tr("Fix them, then check again."));
    }
    ui_error_box(ui, "verify.error", v.error);
    const int nav = wz_nav(ui, "continue", v.completed ? tr("Finish") : tr("Check again"), in_flight(v.run),
                           tr("Checking\xE2\x80\xA6"), tr("Back"));
    if (nav == 1) intent = Intent::submit;
    if (nav == 2) intent = Intent::back;
    return intent;
}

Intent draw_done(const std::vector<ConnectionRow>& connected, const Ui& ui) {
    ui_heading(ui, tr("You're all set"));
    if (!connected.empty()) {
        ui_heading(ui, tr("Connected"));
        for (size_t i = 0; i < connected.size(); ++i) {
            const ConnectionRow& c = connected[i];
            const std::string line = "\xE2\x9C\x93 " + (c.name.empty() ? c.platform : c.name + " (" + c.platform + ")");
            wz_value(ui, ("done.connected." + std::to_string(i)).c_str(), line);
        }
    }
    ui_heading(ui, tr("What happens next"));
    wz_help(ui, tr("Onramp keeps your platforms in sync from now on, and your agency takes it from here: "
                   "they see what you entered and will be in touch."));
    wz_help(ui, tr("The people you invited join through the links you passed on."));
    ui_vspace(ui, 0.5f);
    return ui_primary_button(ui, "sign_out", tr("Sign out"), false, "") ? Intent::sign_out : Intent::none;
}
