// TikTok Shop Open API, version 202309 (https://partner.tiktokshop.com/docv2/page/669a2e4b8dd3e802fe0a57fc).
//
//   auth        every request signed (api.h: app_key, timestamp, sign in the query) and
//               the seller's access token in x-tts-access-token; an access token past
//               its expires_at (less a minute) is renewed first with the refresh token
//               (oauth.h) and the new tokens go to ctx.save_credentials
//   base        https://open-api.tiktokglobalshop.com   (override key "tiktok_shop")
//   test        GET /authorization/202309/shops → the shops the app may reach; the one
//               whose cipher is shop_cipher, else the first (step fetch_shops)
//   products    POST /product/202309/products/search?page_size=100[&page_token]&shop_cipher
//               body {"update_time_ge", "update_time_lt"} (the window, Unix seconds)
//   orders      POST /order/202309/orders/search, the same query and body
//               → data {products | orders, next_page_token ("" on the last page), total_count}
//   refetch     GET /product/202309/products/{id}?shop_cipher;
//               GET /order/202309/orders?ids={id}&shop_cipher
//   errors      {"code": non-zero, "message", "request_id"}: 401 for a bad signature
//               (106001) or token, otherwise the code says what is wrong
//   proxy       none: a fixed header cannot sign each request
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/tiktok_shop/api.h"
#include "edge/platforms/tiktok_shop/oauth.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;
namespace tts = platforms::tiktok_shop;

// Renew an access token this long before TikTok Shop's moment, so a sync
// does not start a page with a token that lapses on the way.
constexpr int64_t kRenewMarginS = 60;

std::string value(const Credentials& creds, const char* name) {
    auto it = creds.find(name);
    return it == creds.end() ? std::string() : it->second;
}

class TikTokShop final : public Platform {
public:
    TikTokShop() : Platform(catalog_entry("tiktok_shop")) {}

    std::vector<Resource> resources() const override { return {Resource::products, Resource::orders}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        auto shop = current_shop(creds, ctx);
        if (!shop) {
            out.failure = shop.failure();
            return out;
        }
        out.verified.account_name = shop->name;
        out.verified.account_id = shop->id;
        out.verified.details = {{"region", shop->region},
                                {"seller_type", shop->seller_type},
                                {"shop_code", shop->code},
                                {"api_version", tts::kVersion}};
        return out;
    }

    Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource, const std::string& cursor,
                             const Window& w) const override {
        std::string name;
        if (resource == Resource::products) name = "products";
        else if (resource == Resource::orders) name = "orders";
        else return wire::unsupported_resource(*this, resource);

        auto token = access_token(creds, ctx);
        if (!token) return explain(token.failure());
        auto cipher = shop_cipher(creds, ctx);
        if (!cipher) return explain(cipher.failure());
        tts::Query q = {{"page_size", std::to_string(tts::kMaxPageSize)}, {"shop_cipher", *cipher}};
        if (!cursor.empty()) q["page_token"] = cursor;
        json filter = json::object();
        if (int64_t after = wire::unix_seconds(w.updated_after); after >= 0) filter["update_time_ge"] = after;
        if (int64_t before = wire::unix_seconds(w.updated_before); before >= 0) filter["update_time_lt"] = before;
        std::string path = (resource == Resource::products ? "/product/" : "/order/") + std::string(tts::kVersion) +
                           "/" + name + "/search";
        auto data = tts::call(ctx, tts::signed_request(ctx, creds, *token, "list_" + name, "POST", path, q,
                                                       filter.dump()));
        if (!data) return explain(data.failure());
        json list = wire::member(*data, name);
        if (list.is_null()) list = json::array();  // an empty result may leave the list out
        if (!list.is_array()) return wire::unreadable(*this, "list_" + name, "no " + name + " array");
        Page page;
        for (const json& o : list) page.items.push_back(resource == Resource::products ? product_item(o) : order_item(o));
        page.next_cursor = wire::text(*data, "next_page_token");
        if (json total = wire::member(*data, "total_count"); total.is_number_integer()) page.total = total.get<int64_t>();
        return page;
    }

    Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                            const std::string& id) const override {
        if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
            return wire::not_an_id(*this, id, "numbers");
        if (resource != Resource::products && resource != Resource::orders)
            return wire::unsupported_resource(*this, resource);
        auto token = access_token(creds, ctx);
        if (!token) return explain(token.failure());
        auto cipher = shop_cipher(creds, ctx);
        if (!cipher) return explain(cipher.failure());
        bool product = resource == Resource::products;
        std::string v(tts::kVersion);
        auto data = product ? tts::call(ctx, tts::signed_request(ctx, creds, *token, "fetch_product", "GET",
                                                                 "/product/" + v + "/products/" + id,
                                                                 {{"shop_cipher", *cipher}}))
                            : tts::call(ctx, tts::signed_request(ctx, creds, *token, "fetch_order", "GET",
                                                                 "/order/" + v + "/orders",
                                                                 {{"ids", id}, {"shop_cipher", *cipher}}));
        if (!data) return explain(data.failure());
        if (product) {
            if (wire::text(*data, "id").empty()) return wire::unreadable(*this, "fetch_product", "no product");
            return product_item(*data);
        }
        json orders = wire::member(*data, "orders");
        if (!orders.is_array() || orders.empty()) {
            Failure f = wire::unreadable(*this, "fetch_order", "no such order");
            f.cause = Cause::store_not_found;
            return f;
        }
        return order_item(orders[0]);
    }

    Outcome<ProxyTarget> proxy(const Credentials&, CallContext&) const override {
        Failure f;
        f.step = "proxy";
        f.cause = Cause::platform_error;
        f.message = "TikTok Shop needs every request signed with the app secret over its own path, query and body, "
                    "so Onramp cannot pass requests through to it with fixed headers.";
        return f;
    }

