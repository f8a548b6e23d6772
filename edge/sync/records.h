// Synced records (products with their variants, orders, calls, contacts,
// payments, refunds) and sync runs, as stored rows.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edge/connectors/connector.h"
#include "edge/store/db.h"

namespace onramp::sync {

struct Run {
    std::string id, org_id, connection_id, kind, state;
    std::vector<std::string> resources;
    int resource_index = 0;
    std::string cursor, window_after, window_before;
    int64_t pages = 0, created = 0, updated = 0, failed = 0;
    std::optional<int64_t> total;
    nlohmann::json errors = nlohmann::json::array();
    int64_t queued_at = 0;
    std::optional<int64_t> started_at, finished_at;
};

nlohmann::json run_json(const Run& r);

void insert_run(store::Db& db, const Run& r);
std::optional<Run> find_run(store::Db& db, const std::string& id);
std::optional<Run> latest_run(store::Db& db, const std::string& connection_id);
// The connection's queued or running run, if any.
std::optional<Run> active_run(store::Db& db, const std::string& connection_id);
// Newest first.
std::vector<Run> list_runs(store::Db& db, const std::string& connection_id, int limit, int offset = 0);
int64_t count_runs(store::Db& db, const std::string& connection_id);
// The upper bound of the connection's last successful run: where the next
// incremental run starts.
std::optional<std::string> last_success_bound(store::Db& db, const std::string& connection_id);
// Atomically takes the oldest queued run and marks it running.
std::optional<Run> claim_next(store::Db& db, int64_t now);
// Runs left "running" by a process that died go back to the queue; their
// cursor is the last committed page, so they continue from there.
int requeue_interrupted(store::Db& db);
void save_progress(store::Db& db, const Run& r);

struct UpsertCounts {
    int created = 0, updated = 0;
};
// Inserts or replaces each item by its platform id (and a product's
// variants), in the caller's transaction.
UpsertCounts upsert_items(store::Db& db, const std::string& org_id, const std::string& connection_id,
                          connectors::Resource resource, const std::vector<connectors::Item>& items, int64_t now);
bool delete_item(store::Db& db, const std::string& connection_id, connectors::Resource resource,
                 const std::string& platform_id);
int64_t count_records(store::Db& db, const std::string& connection_id, connectors::Resource resource);

}  // namespace onramp::sync
