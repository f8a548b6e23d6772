// The vault's master keys: which one wraps new secrets, how many secrets
// each holds, a rotation in progress, and a key this server lacks.
#include "screens/console/views.h"

#include "i18n/i18n.h"
#include "imgui.h"
#include "screens/console/widgets.h"

ConsoleIntent draw_vault(const Remote<VaultInfo>& vault, const Ui& ui) {
    page_title(ui, tr("Credential vault"), tr("Master keys wrap each stored credential's own data key."));
    switch (panel_state(ui, "vault", vault.loading(), vault.loaded, vault.error, vault.value.keys.empty(),
                        tr("The vault has no master key yet."))) {
    case PanelShow::retry: return {ConsoleIntent::reload, ""};
    case PanelShow::nothing: return {};
    case PanelShow::content: break;
    }
    const VaultInfo& v = vault.value;
    const TrArgs values = {{"count", std::to_string(v.secrets)}, {"key", v.key_id}};
    const std::string summary = v.secrets == 1 ? trf("{count} secret stored under key {key}.", values)
                                               : trf("{count} secrets stored under key {key}.", values);
    ImGui::TextWrapped("%s", summary.c_str());
    ui_record(ui, "vault.summary", "text", summary);
    if (!v.rotating_to.empty())
        ui_muted_text(ui, trf("A rotation to key {key} is in progress: run `onramp-edge rotate-key` again to finish it.",
                              {{"key", v.rotating_to}})
                              .c_str());
    bool missing = false;
    for (const VaultKeyRow& k : v.keys) missing |= !k.held && k.state != "retired";
    if (missing)
        ui_error_box(ui, "vault.missing",
                     tr("This server does not hold every active key: restart it with the current master key."));
    ui_vspace(ui, 0.25f);

    const bool narrow = narrow_layout(ui);
    if (!begin_list_table(ui, "vault", {{tr("Key"), 1.4f}, {tr("State"), 1.0f}, {tr("Secrets"), 0.7f},
                                        {tr("Created"), 1.2f, false}, {tr("On this server"), 1.0f, false}}))
        return {};
    for (size_t i = 0; i < v.keys.size(); ++i) {
        const VaultKeyRow& k = v.keys[i];
        const std::string row = "vault.key." + std::to_string(i);
        ImGui::TableNextRow(0, 2.25f * ui.em);
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(k.key_id.c_str());
        ui_record(ui, row, "row", k.key_id + " " + k.state);
        ImGui::TableSetColumnIndex(1);
        status_pill(ui, row + ".state", state_word(k.state), status_tone(k.state));
        ImGui::TableSetColumnIndex(2);
        ImGui::Text("%lld", static_cast<long long>(k.secrets));
        if (!narrow) {
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(short_time(k.created_at).c_str());
            ImGui::TableSetColumnIndex(4);
            const bool needed = k.state != "retired";
            status_pill(ui, row + ".held", k.held ? tr("held") : (needed ? tr("missing") : tr("not held")),
                        k.held ? StatusTone::good : (needed ? StatusTone::bad : StatusTone::neutral));
        }
    }
    ImGui::EndTable();
    return {};
}
