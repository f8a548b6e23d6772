// One client: its onboarding step and its connections with their health.
// A row opens the connection.
#include "screens/console/views.h"

#include "imgui.h"
#include "screens/console/widgets.h"

static std::string or_never(const std::string& iso) { return iso.empty() ? "never" : short_time(iso); }

ConsoleIntent draw_client(const OrgRow& org, const ClientSummary& summary, const Ui& ui) {
    ConsoleIntent intent;
    if (ui_link_button(ui, "back", "\xE2\x86\x90 All clients")) intent = {ConsoleIntent::back, ""};
    std::string subtitle = "Onboarding: ";
    const OnboardingInfo& o = summary.onboarding.value;
    if (!summary.onboarding.error.empty()) subtitle += "unavailable (" + summary.onboarding.error + ")";
    else if (!summary.onboarding.loaded) subtitle += "\xE2\x80\xA6";
    else subtitle += o.completed ? "completed" : step_label(o.step);
    page_title(ui, org.name.c_str(), subtitle);

    ui_heading(ui, "Connections");
    const auto& conns = summary.connections;
    switch (panel_state(ui, "connections", conns.loading(), conns.loaded, conns.error, conns.value.empty(),
                        "This client has not connected a platform yet.")) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return intent;
    case PanelShow::content: break;
    }

    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "connections",
                          {{"Connection", 2.0f}, {"Health", 1.0f}, {"Last sync", 1.2f, false}, {"Last test", 1.2f, false}}))
        return intent;
    for (size_t i = 0; i < conns.value.size(); ++i) {
        const ClientConnection& c = conns.value[i];
        const std::string row = "connections.row." + std::to_string(i);
        const std::string label = c.name.empty() ? c.platform : c.name + " (" + c.platform + ")";
        ImGui::TableNextRow(0, 2.5f * ui.em);
        ImGui::TableSetColumnIndex(0);
        ImGui::PushID(c.id.c_str());
        ImGui::AlignTextToFramePadding();
        if (ImGui::Selectable(label.c_str(), false,
                              ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
                              ImVec2(0, 2.0f * ui.em)))
            intent = {ConsoleIntent::open_connection, c.id};
        if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        ui_record(ui, row, "row", c.platform);
        ImGui::TableSetColumnIndex(1);
        const char* health = connection_health(c);
        status_pill(ui, row + ".health", health, status_tone(health));
        if (!narrow) {
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(or_never(c.last_sync_at).c_str());
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(or_never(c.last_test_at).c_str());
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    return intent;
}
