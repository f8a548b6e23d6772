// BigCommerce: REST v2 (store information, orders) and v3 (catalog).
//
//   auth        X-Auth-Token: {access_token}; Accept: application/json
//   base        https://api.bigcommerce.com/stores/{store_hash}   (override key "bigcommerce"
//               replaces https://api.bigcommerce.com)
//   test        GET v2/store                       → name, domain, plan   (step fetch_store;
//                                                    403: no information scope, which is optional)
//               GET v3/catalog/products?limit=1    → products scope       (step check_scopes)
//               GET v3/inventory/locations?limit=1 → inventory scope
//               GET v2/orders?limit=1              → orders scope (204 when the store has none)
//   products    GET v3/catalog/products?include=variants&sort=id&id:greater={cursor}
//               envelope {data, meta.pagination{total, current_page, total_pages, links.next}}
//   orders      GET v2/orders?sort=id:asc&min_id={cursor+1}: a bare array, 204 when empty,
//               a short page is the last
//   rate        X-Rate-Limit-* headers (rate_budget.h)
//
// Pagination is by id (keyset) rather than page number: while a sync runs,
// products that change drop out of a frozen date_modified:max window, and
// page numbers would then skip the products behind them.
#include <nlohmann/json.hpp>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;

constexpr int kProductPage = 250;  // the v3 maximum
constexpr int kOrderPage = 250;    // the v2 maximum

struct ScopeProbe {
    const char* scope;
    const char* path;  // under the store base
};

// One cheap read per scope the sync needs; 403 means the scope is missing.
constexpr ScopeProbe kProbes[] = {
    {"store_v2_products_read_only", "/v3/catalog/products?limit=1"},
    {"store_inventory_read_only", "/v3/inventory/locations?limit=1"},
    {"store_v2_orders_read_only", "/v2/orders?limit=1"},
};

class BigCommerce final : public Platform {
public:
    BigCommerce() : Platform(catalog_entry("bigcommerce")) {}

    std::vector<Resource> resources() const override { return {Resource::products, Resource::orders}; }

    // Only the products scope is required (catalog.cpp): a token without
    // Information & settings still connects, named after its store hash.
    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        std::vector<std::string> missing;

        auto store = wire::call_json(*this, ctx, request(creds, ctx, "fetch_store", "/v2/store"));
        if (store) {
            out.verified.account_name = wire::text(*store, "name");
            out.verified.domain = wire::text(*store, "domain");
            out.verified.account_id = wire::text(*store, "id");
            out.verified.details = {{"store_hash", creds.at("store_hash")},
                                    {"plan", wire::member(*store, "plan_name")},
                                    {"currency", wire::member(*store, "currency")},
                                    {"secure_url", wire::member(*store, "secure_url")}};
            out.verified.granted_scopes.emplace_back("store_v2_information_read_only");
        } else if (store.failure().cause == Cause::scope_missing) {
            missing.emplace_back("store_v2_information_read_only");
            out.verified.account_name = "BigCommerce store " + creds.at("store_hash");
            out.verified.account_id = creds.at("store_hash");
            out.verified.details = {{"store_hash", creds.at("store_hash")}};
        } else {
            out.failure = explain(store.failure(), creds);
            return out;
        }

