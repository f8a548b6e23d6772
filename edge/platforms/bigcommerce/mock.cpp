// The mock BigCommerce API under /bigcommerce (standing in for
// https://api.bigcommerce.com), one store: demo::kBigCommerceStoreHash.
//
//   GET /stores/{hash}/v2/store                  store information       scope store_v2_information_read_only
//   GET /stores/{hash}/v2/time                   {"time": unix}          (no scope)
//   GET /stores/{hash}/v3/catalog/products       meta.pagination, links  scope store_v2_products_read_only
//       ?page&limit(≤250, else 413)&include=variants&sort=id&direction&id:greater&id:less
//       &date_modified:min&date_modified:max
//       (limit 1..250 else 413 over, 400 under; dates ISO 8601, direction asc|desc, sort one
//       of the listed fields, else 422 naming the filter)
//   GET /stores/{hash}/v3/catalog/products/{id}  {"data": {...}}
//   GET /stores/{hash}/v3/inventory/locations    one location            scope store_inventory_read_only
//   GET /stores/{hash}/v2/orders                 bare array, 204 empty   scope store_v2_orders_read_only
//       ?page&limit(≤250)&sort=id:asc|id:desc&min_id&max_id&min_date_modified&max_date_modified
//       (limit 1..250; dates RFC 2822 or ISO 8601; sort field:asc|desc of the listed fields,
//       else 400 [{status, message}])
//   GET /stores/{hash}/v2/orders/{id}[/products]
//
// Order of checks, as the platform: unknown store 404, bad X-Auth-Token 401,
// quota (mock_limits.h; X-Rate-Limit-* on every answer, 429 when spent),
// scope 403.
// Ids: product index i → id i+1, variant k → 3i+k+1, order index i → id 100+i.
#include <cmath>
#include <ctime>
#include <set>

#include "edge/mock/internal.h"
#include "edge/platforms/bigcommerce/mock_limits.h"

namespace onramp::platforms::bigcommerce {

std::optional<MockQuota> parse_mock_quota(const std::string& text) {
    auto pair = mock::positive_pair(text);
    if (!pair) return std::nullopt;
    auto [requests, window_ms] = *pair;
    if (requests != std::floor(requests) || window_ms != std::floor(window_ms)) return std::nullopt;
    if (requests < 1 || requests > 1e9 || window_ms < 1 || window_ms > 1e12) return std::nullopt;
    return MockQuota{int(requests), int64_t(window_ms)};
}

MockQuota mock_quota(const mock::Options& o) {
    // The mock refuses options whose knob does not parse (mock::knob_problem()).
    return parse_mock_quota(mock::knob_text(o, kQuotaKnob, kQuotaDefault)).value_or(MockQuota{});
}

}  // namespace onramp::platforms::bigcommerce

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "bigcommerce";
constexpr const char* kStatusType = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes";
constexpr int64_t kFirstOrderId = 100;

http::Response error(int status, const std::string& title, double retry_after_s) {
    http::Response r = reply({{"status", status}, {"title", title}, {"type", kStatusType}, {"errors", json::object()}},
                             status);
    if (status == 429) {
        int64_t ms = int64_t(std::ceil(retry_after_s * 1000));
        r.set_header("X-Rate-Limit-Requests-Left", "0");
        r.set_header("X-Rate-Limit-Time-Reset-Ms", std::to_string(ms));
        r.set_header("X-Retry-After", std::to_string((ms + 999) / 1000));
    }
    return r;
}

// A query filter the v3 endpoint refuses: 422 with the filter named in
// errors, the shape of BigCommerce's v3 error responses
// (https://developer.bigcommerce.com/docs/start/about/status-codes).
http::Response invalid_filter(const std::string& name, const std::string& why) {
    return reply({{"status", 422},
                  {"title", "The filter(s): " + name + " are not valid."},
                  {"type", kStatusType},
                  {"errors", {{name, why}}}},
                 422);
}

// A date v2 accepts in its date filters: RFC 2822 or ISO 8601
// (https://developer.bigcommerce.com/docs/rest-management/orders#get-all-orders).
bool v2_date(const std::string& v) {
    if (iso8601_date_time(v)) return true;
    std::tm tm{};
    const char* end = strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S %z", &tm);
    return end && *end == '\0';
}

