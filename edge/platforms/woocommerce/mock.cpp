// The mock WooCommerce REST API v3 under /woocommerce (standing in for the
// store's site URL), one store: demo::kWooSite.
//
//   GET /wp-json/                                   site index (no auth)
//   GET /wp-json/wc/v3/system_status                scope "read" stands for the key's user
//   GET /wp-json/wc/v3/products[/{id}]              ?per_page(≤100)&page&orderby=id&order
//   GET /wp-json/wc/v3/products/{id}/variations        &modified_after&modified_before
//                                                   (dates RFC 3339; order asc|desc; orderby
//                                                   one of the schema's values: else 400
//                                                   rest_invalid_param)
//   GET /wp-json/wc/v3/orders[/{id}]
//
// Auth as WooCommerce over HTTPS: HTTP Basic consumer_key:consumer_secret,
// or ?consumer_key=&consumer_secret= when a server strips Authorization.
// Errors in the WP REST shape {"code", "message", "data": {"status"}}.
// Pagination: X-WP-Total, X-WP-TotalPages and an RFC 8288 Link header.
// WooCommerce core has no rate limit; 429s only come from injected faults.
// Ids: product index i → 1000+i, its variations 500000+3i+k, order index
// i → 2000+i.
#include <regex>
#include <set>

#include "edge/crypto/encoding.h"
#include "edge/mock/internal.h"

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "woocommerce";
constexpr int64_t kProductBase = 1000;
constexpr int64_t kVariationBase = 500000;
constexpr int64_t kOrderBase = 2000;

http::Response wp_error(int status, const std::string& code, const std::string& message) {
    return reply({{"code", code}, {"message", message}, {"data", {{"status", status}}}}, status);
}

// A query parameter the route's schema refuses, as the WP REST API
// answers it (rest_invalid_param, the parameter named in data.params).
http::Response invalid_param(const std::string& name, const std::string& why) {
    return reply({{"code", "rest_invalid_param"},
                  {"message", "Invalid parameter(s): " + name},
                  {"data", {{"status", 400}, {"params", {{name, why}}}}}},
                 400);
}

// A date-time as the WP REST API's schema accepts it (rest_parse_date: RFC
// 3339, the zone optional).
bool rfc3339(const std::string& v) {
    static const std::regex kDate(R"(^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+-]\d{2}:\d{2})?$)");
    return std::regex_match(v, kDate);
}

http::Response error(int status, const std::string& message, double retry_after_s) {
    http::Response r = wp_error(status, status == 429 ? "too_many_requests" : "internal_server_error", message);
    if (status == 429) r.set_header("Retry-After", std::to_string(int(std::ceil(retry_after_s))));
    return r;
}

// The consumer key and secret from Basic auth or the query string.
std::pair<std::string, std::string> keys_of(const http::Request& req) {
    std::string h = req.header("Authorization");
    if (h.rfind("Basic ", 0) == 0) {
        auto decoded = crypto::base64_decode(h.substr(6));
        if (decoded) {
            size_t colon = decoded->find(':');
            if (colon != std::string::npos) return {decoded->substr(0, colon), decoded->substr(colon + 1)};
        }
    }
    return {q(req, "consumer_key"), q(req, "consumer_secret")};
}

