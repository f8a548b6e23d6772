// The mock Shopify Admin REST API under /shopify/{shop_domain} (standing in
// for https://{shop_domain}), one shop: demo::kShopifyDomain.
//
//   GET /admin/api/{version}/shop.json              {"shop": {...}}            (no scope)
//   GET /admin/oauth/access_scopes.json             {"access_scopes": [{"handle"}]}
//   GET /admin/api/{version}/products.json          read_products
//       ?limit(≤250)&since_id&updated_at_min&updated_at_max | ?limit&page_info
//   GET /admin/api/{version}/products/count.json    read_products {"count"}, the list's filters
//   GET /admin/api/{version}/products/{id}.json     read_products
//   GET /admin/api/{version}/orders.json            read_orders   (status=any, else open only)
//   GET /admin/api/{version}/orders/count.json      read_orders   {"count"}, the list's filters
//   GET /admin/api/{version}/orders/{id}.json       read_orders
//   DELETE /admin/api_permissions/current.json      → 200 {}: the token is given up and
//                                                    answers 401 from then on (until an OAuth
//                                                    install grants it again, oauth.cpp)
//
// Pagination as Shopify's: a Link header with rel="previous"/rel="next"
// absolute URLs carrying an opaque page_info; with page_info only limit
// and fields may be sent (filters travel inside it), else 400.
// Filters as the REST Admin API's Product and Order resources document
// them (https://shopify.dev/docs/api/admin-rest/latest/resources/product,
// .../resources/order): updated_at_min/updated_at_max ISO 8601, products'
// status active|archived|draft, orders' status open|closed|cancelled|any,
// else 400 {"errors": {"<param>": [why]}}.
// Rate limit as Shopify's: a leaky bucket per app and shop (mock_limits.h),
// reported in X-Shopify-Shop-Api-Call-Limit on every answer; 429 with
// Retry-After "2.0".
// Ids: product index i → 7000000000+i, variant → 40000000000+3i+k,
// order index i → 5000000000+i (order_number 1001+i).
#include <cmath>

#include "edge/crypto/encoding.h"
#include "edge/mock/internal.h"
#include "edge/platforms/shopify/mock_limits.h"

namespace onramp::platforms::shopify {

std::optional<MockBucket> parse_mock_bucket(const std::string& text) {
    auto pair = mock::positive_pair(text);
    if (!pair) return std::nullopt;
    auto [size, leak_per_s] = *pair;
    if (size != std::floor(size) || size < 1 || size > 1e9) return std::nullopt;
    return MockBucket{int(size), leak_per_s};
}

MockBucket mock_bucket(const mock::Options& o) {
    // The mock refuses options whose knob does not parse (mock::knob_problem()).
    return parse_mock_bucket(mock::knob_text(o, kBucketKnob, kBucketDefault)).value_or(MockBucket{});
}

}  // namespace onramp::platforms::shopify

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "shopify";
constexpr int64_t kProductBase = 7000000000LL;
constexpr int64_t kVariantBase = 40000000000LL;
constexpr int64_t kOrderBase = 5000000000LL;
constexpr int kUtcOffsetMinutes = -300;  // the shop's zone (America/New_York, standard time)
const char* const kGrantable[] = {"read_products", "read_inventory", "read_orders"};

http::Response error(int status, const std::string& message, double retry_after_s) {
    json body = {{"errors", message}};
    if (status == 429) {
        body["errors"] = "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted "
                         "service.";
    }
    http::Response r = reply(body, status);
    if (status == 429) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", retry_after_s);
        r.set_header("Retry-After", buf);
    }
    return r;
}

bool valid_version(const std::string& v) {
    return v.size() == 7 && v[4] == '-' && std::isdigit(static_cast<unsigned char>(v[0])) &&
           std::isdigit(static_cast<unsigned char>(v[5])) && std::isdigit(static_cast<unsigned char>(v[6]));
}

