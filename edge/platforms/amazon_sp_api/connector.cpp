// Amazon Selling Partner API: Login with Amazon (LWA) token exchange, then
// SP-API calls with the access token.
//
//   token       POST https://api.amazon.com/auth/o2/token   (override key "amazon_lwa")
//               grant_type=refresh_token&refresh_token&client_id&client_secret (form)
//               → {access_token, expires_in}; cached in ctx.tokens until a minute before expiry
//   base        https://sellingpartnerapi-{region}.amazon.com   (override key "amazon_sp_api")
//   auth        x-amz-access-token: {access token}; user-agent names the app (SP-API asks for it)
//   test        exchange_refresh_token, then GET /sellers/v1/marketplaceParticipations
//               (fetch_marketplaces) and check every configured marketplace is one the
//               seller participates in (check_marketplaces)
//   products    GET /listings/2021-08-01/items/{sellerId}?marketplaceIds&pageSize=20
//               &includedData=summaries,offers,fulfillmentAvailability&sortBy=createdDate
//               &sortOrder=ASC[&lastUpdatedAfter&lastUpdatedBefore][&pageToken]
//               One listing (SKU) is one product with one variant: Amazon lists SKUs.
//   orders      GET /orders/v0/orders?MarketplaceIds&MaxResultsPerPage=100
//               &LastUpdatedAfter[&LastUpdatedBefore] | &NextToken (payload.NextToken)
//   errors      LWA {"error", "error_description"}; SP-API {"errors": [{"code", "message"}]}
//   rate        a token bucket per operation (operations.h: the documented rate and burst);
//               x-amzn-RateLimit-Limit announces the rate; 429 QuotaExceeded without Retry-After.
//               Every call names its operation, so the budget keeps one bucket each.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"
#include "edge/platforms/amazon_sp_api/operations.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;
namespace ops = platforms::amazon_sp_api;

constexpr const char* kUserAgent = "Onramp/0.1 (Language=C++; Platform=Linux)";
constexpr int kListingsPage = 20;   // searchListingsItems maximum
constexpr int kOrdersPage = 100;    // getOrders maximum
// getOrders needs a lower bound; this one predates every Amazon order.
constexpr const char* kBeginning = "1995-01-01T00:00:00Z";
// getOrders refuses a LastUpdatedBefore later than two minutes before the
// request (docs/platforms/amazon_sp_api.md).
constexpr int64_t kSettleSeconds = 120;

class Amazon final : public Platform {
public:
    Amazon() : Platform(catalog_entry("amazon_sp_api")) {}

    int64_t settle_seconds() const override { return kSettleSeconds; }

