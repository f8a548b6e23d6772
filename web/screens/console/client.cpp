// One client: where its onboarding stands and everything it entered
// (company details, goals, documents, team invitations), its onboarding
// links with their state (revoke, or make a new one), and its connections
// with their health. A connection's row opens the connection.
#include "screens/console/views.h"

#include <nlohmann/json.hpp>

#include "i18n/i18n.h"
#include "imgui.h"
#include "platform/gestures.h"
#include "screens/console/widgets.h"
#include "screens/wizard/steps.h"
#include "screens/wizard/widgets.h"

static std::string or_never(const std::string& iso) { return iso.empty() ? "never" : short_time(iso); }

static const char* const kDash = "\xE2\x80\x94";

static std::string or_dash(const std::string& s) { return s.empty() ? kDash : s; }

static std::string joined(const std::vector<std::string>& words, const char* none) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
    return out.empty() ? none : out;
}

// --- what the client entered ---------------------------------------------------

static void draw_facts(const Ui& ui, const char* id, const char* title, const std::vector<Fact>& facts,
                       const char* empty) {
    ui_heading(ui, title);
    if (facts.empty()) {
        ui_muted_text(ui, empty);
        ui_record(ui, std::string(id) + ".empty", "text", empty);
        return;
    }
    for (size_t i = 0; i < facts.size(); ++i)
        fact_line(ui, std::string(id) + "." + std::to_string(i), facts[i].label, facts[i].value);
}

static ConsoleIntent draw_documents(const ClientDetail& d, const std::string& org_id, const Ui& ui) {
    ui_heading(ui, tr("Documents"));
    const auto& docs = d.documents;
    switch (panel_state(ui, "documents", docs.loading(), docs.loaded, docs.error, docs.value.empty(),
                        tr("No documents uploaded yet."))) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return {};
    case PanelShow::content: break;
    }
    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "documents",
                          {{tr("File"), 2.0f}, {tr("Category"), 1.2f, false}, {tr("State"), 1.0f}, {"##download", 0.9f}}))
        return {};
    for (size_t i = 0; i < docs.value.size(); ++i) {
        const DocumentInfo& doc = docs.value[i];
        const std::string row = "documents.row." + std::to_string(i);
        ImGui::TableNextRow(0, 2.0f * ui.em);
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(doc.filename.c_str());
        ui_record(ui, row, "row", doc.filename);
        if (!narrow) {
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(or_dash(doc.category).c_str());
        }
        ImGui::TableSetColumnIndex(narrow ? 1 : 2);
        status_pill(ui, row + ".state", state_word(doc.status), status_tone(doc.status));
        // The page fetches the file with the session and saves it.
        ImGui::TableSetColumnIndex(narrow ? 2 : 3);
        ImGui::PushID(doc.id.c_str());
        plain_button(ui, (row + ".download").c_str(), tr("Download"));
        gesture_on_last_item((row + ".download").c_str(), GestureKind::download,
                             nlohmann::json{{"url", "/api/v1/onboarding/documents/" + doc.id + "/file"},
                                            {"bearer", d.bearer},
                                            {"org_id", org_id},
                                            {"filename", doc.filename}}
                                 .dump());
        ImGui::PopID();
    }
    ImGui::EndTable();
    return {};
}

static ConsoleIntent draw_team(const ClientDetail& d, const Ui& ui) {
    ui_heading(ui, tr("Team invitations"));
    const auto& invites = d.invitations;
    switch (panel_state(ui, "team", invites.loading(), invites.loaded, invites.error, invites.value.empty(),
                        tr("The client has not invited anyone yet."))) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return {};
    case PanelShow::content: break;
    }
    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "team", {{tr("Person"), 2.0f}, {tr("Role"), 1.0f, false}, {tr("State"), 1.0f}})) return {};
    for (size_t i = 0; i < invites.value.size(); ++i) {
        const InvitationInfo& inv = invites.value[i];
        const std::string row = "team.row." + std::to_string(i);
        ImGui::TableNextRow(0, 2.0f * ui.em);
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(inv.email.c_str());
        ui_record(ui, row, "row", inv.email);
        if (!narrow) {
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(role_label(inv.role));
        }
        ImGui::TableSetColumnIndex(narrow ? 1 : 2);
        status_pill(ui, row + ".state", state_word(inv.status),
                    inv.status == "accepted" ? StatusTone::good
                    : inv.status == "pending" ? StatusTone::warn
                                              : StatusTone::neutral);
    }
    ImGui::EndTable();
    return {};
}

