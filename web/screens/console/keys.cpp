// API keys of the signed-in operator: create one (its secret is shown once,
// with Copy), list them with when each was last used, revoke one.
#include "i18n/i18n.h"
#include "imgui.h"
#include "screens/console/views.h"
#include "screens/console/widgets.h"
#include "screens/wizard/widgets.h"

static std::string or_never(const std::string& iso) { return iso.empty() ? "never" : short_time(iso); }

static ConsoleIntent draw_create(KeysState& k, const Ui& ui) {
    ConsoleIntent intent;
    if (!begin_form(ui, "##new_key", 30.0f)) return intent;
    FieldOptions o;
    o.hint = tr("What uses it: \"CRM sync\"");
    o.disabled = k.created.loading();
    if (ui_text_field(ui, "keys.name", tr("New key's name"), &k.name, o)) intent = {ConsoleIntent::create_key, ""};
    if (ui_primary_button(ui, "keys.create", tr("Create key"), k.created.loading(), tr("Creating\xE2\x80\xA6")))
        intent = {ConsoleIntent::create_key, ""};
    outcome_line(ui, "keys.error", k.created.error, false);
    if (k.created.loaded && !k.created.value.secret.empty()) {
        ui_vspace(ui, 0.5f);
        wz_copy_field(ui, "keys.secret", trf("Key \u201C{name}\u201D", {{"name", k.created.value.name}}).c_str(), k.created.value.secret,
                      &k.copied);
        wz_help(ui, tr("Copy it now: Onramp keeps only its fingerprint and shows it this once. Send it as "
                       "Authorization: Bearer <key>."));
    }
    end_form();
    return intent;
}

ConsoleIntent draw_keys(KeysState& k, const Ui& ui) {
    page_title(ui, tr("API keys"), tr("Keys act as you, for scripts and other systems."));
    ConsoleIntent intent = draw_create(k, ui);
    ui_vspace(ui, 0.75f);
    outcome_line(ui, "keys.outcome", k.action.message, k.action.ok);
    const auto& list = k.list;
    switch (panel_state(ui, "keys", list.loading(), list.loaded, list.error, list.value.empty(), tr("No API keys yet."))) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return intent;
    case PanelShow::content: break;
    }
    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "keys", {{tr("Name"), 1.6f}, {tr("Starts with"), 1.0f, false}, {tr("Created"), 1.1f, false},
                                       {tr("Last used"), 1.1f, false}, {tr("State"), 0.9f}}))
        return intent;
    for (size_t i = 0; i < list.value.size(); ++i) {
        const ApiKeyRow& key = list.value[i];
        const std::string row = "keys.row." + std::to_string(i);
        ImGui::TableNextRow(0, 2.25f * ui.em);
        ImGui::PushID(key.id.c_str());
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(key.name.c_str());
        ui_record(ui, row, "row", key.name);
        int col = 1;
        if (!narrow) {
            ImGui::TableSetColumnIndex(col++);
            ImGui::TextUnformatted(key.prefix.c_str());
            ImGui::TableSetColumnIndex(col++);
            ImGui::TextUnformatted(short_time(key.created_at).c_str());
            ImGui::TableSetColumnIndex(col++);
            ImGui::TextUnformatted(or_never(key.last_used_at).c_str());
        }
        ImGui::TableSetColumnIndex(col);
        if (!key.revoked_at.empty()) {
            status_pill(ui, row + ".state", state_word("revoked"), StatusTone::neutral);
        } else {
            if (k.action.busy()) ImGui::BeginDisabled();
            if (plain_button(ui, (row + ".revoke").c_str(), tr("Revoke"))) intent = {ConsoleIntent::revoke_key, key.id};
            if (k.action.busy()) ImGui::EndDisabled();
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    return intent;
}
