// Shopify Admin REST API, version 2024-04.
//
//   auth        X-Shopify-Access-Token: {access_token}
//   base        https://{shop_domain}   (override key "shopify"; it may contain {shop_domain})
//   test        GET /admin/api/2024-04/shop.json          → name, domain, plan   (step fetch_shop)
//               GET /admin/oauth/access_scopes.json       → granted scopes       (step check_scopes)
//   products    GET /admin/api/2024-04/products.json?limit=250[&updated_at_min&updated_at_max]
//   orders      GET /admin/api/2024-04/orders.json?status=any&limit=250[&updated_at_min...]
//               then Link: <...page_info=X>; rel="next" until no next link; with
//               page_info only limit may be repeated (filters travel in the cursor)
//   totals      GET /admin/api/2024-04/{products,orders}/count.json[?same filters]  → {"count"}
//               after a first page that has a next one
//   rate        X-Shopify-Shop-Api-Call-Limit: used/size; 429 with Retry-After
//   status      401 bad token, 403 scope, 404 no such shop, 402 shop frozen (unpaid)
//   revoke      DELETE /admin/api_permissions/current.json → 200 {}: the token stops
//               working and the app is uninstalled, its webhooks with it (step revoke_token)
#include <nlohmann/json.hpp>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;

constexpr const char* kVersion = "2024-04";
constexpr int kPageSize = 250;  // Shopify's maximum `limit`

class Shopify final : public Platform {
public:
    Shopify() : Platform(catalog_entry("shopify")) {}

