#include "edge/connections/renewals.h"

#include "edge/audit.h"
#include "edge/connections/credentials.h"
#include "edge/store/connections.h"

namespace onramp::connections {

bool save_renewed(App& app, const std::string& connection_id, const connectors::Credentials& changed) {
    auto db = app.store->lease();
    store::Tx tx(*db);
    auto row = store::find_connection_any_org(*db, connection_id);
    const connectors::Connector* entry = row ? connectors::find_connector(row->platform) : nullptr;
    if (!entry) return false;
    auto creds = load_credentials(*app.vault, *db, *row, *entry);
    if (!creds) return false;
    std::vector<std::string> fields;
    for (const auto& [name, value] : changed) {
        if (!entry->find_field(name)) continue;
        if (value.empty()) creds->erase(name);
        else (*creds)[name] = value;
        fields.push_back(name);
    }
    row->updated_at = app.now();
    // The row also keeps settings that are not credentials (a per-user
    // integration's features and CRM name); they stay as they are.
    nlohmann::json settings = row->config;
    if (!replace_credentials(*app.vault, *db, *row, *entry, *creds)) return false;
    for (const auto& [key, value] : settings.items())
        if (!entry->find_field(key)) row->config[key] = value;
    store::update_connection(*db, *row);
    audit(*db, app.now(), nullptr, nullptr,
          {"credential.refreshed", row->org_id, "connection", row->id, {{"platform", row->platform}, {"fields", fields}}});
    tx.commit();
    return true;
}

void keep_renewed_credentials(App& app) {
    app.contexts->set_renewals(
        [&app](const std::string& connection_id, const connectors::Credentials& changed) {
            save_renewed(app, connection_id, changed);
        },
        [&app] { return app.now(); });
}

}  // namespace onramp::connections