// v2 endpoints answer errors as an array of {status, message}.
http::Response error_v2(int status, const std::string& message) {
    return reply(json::array({{{"status", status}, {"message", message}}}), status);
}

void rate_headers(http::Response& r, const WindowTake& t, const platforms::bigcommerce::MockQuota& quota) {
    r.set_header("X-Rate-Limit-Time-Window-Ms", std::to_string(quota.window_ms));
    r.set_header("X-Rate-Limit-Time-Reset-Ms", std::to_string(t.reset_ms));
    r.set_header("X-Rate-Limit-Requests-Quota", std::to_string(quota.requests));
    r.set_header("X-Rate-Limit-Requests-Left", std::to_string(t.left));
}

// The checks every store endpoint makes before its own work.
http::Response gated(State& s, const http::Request& req, const char* scope,
                     const std::function<http::Response()>& work) {
    if (req.param("hash") != demo::kBigCommerceStoreHash) return error(404, "Store not found.", 0);
    if (req.header("X-Auth-Token") != demo::kBigCommerceToken || revoked(s, kPlatform))
        return error(401, "No valid credential was supplied.", 0);
    platforms::bigcommerce::MockQuota quota = platforms::bigcommerce::mock_quota(s.options);
    WindowTake t = window_take(s, kPlatform, quota.requests, quota.window_ms);
    http::Response r;
    if (!t.allowed) {
        r = error(429, "Too many requests: the store's API quota is used up for this window.",
                  double(t.reset_ms) / 1000.0);
        r.set_header("X-Retry-After", std::to_string((t.reset_ms + 999) / 1000));
    } else if (scope && scope_missing(s, kPlatform, scope)) {
        r = error(403, "You don't have a required scope to access the endpoint", 0);
    } else {
        r = work();
    }
    rate_headers(r, t, quota);
    return r;
}

json store_json() {
    return {{"id", demo::kBigCommerceStoreHash},
            {"account_uuid", "4c3b2a19-8e7d-4f6a-9b5c-0d1e2f3a4b5c"},
            {"domain", "onramp-demo.mybigcommerce.com"},
            {"secure_url", "https://onramp-demo.mybigcommerce.com"},
            {"control_panel_base_url", "https://store-onrampdemo.mybigcommerce.com"},
            {"status", "live"},
            {"name", "Onramp Demo Store"},
            {"first_name", "Dana"},
            {"last_name", "Demo"},
            {"address", "100 Congress Ave\nAustin, Texas 78701\nUnited States"},
            {"country", "United States"},
            {"country_code", "US"},
            {"phone", "+1 512 555 0100"},
            {"admin_email", "owner@onramp-demo.test"},
            {"order_email", "orders@onramp-demo.test"},
            {"favicon_url", ""},
            {"timezone",
             {{"name", "America/Chicago"},
              {"raw_offset", -21600},
              {"dst_offset", -18000},
              {"dst_correction", true},
              {"date_format", {{"display", "jS M Y"}, {"export", "M jS Y"}, {"extended_display", "M jS Y @ g:i A"}}}}},
            {"language", "en"},
            {"currency", "USD"},
            {"currency_symbol", "$"},
            {"decimal_separator", "."},
            {"thousands_separator", ","},
            {"decimal_places", 2},
            {"currency_symbol_location", "left"},
            {"weight_units", "LBS"},
            {"dimension_units", "Inches"},
            {"dimension_decimal_places", 2},
            {"dimension_decimal_token", "."},
            {"dimension_thousands_token", ","},
            {"plan_name", "Standard"},
            {"plan_level", "Standard"},
            {"plan_is_trial", false},
            {"industry", "Home & Garden"},
            {"logo", json::array()},
            {"is_price_entered_with_tax", false},
            {"store_id", 1001234},
            {"default_channel_id", 1},
            {"default_site_id", 1000},
            {"active_comparison_modules", json::array()},
            {"features",
             {{"stencil_enabled", true},
              {"sitewidehttps_enabled", true},
              {"facebook_catalog_id", ""},
              {"checkout_type", "optimized"},
              {"wishlists_enabled", true},
              {"graphql_storefront_api_enabled", true},
              {"shopper_consent_tracking_enabled", false},
              {"multi_storefront_enabled", false},
              {"storefront_limits", {{"active", 1}, {"total_including_inactive", 1}}}}}};
}

double dollars(int64_t cents) { return double(cents) / 100.0; }