http::Response gated(State& s, const http::Request& req, const std::function<http::Response()>& work) {
    auto [key, secret] = keys_of(req);
    if (key.empty()) return wp_error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    if (key != demo::kWooKey || revoked(s, kPlatform))
        return wp_error(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
    if (secret != demo::kWooSecret)
        return wp_error(401, "woocommerce_rest_authentication_error",
                        "Invalid signature - provided signature does not match.");
    if (scope_missing(s, kPlatform, "read"))
        return wp_error(403, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    return work();
}

std::string gmt(int64_t t) {
    std::string iso = iso8601(t);
    return iso.substr(0, iso.size() - 1);  // WooCommerce's *_gmt fields carry no zone
}

json variation_json(const Product& p, const Variant& v) {
    return {{"id", kVariationBase + p.index * kVariantsPerProduct + v.k},
            {"sku", v.sku},
            {"price", money(v.price_cents)},
            {"regular_price", money(v.price_cents)},
            {"sale_price", ""},
            {"stock_quantity", v.inventory},
            {"stock_status", v.inventory > 0 ? "instock" : "outofstock"},
            {"manage_stock", true},
            {"date_created_gmt", gmt(p.created_at)},
            {"date_modified_gmt", gmt(p.updated_at)},
            {"attributes", json::array({{{"id", 1}, {"name", v.option_name}, {"option", v.option_value}}})}};
}

json product_json(const Product& p) {
    int64_t id = kProductBase + p.index;
    json variations = json::array();
    for (const Variant& v : p.variants) variations.push_back(kVariationBase + p.index * kVariantsPerProduct + v.k);
    std::string slug = p.title;
    for (char& c : slug) c = c == ' ' ? '-' : char(std::tolower(static_cast<unsigned char>(c)));
    return {{"id", id},
            {"name", p.title},
            {"slug", slug},
            {"permalink", std::string(demo::kWooSite) + "/product/" + slug + "/"},
            {"date_created", gmt(p.created_at)},
            {"date_created_gmt", gmt(p.created_at)},
            {"date_modified", gmt(p.updated_at)},
            {"date_modified_gmt", gmt(p.updated_at)},
            {"type", "variable"},
            {"status", p.active ? "publish" : "draft"},
            {"description", p.description},
            {"short_description", ""},
            {"sku", p.sku},
            {"price", money(p.price_cents)},
            {"regular_price", ""},
            {"manage_stock", false},
            {"stock_quantity", nullptr},
            {"categories", json::array({{{"id", 9}, {"name", p.product_type}, {"slug", p.product_type}}})},
            {"attributes",
             json::array({{{"id", 1}, {"name", "Size"}, {"variation", true}, {"options", {"Small", "Medium", "Large"}}}})},
            {"variations", variations}};
}

json order_json(const Dataset& d, const Order& o) {
    int64_t id = kOrderBase + o.index;
    json lines = json::array();
    int n = 0;
    for (const OrderLine& l : o.lines) {
        Product p = d.product(l.product);
        const Variant& v = p.variants[size_t(l.variant)];
        lines.push_back({{"id", id * 10 + n++},
                         {"name", p.title + " - " + v.option_value},
                         {"product_id", kProductBase + l.product},
                         {"variation_id", kVariationBase + l.product * kVariantsPerProduct + l.variant},
                         {"quantity", l.quantity},
                         {"sku", v.sku},
                         {"price", double(l.price_cents) / 100.0},
                         {"total", money(l.price_cents * l.quantity)}});
    }
    std::string status = o.status == "paid" ? "processing" : o.status == "refunded" ? "refunded" : "pending";
    return {{"id", id},
            {"number", std::to_string(id)},
            {"status", status},
            {"currency", "USD"},
            {"date_created_gmt", gmt(o.created_at)},
            {"date_modified_gmt", gmt(o.updated_at)},
            {"total", money(o.total_cents)},
            {"billing", {{"email", o.email}, {"country", "US"}}},
            {"line_items", lines}};
}

struct Listing {
    Kind kind;
    std::string path;  // for Link headers, under /wp-json
};

http::Response list(State& s, const http::Request& req, const Listing& what) {
    int64_t per_page = q_int(req, "per_page", 10, 100);
    int64_t page = q_int(req, "page", 1, 1000000);
    if (per_page < 0)
        return wp_error(400, "rest_invalid_param", "Invalid parameter(s): per_page (per_page must be between 1 (inclusive) and 100 (inclusive))");
    if (page < 0) return wp_error(400, "rest_invalid_param", "Invalid parameter(s): page");
    for (const char* name : {"modified_after", "modified_before"}) {
        std::string v = q(req, name);
        if (!v.empty() && !rfc3339(v)) return invalid_param(name, "Invalid date.");
    }
    // The schemas' enums: products sort by more keys than orders do.
    static const std::set<std::string> kOrders = {"date", "modified", "id", "include", "title", "slug"};
    static const std::set<std::string> kProducts = {"date",  "modified", "id",         "include",    "title",
                                                    "slug",  "price",    "popularity", "rating",     "menu_order"};
    std::string order = q(req, "order"), orderby = q(req, "orderby");
    if (!order.empty() && order != "asc" && order != "desc")
        return invalid_param("order", "order is not one of asc, desc.");
    if (!orderby.empty() && !(what.kind == Kind::product ? kProducts : kOrders).count(orderby))
        return invalid_param("orderby", "orderby is not one of its values.");
    int64_t after = q_time(req, "modified_after"), before = q_time(req, "modified_before");
    bool desc = q(req, "order") == "desc";
    const Dataset& d = s.data;
    int64_t n = d.count(what.kind);
    json items = json::array();
    int64_t total = 0, skip = (page - 1) * per_page;
    for (int64_t k = 0; k < n; ++k) {
        int64_t i = desc ? n - 1 - k : k;
        int64_t u = d.updated_at(what.kind, i);
        if ((after >= 0 && u <= after) || (before >= 0 && u >= before)) continue;
        if (total >= skip && int64_t(items.size()) < per_page)
            items.push_back(what.kind == Kind::product ? product_json(d.product(i)) : order_json(d, d.order(i)));
        ++total;
    }
    int64_t pages = (total + per_page - 1) / per_page;
    if (page > std::max<int64_t>(1, pages))
        return wp_error(400, "rest_post_invalid_page_number",
                        "The page number requested is larger than the number of pages available.");
    http::Response r = reply(items);
    r.set_header("X-WP-Total", std::to_string(total));
    r.set_header("X-WP-TotalPages", std::to_string(pages));
    std::string base = self_url(req) + "/woocommerce/wp-json" + what.path + "?per_page=" + std::to_string(per_page) + "&page=";
    std::string link;
    if (page > 1) link += "<" + base + std::to_string(page - 1) + ">; rel=\"prev\"";
    if (page < pages) link += std::string(link.empty() ? "" : ", ") + "<" + base + std::to_string(page + 1) + ">; rel=\"next\"";
    if (!link.empty()) r.set_header("Link", link);
    return r;
}

int64_t index_of(const std::string& id, int64_t base, int64_t count) {
    if (id.empty() || id.size() > 12 || id.find_first_not_of("0123456789") != std::string::npos) return -1;
    int64_t i = std::stoll(id) - base;
    return i >= 0 && i < count ? i : -1;
}

http::Response not_found() { return wp_error(404, "woocommerce_rest_invalid_id", "Invalid ID."); }

}  // namespace

void add_woocommerce(http::Router& r, State& s) {
    const std::string wp = "/woocommerce/wp-json";
    auto route = [&](const std::string& pattern, std::function<http::Response(State&, const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, "GET", wp + pattern, [&s, fn](const http::Request& req) {
            return gated(s, req, [&] { return fn(s, req); });
        });
    };
    add_route(r, s, kPlatform, error, "GET", wp, [](const http::Request&) {
        return reply({{"name", "Onramp Demo Store"},
                      {"description", "Just another WooCommerce store"},
                      {"url", demo::kWooSite},
                      {"home", demo::kWooSite},
                      {"gmt_offset", "0"},
                      {"timezone_string", "UTC"},
                      {"namespaces", {"oembed/1.0", "wc/v3", "wc/store/v1", "wp/v2"}},
                      {"authentication", json::object()}});
    });
    route("/wc/v3/system_status", [](State&, const http::Request&) {
        return reply({{"environment",
                       {{"home_url", demo::kWooSite},
                        {"site_url", demo::kWooSite},
                        {"version", "8.9.3"},
                        {"wp_version", "6.5.4"},
                        {"wp_multisite", false},
                        {"language", "en_US"}}},
                      {"database", {{"wc_database_version", "8.9.3"}}},
                      {"active_plugins", json::array({{{"plugin", "woocommerce/woocommerce.php"}, {"name", "WooCommerce"}}})},
                      {"theme", {{"name", "Storefront"}}},
                      {"settings", {{"api_enabled", true}, {"currency", "USD"}, {"currency_symbol", "&#36;"}}},
                      {"security", {{"secure_connection", true}, {"hide_errors", true}}},
                      {"pages", json::array()}});
    });
    route("/wc/v3/products", [](State& st, const http::Request& req) {
        return list(st, req, {Kind::product, "/wc/v3/products"});
    });
    route("/wc/v3/products/{id}", [](State& st, const http::Request& req) {
        int64_t i = index_of(req.param("id"), kProductBase, st.data.count(Kind::product));
        return i < 0 ? not_found() : reply(product_json(st.data.product(i)));
    });
    route("/wc/v3/products/{id}/variations", [](State& st, const http::Request& req) {
        int64_t i = index_of(req.param("id"), kProductBase, st.data.count(Kind::product));
        if (i < 0) return not_found();
        Product p = st.data.product(i);
        json out = json::array();
        for (const Variant& v : p.variants) out.push_back(variation_json(p, v));
        http::Response r = reply(out);
        r.set_header("X-WP-Total", std::to_string(out.size()));
        r.set_header("X-WP-TotalPages", "1");
        return r;
    });
    route("/wc/v3/orders", [](State& st, const http::Request& req) {
        return list(st, req, {Kind::order, "/wc/v3/orders"});
    });
    route("/wc/v3/orders/{id}", [](State& st, const http::Request& req) {
        int64_t i = index_of(req.param("id"), kOrderBase, st.data.count(Kind::order));
        return i < 0 ? not_found() : reply(order_json(st.data, st.data.order(i)));
    });
}

}  // namespace onramp::mock
