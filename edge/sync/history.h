// One client's sync history across its connections, for the operator's
// view of each client's sync history and success rate
// (GET /api/superadmin/clients/{org_id}/sync-history).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edge/store/db.h"
#include "edge/sync/records.h"

namespace onramp::sync {

struct OrgSyncStats {
    int64_t runs = 0, succeeded = 0, failed = 0, active = 0;  // active: queued or running
    std::optional<int64_t> last_run_at, last_success_at;
    // succeeded / (succeeded + failed); unset while no run has finished,
    // so a new client does not show 0 %.
    std::optional<double> success_rate() const {
        if (succeeded + failed == 0) return std::nullopt;
        return double(succeeded) / double(succeeded + failed);
    }
};

OrgSyncStats org_sync_stats(store::Db& db, const std::string& org_id);
// The org's runs, newest first.
std::vector<Run> org_runs(store::Db& db, const std::string& org_id, int limit, int offset);

// {"runs", "succeeded", "failed", "active", "success_rate" (0..1 or null),
//  "last_run_at", "last_success_at"}
nlohmann::json stats_json(const OrgSyncStats& s);

}  // namespace onramp::sync