private:
    // The access token to send: the stored one, or a renewed one when it
    // expires within kRenewMarginS and a refresh token is there. One renewal
    // at a time per connection (its token cache's lock); a second caller
    // holding the same stale token gets the one the first obtained.
    Outcome<std::string> access_token(const Credentials& creds, CallContext& ctx) const {
        int64_t expires_at = std::atoll(value(creds, "expires_at").c_str());
        bool expiring = expires_at > 0 && tts::now(ctx) >= expires_at - kRenewMarginS;
        if (!expiring || value(creds, "refresh_token").empty()) return value(creds, "access_token");
        if (!ctx.tokens) ctx.tokens = std::make_shared<TokenCache>();
        std::lock_guard<std::mutex> lock(ctx.tokens->mu);
        std::string key = crypto::hex_encode(crypto::sha256("tiktok_shop renewed " + value(creds, "access_token")));
        if (ctx.tokens->key == key && !ctx.tokens->access_token.empty()) return ctx.tokens->access_token;
        auto fresh = tts::oauth::refresh(ctx, creds);
        if (!fresh) return fresh.failure();
        ctx.tokens->key = key;
        ctx.tokens->access_token = fresh->access_token;
        if (ctx.save_credentials)
            ctx.save_credentials({{"access_token", fresh->access_token},
                                  {"refresh_token", fresh->refresh_token.empty() ? value(creds, "refresh_token")
                                                                                 : fresh->refresh_token},
                                  {"expires_at", fresh->access_expires_at > 0
                                                     ? std::to_string(fresh->access_expires_at)
                                                     : ""}});
        return fresh->access_token;
    }

    // The shop the credentials name by shop_cipher, else the first one the
    // app may reach.
    Outcome<tts::Shop> current_shop(const Credentials& creds, CallContext& ctx) const {
        auto token = access_token(creds, ctx);
        if (!token) return explain(token.failure());
        auto shops = tts::authorized_shops(ctx, creds, *token);
        if (!shops) return explain(shops.failure());
        std::string wanted = value(creds, "shop_cipher");
        for (const tts::Shop& s : *shops)
            if (wanted.empty() || s.cipher == wanted) return s;
        Failure f;
        f.step = "fetch_shops";
        f.cause = Cause::store_not_found;
        f.field = "shop_cipher";
        f.message = shops->empty() ? "TikTok Shop lists no shop this app is authorized for. Have the seller "
                                     "authorize the app again."
                                   : "The app is no longer authorized for the shop this connection names. Have the "
                                     "seller authorize it again, or clear Shop cipher to use the first shop.";
        return f;
    }

    Outcome<std::string> shop_cipher(const Credentials& creds, CallContext& ctx) const {
        std::string stored = value(creds, "shop_cipher");
        if (!stored.empty()) return stored;
        auto shop = current_shop(creds, ctx);
        if (!shop) return shop.failure();
        return shop->cipher;
    }

    Failure explain(Failure f) const {
        if (f.cause != Cause::credential_rejected || f.step == "refresh_token") return f;
        if (f.platform_message.rfind("106001", 0) == 0) {
            f.field = "app_secret";
            f.message = "TikTok Shop did not accept the request's signature: the app secret does not belong to the "
                        "app key. Copy both again from Partner Center.";
        } else {
            f.field = "access_token";
            f.message = "TikTok Shop did not accept the access token (it expired or the seller withdrew the "
                        "authorization). Sign in to TikTok Shop from Onramp again.";
        }
        return f;
    }

    // price: the first SKU's; inventory: every SKU's stock in every warehouse.
    static Item product_item(const json& p) {
        json variants = json::array();
        int64_t stock = 0;
        bool counted = false;
        json skus = wire::member(p, "skus");
        if (skus.is_array()) {
            for (const json& s : skus) {
                json price = wire::member(s, "price");
                int64_t quantity = 0;
                bool has = false;
                if (json inv = wire::member(s, "inventory"); inv.is_array())
                    for (const json& i : inv)
                        if (json n = wire::member(i, "quantity"); n.is_number_integer()) {
                            quantity += n.get<int64_t>();
                            has = true;
                        }
                if (has) {
                    stock += quantity;
                    counted = true;
                }
                json options = json::object();
                if (json attrs = wire::member(s, "sales_attributes"); attrs.is_array())
                    for (const json& a : attrs) {
                        std::string n = wire::text(a, "name");
                        if (!n.empty()) options[n] = wire::text(a, "value_name");
                    }
                variants.push_back({{"id", wire::text(s, "id")},
                                    {"sku", wire::member(s, "seller_sku")},
                                    {"title", options.empty() ? json(nullptr) : json(options.begin().value())},
                                    {"price", wire::money(price, "sale_price")},
                                    {"inventory", has ? json(quantity) : json(nullptr)},
                                    {"options", options}});
            }
        }
        json first = variants.empty() ? json::object() : variants[0];
        json first_price = skus.is_array() && !skus.empty() ? wire::member(skus[0], "price") : json::object();
        Item item;
        item.id = wire::text(p, "id");
        item.updated_at = wire::utc_iso(p, "update_time");
        item.data = {{"id", item.id},
                     {"title", wire::member(p, "title")},
                     {"sku", wire::member(first, "sku")},
                     {"status", wire::member(p, "status")},
                     {"vendor", nullptr},
                     {"description", wire::member(p, "description")},
                     {"price", wire::member(first, "price")},
                     {"currency", wire::member(first_price, "currency")},
                     {"inventory", counted ? json(stock) : json(nullptr)},
                     {"created_at", wire::utc_iso(p, "create_time")},
                     {"updated_at", item.updated_at},
                     {"variants", variants}};
        return item;
    }

    // TikTok Shop lists one line item per unit; units of the same SKU
    // become one line with their quantity.
    static Item order_item(const json& o) {
        json lines = json::array();
        std::map<std::string, size_t> line_of_sku;
        if (json raw = wire::member(o, "line_items"); raw.is_array())
            for (const json& l : raw) {
                std::string sku = wire::text(l, "sku_id");
                auto it = line_of_sku.find(sku);
                if (it != line_of_sku.end()) {
                    lines[it->second]["quantity"] = lines[it->second]["quantity"].get<int64_t>() + 1;
                    continue;
                }
                line_of_sku[sku] = lines.size();
                lines.push_back({{"product_id", wire::text(l, "product_id")},
                                 {"variant_id", sku},
                                 {"sku", wire::member(l, "seller_sku")},
                                 {"title", wire::member(l, "product_name")},
                                 {"quantity", int64_t(1)},
                                 {"price", wire::money(l, "sale_price")}});
            }
        json payment = wire::member(o, "payment");
        Item item;
        item.id = wire::text(o, "id");
        item.updated_at = wire::utc_iso(o, "update_time");
        item.data = {{"id", item.id},
                     {"number", item.id},
                     {"status", wire::member(o, "status")},
                     {"currency", wire::member(payment, "currency")},
                     {"total", wire::money(payment, "total_amount")},
                     {"customer_email", wire::member(o, "buyer_email")},
                     {"created_at", wire::utc_iso(o, "create_time")},
                     {"updated_at", item.updated_at},
                     {"line_items", lines}};
        return item;
    }
};

}  // namespace

const Platform& tiktok_shop_platform() {
    static const TikTokShop platform;
    return platform;
}

}  // namespace onramp::connectors