    std::vector<Resource> resources() const override { return {Resource::products, Resource::orders}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        auto shop = wire::call_json(*this, ctx, request(creds, ctx, "fetch_shop", api("/shop.json")));
        if (!shop) {
            out.failure = explain(shop.failure(), creds);
            return out;
        }
        json s = wire::member(*shop, "shop");
        if (!s.is_object()) {
            out.failure = wire::unreadable(*this, "fetch_shop", "no shop object");
            return out;
        }
        out.verified.account_name = wire::text(s, "name");
        out.verified.domain = wire::text(s, "myshopify_domain");
        out.verified.account_id = wire::text(s, "id");
        out.verified.details = {{"primary_domain", wire::member(s, "domain")},
                                {"plan", wire::member(s, "plan_display_name")},
                                {"currency", wire::member(s, "currency")},
                                {"api_version", kVersion}};

        auto scopes = wire::call_json(*this, ctx,
                                      request(creds, ctx, "check_scopes", "/admin/oauth/access_scopes.json"));
        if (!scopes) {
            out.failure = explain(scopes.failure(), creds);
            return out;
        }
        json list = wire::member(*scopes, "access_scopes");
        if (list.is_array())
            for (const json& a : list) out.verified.granted_scopes.push_back(wire::text(a, "handle"));
        wire::sort_scopes(entry(), wire::missing_scopes(entry(), out.verified.granted_scopes), out.verified);
        if (!out.verified.missing_scopes.empty()) {
            Failure f;
            f.step = "check_scopes";
            f.cause = Cause::scope_missing;
            f.missing_scopes = out.verified.missing_scopes;
            f.message = "The access token works, but the app lacks these Admin API scopes: " +
                        wire::scope_labels(entry(), f.missing_scopes) +
                        ". In Shopify admin, open the app's Configuration, add the scopes, reinstall the app and "
                        "paste its new access token.";
            out.failure = f;
        }
        return out;
    }

    Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource, const std::string& cursor,
                             const Window& w) const override {
        std::string name;
        if (resource == Resource::products) name = "products";
        else if (resource == Resource::orders) name = "orders";
        else return wire::unsupported_resource(*this, resource);

        std::string q = cursor.empty()
                            ? wire::query({{"limit", std::to_string(kPageSize)},
                                           {"status", resource == Resource::orders ? "any" : ""},
                                           {"updated_at_min", w.updated_after},
                                           {"updated_at_max", w.updated_before}})
                            : wire::query({{"limit", std::to_string(kPageSize)}, {"page_info", cursor}});
        auto res = wire::call(*this, ctx, request(creds, ctx, "list_" + name, api("/" + name + ".json" + q)));
        if (!res) return explain(res.failure(), creds);
        auto j = wire::parse_json(res->body);
        json list = j ? wire::member(*j, name) : json();
        if (!list.is_array()) return wire::unreadable(*this, "list_" + name, "no " + name + " array");
        Page page;
        for (const json& o : list) page.items.push_back(resource == Resource::products ? product_item(o) : order_item(o));
        page.next_cursor = wire::query_param(wire::next_link(res->header("Link")), "page_info");
        if (cursor.empty())
            page.total = page.next_cursor.empty() ? std::optional<int64_t>(page.items.size())
                                                  : count(creds, ctx, name, resource, w);
        return page;
    }

    // The list carries no total, so the sync's percentage comes from the
    // count endpoint, which takes the list's filters. Without it the sync
    // still runs, only without a percentage.
    std::optional<int64_t> count(const Credentials& creds, CallContext& ctx, const std::string& name,
                                 Resource resource, const Window& w) const {
        std::string q = wire::query({{"status", resource == Resource::orders ? "any" : ""},
                                     {"updated_at_min", w.updated_after},
                                     {"updated_at_max", w.updated_before}});
        auto j = wire::call_json(*this, ctx, request(creds, ctx, "count_" + name, api("/" + name + "/count.json" + q)));
        if (!j) return std::nullopt;
        json n = wire::member(*j, "count");
        if (!n.is_number_integer()) return std::nullopt;
        return n.get<int64_t>();
    }

    Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                            const std::string& id) const override {
        if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
            return wire::not_an_id(*this, id, "numbers");
        if (resource != Resource::products && resource != Resource::orders)
            return wire::unsupported_resource(*this, resource);
        bool product = resource == Resource::products;
        std::string one = product ? "product" : "order";
        auto j = wire::call_json(*this, ctx,
                                 request(creds, ctx, "fetch_" + one, api("/" + one + "s/" + id + ".json")));
        if (!j) return j.failure();
        json o = wire::member(*j, one);
        if (!o.is_object()) return wire::unreadable(*this, "fetch_" + one, "no " + one + " object");
        return product ? product_item(o) : order_item(o);
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        ProxyTarget t;
        t.base_url = wire::base_url(ctx, "shopify", "https://{shop_domain}", creds) + "/admin/api/" + kVersion;
        t.headers = auth_headers(creds);
        return t;
    }

    bool can_revoke(const Credentials&) const override { return true; }

    std::optional<Failure> revoke(const Credentials& creds, CallContext& ctx) const override {
        wire::Request r = request(creds, ctx, "revoke_token", "/admin/api_permissions/current.json");
        r.method = "DELETE";
        // A disconnect waits for this: one try, no backoff.
        r.retryable = false;
        auto res = wire::call(*this, ctx, r);
        if (res || res.failure().cause == Cause::credential_rejected) return std::nullopt;
        return explain(res.failure(), creds);
    }