    std::vector<Resource> resources() const override { return {Resource::products, Resource::orders}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        auto token = access_token(creds, ctx);
        if (!token) {
            out.failure = token.failure();
            return out;
        }
        auto mp = wire::call_json(*this, ctx,
                                  request(creds, ctx, *token, "fetch_marketplaces", ops::kGetMarketplaceParticipations,
                                          "/sellers/v1/marketplaceParticipations"));
        if (!mp) {
            out.failure = explain(mp.failure());
            return out;
        }
        json payload = wire::member(*mp, "payload");
        if (!payload.is_array()) {
            out.failure = wire::unreadable(*this, "fetch_marketplaces", "no payload array");
            return out;
        }
        json marketplaces = json::array();
        std::vector<std::string> participating;
        for (const json& p : payload) {
            json m = wire::member(p, "marketplace");
            bool in = wire::member(wire::member(p, "participation"), "isParticipating") == true;
            if (in) participating.push_back(wire::text(m, "id"));
            if (out.verified.account_name.empty()) out.verified.account_name = wire::text(p, "storeName");
            marketplaces.push_back({{"id", wire::member(m, "id")},
                                    {"name", wire::member(m, "name")},
                                    {"country", wire::member(m, "countryCode")},
                                    {"domain", wire::member(m, "domainName")},
                                    {"currency", wire::member(m, "defaultCurrencyCode")},
                                    {"participating", in}});
        }
        out.verified.account_id = creds.at("seller_id");
        out.verified.details = {{"region", creds.at("region")}, {"marketplaces", marketplaces}};
        if (!marketplaces.empty()) out.verified.domain = wire::text(marketplaces[0], "domain");

        std::vector<std::string> missing;
        for (const std::string& id : marketplace_ids(creds))
            if (std::find(participating.begin(), participating.end(), id) == participating.end()) missing.push_back(id);
        if (!missing.empty()) {
            Failure f;
            f.step = "check_marketplaces";
            f.cause = Cause::store_not_found;
            std::string list;
            for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
            f.message = "These credentials work, but the seller does not sell in marketplace " + list +
                        ". Check the marketplace IDs, or choose the selling region they belong to.";
            out.failure = f;
        }
        return out;
    }

    Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource, const std::string& cursor,
                             const Window& w) const override {
        auto token = access_token(creds, ctx);
        if (!token) return token.failure();
        if (resource == Resource::products) return listings_page(creds, ctx, *token, cursor, w);
        if (resource == Resource::orders) return orders_page(creds, ctx, *token, cursor, w);
        return wire::unsupported_resource(*this, resource);
    }

    Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                            const std::string& id) const override {
        std::string pid = wire::path_id(id);
        if (pid.empty()) return wire::not_an_id(*this, id, "ASINs or seller SKUs");
        auto token = access_token(creds, ctx);
        if (!token) return token.failure();
        if (resource == Resource::products) {
            std::string q = wire::query({{"marketplaceIds", creds.at("marketplace_ids")},
                                         {"includedData", "summaries,offers,fulfillmentAvailability"}});
            auto j = wire::call_json(*this, ctx,
                                     request(creds, ctx, *token, "fetch_listing", ops::kGetListingsItem,
                                             "/listings/2021-08-01/items/" + creds.at("seller_id") + "/" + pid + q));
            if (!j) return explain(j.failure());
            return listing_item(*j);
        }
        if (resource == Resource::orders) {
            auto order = wire::call_json(*this, ctx, request(creds, ctx, *token, "fetch_order", ops::kGetOrder, "/orders/v0/orders/" + pid));
            if (!order) return explain(order.failure());
            auto lines = wire::call_json(*this, ctx,
                                         request(creds, ctx, *token, "fetch_order", ops::kGetOrderItems,
                                                 "/orders/v0/orders/" + pid + "/orderItems"));
            if (!lines) return explain(lines.failure());
            Item item = order_item(wire::member(*order, "payload"));
            item.data["line_items"] = line_items(wire::member(wire::member(*lines, "payload"), "OrderItems"));
            return item;
        }
        return wire::unsupported_resource(*this, resource);
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        auto token = access_token(creds, ctx);
        if (!token) return token.failure();
        ProxyTarget t;
        t.base_url = sp_base(creds, ctx);
        t.headers = {{"x-amz-access-token", *token}, {"user-agent", kUserAgent}, {"Accept", "application/json"}};
        return t;
    }