        for (const ScopeProbe& probe : kProbes) {
            auto res = wire::send(*this, ctx, request(creds, ctx, "check_scopes", probe.path));
            if (!res) {
                out.failure = res.failure();
                return out;
            }
            if (res->status == 403) {
                missing.emplace_back(probe.scope);
            } else if (res->status == 200 || res->status == 204) {
                out.verified.granted_scopes.emplace_back(probe.scope);
            } else {
                out.failure = explain(wire::status_failure(*this, ctx, "check_scopes", *res, wire::error_text(res->body)),
                                      creds);
                return out;
            }
        }
        wire::sort_scopes(entry(), missing, out.verified);
        if (!out.verified.missing_scopes.empty()) {
            Failure f;
            f.step = "check_scopes";
            f.cause = Cause::scope_missing;
            f.http_status = 403;
            f.missing_scopes = out.verified.missing_scopes;
            f.message = "The access token works, but its API account lacks these permissions: " +
                        wire::scope_labels(entry(), f.missing_scopes) +
                        ". In BigCommerce, edit the API account (Settings → Store-level API accounts) and set them "
                        "to read-only or modify.";
            out.failure = f;
        }
        return out;
    }

    Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource, const std::string& cursor,
                             const Window& window) const override {
        if (resource == Resource::products) return products_page(creds, ctx, cursor, window);
        if (resource == Resource::orders) return orders_page(creds, ctx, cursor, window);
        return wire::unsupported_resource(*this, resource);
    }

    Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                            const std::string& id) const override {
        std::string pid = wire::path_id(id);
        if (pid.empty() || id.find_first_not_of("0123456789") != std::string::npos)
            return wire::not_an_id(*this, id, "numbers");
        if (resource == Resource::products) {
            auto j = wire::call_json(*this, ctx,
                                     request(creds, ctx, "fetch_product", "/v3/catalog/products/" + pid + "?include=variants"));
            if (!j) return j.failure();
            return product_item(wire::member(*j, "data"));
        }
        if (resource == Resource::orders) {
            auto order = wire::call_json(*this, ctx, request(creds, ctx, "fetch_order", "/v2/orders/" + pid));
            if (!order) return order.failure();
            auto lines = wire::call_json(*this, ctx, request(creds, ctx, "fetch_order", "/v2/orders/" + pid + "/products"));
            if (!lines) return lines.failure();
            Item item = order_item(*order);
            item.data["line_items"] = line_items(*lines);
            return item;
        }
        return wire::unsupported_resource(*this, resource);
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        ProxyTarget t;
        t.base_url = store_base(creds, ctx);
        t.headers = auth_headers(creds);
        return t;
    }

