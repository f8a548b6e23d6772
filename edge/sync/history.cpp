#include "edge/sync/history.h"

#include "edge/api/views.h"

namespace onramp::sync {

OrgSyncStats org_sync_stats(store::Db& db, const std::string& org_id) {
    OrgSyncStats s;
    store::Stmt st(db,
                   "SELECT count(*),"
                   " coalesce(sum(state = 'succeeded'), 0), coalesce(sum(state = 'failed'), 0),"
                   " coalesce(sum(state IN ('queued', 'running')), 0),"
                   " max(queued_at), max(CASE WHEN state = 'succeeded' THEN finished_at END)"
                   " FROM sync_runs WHERE org_id = ?");
    st.bind_all(org_id);
    if (!st.step()) return s;
    s.runs = st.i64(0);
    s.succeeded = st.i64(1);
    s.failed = st.i64(2);
    s.active = st.i64(3);
    if (!st.is_null(4)) s.last_run_at = st.i64(4);
    if (!st.is_null(5)) s.last_success_at = st.i64(5);
    return s;
}

std::vector<Run> org_runs(store::Db& db, const std::string& org_id, int limit, int offset) {
    std::vector<std::string> ids;
    {
        store::Stmt st(db,
                       "SELECT id FROM sync_runs WHERE org_id = ? ORDER BY queued_at DESC, id DESC LIMIT ? OFFSET ?");
        st.bind_all(org_id, limit, offset);
        while (st.step()) ids.push_back(st.text(0));
    }
    std::vector<Run> out;
    for (const std::string& id : ids)
        if (auto r = find_run(db, id)) out.push_back(std::move(*r));
    return out;
}

nlohmann::json stats_json(const OrgSyncStats& s) {
    auto when = [](const std::optional<int64_t>& t) { return t ? nlohmann::json(api::iso8601(*t)) : nlohmann::json(nullptr); };
    auto rate = s.success_rate();
    return {{"runs", s.runs},
            {"succeeded", s.succeeded},
            {"failed", s.failed},
            {"active", s.active},
            {"success_rate", rate ? nlohmann::json(*rate) : nlohmann::json(nullptr)},
            {"last_run_at", when(s.last_run_at)},
            {"last_success_at", when(s.last_success_at)}};
}

}  // namespace onramp::sync
