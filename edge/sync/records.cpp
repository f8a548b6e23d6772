#include "edge/sync/records.h"

#include "edge/api/views.h"
#include "shared/json.h"

namespace onramp::sync {

using store::Db;
using store::Stmt;

namespace {

constexpr const char* kRunCols =
    "id, org_id, connection_id, kind, state, resources, resource_index, cursor, window_after, window_before,"
    " pages, created, updated, failed, total, errors_json, queued_at, started_at, finished_at";

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i <= s.size()) {
        size_t j = s.find(',', i);
        if (j == std::string::npos) j = s.size();
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

std::string join_list(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

Run read_run(Stmt& st) {
    Run r;
    r.id = st.text(0);
    r.org_id = st.text(1);
    r.connection_id = st.text(2);
    r.kind = st.text(3);
    r.state = st.text(4);
    r.resources = split_list(st.text(5));
    r.resource_index = int(st.i64(6));
    r.cursor = st.text(7);
    r.window_after = st.text(8);
    r.window_before = st.text(9);
    r.pages = st.i64(10);
    r.created = st.i64(11);
    r.updated = st.i64(12);
    r.failed = st.i64(13);
    if (!st.is_null(14)) r.total = st.i64(14);
    r.errors = nlohmann::json::parse(st.text(15), nullptr, false);
    if (!r.errors.is_array()) r.errors = nlohmann::json::array();
    r.queued_at = st.i64(16);
    if (!st.is_null(17)) r.started_at = st.i64(17);
    if (!st.is_null(18)) r.finished_at = st.i64(18);
    return r;
}

std::optional<Run> one_run(Db& db, const std::string& where, const std::string& value) {
    Stmt st(db, std::string("SELECT ") + kRunCols + " FROM sync_runs WHERE " + where);
    st.bind(1, value);
    if (!st.step()) return std::nullopt;
    return read_run(st);
}

std::string string_or_empty(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    return it->is_string() ? it->get<std::string>() : it->dump();
}

// The text a person searches a record by.
std::string title_of(connectors::Resource r, const nlohmann::json& d) {
    switch (r) {
        case connectors::Resource::products: return string_or_empty(d, "title");
        case connectors::Resource::orders: return string_or_empty(d, "number");
        case connectors::Resource::calls: return string_or_empty(d, "from");
        case connectors::Resource::contacts: return string_or_empty(d, "name");
        case connectors::Resource::payments: return string_or_empty(d, "description");
        case connectors::Resource::refunds: return string_or_empty(d, "payment_id");
    }
    return "";
}

}  // namespace

nlohmann::json run_json(const Run& r) {
    nlohmann::json j = {{"id", r.id},
                        {"connection_id", r.connection_id},
                        {"kind", r.kind},
                        {"state", r.state},
                        {"resources", r.resources},
                        {"resource", r.resource_index < int(r.resources.size()) ? r.resources[size_t(r.resource_index)] : ""},
                        {"pages", r.pages},
                        {"created", r.created},
                        {"updated", r.updated},
                        {"failed", r.failed},
                        {"errors", r.errors},
                        {"queued_at", api::iso8601(r.queued_at)}};
    int64_t done = r.created + r.updated + r.failed;
    j["items"] = done;
    j["total"] = r.total ? nlohmann::json(*r.total) : nlohmann::json(nullptr);
    if (r.state == "succeeded")
        j["percent"] = 100;
    else if (r.total && *r.total > 0)
        j["percent"] = std::min<int64_t>(99, done * 100 / *r.total);
    else
        j["percent"] = nullptr;
    j["started_at"] = r.started_at ? nlohmann::json(api::iso8601(*r.started_at)) : nlohmann::json(nullptr);
    j["finished_at"] = r.finished_at ? nlohmann::json(api::iso8601(*r.finished_at)) : nlohmann::json(nullptr);
    return j;
}

void insert_run(Db& db, const Run& r) {
    db.write("INSERT INTO sync_runs (id, org_id, connection_id, kind, state, resources, window_after, window_before,"
             " queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
             r.id, r.org_id, r.connection_id, r.kind, r.state, join_list(r.resources), r.window_after, r.window_before,
             r.queued_at);
}

std::optional<Run> find_run(Db& db, const std::string& id) { return one_run(db, "id = ?", id); }

std::optional<Run> latest_run(Db& db, const std::string& connection_id) {
    return one_run(db, "connection_id = ? ORDER BY queued_at DESC, rowid DESC LIMIT 1", connection_id);
}

std::optional<Run> active_run(Db& db, const std::string& connection_id) {
    return one_run(db, "connection_id = ? AND state IN ('queued', 'running') ORDER BY queued_at LIMIT 1", connection_id);
}

std::vector<Run> list_runs(Db& db, const std::string& connection_id, int limit, int offset) {
    Stmt st(db, std::string("SELECT ") + kRunCols +
                          " FROM sync_runs WHERE connection_id = ? ORDER BY queued_at DESC, rowid DESC LIMIT ? OFFSET ?");
    st.bind_all(connection_id, limit, offset);
    std::vector<Run> out;
    while (st.step()) out.push_back(read_run(st));
    return out;
}

int64_t count_runs(Db& db, const std::string& connection_id) {
    Stmt st(db, "SELECT COUNT(*) FROM sync_runs WHERE connection_id = ?");
    st.bind(1, connection_id);
    st.step();
    return st.i64(0);
}

std::optional<std::string> last_success_bound(Db& db, const std::string& connection_id) {
    Stmt st(db,
            "SELECT window_before FROM sync_runs WHERE connection_id = ? AND state = 'succeeded'"
            " ORDER BY finished_at DESC, rowid DESC LIMIT 1");
    st.bind(1, connection_id);
    if (!st.step()) return std::nullopt;
    return st.text(0);
}

std::optional<Run> claim_next(Db& db, int64_t now) {
    store::Tx tx(db);
    Stmt st(db, std::string("SELECT ") + kRunCols +
                          " FROM sync_runs WHERE state = 'queued' ORDER BY queued_at, rowid LIMIT 1");
    if (!st.step()) return std::nullopt;
    std::optional<Run> run = read_run(st);
    db.write("UPDATE sync_runs SET state = 'running', started_at = COALESCE(started_at, ?) WHERE id = ?", now, run->id);
    tx.commit();
    run->state = "running";
    if (!run->started_at) run->started_at = now;
    return run;
}

int requeue_interrupted(Db& db) { return db.write("UPDATE sync_runs SET state = 'queued' WHERE state = 'running'"); }

void save_progress(Db& db, const Run& r) {
    Stmt st(db,
            "UPDATE sync_runs SET state = ?, resource_index = ?, cursor = ?, pages = ?, created = ?, updated = ?,"
            " failed = ?, total = ?, errors_json = ?, finished_at = ? WHERE id = ?");
    st.bind_all(r.state, r.resource_index, r.cursor, r.pages, r.created, r.updated, r.failed);
    if (r.total) st.bind(8, *r.total);
    else st.bind(8, nullptr);
    st.bind(9, dump_json(r.errors));
    if (r.finished_at) st.bind(10, *r.finished_at);
    else st.bind(10, nullptr);
    st.bind(11, r.id);
    st.run();
}

UpsertCounts upsert_items(Db& db, const std::string& org_id, const std::string& connection_id,
                          connectors::Resource resource, const std::vector<connectors::Item>& items, int64_t now) {
    UpsertCounts counts;
    std::string res(connectors::to_string(resource));
    Stmt exists(db, "SELECT 1 FROM records WHERE connection_id = ? AND resource = ? AND platform_id = ?");
    Stmt upsert(db,
                "INSERT INTO records (connection_id, org_id, resource, platform_id, title, sku, updated_at, data_json,"
                " synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (connection_id, resource, platform_id) DO UPDATE SET title = excluded.title,"
                " sku = excluded.sku, updated_at = excluded.updated_at, data_json = excluded.data_json,"
                " synced_at = excluded.synced_at");
    Stmt clear_variants(db, "DELETE FROM variants WHERE connection_id = ? AND product_id = ?");
    Stmt add_variant(db,
                     "INSERT OR REPLACE INTO variants (connection_id, product_id, platform_id, sku, title, price, inventory)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const connectors::Item& item : items) {
        exists.reset();
        exists.bind_all(connection_id, res, item.id);
        bool existed = exists.step();
        upsert.reset();
        upsert.bind_all(connection_id, org_id, res, item.id, title_of(resource, item.data),
                        string_or_empty(item.data, "sku"), item.updated_at, dump_json(item.data), now);
        upsert.run();
        existed ? ++counts.updated : ++counts.created;
        if (resource != connectors::Resource::products) continue;
        clear_variants.reset();
        clear_variants.bind_all(connection_id, item.id);
        clear_variants.run();
        auto vs = item.data.find("variants");
        if (vs == item.data.end() || !vs->is_array()) continue;
        for (const nlohmann::json& v : *vs) {
            add_variant.reset();
            add_variant.bind_all(connection_id, item.id, string_or_empty(v, "id"), string_or_empty(v, "sku"),
                                 string_or_empty(v, "title"), string_or_empty(v, "price"));
            if (v.contains("inventory") && v["inventory"].is_number_integer()) add_variant.bind(7, v["inventory"].get<int64_t>());
            else add_variant.bind(7, nullptr);
            add_variant.run();
        }
    }
    return counts;
}

bool delete_item(Db& db, const std::string& connection_id, connectors::Resource resource,
                 const std::string& platform_id) {
    if (resource == connectors::Resource::products)
        db.write("DELETE FROM variants WHERE connection_id = ? AND product_id = ?", connection_id, platform_id);
    return db.write("DELETE FROM records WHERE connection_id = ? AND resource = ? AND platform_id = ?", connection_id,
                    std::string(connectors::to_string(resource)), platform_id) > 0;
}

int64_t count_records(Db& db, const std::string& connection_id, connectors::Resource resource) {
    Stmt st(db, "SELECT COUNT(*) FROM records WHERE connection_id = ? AND resource = ?");
    st.bind_all(connection_id, std::string(connectors::to_string(resource)));
    st.step();
    return st.i64(0);
}

}  // namespace onramp::sync
