#include "edge/store/connections.h"

#include "shared/json.h"

namespace onramp::store {

namespace {

constexpr const char* kCols =
    "id, org_id, user_id, platform, name, status, sync_frequency, config_json, masked_json, verified_json,"
    " created_by, created_at, updated_at, last_test_at, last_test_ok, last_sync_at, last_error";

nlohmann::json parse_object(const std::string& s) {
    auto j = nlohmann::json::parse(s, nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();
}

Connection read(Stmt& st) {
    Connection c;
    c.id = st.text(0);
    c.org_id = st.text(1);
    c.user_id = st.opt_text(2);
    c.platform = st.text(3);
    c.name = st.text(4);
    c.status = st.text(5);
    c.sync_frequency = st.text(6);
    c.config = parse_object(st.text(7));
    c.masked = parse_object(st.text(8));
    c.verified = parse_object(st.text(9));
    c.created_by = st.opt_text(10);
    c.created_at = st.i64(11);
    c.updated_at = st.i64(12);
    if (!st.is_null(13)) c.last_test_at = st.i64(13);
    if (!st.is_null(14)) c.last_test_ok = st.i64(14) != 0;
    if (!st.is_null(15)) c.last_sync_at = st.i64(15);
    c.last_error = st.opt_text(16);
    return c;
}

std::vector<Connection> many(Db& db, const std::string& where, const std::string& value) {
    Stmt st(db, std::string("SELECT ") + kCols + " FROM connections WHERE " + where + " ORDER BY created_at, id");
    st.bind(1, value);
    std::vector<Connection> out;
    while (st.step()) out.push_back(read(st));
    return out;
}

void bind_optional(Stmt& st, int i, const std::optional<int64_t>& v) {
    if (v) st.bind(i, *v);
    else st.bind(i, nullptr);
}

}  // namespace

void insert_connection(Db& db, const Connection& c) {
    Stmt st(db,
            "INSERT INTO connections (id, org_id, user_id, platform, name, status, sync_frequency, config_json,"
            " masked_json, verified_json, created_by, created_at, updated_at, last_test_at, last_test_ok,"
            " last_sync_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind_all(c.id, c.org_id, c.user_id, c.platform, c.name, c.status, c.sync_frequency, dump_json(c.config),
                dump_json(c.masked), dump_json(c.verified), c.created_by, c.created_at, c.updated_at);
    bind_optional(st, 14, c.last_test_at);
    bind_optional(st, 15, c.last_test_ok ? std::optional<int64_t>(*c.last_test_ok) : std::nullopt);
    bind_optional(st, 16, c.last_sync_at);
    st.bind(17, c.last_error);
    st.run();
    if (st.constraint_failed()) throw DbError(SQLITE_CONSTRAINT, "insert connection: constraint failed");
}

std::optional<Connection> find_connection(Db& db, const std::string& org_id, const std::string& id) {
    Stmt st(db, std::string("SELECT ") + kCols + " FROM connections WHERE org_id = ? AND id = ?");
    st.bind_all(org_id, id);
    if (!st.step()) return std::nullopt;
    return read(st);
}

std::optional<Connection> find_connection_any_org(Db& db, const std::string& id) {
    auto all = many(db, "id = ?", id);
    if (all.empty()) return std::nullopt;
    return all.front();
}

std::vector<Connection> list_connections(Db& db, const std::string& org_id) {
    return many(db, "org_id = ? AND user_id IS NULL", org_id);
}

std::vector<Connection> list_user_connections(Db& db, const std::string& user_id) {
    return many(db, "user_id = ?", user_id);
}

std::vector<Connection> connections_with_account(Db& db, const std::string& platform, const std::string& field,
                                                 const std::string& value) {
    Stmt st(db, std::string("SELECT ") + kCols +
                    " FROM connections WHERE platform = ? AND json_extract(config_json, '$.' || ?) = ?"
                    " ORDER BY created_at, id");
    st.bind_all(platform, field, value);
    std::vector<Connection> out;
    while (st.step()) out.push_back(read(st));
    return out;
}

void update_connection(Db& db, const Connection& c) {
    Stmt st(db,
            "UPDATE connections SET name = ?, status = ?, sync_frequency = ?, config_json = ?, masked_json = ?,"
            " verified_json = ?, updated_at = ?, last_test_at = ?, last_test_ok = ?, last_sync_at = ?, last_error = ?"
            " WHERE org_id = ? AND id = ?");
    st.bind_all(c.name, c.status, c.sync_frequency, dump_json(c.config), dump_json(c.masked), dump_json(c.verified),
                c.updated_at);
    bind_optional(st, 8, c.last_test_at);
    bind_optional(st, 9, c.last_test_ok ? std::optional<int64_t>(*c.last_test_ok) : std::nullopt);
    bind_optional(st, 10, c.last_sync_at);
    st.bind(11, c.last_error);
    st.bind(12, c.org_id);
    st.bind(13, c.id);
    st.run();
}

bool delete_connection(Db& db, const std::string& org_id, const std::string& id) {
    return db.write("DELETE FROM connections WHERE org_id = ? AND id = ?", org_id, id) > 0;
}

}  // namespace onramp::store
