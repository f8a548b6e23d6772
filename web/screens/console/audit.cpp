// The audit log: who did what, newest first, a page at a time.
#include "screens/console/views.h"

#include "imgui.h"
#include "screens/console/widgets.h"

ConsoleIntent draw_audit(const AuditState& s, const Ui& ui) {
    ConsoleIntent intent;
    page_title(ui, "Audit log", "Every sign-in and change, newest first.");
    const auto& page = s.page;
    switch (panel_state(ui, "audit", page.loading(), page.loaded || !s.rows.empty(), page.error,
                        s.rows.empty(), "Nothing has been recorded yet.")) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return intent;
    case PanelShow::content: break;
    }
    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "audit", {{"When", 1.1f}, {"Action", 1.2f}, {"Who", 1.4f, false}, {"Object", 1.6f, false}}))
        return intent;
    for (size_t i = 0; i < s.rows.size(); ++i) {
        const AuditRow& e = s.rows[i];
        ImGui::TableNextRow(0, 2.0f * ui.em);
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(short_time(e.at).c_str());
        ui_record(ui, "audit.row." + std::to_string(i), "row", e.action);
        ImGui::TableSetColumnIndex(1);
        ImGui::PushFont(ui.fonts.strong);
        ImGui::TextUnformatted(e.action.c_str());
        ImGui::PopFont();
        if (narrow) ui_muted_text(ui, e.actor.c_str());
        else {
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(e.actor.c_str());
            ImGui::TableSetColumnIndex(3);
            ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
            ImGui::TextUnformatted(e.object.c_str());
            ImGui::PopStyleColor();
        }
    }
    ImGui::EndTable();
    if (!page.value.next_cursor.empty()) {
        ui_vspace(ui, 0.25f);
        if (page.loading()) ImGui::BeginDisabled();
        if (plain_button(ui, "audit.more", page.loading() ? "Loading\xE2\x80\xA6" : "Show older entries"))
            intent = {ConsoleIntent::more_audit, ""};
        if (page.loading()) ImGui::EndDisabled();
    }
    return intent;
}