http::Response gated(State& s, const http::Request& req, const char* scope,
                     const std::function<http::Response()>& work) {
    if (req.param("shop") != demo::kShopifyDomain) return error(404, "Not Found", 0);
    std::string version = req.param("version");
    if (!version.empty() && !valid_version(version)) return error(404, "Not Found", 0);
    if (!shopify_token_accepted(s, req))
        return error(401, "[API] Invalid API key or access token (unrecognized login or wrong password)", 0);
    platforms::shopify::MockBucket bucket = platforms::shopify::mock_bucket(s.options);
    BucketTake t = bucket_take(s, kPlatform, bucket.size, bucket.leak_per_s);
    http::Response r;
    if (!t.allowed)
        r = error(429, "", std::max(1.0, std::ceil(t.retry_after_s)));
    else if (scope && scope_missing(s, kPlatform, scope))
        r = error(403, std::string("[API] This action requires merchant approval for ") + scope + " scope.", 0);
    else
        r = work();
    r.set_header("X-Shopify-Shop-Api-Call-Limit",
                 std::to_string(int(std::ceil(t.level))) + "/" + std::to_string(bucket.size));
    if (!version.empty()) r.set_header("X-Shopify-API-Version", version);
    return r;
}

json product_json(const Product& p) {
    int64_t id = kProductBase + p.index;
    json variants = json::array();
    json sizes = json::array();
    for (const Variant& v : p.variants) {
        int64_t vid = kVariantBase + p.index * kVariantsPerProduct + v.k;
        sizes.push_back(v.option_value);
        variants.push_back({{"id", vid},
                            {"product_id", id},
                            {"title", v.option_value},
                            {"price", money(v.price_cents)},
                            {"sku", v.sku},
                            {"position", v.k + 1},
                            {"inventory_policy", "deny"},
                            {"compare_at_price", nullptr},
                            {"fulfillment_service", "manual"},
                            {"inventory_management", "shopify"},
                            {"option1", v.option_value},
                            {"option2", nullptr},
                            {"option3", nullptr},
                            {"created_at", iso8601_offset(p.created_at, kUtcOffsetMinutes)},
                            {"updated_at", iso8601_offset(p.updated_at, kUtcOffsetMinutes)},
                            {"taxable", true},
                            {"barcode", nullptr},
                            {"grams", 680},
                            {"weight", 1.5},
                            {"weight_unit", "lb"},
                            {"inventory_item_id", vid + 1000000000LL},
                            {"inventory_quantity", v.inventory},
                            {"old_inventory_quantity", v.inventory},
                            {"requires_shipping", true},
                            {"admin_graphql_api_id", "gid://shopify/ProductVariant/" + std::to_string(vid)}});
    }
    std::string handle = p.title;
    for (char& c : handle) c = c == ' ' ? '-' : char(std::tolower(static_cast<unsigned char>(c)));
    return {{"id", id},
            {"title", p.title},
            {"body_html", p.description},
            {"vendor", p.vendor},
            {"product_type", p.product_type},
            {"created_at", iso8601_offset(p.created_at, kUtcOffsetMinutes)},
            {"handle", handle + "-" + std::to_string(p.index)},
            {"updated_at", iso8601_offset(p.updated_at, kUtcOffsetMinutes)},
            {"published_at", p.active ? json(iso8601_offset(p.created_at, kUtcOffsetMinutes)) : json(nullptr)},
            {"template_suffix", nullptr},
            {"status", p.active ? "active" : "draft"},
            {"published_scope", "web"},
            {"tags", ""},
            {"admin_graphql_api_id", "gid://shopify/Product/" + std::to_string(id)},
            {"variants", variants},
            {"options", json::array({{{"id", id + 1}, {"product_id", id}, {"name", "Size"}, {"position", 1},
                                      {"values", sizes}}})},
            {"images", json::array()},
            {"image", nullptr}};
}

