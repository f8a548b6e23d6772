// GET /api/v1/audit: the audit log, newest first, paginated by cursor.
// Operators see every entry; managers see their organizations' entries.
//
//   limit      1..500 (50)
//   cursor     the previous page's next_cursor
//   action     an action, or a prefix before a dot ("login": login.*)
//   actor_id   one user's entries
//   actor      a part of the actor's e-mail address (case-insensitive)
//   org_id     one organization's entries
//   since, until  ISO 8601 times: entries at or after since, before until
//
// Each entry carries, next to the ids, the names a person reads: org_name
// and object_name (the organization's or connection's name, the user's
// e-mail), null when there is none or it was deleted since.
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/connectors/wire.h"

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
    std::string actor_email = c.req.query_value("actor");
    std::map<std::string, std::string> errors;
    auto time_bound = [&](const char* name) -> std::optional<int64_t> {
        std::string v = c.req.query_value(name);
        if (v.empty()) return std::nullopt;
        int64_t at = connectors::wire::unix_seconds(v);
        if (at < 0) errors[name] = "must be an ISO 8601 time, like 2026-12-01T00:00:00Z";
        return at;
    };
    std::optional<int64_t> since = time_bound("since"), until = time_bound("until");
    if (actor_email.size() > 254) errors["actor"] = "must be at most 254 characters";
    if (!errors.empty()) return unprocessable(errors);

    std::string sql =
        "SELECT a.id, a.at, a.actor_id, a.actor_email, a.org_id, a.action, a.object_type, a.object_id,"
        " a.request_id, a.ip, a.detail, o.name,"
        " CASE a.object_type WHEN 'org' THEN oo.name WHEN 'connection' THEN oc.name WHEN 'user' THEN ou.email END"
        " FROM audit_log a LEFT JOIN orgs o ON o.id = a.org_id"
        " LEFT JOIN orgs oo ON a.object_type = 'org' AND oo.id = a.object_id"
        " LEFT JOIN connections oc ON a.object_type = 'connection' AND oc.id = a.object_id"
        " LEFT JOIN users ou ON a.object_type = 'user' AND ou.id = a.object_id"
        " WHERE a.id < ?";
    if (!orgs.empty()) {
        sql += " AND a.org_id IN (";
        for (size_t i = 0; i < orgs.size(); ++i) sql += i ? ", ?" : "?";
        sql += ")";
    }
    if (!action.empty()) sql += " AND (a.action = ? OR a.action LIKE ? ESCAPE '\\')";
    if (!actor.empty()) sql += " AND a.actor_id = ?";
    if (!actor_email.empty()) sql += " AND a.actor_email LIKE ? ESCAPE '\\'";
    if (since) sql += " AND a.at >= ?";
    if (until) sql += " AND a.at < ?";
    sql += " ORDER BY a.id DESC LIMIT ?";

    auto db = app.store->lease();
    store::Stmt st(*db, sql);
    int i = 0;
    st.bind(++i, before);
    for (const std::string& o : orgs) st.bind(++i, o);
    if (!action.empty()) {
        // "login" matches "login.failed" and "login.succeeded".
        st.bind(++i, action);
        st.bind(++i, like_escaped(action) + ".%");
    }
    if (!actor.empty()) st.bind(++i, actor);
    if (!actor_email.empty()) st.bind(++i, "%" + like_escaped(actor_email) + "%");
    if (since) st.bind(++i, *since);
    if (until) st.bind(++i, *until);
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
                         {"detail", json::parse(st.text(10), nullptr, false)},
                         {"org_name", opt(11)},
                         {"object_name", opt(12)}});
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