json product_json(const Product& p, bool with_variants) {
    int64_t id = p.index + 1;
    json j = {{"id", id},
              {"name", p.title},
              {"type", "physical"},
              {"sku", p.sku},
              {"description", p.description},
              {"weight", 1.5},
              {"price", dollars(p.price_cents)},
              {"cost_price", 0},
              {"retail_price", 0},
              {"sale_price", 0},
              {"calculated_price", dollars(p.price_cents)},
              {"categories", json::array({23})},
              {"brand_id", 0},
              {"inventory_level", 0},
              {"inventory_tracking", "variant"},
              {"is_visible", p.active},
              {"is_featured", false},
              {"availability", p.active ? "available" : "disabled"},
              {"date_created", iso8601_offset(p.created_at, 0)},
              {"date_modified", iso8601_offset(p.updated_at, 0)}};
    int total = 0;
    json variants = json::array();
    for (const Variant& v : p.variants) {
        total += v.inventory;
        variants.push_back({{"id", p.index * kVariantsPerProduct + v.k + 1},
                            {"product_id", id},
                            {"sku", v.sku},
                            {"sku_id", p.index * kVariantsPerProduct + v.k + 1},
                            {"price", dollars(v.price_cents)},
                            {"calculated_price", dollars(v.price_cents)},
                            {"inventory_level", v.inventory},
                            {"option_values",
                             json::array({{{"id", 60 + v.k},
                                           {"label", v.option_value},
                                           {"option_id", 7},
                                           {"option_display_name", v.option_name}}})}});
    }
    j["inventory_level"] = total;
    if (with_variants) j["variants"] = variants;
    return j;
}

std::string v2_money(int64_t cents) { return money(cents) + "00"; }

json order_json(const Dataset& d, const Order& o, const std::string& self) {
    int64_t id = kFirstOrderId + o.index;
    size_t at = o.email.find('@');
    std::string name = o.email.substr(0, at);
    std::string status = o.status == "paid" ? "Awaiting Fulfillment" : o.status == "refunded" ? "Refunded" : "Pending";
    int status_id = o.status == "paid" ? 11 : o.status == "refunded" ? 4 : 1;
    int items = 0;
    for (const OrderLine& l : o.lines) items += l.quantity;
    return {{"id", id},
            {"customer_id", 0},
            {"date_created", rfc2822(o.created_at)},
            {"date_modified", rfc2822(o.updated_at)},
            {"date_shipped", ""},
            {"status_id", status_id},
            {"status", status},
            {"subtotal_ex_tax", v2_money(o.total_cents)},
            {"subtotal_inc_tax", v2_money(o.total_cents)},
            {"total_ex_tax", v2_money(o.total_cents)},
            {"total_inc_tax", v2_money(o.total_cents)},
            {"items_total", items},
            {"payment_status", o.status == "refunded" ? "refunded" : "captured"},
            {"currency_code", "USD"},
            {"billing_address", {{"first_name", name}, {"last_name", ""}, {"email", o.email}, {"country", "United States"}}},
            {"products",
             {{"url", self + "/bigcommerce/stores/" + demo::kBigCommerceStoreHash + "/v2/orders/" + std::to_string(id) +
                          "/products"},
              {"resource", "/orders/" + std::to_string(id) + "/products"}}}};
}

json order_lines_json(const Dataset& d, const Order& o) {
    json out = json::array();
    int n = 0;
    for (const OrderLine& l : o.lines) {
        Product p = d.product(l.product);
        const Variant& v = p.variants[size_t(l.variant)];
        out.push_back({{"id", (kFirstOrderId + o.index) * 10 + n++},
                       {"order_id", kFirstOrderId + o.index},
                       {"product_id", l.product + 1},
                       {"variant_id", l.product * kVariantsPerProduct + l.variant + 1},
                       {"name", p.title + " - " + v.option_value},
                       {"sku", v.sku},
                       {"quantity", l.quantity},
                       {"price_ex_tax", v2_money(l.price_cents)},
                       {"price_inc_tax", v2_money(l.price_cents)}});
    }
    return out;
}

bool digits(const std::string& s) { return !s.empty() && s.size() <= 12 && s.find_first_not_of("0123456789") == std::string::npos; }

// The query parameters of a page link, as BigCommerce writes them.
std::string page_link(int64_t page, int64_t limit) {
    return "?page=" + std::to_string(page) + "&limit=" + std::to_string(limit);
}