json order_json(const Dataset& d, const Order& o) {
    int64_t id = kOrderBase + o.index;
    json lines = json::array();
    int n = 0;
    for (const OrderLine& l : o.lines) {
        Product p = d.product(l.product);
        const Variant& v = p.variants[size_t(l.variant)];
        lines.push_back({{"id", id * 10 + n++},
                         {"product_id", kProductBase + l.product},
                         {"variant_id", kVariantBase + l.product * kVariantsPerProduct + l.variant},
                         {"title", p.title},
                         {"variant_title", v.option_value},
                         {"quantity", l.quantity},
                         {"sku", v.sku},
                         {"price", money(l.price_cents)}});
    }
    return {{"id", id},
            {"admin_graphql_api_id", "gid://shopify/Order/" + std::to_string(id)},
            {"order_number", 1001 + o.index},
            {"name", "#" + std::to_string(1001 + o.index)},
            {"email", o.email},
            {"created_at", iso8601_offset(o.created_at, kUtcOffsetMinutes)},
            {"updated_at", iso8601_offset(o.updated_at, kUtcOffsetMinutes)},
            {"currency", "USD"},
            {"total_price", money(o.total_cents)},
            {"subtotal_price", money(o.total_cents)},
            {"financial_status", o.status == "pending" ? "pending" : o.status},
            {"fulfillment_status", nullptr},
            {"line_items", lines}};
}

// The cursor inside page_info: where the page starts and the filters of
// the first request, so later pages need none.
struct Cursor {
    bool prev = false;
    int64_t edge = -1;  // next: the last index seen; prev: the first index seen
    int64_t min = -1, max = -1;
    bool any_status = false;
};

std::string encode(const Cursor& c) {
    json j = {{"d", c.prev ? "prev" : "next"}, {"e", c.edge}, {"min", c.min}, {"max", c.max}, {"any", c.any_status}};
    return crypto::base64url_encode(j.dump());
}

std::optional<Cursor> decode(const std::string& page_info) {
    auto raw = crypto::base64url_decode(page_info);
    if (!raw) return std::nullopt;
    json j = json::parse(*raw, nullptr, false);
    if (!j.is_object() || !j.contains("e") || !j["e"].is_number_integer()) return std::nullopt;
    Cursor c;
    c.prev = j.value("d", "") == "prev";
    c.edge = j["e"].get<int64_t>();
    c.min = j.value("min", int64_t(-1));
    c.max = j.value("max", int64_t(-1));
    c.any_status = j.value("any", false);
    return c;
}

struct Listing {
    Kind kind;
    const char* name;  // "products"
    int64_t id_base;
};

// Whether item i passes the listing's filters.
bool listed(const Dataset& d, Kind kind, int64_t i, const Cursor& c) {
    int64_t u = d.updated_at(kind, i);
    if ((c.min >= 0 && u < c.min) || (c.max >= 0 && u > c.max)) return false;
    // Orders: without status=any Shopify lists open orders only.
    return kind != Kind::order || c.any_status || d.order(i).status != "refunded";
}

Cursor filters_of(const http::Request& req) {
    Cursor c;
    c.min = q_time(req, "updated_at_min");
    c.max = q_time(req, "updated_at_max");
    c.any_status = q(req, "status") == "any";
    return c;
}

// A filter the resource's documentation does not allow, as Shopify
// answers it: 400 with the parameter named in errors.
std::optional<http::Response> bad_filter(const http::Request& req, Kind kind) {
    auto refuse = [](const char* name, const std::string& why) {
        return reply({{"errors", {{name, {why}}}}}, 400);
    };
    for (const char* name : {"updated_at_min", "updated_at_max"})
        if (!q(req, name).empty() && !iso8601_date_time(q(req, name)))
            return refuse(name, "must be an ISO 8601 date-time");
    std::string status = q(req, "status");
    bool ok = kind == Kind::order ? (status == "open" || status == "closed" || status == "cancelled" || status == "any")
                                  : (status == "active" || status == "archived" || status == "draft");
    if (!status.empty() && !ok) return refuse("status", "is not one of the listed values");
    return std::nullopt;
}

// GET .../products/count.json and .../orders/count.json: the list's filters, {"count": N}.
http::Response count(State& s, const http::Request& req, Kind kind) {
    if (auto refused = bad_filter(req, kind)) return *refused;
    Cursor c = filters_of(req);
    int64_t n = 0;
    for (int64_t i = 0; i < s.data.count(kind); ++i) n += listed(s.data, kind, i, c);
    return reply({{"count", n}});
}

