#include "edge/connections/credentials.h"

#include "shared/validation/validate.h"

namespace onramp::connections {

namespace {

void set_row_fields(store::Connection& row, const connectors::Connector& entry, const connectors::Credentials& values) {
    row.config = nlohmann::json::object();
    for (const connectors::Field& f : entry.fields) {
        auto it = values.find(std::string(f.name));
        if (it != values.end() && !f.sensitive) row.config[std::string(f.name)] = it->second;
    }
    row.masked = nlohmann::json::object();
    for (const auto& [name, masked] : validation::masked_credentials(entry, values)) row.masked[name] = masked;
}

}  // namespace

Status store_credentials(const Vault& vault, store::Db& db, store::Connection& row,
                         const connectors::Connector& entry, const connectors::Credentials& values) {
    set_row_fields(row, entry, values);
    for (const connectors::Field& f : entry.fields) {
        if (!f.sensitive) continue;
        auto it = values.find(std::string(f.name));
        if (it == values.end()) continue;
        Status s = vault.put(db, row.org_id, row.id, f.name, it->second);
        if (!s) return s;
    }
    return ok_status();
}

Status replace_credentials(const Vault& vault, store::Db& db, store::Connection& row,
                           const connectors::Connector& entry, const connectors::Credentials& values) {
    for (const connectors::Field& f : entry.fields)
        if (f.sensitive && !values.count(std::string(f.name))) vault.remove_field(db, row.org_id, row.id, f.name);
    return store_credentials(vault, db, row, entry, values);
}

connectors::Credentials settings_of(const store::Connection& row) {
    connectors::Credentials out;
    for (const auto& [k, v] : row.config.items())
        if (v.is_string()) out[k] = v.get<std::string>();
    return out;
}

Result<connectors::Credentials> load_credentials(const Vault& vault, store::Db& db, const store::Connection& row,
                                                 const connectors::Connector& entry) {
    connectors::Credentials out = settings_of(row);
    for (const connectors::Field& f : entry.fields) {
        // The vault also keeps the connection's webhook secrets; only
        // credential fields go to the platform.
        if (!f.sensitive) continue;
        std::string field(f.name);
        auto value = vault.get(db, row.org_id, row.id, field);
        if (!value && value.problem().status == 404) continue;
        if (!value) return value.problem();
        out[field] = std::move(*value);
    }
    return out;
}

}  // namespace onramp::connections