// --- onboarding links ------------------------------------------------------------

static StatusTone link_tone(const std::string& state) {
    if (state == "completed" || state == "used") return StatusTone::good;
    if (state == "opened" || state == "in_progress" || state == "created" || state == "active") return StatusTone::warn;
    return StatusTone::neutral;
}

static bool link_open(const std::string& state) { return state != "revoked" && state != "expired"; }

// "New link", with the address it is e-mailed to (none: it is only shown)
// and whether it asks for a code sent there; then the link made, once.
static ConsoleIntent draw_new_link(ClientDetail& d, const Ui& ui) {
    ConsoleIntent intent;
    const bool busy = d.new_link.loading();
    if (begin_form(ui, "##new_link_to", 34.0f)) {
        FieldOptions email;
        email.disabled = busy;
        email.keyboard = Keyboard::email;
        email.hint = "client@example.com";
        ui_text_field(ui, "links.email", tr("E-mail the new link to (optional)"), &d.link_email, email);
        code_checkbox(ui, "links.require_code", d.link_email, busy, &d.link_require_code);
        end_form();
    }
    if (busy) ImGui::BeginDisabled();
    if (plain_button(ui, "links.new", tr("New link"))) intent = {ConsoleIntent::new_link, ""};
    if (busy) ImGui::EndDisabled();
    const NewLink& made = d.new_link.value;
    if (d.new_link.loaded && !made.url.empty() && begin_form(ui, "##new_link", 34.0f)) {
        wz_copy_field(ui, "links.created", tr("New link (shown this once)"), made.url, &d.copied);
        end_form();
    }
    if (d.new_link.loaded && !made.emailed_to.empty())
        outcome_line(ui, "links.mail", trf("E-mailed to {email}.", {{"email", made.emailed_to}}), true);
    outcome_line(ui, "links.error", d.new_link.error, false);
    return intent;
}

// A link's state, and "code required" beside it when the link asks for a
// one-time code on a new device.
static void draw_link_state(const Ui& ui, const LinkInfo& l, const std::string& row) {
    status_pill(ui, row + ".state", or_dash(state_word(l.state)), link_tone(l.state));
    if (l.require_code != 1) return;
    ImGui::SameLine();
    status_pill(ui, row + ".code", state_word("code required"), StatusTone::neutral);
}

