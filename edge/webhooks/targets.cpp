#include "edge/webhooks/targets.h"

namespace onramp::webhooks {

namespace {

// Enough for every connection of a busy edge; past it the map starts over
// rather than growing without bound.
constexpr size_t kMaxTargets = 4096;

int64_t targets_version(store::Db& db) {
    store::Stmt st(db, "SELECT n FROM webhook_targets_version WHERE only = 1");
    return st.step() ? st.i64(0) : -1;
}

std::shared_ptr<Target> load_target(const Vault& vault, store::Db& db, const std::string& connection_id,
                                    int64_t now) {
    auto conn = store::find_connection_any_org(db, connection_id);
    if (!conn) return nullptr;
    auto t = std::make_shared<Target>();
    t->connection = std::move(*conn);
    t->endpoint = find_endpoint(db, connection_id);
    t->scheme = &scheme_of(t->connection, t->endpoint);
    t->secrets = load_secrets(vault, db, t->connection, t->endpoint, now);
    if (t->endpoint && t->endpoint->previous_expires_at && now < *t->endpoint->previous_expires_at)
        t->valid_until = *t->endpoint->previous_expires_at;
    return t;
}

}  // namespace

std::shared_ptr<const Target> Targets::find(const Vault& vault, store::Db& db, const std::string& connection_id,
                                            int64_t now) {
    // Read before the target itself: what is loaded below is then at least
    // as new as the version it is filed under, never older.
    int64_t version = targets_version(db);
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (version != version_) {
            by_connection_.clear();
            version_ = version;
        } else if (auto it = by_connection_.find(connection_id);
                   it != by_connection_.end() && now < it->second->valid_until) {
            return it->second;
        }
    }
    auto target = load_target(vault, db, connection_id, now);
    if (!target) return nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    if (version == version_) {
        if (by_connection_.size() >= kMaxTargets) by_connection_.clear();
        by_connection_[connection_id] = target;
    }
    return target;
}

}  // namespace onramp::webhooks