std::string link(const http::Request& req, const std::string& path, int64_t limit, const Cursor& c, const char* rel) {
    return "<" + self_url(req) + path + "?limit=" + std::to_string(limit) + "&page_info=" + encode(c) + ">; rel=\"" +
           rel + "\"";
}

http::Response list(State& s, const http::Request& req, const Listing& what) {
    std::string page_info = q(req, "page_info");
    int64_t limit = q_int(req, "limit", 50, 250);
    if (limit < 0) return error(400, "limit must be between 1 and 250", 0);
    Cursor c;
    if (!page_info.empty()) {
        for (const auto& [k, v] : req.query)
            if (k != "page_info" && k != "limit" && k != "fields")
                return reply({{"errors", {{"page_info", {"Invalid value: with page_info only limit and fields may be "
                                                         "passed."}}}}},
                             400);
        auto decoded = decode(page_info);
        if (!decoded) return reply({{"errors", {{"page_info", {"Invalid value."}}}}}, 400);
        c = *decoded;
    } else {
        if (auto refused = bad_filter(req, what.kind)) return *refused;
        c = filters_of(req);
        std::string since = q(req, "since_id");
        if (!since.empty()) {
            if (since.find_first_not_of("0123456789") != std::string::npos || since.size() > 15)
                return error(400, "since_id must be an id", 0);
            c.edge = std::stoll(since) - what.id_base;
        }
    }

    const Dataset& d = s.data;
    int64_t n = d.count(what.kind);
    auto matches = [&](int64_t i) { return listed(d, what.kind, i, c); };
    std::vector<int64_t> picked;
    bool more_after = false, more_before = false;
    if (!c.prev) {
        for (int64_t i = std::max<int64_t>(0, c.edge + 1); i < n; ++i) {
            if (!matches(i)) continue;
            if (int64_t(picked.size()) == limit) {
                more_after = true;
                break;
            }
            picked.push_back(i);
        }
        more_before = c.edge >= 0 && !page_info.empty();
    } else {
        for (int64_t i = std::min<int64_t>(n, c.edge) - 1; i >= 0; --i) {
            if (!matches(i)) continue;
            if (int64_t(picked.size()) == limit) {
                more_before = true;
                break;
            }
            picked.push_back(i);
        }
        std::reverse(picked.begin(), picked.end());
        more_after = true;
    }

    json items = json::array();
    for (int64_t i : picked) items.push_back(what.kind == Kind::product ? product_json(d.product(i)) : order_json(d, d.order(i)));
    http::Response r = reply({{what.name, items}});
    std::string path = req.path;
    std::vector<std::string> links;
    if (!picked.empty() && more_before) {
        Cursor p = c;
        p.prev = true;
        p.edge = picked.front();
        links.push_back(link(req, path, limit, p, "previous"));
    }
    if (!picked.empty() && more_after) {
        Cursor nx = c;
        nx.prev = false;
        nx.edge = picked.back();
        links.push_back(link(req, path, limit, nx, "next"));
    }
    if (!links.empty()) {
        std::string header;
        for (const std::string& l : links) header += (header.empty() ? "" : ", ") + l;
        r.set_header("Link", header);
    }
    return r;
}

// "{id}.json" → index, or -1.
int64_t index_of(const std::string& file, int64_t base, int64_t count) {
    if (file.size() < 6 || file.compare(file.size() - 5, 5, ".json") != 0) return -1;
    std::string id = file.substr(0, file.size() - 5);
    if (id.empty() || id.size() > 15 || id.find_first_not_of("0123456789") != std::string::npos) return -1;
    int64_t i = std::stoll(id) - base;
    return i >= 0 && i < count ? i : -1;
}

http::Response give_up_token(State& s, const http::Request& req) {
    std::string token = req.header("X-Shopify-Access-Token");
    std::lock_guard<std::mutex> lock(s.mu);
    s.revoked_tokens.insert(token);
    return reply(json::object());
}

}  // namespace