private:
    static std::string store_base(const Credentials& creds, const CallContext& ctx) {
        return wire::base_url(ctx, "bigcommerce", "https://api.bigcommerce.com", creds) + "/stores/" +
               creds.at("store_hash");
    }

    static http::Headers auth_headers(const Credentials& creds) {
        return {{"X-Auth-Token", creds.at("access_token")}, {"Accept", "application/json"}};
    }

    static wire::Request request(const Credentials& creds, const CallContext& ctx, std::string step,
                                 const std::string& path) {
        wire::Request r;
        r.step = std::move(step);
        r.url = store_base(creds, ctx) + path;
        r.headers = auth_headers(creds);
        return r;
    }

    // BigCommerce-specific words for the usual failures.
    Failure explain(Failure f, const Credentials& creds) const {
        if (f.cause == Cause::credential_rejected)
            f.message = "BigCommerce did not accept the access token. Check that it was copied completely and that "
                        "its API account still exists (Settings → Store-level API accounts).";
        else if (f.cause == Cause::store_not_found)
            f.message = "BigCommerce has no store with the store hash " + creds.at("store_hash") +
                        ". Copy it from the API path shown with your API account (…/stores/<hash>/v3/).";
        return f;
    }

    Outcome<Page> products_page(const Credentials& creds, CallContext& ctx, const std::string& cursor,
                                const Window& w) const {
        if (cursor.size() > 18 || cursor.find_first_not_of("0123456789") != std::string::npos)
            return wire::unreadable(*this, "list_products", "the cursor is not a product id");
        std::string q = wire::query({{"include", "variants"},
                                     {"limit", std::to_string(kProductPage)},
                                     {"sort", "id"},
                                     {"direction", "asc"},
                                     {"id:greater", cursor},
                                     {"date_modified:min", w.updated_after},
                                     {"date_modified:max", w.updated_before}});
        auto j = wire::call_json(*this, ctx, request(creds, ctx, "list_products", "/v3/catalog/products" + q));
        if (!j) return explain(j.failure(), creds);
        json data = wire::member(*j, "data");
        if (!data.is_array()) return wire::unreadable(*this, "list_products", "no data array");
        Page page;
        for (const json& p : data) page.items.push_back(product_item(p));
        json pagination = wire::member(wire::member(*j, "meta"), "pagination");
        std::string next = wire::text(wire::member(pagination, "links"), "next");
        bool more = !next.empty() && !page.items.empty();
        if (more) page.next_cursor = page.items.back().id;
        if (cursor.empty() && pagination.contains("total")) page.total = pagination["total"].get<int64_t>();
        return page;
    }

    Outcome<Page> orders_page(const Credentials& creds, CallContext& ctx, const std::string& cursor,
                              const Window& w) const {
        if (cursor.size() > 18 || cursor.find_first_not_of("0123456789") != std::string::npos)
            return wire::unreadable(*this, "list_orders", "the cursor is not an order id");
        std::string min_id = cursor.empty() ? "" : std::to_string(std::stoll(cursor) + 1);
        std::string q = wire::query({{"limit", std::to_string(kOrderPage)},
                                     {"sort", "id:asc"},
                                     {"min_id", min_id},
                                     {"min_date_modified", w.updated_after},
                                     {"max_date_modified", w.updated_before}});
        auto j = wire::call_json(*this, ctx, request(creds, ctx, "list_orders", "/v2/orders" + q));
        if (!j) return explain(j.failure(), creds);
        Page page;
        if (j->is_null()) return page;  // 204: no (more) orders
        if (!j->is_array()) return wire::unreadable(*this, "list_orders", "not an array of orders");
        for (const json& o : *j) page.items.push_back(order_item(o));
        if (int(page.items.size()) == kOrderPage) page.next_cursor = page.items.back().id;
        return page;
    }

    static Item product_item(const json& p) {
        json variants = json::array();
        json raw_variants = wire::member(p, "variants");
        if (raw_variants.is_array()) {
            for (const json& v : raw_variants) {
                json options = json::object();
                std::string title;
                json values = wire::member(v, "option_values");
                if (values.is_array()) {
                    for (const json& o : values) {
                        options[wire::text(o, "option_display_name")] = wire::text(o, "label");
                        title += (title.empty() ? "" : " / ") + wire::text(o, "label");
                    }
                }
                json price = wire::money(v, "price");
                if (price.is_null()) price = wire::money(v, "calculated_price");
                variants.push_back({{"id", wire::text(v, "id")},
                                    {"sku", wire::member(v, "sku")},
                                    {"title", title.empty() ? wire::member(v, "sku") : json(title)},
                                    {"price", price},
                                    {"inventory", wire::member(v, "inventory_level")},
                                    {"options", options}});
            }
        }
        Item item;
        item.id = wire::text(p, "id");
        item.updated_at = wire::utc_iso(p, "date_modified");
        bool visible = wire::member(p, "is_visible").is_boolean() && p["is_visible"].get<bool>();
        item.data = {{"id", item.id},
                     {"title", wire::member(p, "name")},
                     {"sku", wire::member(p, "sku")},
                     {"status", visible ? "active" : "hidden"},
                     {"vendor", nullptr},
                     {"description", wire::member(p, "description")},
                     {"price", wire::money(p, "price")},
                     {"currency", nullptr},
                     {"inventory", wire::member(p, "inventory_level")},
                     {"created_at", wire::utc_iso(p, "date_created")},
                     {"updated_at", item.updated_at},
                     {"variants", variants}};
        return item;
    }

    static Item order_item(const json& o) {
        Item item;
        item.id = wire::text(o, "id");
        item.updated_at = wire::utc_iso(o, "date_modified");
        item.data = {{"id", item.id},
                     {"number", item.id},
                     {"status", wire::member(o, "status")},
                     {"currency", wire::member(o, "currency_code")},
                     {"total", wire::money(o, "total_inc_tax")},
                     {"customer_email", wire::member(wire::member(o, "billing_address"), "email")},
                     {"created_at", wire::utc_iso(o, "date_created")},
                     {"updated_at", item.updated_at},
                     // The v2 list links line items instead of embedding
                     // them; fetch_one fills them in.
                     {"line_items", nullptr}};
        return item;
    }

    static json line_items(const json& lines) {
        json out = json::array();
        if (!lines.is_array()) return out;
        for (const json& l : lines)
            out.push_back({{"product_id", wire::text(l, "product_id")},
                           {"variant_id", wire::text(l, "variant_id")},
                           {"sku", wire::member(l, "sku")},
                           {"title", wire::member(l, "name")},
                           {"quantity", wire::member(l, "quantity")},
                           {"price", wire::money(l, "price_inc_tax")}});
        return out;
    }


};

}  // namespace

const Platform& bigcommerce_platform() {
    static const BigCommerce platform;
    return platform;
}

}  // namespace onramp::connectors
