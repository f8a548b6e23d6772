// The audit log: who did what to which client, newest first, a page at a
// time, filtered by actor, action, client and days (the edge filters).
#include "screens/console/views.h"

#include <algorithm>

#include "i18n/i18n.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "screens/console/widgets.h"

// One small filter field, on the last item's line when it fits; true when
// Enter was pressed in it.
static bool filter_field(const Ui& ui, const char* id, const char* hint, std::string* value, float width_em,
                         bool first = false) {
    const float w = std::min(width_em * ui.em, ImGui::GetContentRegionAvail().x);
    if (!first && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <=
                      ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
        ImGui::SameLine();
    ImGui::SetNextItemWidth(w);
    ImGui::PushID(id);
    const bool entered = ImGui::InputTextWithHint("##f", hint, value, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::PopID();
    ui_record(ui, id, "input", *value, hint);  // the hint names the field
    return entered;
}

static ConsoleIntent draw_filters(AuditFilter& f, const std::vector<OrgRow>& clients, const Ui& ui) {
    ConsoleIntent intent{ConsoleIntent::filter_audit, ""};
    bool apply = filter_field(ui, "audit.actor", tr("Who (e-mail)"), &f.actor, 11.0f, true);
    apply = filter_field(ui, "audit.action", tr("Action (login, org\xE2\x80\xA6)"), &f.action, 10.0f) || apply;
    std::string client = tr("Every client");
    for (const OrgRow& o : clients)
        if (o.id == f.org_id) client = o.name;
    const float combo_w = std::min(11.0f * ui.em, ImGui::GetContentRegionAvail().x);
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + combo_w <=
        ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
        ImGui::SameLine();
    ImGui::SetNextItemWidth(combo_w);
    if (ImGui::BeginCombo("##audit_client", client.c_str())) {
        if (ImGui::Selectable(tr("Every client"), f.org_id.empty())) {
            f.org_id.clear();
            apply = true;
        }
        for (size_t i = 0; i < clients.size(); ++i) {
            ImGui::PushID(int(i));
            if (ImGui::Selectable(clients[i].name.c_str(), clients[i].id == f.org_id)) {
                f.org_id = clients[i].id;
                apply = true;
            }
            ui_record(ui, "audit.client.option." + std::to_string(i), "option", clients[i].name);
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    ui_record(ui, "audit.client", "combo", client);
    apply = filter_field(ui, "audit.since", tr("From YYYY-MM-DD"), &f.since, 9.0f) || apply;
    apply = filter_field(ui, "audit.until", tr("To YYYY-MM-DD"), &f.until, 9.0f) || apply;
    same_line_if_fits(tr("Filter"));
    apply = plain_button(ui, "audit.apply", tr("Filter")) || apply;
    same_line_if_fits(tr("Clear"));
    if (plain_button(ui, "audit.clear", tr("Clear"))) {
        f = AuditFilter{};
        apply = true;
    }
    ui_vspace(ui, 0.5f);
    return apply ? intent : ConsoleIntent{};
}

ConsoleIntent draw_audit(AuditState& s, const std::vector<OrgRow>& clients, const Ui& ui) {
    page_title(ui, tr("Audit log"), tr("Every sign-in and change, newest first."));
    ConsoleIntent intent = draw_filters(s.filter, clients, ui);
    const auto& page = s.page;
    const AuditFilter& f = s.filter;
    const bool filtered = !(f.actor.empty() && f.action.empty() && f.org_id.empty() && f.since.empty() && f.until.empty());
    switch (panel_state(ui, "audit", page.loading(), page.loaded || !s.rows.empty(), page.error,
                        s.rows.empty(), filtered ? tr("No entry matches these filters.") : tr("Nothing has been recorded yet."))) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return intent;
    case PanelShow::content: break;
    }
    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "audit", {{tr("When"), 1.1f}, {tr("Action"), 1.2f}, {tr("Who"), 1.4f, false}, {tr("Client"), 1.2f, false},
                                        {tr("Object"), 1.6f, false}}))
        return intent;
    for (size_t i = 0; i < s.rows.size(); ++i) {
        const AuditRow& e = s.rows[i];
        ImGui::TableNextRow(0, 2.0f * ui.em);
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(short_time(e.at).c_str());
        ui_record(ui, "audit.row." + std::to_string(i), "row", e.action);
        ui_record(ui, "audit.row." + std::to_string(i) + ".who", "text", e.actor + " | " + e.client + " | " + e.object);
        ImGui::TableSetColumnIndex(1);
        ImGui::PushFont(ui.fonts.strong);
        ImGui::TextUnformatted(e.action.c_str());
        ImGui::PopFont();
        if (narrow) ui_muted_text(ui, e.actor.c_str());
        else {
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(e.actor.c_str());
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(e.client.c_str());
            ImGui::TableSetColumnIndex(4);
            ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
            ImGui::TextUnformatted(e.object.c_str());
            ImGui::PopStyleColor();
        }
    }
    ImGui::EndTable();
    if (!page.value.next_cursor.empty()) {
        ui_vspace(ui, 0.25f);
        if (page.loading()) ImGui::BeginDisabled();
        if (plain_button(ui, "audit.more", page.loading() ? tr("Loading\xE2\x80\xA6") : tr("Show older entries")))
            intent = {ConsoleIntent::more_audit, ""};
        if (page.loading()) ImGui::EndDisabled();
    }
    return intent;
}
