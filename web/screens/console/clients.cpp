// The clients view: every organization with its onboarding step and the
// health of its connections. A row opens the client.
#include "screens/console/views.h"

#include "imgui.h"
#include "screens/console/widgets.h"

// "2 connections · 1 failing", or a state while the connections load.
static std::string health_summary(const ClientSummary* s, StatusTone* tone) {
    *tone = StatusTone::neutral;
    if (!s || (!s->connections.loaded && s->connections.loading())) return "\xE2\x80\xA6";
    if (!s->connections.error.empty()) return "unavailable";
    const auto& rows = s->connections.value;
    if (rows.empty()) return "no connections";
    int failing = 0;
    for (const ClientConnection& c : rows)
        if (status_tone(connection_health(c)) == StatusTone::bad) ++failing;
    *tone = failing ? StatusTone::bad : StatusTone::good;
    std::string text = std::to_string(rows.size()) + (rows.size() == 1 ? " connection" : " connections");
    if (failing) text += " \xC2\xB7 " + std::to_string(failing) + " failing";
    return text;
}

static std::string onboarding_summary(const ClientSummary* s, StatusTone* tone) {
    *tone = StatusTone::neutral;
    if (!s || (!s->onboarding.loaded && s->onboarding.loading())) return "\xE2\x80\xA6";
    if (!s->onboarding.error.empty()) return "unavailable";
    const OnboardingInfo& o = s->onboarding.value;
    if (o.completed) {
        *tone = StatusTone::good;
        return "Completed";
    }
    *tone = StatusTone::warn;
    std::string text = step_label(o.step);
    if (o.steps_total > 0)
        text += " (" + std::to_string(o.steps_done) + "/" + std::to_string(o.steps_total) + ")";
    return text;
}

ConsoleIntent draw_clients(const ClientsState& state, const Ui& ui) {
    ConsoleIntent intent;
    const auto& orgs = state.orgs;
    const size_t n = orgs.value.size();
    page_title(ui, "Clients", orgs.loaded ? std::to_string(n) + (n == 1 ? " organization" : " organizations") : "");
    switch (panel_state(ui, "clients", orgs.loading(), orgs.loaded, orgs.error, orgs.value.empty(),
                        "No clients yet. Create an organization or send an onboarding link.")) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return intent;
    case PanelShow::content: break;
    }

    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "clients",
                          {{"Client", 2.0f}, {"Onboarding", 1.6f}, {"Connections", 1.6f, false}, {"Plan", 0.8f, false}}))
        return intent;
    for (size_t i = 0; i < orgs.value.size(); ++i) {
        const OrgRow& org = orgs.value[i];
        auto it = state.summaries.find(org.id);
        const ClientSummary* summary = it == state.summaries.end() ? nullptr : &it->second;
        const std::string row = "clients.row." + std::to_string(i);
        ImGui::TableNextRow(0, 2.5f * ui.em);
        ImGui::TableSetColumnIndex(0);
        ImGui::PushID(org.id.c_str());
        ImGui::AlignTextToFramePadding();
        if (ImGui::Selectable(org.name.c_str(), false,
                              ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
                              ImVec2(0, 2.0f * ui.em)))
            intent = {ConsoleIntent::open_client, org.id};
        if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        ui_record(ui, row, "row", org.name);
        StatusTone tone;
        ImGui::TableSetColumnIndex(1);
        status_pill(ui, row + ".onboarding", onboarding_summary(summary, &tone), tone);
        if (narrow) {
            std::string health = health_summary(summary, &tone);
            status_pill(ui, row + ".health", health, tone);
        } else {
            ImGui::TableSetColumnIndex(2);
            std::string health = health_summary(summary, &tone);
            status_pill(ui, row + ".health", health, tone);
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(org.tier.c_str());
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    return intent;
}