http::Response list_products(State& s, const http::Request& req) {
    std::string raw_limit = q(req, "limit");
    if (digits(raw_limit) && std::stoll(raw_limit) > 250)
        return error(413, "The limit may be at most 250.", 0);
    int64_t limit = q_int(req, "limit", 50, 250);
    int64_t page = q_int(req, "page", 1, 1000000000);
    if (limit < 0 || page < 0) return error(400, "The page and limit parameters must be positive numbers.", 0);
    std::string greater = q(req, "id:greater"), less = q(req, "id:less");
    if ((!greater.empty() && !digits(greater)) || (!less.empty() && !digits(less)))
        return error(422, "id:greater and id:less must be product ids.", 0);
    // Get All Products' filters
    // (https://developer.bigcommerce.com/docs/rest-catalog/products#get-all-products).
    for (const char* name : {"date_modified:min", "date_modified:max"}) {
        std::string v = q(req, name);
        if (!v.empty() && !iso8601_date_time(v)) return invalid_filter(name, "must be an ISO 8601 date-time");
    }
    static const std::set<std::string> kSorts = {"id",          "name",           "sku",         "price",
                                                 "date_modified", "date_last_imported", "inventory_level",
                                                 "is_visible",  "total_sold",     "calculated_price"};
    std::string sort = q(req, "sort"), direction = q(req, "direction");
    if (!sort.empty() && !kSorts.count(sort)) return invalid_filter("sort", "is not one of the sortable fields");
    if (!direction.empty() && direction != "asc" && direction != "desc")
        return invalid_filter("direction", "must be asc or desc");
    int64_t after = q_time(req, "date_modified:min"), before = q_time(req, "date_modified:max");
    bool variants = q(req, "include").find("variants") != std::string::npos;
    bool desc = q(req, "direction") == "desc";

    const Dataset& d = s.data;
    int64_t n = d.count(Kind::product);
    int64_t lo = greater.empty() ? 0 : std::min<int64_t>(n, std::stoll(greater));  // id > g  ⇔  index ≥ g
    int64_t hi = less.empty() ? n : std::min<int64_t>(n, std::max<int64_t>(0, std::stoll(less) - 1));
    int64_t total = 0, skip = (page - 1) * limit;
    json data = json::array();
    for (int64_t k = 0; k < hi - lo; ++k) {
        int64_t i = desc ? hi - 1 - k : lo + k;
        int64_t u = d.updated_at(Kind::product, i);
        if ((after >= 0 && u < after) || (before >= 0 && u > before)) continue;
        if (total >= skip && int64_t(data.size()) < limit) data.push_back(product_json(d.product(i), variants));
        ++total;
    }
    int64_t pages = std::max<int64_t>(1, (total + limit - 1) / limit);
    json links = {{"current", page_link(page, limit)}};
    if (page > 1) links["previous"] = page_link(page - 1, limit);
    if (page < pages) links["next"] = page_link(page + 1, limit);
    json meta = {{"pagination",
                  {{"total", total},
                   {"count", data.size()},
                   {"per_page", limit},
                   {"current_page", page},
                   {"total_pages", pages},
                   {"links", links}}}};
    return reply({{"data", data}, {"meta", meta}});
}

http::Response get_product(State& s, const http::Request& req) {
    std::string id = req.param("id");
    if (!digits(id) || std::stoll(id) < 1 || std::stoll(id) > s.data.count(Kind::product))
        return error(404, "The requested resource was not found.", 0);
    bool variants = q(req, "include").find("variants") != std::string::npos;
    return reply({{"data", product_json(s.data.product(std::stoll(id) - 1), variants)}, {"meta", json::object()}});
}

