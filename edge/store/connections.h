// Connection rows: which platform account an organization connected, its
// non-secret settings and its health. Secrets are in the vault, never here.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edge/store/db.h"

namespace onramp::store {

struct Connection {
    std::string id, org_id;
    std::optional<std::string> user_id;
    std::string platform, name, status = "active", sync_frequency = "daily";
    nlohmann::json config = nlohmann::json::object();    // non-secret credential fields
    nlohmann::json masked = nlohmann::json::object();    // sensitive fields, masked
    nlohmann::json verified = nlohmann::json::object();  // what the last test established
    std::optional<std::string> created_by;
    int64_t created_at = 0, updated_at = 0;
    std::optional<int64_t> last_test_at, last_sync_at;
    std::optional<bool> last_test_ok;
    std::optional<std::string> last_error;
};

void insert_connection(Db& db, const Connection& c);
// Scoped by org: another tenant's id is simply not found.
std::optional<Connection> find_connection(Db& db, const std::string& org_id, const std::string& id);
// For callers that start from a connection id alone (webhook receivers,
// workers); they must not return its data to a caller without a check.
std::optional<Connection> find_connection_any_org(Db& db, const std::string& id);
std::vector<Connection> list_connections(Db& db, const std::string& org_id);
std::vector<Connection> list_user_connections(Db& db, const std::string& user_id);
// Every organization's connections to `platform` whose non-secret credential
// `field` is `value` (the accounts a platform-wide webhook URL serves).
std::vector<Connection> connections_with_account(Db& db, const std::string& platform, const std::string& field,
                                                 const std::string& value);
void update_connection(Db& db, const Connection& c);
bool delete_connection(Db& db, const std::string& org_id, const std::string& id);

}  // namespace onramp::store