static ConsoleIntent draw_links(const ClientSummary& summary, ClientDetail& d, const Ui& ui) {
    ui_heading(ui, tr("Onboarding links"));
    ConsoleIntent intent = draw_new_link(d, ui);
    outcome_line(ui, "links.outcome", d.action.message, d.action.ok);

    const auto& links = summary.links;
    switch (panel_state(ui, "links", links.loading(), links.loaded, links.error, links.value.empty(),
                        tr("No onboarding link yet: New link makes one."))) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return intent;
    case PanelShow::content: break;
    }
    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "links", {{tr("Created"), 1.1f}, {tr("State"), 1.5f}, {tr("Platforms"), 1.3f, false},
                                        {tr("Opened"), 0.6f, false}, {tr("Last activity"), 1.1f, false},
                                        {tr("Expires"), 1.1f, false}, {"##action", 0.8f}}))
        return intent;
    for (size_t i = 0; i < links.value.size(); ++i) {
        const LinkInfo& l = links.value[i];
        const std::string row = "links.row." + std::to_string(i);
        ImGui::TableNextRow(0, 2.25f * ui.em);
        ImGui::PushID(l.id.c_str());
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(short_time(l.created_at).c_str());
        ui_record(ui, row, "row", l.state);
        if (!l.note.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", l.note.c_str());
        ImGui::TableSetColumnIndex(1);
        draw_link_state(ui, l, row);
        int col = 2;
        if (!narrow) {
            ImGui::TableSetColumnIndex(col++);
            ImGui::TextUnformatted(joined(l.platforms, tr("any")).c_str());
            ImGui::TableSetColumnIndex(col++);
            ImGui::TextUnformatted(l.opened_count < 0 ? kDash : std::to_string(l.opened_count).c_str());
            if (!l.openings.empty() && ImGui::IsItemHovered()) {
                std::string tip;
                for (const LinkOpening& o : l.openings)
                    tip += short_time(o.at) + "  " + or_dash(o.device) + "  " + or_dash(o.address) + "\n";
                ImGui::SetTooltip("%s", tip.c_str());
            }
            ImGui::TableSetColumnIndex(col++);
            ImGui::TextUnformatted(l.last_activity_at.empty() ? kDash : short_time(l.last_activity_at).c_str());
            ImGui::TableSetColumnIndex(col++);
            ImGui::TextUnformatted(or_dash(short_time(l.expires_at)).c_str());
        }
        ImGui::TableSetColumnIndex(col);
        if (link_open(l.state)) {
            if (d.action.busy()) ImGui::BeginDisabled();
            if (plain_button(ui, (row + ".revoke").c_str(), tr("Revoke"))) intent = {ConsoleIntent::revoke_link, l.id};
            if (d.action.busy()) ImGui::EndDisabled();
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    return intent;
}

// --- connections -------------------------------------------------------------------

static ConsoleIntent draw_connections(const ClientSummary& summary, const Ui& ui) {
    ConsoleIntent intent;
    ui_heading(ui, tr("Connections"));
    const auto& conns = summary.connections;
    switch (panel_state(ui, "connections", conns.loading(), conns.loaded, conns.error, conns.value.empty(),
                        tr("This client has not connected a platform yet."))) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return intent;
    case PanelShow::content: break;
    }

    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "connections",
                          {{tr("Connection"), 2.0f}, {tr("Health"), 1.0f}, {tr("Last sync"), 1.2f, false}, {tr("Last test"), 1.2f, false}}))
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
        status_pill(ui, row + ".health", state_word(health), status_tone(health));
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

// --- the view ---------------------------------------------------------------------

ConsoleIntent draw_client(const OrgRow& org, const ClientSummary& summary, ClientDetail& detail, const Ui& ui) {
    ConsoleIntent intent;
    if (ui_link_button(ui, "back", tr("\xE2\x86\x90 All clients"))) intent = {ConsoleIntent::back, ""};
    const OnboardingInfo& o = summary.onboarding.value;
    std::string subtitle;
    if (!summary.onboarding.error.empty())
        subtitle = trf("Onboarding: unavailable ({error})", {{"error", summary.onboarding.error}});
    else if (!summary.onboarding.loaded) subtitle = tr("Onboarding: \xE2\x80\xA6");
    else if (o.completed && o.completed_at.empty()) subtitle = tr("Onboarding: completed");
    else if (o.completed) subtitle = trf("Onboarding: completed {at}", {{"at", short_time(o.completed_at)}});
    else
        subtitle = trf("Onboarding: {step} ({done}/{total})", {{"step", step_label(o.step)},
                                                              {"done", std::to_string(o.steps_done)},
                                                              {"total", std::to_string(o.steps_total)}});
    page_title(ui, org.name.c_str(), subtitle);
    ui_record(ui, "client.onboarding", "text", subtitle);

    ConsoleIntent inner[4];
    inner[0] = draw_connections(summary, ui);
    ui_vspace(ui, 0.5f);
    inner[1] = draw_links(summary, detail, ui);
    ui_vspace(ui, 0.5f);
    if (summary.onboarding.loaded) {
        draw_facts(ui, "company", tr("Company details"), o.company, tr("Not entered yet."));
        ui_vspace(ui, 0.5f);
        draw_facts(ui, "goals", tr("Goals and preferences"), o.goals, tr("Not entered yet."));
        ui_vspace(ui, 0.5f);
    }
    inner[2] = draw_documents(detail, org.id, ui);
    ui_vspace(ui, 0.5f);
    inner[3] = draw_team(detail, ui);
    for (const ConsoleIntent& i : inner)
        if (i.kind != ConsoleIntent::none) return i;
    return intent;
}