private:
    static std::string api(const std::string& path) { return std::string("/admin/api/") + kVersion + path; }

    static http::Headers auth_headers(const Credentials& creds) {
        return {{"X-Shopify-Access-Token", creds.at("access_token")}, {"Accept", "application/json"}};
    }

    static wire::Request request(const Credentials& creds, const CallContext& ctx, std::string step,
                                 const std::string& path) {
        wire::Request r;
        r.step = std::move(step);
        r.url = wire::base_url(ctx, "shopify", "https://{shop_domain}", creds) + path;
        r.headers = auth_headers(creds);
        return r;
    }

    Failure explain(Failure f, const Credentials& creds) const {
        if (f.cause == Cause::credential_rejected)
            f.message = "Shopify did not accept the access token. Check that you copied the Admin API access token "
                        "(it starts with shpat_) completely, and that the app is still installed.";
        else if (f.cause == Cause::store_not_found)
            f.message = "Shopify has no shop at " + creds.at("shop_domain") +
                        ". Use the permanent .myshopify.com address shown under Settings → Domains.";
        else if (f.http_status == 402)
            f.message = "Shopify says the shop " + creds.at("shop_domain") +
                        " is frozen or unpaid. Settle its bill in Shopify, then try again.";
        else if (f.cause == Cause::scope_missing)
            f.message = "The access token works, but the app may not read this. Add the scope read_products (and "
                        "read_orders, to import orders) to the app and reinstall it.";
        return f;
    }

    static Item product_item(const json& p) {
        json variants = json::array();
        json raw = wire::member(p, "variants");
        json option_names = json::array();
        if (json opts = wire::member(p, "options"); opts.is_array())
            for (const json& o : opts) option_names.push_back(wire::text(o, "name"));
        if (raw.is_array()) {
            for (const json& v : raw) {
                json options = json::object();
                for (size_t i = 0; i < option_names.size() && i < 3; ++i) {
                    std::string value = wire::text(v, "option" + std::to_string(i + 1));
                    if (!value.empty()) options[option_names[i].get<std::string>()] = value;
                }
                variants.push_back({{"id", wire::text(v, "id")},
                                    {"sku", wire::member(v, "sku")},
                                    {"title", wire::member(v, "title")},
                                    {"price", wire::money(v, "price")},
                                    {"inventory", wire::member(v, "inventory_quantity")},
                                    {"options", options}});
            }
        }
        Item item;
        item.id = wire::text(p, "id");
        item.updated_at = wire::utc_iso(p, "updated_at");
        json first = raw.is_array() && !raw.empty() ? raw[0] : json::object();
        item.data = {{"id", item.id},
                     {"title", wire::member(p, "title")},
                     {"sku", wire::member(first, "sku")},
                     {"status", wire::member(p, "status")},
                     {"vendor", wire::member(p, "vendor")},
                     {"description", wire::member(p, "body_html")},
                     {"price", wire::money(first, "price")},
                     {"currency", nullptr},
                     {"inventory", nullptr},
                     {"created_at", wire::utc_iso(p, "created_at")},
                     {"updated_at", item.updated_at},
                     {"variants", variants}};
        int64_t stock = 0;
        bool counted = false;
        for (const json& v : variants)
            if (v["inventory"].is_number_integer()) {
                stock += v["inventory"].get<int64_t>();
                counted = true;
            }
        if (counted) item.data["inventory"] = stock;
        return item;
    }

    static Item order_item(const json& o) {
        json lines = json::array();
        if (json raw = wire::member(o, "line_items"); raw.is_array())
            for (const json& l : raw)
                lines.push_back({{"product_id", wire::text(l, "product_id")},
                                 {"variant_id", wire::text(l, "variant_id")},
                                 {"sku", wire::member(l, "sku")},
                                 {"title", wire::member(l, "title")},
                                 {"quantity", wire::member(l, "quantity")},
                                 {"price", wire::money(l, "price")}});
        Item item;
        item.id = wire::text(o, "id");
        item.updated_at = wire::utc_iso(o, "updated_at");
        item.data = {{"id", item.id},
                     {"number", wire::text(o, "order_number")},
                     {"status", wire::member(o, "financial_status")},
                     {"currency", wire::member(o, "currency")},
                     {"total", wire::money(o, "total_price")},
                     {"customer_email", wire::member(o, "email")},
                     {"created_at", wire::utc_iso(o, "created_at")},
                     {"updated_at", item.updated_at},
                     {"line_items", lines}};
        return item;
    }


};

}  // namespace

const Platform& shopify_platform() {
    static const Shopify platform;
    return platform;
}

}  // namespace onramp::connectors
