// The synced rows, as the sync engine stored them (edge/sync/records.h):
//
//   GET /api/v1/orgs/{org_id}/products   member   products, each with its variants
//   GET /api/v1/orgs/{org_id}/records    member   ?resource=orders|calls|contacts|products
//
// Both take page (from 1) and per_page (1..200, default 50) and answer
// {items, total, page, per_page}; q searches titles and SKUs (a product's
// variants' SKUs too), connection_id narrows to one connection, and sort
// is one of title, sku, updated_at, price (products only), with a leading
// "-" for descending. Rows of another user's per-user integration are not
// shown.
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

namespace {

constexpr int kDefaultPerPage = 50;
constexpr int kMaxPerPage = 200;
constexpr size_t kMaxQuery = 200;

struct Listing {
    std::string org_id, user_id, resource, q, connection_id;
    std::vector<std::string> platforms;  // empty: any (Principal::platforms)
    std::string order_by;  // an SQL expression from a fixed list, never the caller's text
    bool descending = false;
    int page = 1, per_page = kDefaultPerPage;
};

// The named whole-number parameter, or `fallback`; a bad value adds an error.
int whole_number(const Call& c, const char* name, int fallback, int max, std::map<std::string, std::string>& errors) {
    std::string v = c.req.query_value(name);
    if (v.empty()) return fallback;
    if (v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos || std::stoi(v) < 1 ||
        std::stoi(v) > max) {
        errors[name] = "must be a whole number from 1 to " + std::to_string(max);
        return fallback;
    }
    return std::stoi(v);
}

std::string like_pattern(const std::string& q) { return "%" + like_escaped(q) + "%"; }

// Sort keys a caller may name, and the column each stands for.
std::optional<std::string> sort_column(const std::string& key, bool products) {
    if (key == "title") return "r.title COLLATE NOCASE";
    if (key == "sku") return "r.sku COLLATE NOCASE";
    if (key == "updated_at") return "r.updated_at";
    if (key == "price" && products) return "CAST(json_extract(r.data_json, '$.price') AS REAL)";
    return std::nullopt;
}

Result<Listing> read_listing(App& app, const Call& c, const std::string& resource) {
    auto org = readable_org(c);
    if (!org) return org.problem();
    Listing l;
    l.org_id = *org;
    l.user_id = c.who->user_id;
    l.platforms = c.who->platforms;
    l.resource = resource;
    std::map<std::string, std::string> errors;
    l.page = whole_number(c, "page", 1, 1000000, errors);
    l.per_page = whole_number(c, "per_page", kDefaultPerPage, kMaxPerPage, errors);
    l.q = c.req.query_value("q");
    if (l.q.size() > kMaxQuery) errors["q"] = "must be at most " + std::to_string(kMaxQuery) + " characters";
    std::string sort = c.req.query_value("sort");
    if (sort.empty()) sort = "title";
    l.descending = sort[0] == '-';
    auto column = sort_column(l.descending ? sort.substr(1) : sort, resource == "products");
    if (!column)
        errors["sort"] = resource == "products" ? "must be title, sku, updated_at or price (\"-\" first: descending)"
                                                : "must be title, sku or updated_at (\"-\" first: descending)";
    else
        l.order_by = *column;
    if (!errors.empty()) return unprocessable(errors);
    l.connection_id = c.req.query_value("connection_id");
    if (!l.connection_id.empty()) {
        auto db = app.store->lease();
        auto conn = store::find_connection(*db, l.org_id, l.connection_id);
        if (!conn || !sees_connection(*c.who, *conn)) return not_found("No such connection.");
    }
    return l;
}

// The WHERE clause shared by the count and the page, with its values.
std::string where_clause(const Listing& l, std::vector<std::string>& values) {
    std::string sql =
        " FROM records r JOIN connections c ON c.id = r.connection_id"
        " WHERE r.org_id = ? AND r.resource = ? AND (c.user_id IS NULL OR c.user_id = ?)";
    values = {l.org_id, l.resource, l.user_id};
    if (!l.platforms.empty()) {
        sql += " AND c.platform IN (?";
        for (size_t i = 1; i < l.platforms.size(); ++i) sql += ", ?";
        sql += ")";
        values.insert(values.end(), l.platforms.begin(), l.platforms.end());
    }
    if (!l.connection_id.empty()) {
        sql += " AND r.connection_id = ?";
        values.push_back(l.connection_id);
    }
    if (!l.q.empty()) {
        std::string p = like_pattern(l.q);
        sql += " AND (r.title LIKE ? ESCAPE '\\' OR r.sku LIKE ? ESCAPE '\\'";
        values.insert(values.end(), {p, p});
        if (l.resource == "products") {
            sql += " OR EXISTS (SELECT 1 FROM variants v WHERE v.connection_id = r.connection_id"
                   " AND v.product_id = r.platform_id AND v.sku LIKE ? ESCAPE '\\')";
            values.push_back(p);
        }
        sql += ")";
    }
    return sql;
}

json variants_of(store::Db& db, const std::string& connection_id, const std::string& product_id) {
    store::Stmt st(db,
                   "SELECT platform_id, sku, title, price, inventory FROM variants"
                   " WHERE connection_id = ? AND product_id = ? ORDER BY rowid");
    st.bind_all(connection_id, product_id);
    json out = json::array();
    while (st.step())
        out.push_back({{"id", st.text(0)},
                       {"sku", st.text(1)},
                       {"title", st.text(2)},
                       {"price", st.is_null(3) ? json(nullptr) : json(st.text(3))},
                       {"inventory", st.is_null(4) ? json(nullptr) : json(st.i64(4))}});
    return out;
}

Result<Response> list(App& app, const Listing& l) {
    std::vector<std::string> values;
    std::string where = where_clause(l, values);
    auto db = app.store->lease();
    store::Stmt count(*db, "SELECT COUNT(*)" + where);
    for (size_t i = 0; i < values.size(); ++i) count.bind(int(i + 1), values[i]);
    count.step();
    int64_t total = count.i64(0);

    // platform_id breaks ties so that pages never overlap or skip.
    store::Stmt st(*db, "SELECT r.connection_id, c.platform, r.platform_id, r.data_json, r.synced_at" + where +
                                  " ORDER BY " + l.order_by + (l.descending ? " DESC" : " ASC") +
                                  ", r.connection_id, r.platform_id LIMIT ? OFFSET ?");
    int i = 0;
    for (const std::string& v : values) st.bind(++i, v);
    st.bind(++i, int64_t(l.per_page));
    st.bind(++i, int64_t(l.page - 1) * l.per_page);
    json items = json::array();
    while (st.step()) {
        json item = json::parse(st.text(3), nullptr, false);
        if (!item.is_object()) item = json::object();
        item["id"] = st.text(2);
        item["connection_id"] = st.text(0);
        item["platform"] = st.text(1);
        item["synced_at"] = iso8601(st.i64(4));
        if (l.resource == "products") item["variants"] = variants_of(*db, st.text(0), st.text(2));
        items.push_back(std::move(item));
    }
    return Response::json({{"items", items}, {"total", total}, {"page", l.page}, {"per_page", l.per_page}});
}

Result<Response> products(App& app, const Call& c) {
    auto l = read_listing(app, c, "products");
    if (!l) return l.problem();
    return list(app, *l);
}

Result<Response> records(App& app, const Call& c) {
    std::string resource = c.req.query_value("resource");
    if (!connectors::parse_resource(resource))
        return unprocessable({{"resource", "must be products, orders, calls, contacts, payments or refunds"}});
    auto l = read_listing(app, c, resource);
    if (!l) return l.problem();
    return list(app, *l);
}

}  // namespace

void add_record_routes(http::Router& r, App& app) {
    r.add({"GET", "/api/v1/orgs/{org_id}/products", Access::User, Body::None, with_app(app, products)});
    r.add({"GET", "/api/v1/orgs/{org_id}/records", Access::User, Body::None, with_app(app, records)});
}

}  // namespace onramp::api
