// GET /api/v1/audit: the audit log, newest first, paginated by cursor.
// Operators see every entry; managers see their organizations' entries.
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"

namespace onramp::api {

using http::Call;
using http::Response;
using nlohmann::json;

namespace {

Result<Response> list_audit(App& app, const Call& c) {
    const auth::Principal& who = *c.who;
    std::string org = c.req.query_value("org_id");
    std::vector<std::string> orgs;  // empty with is_operator and no org: all
    if (!org.empty()) {
        if (!who.can_read(org)) return not_found("No such organization.");
        if (!who.can_manage(org)) return forbidden("Only managers can read the audit log.");
        orgs.push_back(org);
    } else if (!who.is_operator) {
        for (const auth::Membership& m : who.memberships)
            if (m.role == "manager") orgs.push_back(m.org_id);
        if (orgs.empty()) return forbidden("Only managers and operators can read the audit log.");
    }

    int64_t limit = 50;
    if (std::string l = c.req.query_value("limit"); !l.empty()) {
        limit = std::atoll(l.c_str());
        if (limit < 1 || limit > 500) return unprocessable({{"limit", "must be between 1 and 500"}});
    }
    int64_t before = INT64_MAX;
    if (std::string b = c.req.query_value("cursor"); !b.empty()) before = std::atoll(b.c_str());
    std::string action = c.req.query_value("action");
    std::string actor = c.req.query_value("actor_id");

    std::string sql =
        "SELECT id, at, actor_id, actor_email, org_id, action, object_type, object_id, request_id, ip, detail"
        " FROM audit_log WHERE id < ?";
    if (!orgs.empty()) {
        sql += " AND org_id IN (";
        for (size_t i = 0; i < orgs.size(); ++i) sql += i ? ", ?" : "?";
        sql += ")";
    }
    if (!action.empty()) sql += " AND (action = ? OR action LIKE ? ESCAPE '\\')";
    if (!actor.empty()) sql += " AND actor_id = ?";
    sql += " ORDER BY id DESC LIMIT ?";

    auto db = app.store->lease();
    store::Stmt st(*db, sql);
    int i = 0;
    st.bind(++i, before);
    for (const std::string& o : orgs) st.bind(++i, o);
    if (!action.empty()) {
        // "login" matches "login.failed" and "login.succeeded".
        std::string prefix;
        for (char ch : action) {
            if (ch == '%' || ch == '_' || ch == '\\') prefix += '\\';
            prefix += ch;
        }
        st.bind(++i, action);
        st.bind(++i, prefix + ".%");
    }
    if (!actor.empty()) st.bind(++i, actor);
    st.bind(++i, limit + 1);

    json items = json::array();
    int64_t last = 0;
    bool more = false;
    while (st.step()) {
        if (int64_t(items.size()) == limit) {
            more = true;
            break;
        }
        last = st.i64(0);
        auto opt = [&](int col) { return st.is_null(col) ? json(nullptr) : json(st.text(col)); };
        items.push_back({{"id", st.i64(0)},
                         {"at", iso8601(st.i64(1))},
                         {"actor_id", opt(2)},
                         {"actor_email", opt(3)},
                         {"org_id", opt(4)},
                         {"action", st.text(5)},
                         {"object_type", opt(6)},
                         {"object_id", opt(7)},
                         {"request_id", opt(8)},
                         {"ip", opt(9)},
                         {"detail", json::parse(st.text(10), nullptr, false)}});
    }
    json out = {{"items", items}};
    out["next_cursor"] = more ? json(std::to_string(last)) : json(nullptr);
    return Response::json(out);
}

}  // namespace

void add_audit_routes(http::Router& r, App& app) {
    r.add({"GET", "/api/v1/audit", http::Access::User, http::Body::None, with_app(app, list_audit)});
}

}  // namespace onramp::api
