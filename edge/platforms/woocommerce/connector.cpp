// WooCommerce REST API v3 on the client's own WordPress site.
//
//   auth        HTTP Basic consumer_key:consumer_secret (the site URL must be https; the
//               validator enforces it, so keys never travel unencrypted)
//   base        {site_url}/wp-json   (override key "woocommerce" replaces {site_url})
//               Security: the site URL is typed by the client, so the SSRF guard applies
//   test        GET /wp-json/                         → site name; 404: not WordPress,
//                                                       or permalinks are Plain (step find_store)
//               GET /wp-json/wc/v3/system_status      → versions, currency (step fetch_system_status)
//               GET /wp-json/wc/v3/products?per_page=1  → the key may read (step check_scopes)
//   products    GET /wc/v3/products?per_page=100&page=N&orderby=id&order=asc
//               [&modified_after&modified_before&dates_are_gmt=true]; X-WP-TotalPages;
//               then GET /wc/v3/products/{id}/variations for each variable product
//   orders      GET /wc/v3/orders?per_page=100&page=N&orderby=id&order=asc[&modified_*]
//   errors      {"code": "woocommerce_rest_...", "message", "data": {"status"}}
#include <nlohmann/json.hpp>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;

constexpr int kPageSize = 100;  // WooCommerce's maximum per_page

class WooCommerce final : public Platform {
public:
    WooCommerce() : Platform(catalog_entry("woocommerce")) {}

    std::vector<Resource> resources() const override { return {Resource::products, Resource::orders}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        out.verified.required_scopes = {"read"};

        wire::Request index = request(creds, ctx, "find_store", "/");
        index.headers.erase("Authorization");  // the index is public; no need to send the keys yet
        auto site = wire::call_json(*this, ctx, index);
        if (!site) {
            out.failure = explain(site.failure(), creds);
            return out;
        }
        out.verified.account_name = wire::text(*site, "name");
        out.verified.domain = wire::text(*site, "url");

        auto status = wire::call_json(*this, ctx, request(creds, ctx, "fetch_system_status", "/wc/v3/system_status"));
        if (!status) {
            out.failure = explain(status.failure(), creds);
            return out;
        }
        json env = wire::member(*status, "environment");
        out.verified.details = {{"woocommerce_version", wire::member(env, "version")},
                                {"wordpress_version", wire::member(env, "wp_version")},
                                {"currency", wire::member(wire::member(*status, "settings"), "currency")},
                                {"home_url", wire::member(env, "home_url")}};

        auto products = wire::call_json(*this, ctx, request(creds, ctx, "check_scopes", "/wc/v3/products?per_page=1"));
        if (!products) {
            out.failure = explain(products.failure(), creds);
            if (out.failure->cause == Cause::scope_missing) {
                out.failure->missing_scopes = {"read"};
                out.verified.missing_scopes = {"read"};
            }
            return out;
        }
        out.verified.granted_scopes = {"read"};
        return out;
    }

    Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource, const std::string& cursor,
                             const Window& w) const override {
        if (resource != Resource::products && resource != Resource::orders)
            return wire::unsupported_resource(*this, resource);
        if (!cursor.empty() && cursor.find_first_not_of("0123456789") != std::string::npos)
            return wire::unreadable(*this, "list", "bad cursor");
        std::string name(to_string(resource));
        std::string page_no = cursor.empty() ? "1" : cursor;
        std::string q = wire::query({{"per_page", std::to_string(kPageSize)},
                                     {"page", page_no},
                                     {"orderby", "id"},
                                     {"order", "asc"},
                                     {"status", resource == Resource::products ? "any" : ""},
                                     {"modified_after", w.updated_after},
                                     {"modified_before", w.updated_before},
                                     {"dates_are_gmt", w.updated_after.empty() && w.updated_before.empty() ? "" : "true"}});
        auto res = wire::call(*this, ctx, request(creds, ctx, "list_" + name, "/wc/v3/" + name + q));
        if (!res) return explain(res.failure(), creds);
        auto list = wire::parse_json(res->body);
        if (!list || !list->is_array()) return wire::unreadable(*this, "list_" + name, "not an array");
        Page page;
        for (const json& o : *list) {
            if (resource == Resource::orders) {
                page.items.push_back(order_item(o));
                continue;
            }
            auto item = product_with_variations(creds, ctx, o);
            if (!item) return item.failure();
            page.items.push_back(*item);
        }
        int64_t pages = std::atoll(res->header("X-WP-TotalPages").c_str());
        int64_t current = std::atoll(page_no.c_str());
        if (current < pages && !page.items.empty()) page.next_cursor = std::to_string(current + 1);
        if (cursor.empty() && !res->header("X-WP-Total").empty()) page.total = std::atoll(res->header("X-WP-Total").c_str());
        return page;
    }

    Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                            const std::string& id) const override {
        if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
            return wire::not_an_id(*this, id, "numbers");
        if (resource == Resource::products) {
            auto p = wire::call_json(*this, ctx, request(creds, ctx, "fetch_product", "/wc/v3/products/" + id));
            if (!p) return p.failure();
            return product_with_variations(creds, ctx, *p);
        }
        if (resource == Resource::orders) {
            auto o = wire::call_json(*this, ctx, request(creds, ctx, "fetch_order", "/wc/v3/orders/" + id));
            if (!o) return o.failure();
            return order_item(*o);
        }
        return wire::unsupported_resource(*this, resource);
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        ProxyTarget t;
        t.base_url = site(creds, ctx) + "/wp-json/wc/v3";
        t.headers = auth_headers(creds);
        return t;
    }