bool shopify_token_accepted(State& s, const http::Request& req) {
    std::string token = req.header("X-Shopify-Access-Token");
    if (token != demo::kShopifyToken || revoked(s, kPlatform)) return false;
    std::lock_guard<std::mutex> lock(s.mu);
    return !s.revoked_tokens.count(token);
}

void add_shopify(http::Router& r, State& s) {
    const std::string shop = "/shopify/{shop}";
    const std::string api = shop + "/admin/api/{version}";
    auto route = [&](const std::string& pattern, const char* scope,
                     std::function<http::Response(State&, const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, "GET", pattern, [&s, scope, fn](const http::Request& req) {
            return gated(s, req, scope, [&] { return fn(s, req); });
        });
    };
    route(api + "/shop.json", nullptr, [](State&, const http::Request&) {
        json shop = {{"id", 60000000001LL},
                     {"name", "Onramp Demo Shop"},
                     {"email", "owner@onramp-demo.test"},
                     {"domain", "shop.onramp-demo.test"},
                     {"province", "New York"},
                     {"country", "US"},
                     {"address1", "1 Main St"},
                     {"zip", "10001"},
                     {"city", "New York"},
                     {"phone", "+12125550100"},
                     {"primary_locale", "en"},
                     {"created_at", iso8601_offset(kEpoch, kUtcOffsetMinutes)},
                     {"updated_at", iso8601_offset(kEpoch, kUtcOffsetMinutes)},
                     {"country_code", "US"},
                     {"country_name", "United States"},
                     {"currency", "USD"},
                     {"customer_email", "support@onramp-demo.test"},
                     {"timezone", "(GMT-05:00) Eastern Time (US & Canada)"},
                     {"iana_timezone", "America/New_York"},
                     {"shop_owner", "Dana Demo"},
                     {"money_format", "${{amount}}"},
                     {"money_with_currency_format", "${{amount}} USD"},
                     {"weight_unit", "lb"},
                     {"province_code", "NY"},
                     {"taxes_included", false},
                     {"plan_display_name", "Basic"},
                     {"plan_name", "basic"},
                     {"myshopify_domain", demo::kShopifyDomain},
                     {"enabled_presentment_currencies", json::array({"USD"})}};
        return reply({{"shop", shop}});
    });
    route(shop + "/admin/oauth/access_scopes.json", nullptr, [](State& st, const http::Request&) {
        json scopes = json::array();
        for (const char* name : kGrantable)
            if (!scope_missing(st, kPlatform, name)) scopes.push_back({{"handle", name}});
        return reply({{"access_scopes", scopes}});
    });
    route(api + "/products.json", "read_products", [](State& st, const http::Request& req) {
        return list(st, req, {Kind::product, "products", kProductBase});
    });
    route(api + "/products/{file}", "read_products", [](State& st, const http::Request& req) {
        if (req.param("file") == "count.json") return count(st, req, Kind::product);
        int64_t i = index_of(req.param("file"), kProductBase, st.data.count(Kind::product));
        if (i < 0) return error(404, "Not Found", 0);
        return reply({{"product", product_json(st.data.product(i))}});
    });
    route(api + "/orders.json", "read_orders", [](State& st, const http::Request& req) {
        return list(st, req, {Kind::order, "orders", kOrderBase});
    });
    add_route(r, s, kPlatform, error, "DELETE", shop + "/admin/api_permissions/current.json",
              [&s](const http::Request& req) { return gated(s, req, nullptr, [&] { return give_up_token(s, req); }); });
    route(api + "/orders/{file}", "read_orders", [](State& st, const http::Request& req) {
        if (req.param("file") == "count.json") return count(st, req, Kind::order);
        int64_t i = index_of(req.param("file"), kOrderBase, st.data.count(Kind::order));
        if (i < 0) return error(404, "Not Found", 0);
        return reply({{"order", order_json(st.data, st.data.order(i))}});
    });
}

}  // namespace onramp::mock