private:
    static std::string sp_base(const Credentials& creds, const CallContext& ctx) {
        return wire::base_url(ctx, "amazon_sp_api", "https://sellingpartnerapi-{region}.amazon.com", creds);
    }

    static std::vector<std::string> marketplace_ids(const Credentials& creds) {
        std::vector<std::string> out;
        std::string list = creds.at("marketplace_ids");
        size_t start = 0;
        while (start <= list.size()) {
            size_t comma = list.find(',', start);
            std::string id = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!id.empty()) out.push_back(id);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        return out;
    }

    static wire::Request request(const Credentials& creds, const CallContext& ctx, const std::string& token,
                                 std::string step, const OperationLimit& operation, const std::string& path) {
        wire::Request r;
        r.step = std::move(step);
        r.operation = &operation;
        r.url = sp_base(creds, ctx) + path;
        r.headers = {{"x-amz-access-token", token}, {"user-agent", kUserAgent}, {"Accept", "application/json"}};
        return r;
    }

    // The LWA access token: cached, else exchanged for the refresh token.
    Outcome<std::string> access_token(const Credentials& creds, CallContext& ctx) const {
        const std::string& refresh = creds.at("refresh_token");
        const std::string& id = creds.at("lwa_client_id");
        const std::string& secret = creds.at("lwa_client_secret");
        std::string cached = wire::cached_token(ctx, {"amazon", id, secret, refresh});
        if (!cached.empty()) return cached;

        wire::Request r;
        r.step = "exchange_refresh_token";
        r.method = "POST";
        r.url = wire::base_url(ctx, "amazon_lwa", "https://api.amazon.com", creds) + "/auth/o2/token";
        r.content_type = "application/x-www-form-urlencoded;charset=UTF-8";
        r.body = wire::query({{"grant_type", "refresh_token"},
                              {"refresh_token", refresh},
                              {"client_id", id},
                              {"client_secret", secret}})
                     .substr(1);
        r.headers = {{"Accept", "application/json"}};
        r.retryable = true;  // a token exchange changes nothing on Amazon's side
        r.budgeted = false;  // the token host has limits of its own
        auto res = wire::send(*this, ctx, r);
        if (!res) return res.failure();
        auto j = wire::parse_json(res->body);
        if (res->status != 200) {
            std::string code = j ? wire::text(*j, "error") : "";
            Failure f = wire::status_failure(*this, ctx, r.step, *res, j ? wire::error_text(*j) : "");
            if (code == "invalid_grant") {
                f.cause = Cause::credential_rejected;
                f.message = "Amazon did not accept the refresh token. It may be incomplete (it is long; copy all "
                            "of it, starting with Atzr|) or revoked: authorize the app again in Seller Central to "
                            "get a new one.";
            } else if (code == "invalid_client" || code == "unauthorized_client") {
                f.cause = Cause::credential_rejected;
                f.message = "Amazon did not accept the LWA client identifier and secret. Copy both again from "
                            "Develop Apps → View under LWA credentials.";
            }
            return f;
        }
        std::string token = j ? wire::text(*j, "access_token") : "";
        if (token.empty()) return wire::unreadable(*this, r.step, "no access_token");
        int64_t expires = j->contains("expires_in") && (*j)["expires_in"].is_number() ? (*j)["expires_in"].get<int64_t>() : 3600;
        wire::cache_token(ctx, {"amazon", id, secret, refresh}, token, expires);
        return token;
    }

    Failure explain(Failure f) const {
        if (f.cause == Cause::scope_missing)
            f.message = "Amazon refused access: the app may lack the role this needs (Product Listing, Inventory "
                        "and Order Tracking). Add the roles to the app in Seller Central and authorize it again.";
        else if (f.cause == Cause::credential_rejected)
            f.message = "Amazon did not accept the access token. Authorize the app again in Seller Central.";
        return f;
    }

    Outcome<Page> listings_page(const Credentials& creds, CallContext& ctx, const std::string& token,
                                const std::string& cursor, const Window& w) const {
        std::string q = wire::query({{"marketplaceIds", creds.at("marketplace_ids")},
                                     {"pageSize", std::to_string(kListingsPage)},
                                     {"includedData", "summaries,offers,fulfillmentAvailability"},
                                     {"sortBy", "createdDate"},
                                     {"sortOrder", "ASC"},
                                     {"lastUpdatedAfter", w.updated_after},
                                     {"lastUpdatedBefore", w.updated_before},
                                     {"pageToken", cursor}});
        auto j = wire::call_json(*this, ctx,
                                 request(creds, ctx, token, "list_listings", ops::kSearchListingsItems,
                                         "/listings/2021-08-01/items/" + creds.at("seller_id") + q));
        if (!j) return explain(j.failure());
        json items = wire::member(*j, "items");
        if (!items.is_array()) return wire::unreadable(*this, "list_listings", "no items array");
        Page page;
        for (const json& i : items) page.items.push_back(listing_item(i));
        page.next_cursor = wire::text(wire::member(*j, "pagination"), "nextToken");
        if (cursor.empty() && j->contains("numberOfResults")) page.total = (*j)["numberOfResults"].get<int64_t>();
        return page;
    }

    Outcome<Page> orders_page(const Credentials& creds, CallContext& ctx, const std::string& token,
                              const std::string& cursor, const Window& w) const {
        // The sync engine's window already ends settle_seconds() ago; an open
        // one is closed there, and one that is empty asks nothing.
        std::string after = w.updated_after.empty() ? kBeginning : w.updated_after;
        std::string before = w.updated_before;
        int64_t latest = (ctx.now ? ctx.now() : int64_t(std::time(nullptr))) - kSettleSeconds;
        if (before.empty() || wire::unix_seconds(before) > latest) before = wire::iso_from_unix(latest);
        if (cursor.empty() && wire::unix_seconds(after) >= wire::unix_seconds(before)) return Page{};
        std::string q = cursor.empty()
                            ? wire::query({{"MarketplaceIds", creds.at("marketplace_ids")},
                                           {"MaxResultsPerPage", std::to_string(kOrdersPage)},
                                           {"LastUpdatedAfter", after},
                                           {"LastUpdatedBefore", before}})
                            : wire::query({{"MarketplaceIds", creds.at("marketplace_ids")}, {"NextToken", cursor}});
        auto j = wire::call_json(*this, ctx, request(creds, ctx, token, "list_orders", ops::kGetOrders, "/orders/v0/orders" + q));
        if (!j) return explain(j.failure());
        json payload = wire::member(*j, "payload");
        json orders = wire::member(payload, "Orders");
        if (!orders.is_array()) return wire::unreadable(*this, "list_orders", "no Orders array");
        Page page;
        for (const json& o : orders) page.items.push_back(order_item(o));
        page.next_cursor = wire::text(payload, "NextToken");
        return page;
    }

    static Item listing_item(const json& l) {
        json summary = wire::member(l, "summaries");
        summary = summary.is_array() && !summary.empty() ? summary[0] : json::object();
        json offer = wire::member(l, "offers");
        offer = offer.is_array() && !offer.empty() ? offer[0] : json::object();
        json price = wire::member(offer, "price");
        json stock = nullptr;
        if (json fa = wire::member(l, "fulfillmentAvailability"); fa.is_array() && !fa.empty())
            stock = wire::member(fa[0], "quantity");
        json status = wire::member(summary, "status");
        bool buyable = status.is_array() && std::find(status.begin(), status.end(), json("BUYABLE")) != status.end();
        Item item;
        item.id = wire::text(l, "sku");
        item.updated_at = wire::utc_iso(summary, "lastUpdatedDate");
        json variant = {{"id", item.id},
                        {"sku", item.id},
                        {"title", wire::member(summary, "itemName")},
                        {"price", wire::money(price, "amount")},
                        {"inventory", stock},
                        {"options", json::object()}};
        item.data = {{"id", item.id},
                     {"title", wire::member(summary, "itemName")},
                     {"sku", item.id},
                     {"status", buyable ? "active" : "inactive"},
                     {"vendor", nullptr},
                     {"description", nullptr},
                     {"price", wire::money(price, "amount")},
                     {"currency", wire::member(price, "currencyCode")},
                     {"inventory", stock},
                     {"created_at", wire::utc_iso(summary, "createdDate")},
                     {"updated_at", item.updated_at},
                     {"asin", wire::member(summary, "asin")},
                     {"variants", json::array({variant})}};
        return item;
    }

    static Item order_item(const json& o) {
        json total = wire::member(o, "OrderTotal");
        Item item;
        item.id = wire::text(o, "AmazonOrderId");
        item.updated_at = wire::utc_iso(o, "LastUpdateDate");
        item.data = {{"id", item.id},
                     {"number", item.id},
                     {"status", wire::member(o, "OrderStatus")},
                     {"currency", wire::member(total, "CurrencyCode")},
                     {"total", wire::money(total, "Amount")},
                     // Buyer e-mail is restricted data (it needs a Restricted
                     // Data Token); Onramp does not ask for it.
                     {"customer_email", nullptr},
                     {"created_at", wire::utc_iso(o, "PurchaseDate")},
                     {"updated_at", item.updated_at},
                     {"line_items", nullptr}};
        return item;
    }

    static json line_items(const json& items) {
        json out = json::array();
        if (!items.is_array()) return out;
        for (const json& i : items)
            out.push_back({{"product_id", wire::member(i, "ASIN")},
                           {"variant_id", wire::member(i, "SellerSKU")},
                           {"sku", wire::member(i, "SellerSKU")},
                           {"title", wire::member(i, "Title")},
                           {"quantity", wire::member(i, "QuantityOrdered")},
                           {"price", wire::money(wire::member(i, "ItemPrice"), "Amount")}});
        return out;
    }


};

}  // namespace

const Platform& amazon_platform() {
    static const Amazon platform;
    return platform;
}

}  // namespace onramp::connectors