private:
    static std::string site(const Credentials& creds, const CallContext& ctx) {
        return wire::base_url(ctx, "woocommerce", "{site_url}", creds);
    }

    static http::Headers auth_headers(const Credentials& creds) {
        return {{"Authorization", wire::basic_auth(creds.at("consumer_key"), creds.at("consumer_secret"))},
                {"Accept", "application/json"}};
    }

    static wire::Request request(const Credentials& creds, const CallContext& ctx, std::string step,
                                 const std::string& path) {
        wire::Request r;
        r.step = std::move(step);
        r.url = site(creds, ctx) + "/wp-json" + path;
        r.headers = auth_headers(creds);
        r.typed_host = !wire::has_override(ctx, "woocommerce");
        r.host_field = "site_url";
        return r;
    }

    Failure explain(Failure f, const Credentials& creds) const {
        // WooCommerce says "cannot view" for a key whose user lacks the
        // capability, with 401 or 403 depending on the WordPress version.
        if (f.platform_message.find("cannot") != std::string::npos && f.http_status == 401) f.cause = Cause::scope_missing;
        if (f.cause == Cause::credential_rejected)
            f.message = "WooCommerce did not accept the consumer key and secret. Check that both were copied "
                        "completely and that the key was not revoked (WooCommerce → Settings → Advanced → REST API).";
        else if (f.cause == Cause::scope_missing)
            f.message = "The keys work, but their WordPress user may not read the store. Create the key for an "
                        "administrator or shop manager, with Read permission.";
        else if (f.cause == Cause::store_not_found)
            f.message = "Onramp found no WooCommerce API at " + creds.at("site_url") +
                        ". Check the address, that WooCommerce is active, and that Settings → Permalinks is not "
                        "set to Plain.";
        return f;
    }

    Outcome<Item> product_with_variations(const Credentials& creds, CallContext& ctx, const json& p) const {
        json variations = json::array();
        json ids = wire::member(p, "variations");
        if (ids.is_array() && !ids.empty()) {
            std::string path = "/wc/v3/products/" + wire::text(p, "id") + "/variations?per_page=100";
            auto v = wire::call_json(*this, ctx, request(creds, ctx, "list_variations", path));
            if (!v) return explain(v.failure(), creds);
            if (v->is_array()) variations = *v;
        }
        return product_item(p, variations);
    }

    static Item product_item(const json& p, const json& variations) {
        json variants = json::array();
        for (const json& v : variations) {
            json options = json::object();
            std::string title;
            if (json attrs = wire::member(v, "attributes"); attrs.is_array())
                for (const json& a : attrs) {
                    options[wire::text(a, "name")] = wire::text(a, "option");
                    title += (title.empty() ? "" : " / ") + wire::text(a, "option");
                }
            variants.push_back({{"id", wire::text(v, "id")},
                                {"sku", wire::member(v, "sku")},
                                {"title", title},
                                {"price", wire::money(v, "price")},
                                {"inventory", wire::member(v, "stock_quantity")},
                                {"options", options}});
        }
        Item item;
        item.id = wire::text(p, "id");
        item.updated_at = wire::utc_iso(p, "date_modified_gmt");
        item.data = {{"id", item.id},
                     {"title", wire::member(p, "name")},
                     {"sku", wire::member(p, "sku")},
                     {"status", wire::text(p, "status") == "publish" ? "active" : wire::member(p, "status")},
                     {"vendor", nullptr},
                     {"description", wire::member(p, "description")},
                     {"price", wire::money(p, "price")},
                     {"currency", nullptr},
                     {"inventory", wire::member(p, "stock_quantity")},
                     {"created_at", wire::utc_iso(p, "date_created_gmt")},
                     {"updated_at", item.updated_at},
                     {"variants", variants}};
        return item;
    }

    static Item order_item(const json& o) {
        json lines = json::array();
        if (json raw = wire::member(o, "line_items"); raw.is_array())
            for (const json& l : raw)
                lines.push_back({{"product_id", wire::text(l, "product_id")},
                                 {"variant_id", wire::text(l, "variation_id")},
                                 {"sku", wire::member(l, "sku")},
                                 {"title", wire::member(l, "name")},
                                 {"quantity", wire::member(l, "quantity")},
                                 {"price", wire::money(l, "price")}});
        Item item;
        item.id = wire::text(o, "id");
        item.updated_at = wire::utc_iso(o, "date_modified_gmt");
        item.data = {{"id", item.id},
                     {"number", wire::text(o, "number")},
                     {"status", wire::member(o, "status")},
                     {"currency", wire::member(o, "currency")},
                     {"total", wire::money(o, "total")},
                     {"customer_email", wire::member(wire::member(o, "billing"), "email")},
                     {"created_at", wire::utc_iso(o, "date_created_gmt")},
                     {"updated_at", item.updated_at},
                     {"line_items", lines}};
        return item;
    }


};

}  // namespace

const Platform& woocommerce_platform() {
    static const WooCommerce platform;
    return platform;
}

}  // namespace onramp::connectors