http::Response list_orders(State& s, const http::Request& req) {
    int64_t limit = q_int(req, "limit", 50, 250);
    int64_t page = q_int(req, "page", 1, 1000000000);
    if (limit < 0 || page < 0) return error_v2(400, "The page and limit parameters must be positive numbers.");
    std::string min_id = q(req, "min_id"), max_id = q(req, "max_id");
    if ((!min_id.empty() && !digits(min_id)) || (!max_id.empty() && !digits(max_id)))
        return error_v2(400, "min_id and max_id must be order ids.");
    for (const char* name : {"min_date_modified", "max_date_modified"}) {
        std::string v = q(req, name);
        if (!v.empty() && !v2_date(v))
            return error_v2(400, std::string("The field '") + name + "' is invalid: use an RFC 2822 or ISO 8601 date.");
    }
    static const std::set<std::string> kSorts = {"id", "customer_id", "date_created", "date_modified", "status_id",
                                                 "channel_id", "external_id"};
    std::string sort = q(req, "sort");
    size_t colon = sort.find(':');
    std::string field = sort.substr(0, colon), way = colon == std::string::npos ? "asc" : sort.substr(colon + 1);
    if (!sort.empty() && (!kSorts.count(field) || (way != "asc" && way != "desc")))
        return error_v2(400, "The field 'sort' is invalid: use a field name with :asc or :desc.");
    int64_t after = q_time(req, "min_date_modified"), before = q_time(req, "max_date_modified");
    bool desc = sort == "id:desc";

    const Dataset& d = s.data;
    int64_t n = d.count(Kind::order);
    int64_t lo = min_id.empty() ? 0 : std::clamp<int64_t>(std::stoll(min_id) - kFirstOrderId, 0, n);
    int64_t hi = max_id.empty() ? n : std::clamp<int64_t>(std::stoll(max_id) - kFirstOrderId + 1, 0, n);
    int64_t seen = 0, skip = (page - 1) * limit;
    json out = json::array();
    std::string self = self_url(req);
    for (int64_t k = 0; k < hi - lo && int64_t(out.size()) < limit; ++k) {
        int64_t i = desc ? hi - 1 - k : lo + k;
        int64_t u = d.updated_at(Kind::order, i);
        if ((after >= 0 && u < after) || (before >= 0 && u > before)) continue;
        if (seen++ >= skip) out.push_back(order_json(d, d.order(i), self));
    }
    if (out.empty()) return http::Response::empty(204);
    return reply(out);
}

std::optional<int64_t> order_index(State& s, const http::Request& req) {
    std::string id = req.param("id");
    if (!digits(id)) return std::nullopt;
    int64_t i = std::stoll(id) - kFirstOrderId;
    if (i < 0 || i >= s.data.count(Kind::order)) return std::nullopt;
    return i;
}

}  // namespace

void add_bigcommerce(http::Router& r, State& s) {
    const std::string base = "/bigcommerce/stores/{hash}";
    auto route = [&](const std::string& pattern, const char* scope,
                     std::function<http::Response(State&, const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, "GET", base + pattern, [&s, scope, fn](const http::Request& req) {
            return gated(s, req, scope, [&] { return fn(s, req); });
        });
    };
    route("/v2/store", "store_v2_information_read_only",
          [](State&, const http::Request&) { return reply(store_json()); });
    route("/v2/time", nullptr, [](State&, const http::Request&) { return reply({{"time", int64_t(std::time(nullptr))}}); });
    route("/v3/catalog/products", "store_v2_products_read_only", list_products);
    route("/v3/catalog/products/{id}", "store_v2_products_read_only", get_product);
    route("/v3/inventory/locations", "store_inventory_read_only", [](State&, const http::Request&) {
        json loc = {{"id", 1},         {"code", "BC-LOCATION-1"}, {"label", "Default location"},
                    {"enabled", true}, {"type_id", "PHYSICAL"},   {"managed_by_external_source", false}};
        json meta = {{"pagination",
                      {{"total", 1}, {"count", 1}, {"per_page", 50}, {"current_page", 1}, {"total_pages", 1},
                       {"links", {{"current", "?page=1&limit=50"}}}}}};
        return reply({{"data", json::array({loc})}, {"meta", meta}});
    });
    route("/v2/orders", "store_v2_orders_read_only", list_orders);
    route("/v2/orders/{id}", "store_v2_orders_read_only", [](State& st, const http::Request& req) {
        auto i = order_index(st, req);
        if (!i) return error_v2(404, "The requested resource was not found.");
        return reply(order_json(st.data, st.data.order(*i), self_url(req)));
    });
    route("/v2/orders/{id}/products", "store_v2_orders_read_only", [](State& st, const http::Request& req) {
        auto i = order_index(st, req);
        if (!i) return error_v2(404, "The requested resource was not found.");
        return reply(order_lines_json(st.data, st.data.order(*i)));
    });
}

}  // namespace onramp::mock
