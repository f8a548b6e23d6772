// The clients view: where the agency stands — counts, who needs a person,
// clients made per week — then every organization with its onboarding
// step, what is wrong with it, and the health of its connections. A row
// opens the client; "New client" opens the form.
#include "screens/console/views.h"

#include <ctime>

#include "i18n/i18n.h"
#include "imgui.h"
#include "screens/console/widgets.h"

// A client not finished and idle this long needs a person.
static constexpr int kIdleDays = 7;
static constexpr int kChartWeeks = 12;

// Why the client needs a person, "" when it does not or it is not known yet.
static std::string attention(const OrgRow& org, const ClientSummary* s) {
    if (!s || !s->onboarding.loaded) return {};
    return stuck_reason(s->onboarding.value, s->connections.value, s->links.value, org.created_at,
                        int64_t(std::time(nullptr)), kIdleDays);
}

// Totals over the loaded clients, and a bar per week of clients made.
static void draw_overview(const ClientsState& state, const Ui& ui) {
    int completed = 0, in_progress = 0, stuck = 0;
    int64_t gave_up = 0;
    for (const OrgRow& org : state.orgs.value) {
        auto it = state.summaries.find(org.id);
        const ClientSummary* s = it == state.summaries.end() ? nullptr : &it->second;
        if (!s || !s->onboarding.loaded) continue;
        if (s->onboarding.value.completed) ++completed;
        else ++in_progress;
        if (!attention(org, s).empty()) ++stuck;
        gave_up += dead_letters(s->connections.value);
    }
    const TrArgs n = {{"completed", std::to_string(completed)}, {"in_progress", std::to_string(in_progress)},
                      {"stuck", std::to_string(stuck)}, {"gave_up", std::to_string(gave_up)}};
    const std::string counts =
        gave_up == 1 ? trf("{completed} completed \xC2\xB7 {in_progress} in progress \xC2\xB7 {stuck} need attention "
                           "\xC2\xB7 {gave_up} webhook delivery gave up", n)
                     : trf("{completed} completed \xC2\xB7 {in_progress} in progress \xC2\xB7 {stuck} need attention "
                           "\xC2\xB7 {gave_up} webhook deliveries gave up", n);
    ImGui::TextUnformatted(counts.c_str());
    ui_record(ui, "clients.counts", "text", counts);
    ui_muted_text(ui, tr("New clients per week, the last 12 weeks"));
    std::vector<double> weeks = clients_per_week(state.orgs.value, int64_t(std::time(nullptr)), kChartWeeks);
    bar_chart(ui, "clients.chart", weeks, std::vector<StatusTone>(weeks.size(), StatusTone::good), 4.0f);
    ui_vspace(ui, 0.5f);
}

// "2 connections · 1 failing", or a state while the connections load.
static std::string health_summary(const ClientSummary* s, StatusTone* tone) {
    *tone = StatusTone::neutral;
    if (!s || (!s->connections.loaded && s->connections.loading())) return "\xE2\x80\xA6";
    if (!s->connections.error.empty()) return tr("unavailable");
    const auto& rows = s->connections.value;
    if (rows.empty()) return tr("no connections");
    int failing = 0;
    for (const ClientConnection& c : rows)
        if (status_tone(connection_health(c)) == StatusTone::bad) ++failing;
    *tone = failing ? StatusTone::bad : StatusTone::good;
    std::string text = rows.size() == 1 ? tr("1 connection")
                                        : trf("{count} connections", {{"count", std::to_string(rows.size())}});
    if (failing) text += trf(" \xC2\xB7 {count} failing", {{"count", std::to_string(failing)}});
    return text;
}

static std::string onboarding_summary(const ClientSummary* s, StatusTone* tone) {
    *tone = StatusTone::neutral;
    if (!s || (!s->onboarding.loaded && s->onboarding.loading())) return "\xE2\x80\xA6";
    if (!s->onboarding.error.empty()) return tr("unavailable");
    const OnboardingInfo& o = s->onboarding.value;
    if (o.completed) {
        *tone = StatusTone::good;
        return tr("Completed");
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
    page_title(ui, tr("Clients"), !orgs.loaded ? std::string()
                                  : n == 1   ? std::string(tr("1 organization"))
                                             : trf("{count} organizations", {{"count", std::to_string(n)}}));
    if (plain_button(ui, "clients.new", tr("+ New client"))) intent = {ConsoleIntent::new_client, ""};
    ui_vspace(ui, 0.5f);
    switch (panel_state(ui, "clients", orgs.loading(), orgs.loaded, orgs.error, orgs.value.empty(),
                        tr("No clients yet. Use New client to create one and its onboarding link."))) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return intent;
    case PanelShow::content: break;
    }
    draw_overview(state, ui);

    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "clients", {{tr("Client"), 2.0f}, {tr("Onboarding"), 1.6f}, {tr("Needs attention"), 1.6f, false},
                                          {tr("Connections"), 1.6f, false}, {tr("Plan"), 0.8f, false}}))
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
            const std::string why = attention(org, summary);
            if (!why.empty()) status_pill(ui, row + ".attention", why, StatusTone::bad);
            ImGui::TableSetColumnIndex(3);
            std::string health = health_summary(summary, &tone);
            status_pill(ui, row + ".health", health, tone);
            ImGui::TableSetColumnIndex(4);
            ImGui::TextUnformatted(org.tier.c_str());
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    return intent;
}
