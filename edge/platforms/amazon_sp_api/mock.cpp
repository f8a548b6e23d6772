// The mock Login with Amazon token endpoint under /amazon/lwa (standing in
// for https://api.amazon.com) and the mock Selling Partner API under
// /amazon/sp (for https://sellingpartnerapi-{region}.amazon.com), one
// seller: demo::kAmazonSellerId selling in demo::kAmazonMarketplace.
//
//   POST /amazon/lwa/auth/o2/token       grant_type=refresh_token (form, or JSON as the Java
//                                        client sends) → {access_token, expires_in: 3600}
//   GET  /sellers/v1/marketplaceParticipations                 role selling_partner_insights
//   GET  /listings/2021-08-01/items/{sellerId}[/{sku}]         role product_listing
//        ?marketplaceIds&pageSize(≤20)&pageToken&lastUpdatedAfter&lastUpdatedBefore
//   GET  /orders/v0/orders[/{orderId}[/orderItems]]            role inventory_and_order_tracking
//        ?MarketplaceIds&MaxResultsPerPage(≤100)&LastUpdatedAfter[&LastUpdatedBefore]
//        |CreatedAfter (not both)&NextToken
//
// Errors as the SP-API's {"errors": [{"code", "message", "details"}]} and
// LWA's {"error", "error_description"}. Each operation has its own token
// bucket, the one the connector paces by (operations.h: the SP-API models'
// burst, and their rate times the clock's scale, mock_limits.h), announced in
// x-amzn-RateLimit-Limit; over it: 429 QuotaExceeded without Retry-After,
// as Amazon does. A revoked credential fails at the token
// exchange (invalid_grant). Listings are one per product (its base SKU);
// listing order is the SKU order whatever sortBy asks.
#include <cmath>

#include "edge/connectors/wire.h"
#include "edge/crypto/encoding.h"
#include "edge/mock/internal.h"
#include "edge/platforms/amazon_sp_api/mock_limits.h"
#include "edge/platforms/amazon_sp_api/operations.h"

namespace onramp::platforms::amazon_sp_api {

std::optional<double> parse_mock_time_scale(const std::string& text) { return mock::positive_number(text); }

double mock_time_scale(const mock::Options& o) {
    // The mock refuses options whose knob does not parse (mock::knob_problem()).
    return parse_mock_time_scale(mock::knob_text(o, kTimeScaleKnob, kTimeScaleDefault)).value_or(1);
}

}  // namespace onramp::platforms::amazon_sp_api

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "amazon_sp_api";
constexpr int64_t kSettleSeconds = 120;  // getOrders' LastUpdatedBefore ≤ now − 2 min

// An operation the mock serves: its documented bucket (operations.h, the
// connector's table) and the role it needs.
struct Operation {
    const connectors::OperationLimit& limit;
    const char* role;
};

namespace ops = platforms::amazon_sp_api;
const Operation kParticipations = {ops::kGetMarketplaceParticipations, "selling_partner_insights"};
const Operation kSearchListings = {ops::kSearchListingsItems, "product_listing"};
const Operation kGetListing = {ops::kGetListingsItem, "product_listing"};
const Operation kGetOrders = {ops::kGetOrders, "inventory_and_order_tracking"};
const Operation kGetOrder = {ops::kGetOrder, "inventory_and_order_tracking"};
const Operation kGetOrderItems = {ops::kGetOrderItems, "inventory_and_order_tracking"};

http::Response sp_error(int status, const std::string& code, const std::string& message, const std::string& details = "") {
    return reply({{"errors", json::array({{{"code", code}, {"message", message}, {"details", details}}})}}, status);
}

http::Response error(int status, const std::string& message, double) {
    if (status == 429) return sp_error(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");
    return sp_error(status, "InternalFailure", "We encountered an internal error. Please try again.");
}

std::string rate_text(double rate) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", rate);
    return buf;
}

http::Response gated(State& s, const http::Request& req, const Operation& op, const std::function<http::Response()>& work) {
    if (req.header("x-amz-access-token") != demo::kAmazonAccessToken)
        return sp_error(403, "Unauthorized", "Access to requested resource is denied.",
                        "The access token you provided is revoked, malformed or invalid.");
    // A faster demo clock refills the bucket sooner; the burst, the bucket's
    // size, is the documented one whatever the clock.
    double rate = op.limit.rate * platforms::amazon_sp_api::mock_time_scale(s.options);
    BucketTake t = bucket_take(s, "amazon:" + std::string(op.limit.name), op.limit.burst, rate);
    http::Response r;
    if (!t.allowed)
        r = error(429, "", 0);
    else if (scope_missing(s, kPlatform, op.role))
        r = sp_error(403, "Unauthorized", "Access to requested resource is denied.", "");
    else
        r = work();
    r.set_header("x-amzn-RateLimit-Limit", rate_text(rate));
    r.set_header("x-amzn-RequestId", "mock-" + std::to_string(s.now_ms()));
    return r;
}

bool has_marketplace(const std::string& list) {
    return ("," + list + ",").find(std::string(",") + demo::kAmazonMarketplace + ",") != std::string::npos;
}

std::string asin(int64_t i) {
    static const char* kAlnum = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    std::string out = "B0";
    uint64_t x = uint64_t(i) * 2654435761ULL + 12345;
    for (int k = 0; k < 8; ++k) {
        out += kAlnum[x % 34];
        x /= 34;
    }
    return out;
}

json listing_json(const Product& p) {
    int stock = 0;
    for (const Variant& v : p.variants) stock += v.inventory;
    json status = p.active ? json::array({"BUYABLE", "DISCOVERABLE"}) : json::array({"DISCOVERABLE"});
    return {{"sku", p.sku},
            {"summaries",
             json::array({{{"marketplaceId", demo::kAmazonMarketplace},
                           {"asin", asin(p.index)},
                           {"productType", "HOME"},
                           {"conditionType", "new_new"},
                           {"status", status},
                           {"itemName", p.title},
                           {"createdDate", iso8601(p.created_at)},
                           {"lastUpdatedDate", iso8601(p.updated_at)}}})},
            {"offers",
             json::array({{{"marketplaceId", demo::kAmazonMarketplace},
                           {"offerType", "B2C"},
                           {"price", {{"currencyCode", "USD"}, {"amount", money(p.price_cents)}}}}})},
            {"fulfillmentAvailability", json::array({{{"fulfillmentChannelCode", "DEFAULT"}, {"quantity", stock}}})}};
}

// "114-1000042-0332598": the index lives in the middle group.
std::string order_id(int64_t i) {
    char buf[48];  // room for any int64_t, as the compiler checks
    std::snprintf(buf, sizeof buf, "114-%07lld-%07lld", static_cast<long long>(1000000 + i),
                  static_cast<long long>((i * 7919) % 10000000));
    return buf;
}

int64_t order_index(const std::string& id, int64_t count) {
    if (id.size() != 19 || id.compare(0, 4, "114-") != 0 || id[11] != '-') return -1;
    std::string mid = id.substr(4, 7);
    if (mid.find_first_not_of("0123456789") != std::string::npos) return -1;
    int64_t i = std::stoll(mid) - 1000000;
    return i >= 0 && i < count && order_id(i) == id ? i : -1;
}

json order_json(const Order& o) {
    static const char* kStatus[] = {"Shipped", "Unshipped", "Canceled"};
    int status = o.status == "paid" ? 0 : o.status == "pending" ? 1 : 2;
    int items = 0;
    for (const OrderLine& l : o.lines) items += l.quantity;
    return {{"AmazonOrderId", order_id(o.index)},
            {"PurchaseDate", iso8601(o.created_at)},
            {"LastUpdateDate", iso8601(o.updated_at)},
            {"OrderStatus", kStatus[status]},
            {"FulfillmentChannel", "MFN"},
            {"SalesChannel", "Amazon.com"},
            {"OrderTotal", {{"CurrencyCode", "USD"}, {"Amount", money(o.total_cents)}}},
            {"NumberOfItemsShipped", status == 0 ? items : 0},
            {"NumberOfItemsUnshipped", status == 1 ? items : 0},
            {"PaymentMethod", "Other"},
            {"MarketplaceId", demo::kAmazonMarketplace},
            {"BuyerInfo", json::object()}};
}

json order_items_json(const Dataset& d, const Order& o) {
    json items = json::array();
    int n = 0;
    for (const OrderLine& l : o.lines) {
        Product p = d.product(l.product);
        items.push_back({{"ASIN", asin(l.product)},
                         {"SellerSKU", p.sku},
                         {"OrderItemId", std::to_string(10000000000000LL + o.index * 10 + n++)},
                         {"Title", p.title},
                         {"QuantityOrdered", l.quantity},
                         {"QuantityShipped", o.status == "paid" ? l.quantity : 0},
                         {"ItemPrice", {{"CurrencyCode", "USD"}, {"Amount", money(l.price_cents * l.quantity)}}}});
    }
    return {{"payload", {{"AmazonOrderId", order_id(o.index)}, {"OrderItems", items}}}};
}

// Opaque continuation tokens: where to resume and the filters of the
// first request.
std::string token(int64_t next, int64_t after, int64_t before) {
    return crypto::base64_encode(json({{"n", next}, {"a", after}, {"b", before}}).dump());
}

bool untoken(const std::string& t, int64_t& next, int64_t& after, int64_t& before) {
    auto raw = crypto::base64_decode(t);
    if (!raw) return false;
    json j = json::parse(*raw, nullptr, false);
    if (!j.is_object() || !j.contains("n")) return false;
    next = j.value("n", int64_t(0));
    after = j.value("a", int64_t(-1));
    before = j.value("b", int64_t(-1));
    return true;
}

http::Response search_listings(State& s, const http::Request& req) {
    if (req.param("seller") != demo::kAmazonSellerId)
        return sp_error(400, "InvalidInput", "The seller ID in the path does not match the authorizing seller.");
    if (!has_marketplace(q(req, "marketplaceIds")))
        return sp_error(400, "InvalidInput", "marketplaceIds must name a marketplace the seller participates in.");
    int64_t size = q_int(req, "pageSize", 10, 20);
    if (size < 0) return sp_error(400, "InvalidInput", "pageSize must be between 1 and 20.");
    int64_t next = 0, after = q_time(req, "lastUpdatedAfter"), before = q_time(req, "lastUpdatedBefore");
    std::string page_token = q(req, "pageToken");
    if (!page_token.empty() && !untoken(page_token, next, after, before))
        return sp_error(400, "InvalidInput", "Invalid pageToken.");
    const Dataset& d = s.data;
    int64_t n = d.count(Kind::product), total = 0;
    json items = json::array();
    int64_t resume = -1;
    for (int64_t i = 0; i < n; ++i) {
        int64_t u = d.updated_at(Kind::product, i);
        if ((after >= 0 && u < after) || (before >= 0 && u > before)) continue;
        ++total;
        if (i < next) continue;
        if (int64_t(items.size()) < size)
            items.push_back(listing_json(d.product(i)));
        else if (resume < 0)
            resume = i;
    }
    json pagination = json::object();
    if (resume >= 0) pagination["nextToken"] = token(resume, after, before);
    if (!page_token.empty()) pagination["previousToken"] = token(std::max<int64_t>(0, next - size), after, before);
    return reply({{"numberOfResults", total}, {"pagination", pagination}, {"items", items}});
}

http::Response get_orders(State& s, const http::Request& req) {
    if (!has_marketplace(q(req, "MarketplaceIds")))
        return sp_error(400, "InvalidInput", "MarketplaceIds is required and must name the seller's marketplace.");
    int64_t size = q_int(req, "MaxResultsPerPage", 100, 100);
    if (size < 0) return sp_error(400, "InvalidInput", "MaxResultsPerPage must be between 1 and 100.");
    int64_t next = 0, after = -1, before = -1;
    std::string next_token = q(req, "NextToken");
    if (!next_token.empty()) {
        if (!untoken(next_token, next, after, before)) return sp_error(400, "InvalidInput", "Invalid NextToken.");
    } else {
        after = q_time(req, "LastUpdatedAfter");
        before = q_time(req, "LastUpdatedBefore");
        bool created = !q(req, "CreatedAfter").empty() || !q(req, "CreatedBefore").empty();
        if (after < 0 && q_time(req, "CreatedAfter") < 0)
            return sp_error(400, "InvalidInput", "Either CreatedAfter or LastUpdatedAfter must be given.");
        // getOrders' model: "CreatedAfter or CreatedBefore cannot be set
        // when LastUpdatedAfter is set".
        if (after >= 0 && created)
            return sp_error(400, "InvalidInput",
                            "CreatedAfter and CreatedBefore cannot be given with LastUpdatedAfter.");
        // LastUpdatedBefore "must be equal to or after the LastUpdatedAfter
        // date and at least two minutes before current time".
        if (before >= 0 && before > s.wall_now() - kSettleSeconds)
            return sp_error(400, "InvalidInput",
                            "LastUpdatedBefore must be at least two minutes before the time of the request.");
        if (before >= 0 && after >= 0 && after > before)
            return sp_error(400, "InvalidInput", "LastUpdatedBefore must be equal to or after LastUpdatedAfter.");
    }
    const Dataset& d = s.data;
    int64_t n = d.count(Kind::order);
    json orders = json::array();
    int64_t resume = -1;
    for (int64_t i = next; i < n; ++i) {
        int64_t u = d.updated_at(Kind::order, i);
        if ((after >= 0 && u < after) || (before >= 0 && u > before)) continue;
        if (int64_t(orders.size()) == size) {
            resume = i;
            break;
        }
        orders.push_back(order_json(d.order(i)));
    }
    json payload = {{"Orders", orders}, {"LastUpdatedBefore", iso8601(kEpoch + 400 * 86400)}};
    if (resume >= 0) payload["NextToken"] = token(resume, after, before);
    return reply({{"payload", payload}});
}

http::Response lwa_token(State& s, const http::Request& req) {
    std::string body = req.body;
    auto field = [&](const char* name) -> std::string {
        json j = json::parse(body, nullptr, false);
        if (j.is_object()) return j.value(name, "");
        return connectors::wire::query_param("?" + body, name);
    };
    if (field("grant_type") != "refresh_token")
        return reply({{"error", "unsupported_grant_type"}, {"error_description", "The grant type is not supported."}}, 400);
    if (field("client_id") != demo::kAmazonClientId || field("client_secret") != demo::kAmazonClientSecret)
        return reply({{"error", "invalid_client"}, {"error_description", "Client authentication failed"}}, 401);
    if (field("refresh_token") != demo::kAmazonRefreshToken || revoked(s, kPlatform))
        return reply({{"error", "invalid_grant"},
                      {"error_description", "The request has an invalid grant parameter : refresh_token"}},
                     400);
    return reply({{"access_token", demo::kAmazonAccessToken},
                  {"refresh_token", demo::kAmazonRefreshToken},
                  {"token_type", "bearer"},
                  {"expires_in", 3600}});
}

}  // namespace

void add_amazon(http::Router& r, State& s) {
    auto lwa_error = [](int status, const std::string& message, double retry_after_s) {
        http::Response res = reply({{"error", status == 429 ? "slow_down" : "server_error"}, {"error_description", message}},
                                   status);
        if (status == 429) res.set_header("Retry-After", std::to_string(int(std::ceil(retry_after_s))));
        return res;
    };
    add_route(r, s, kPlatform, lwa_error, "POST", "/amazon/lwa/auth/o2/token",
              [&s](const http::Request& req) { return lwa_token(s, req); });

    const std::string sp = "/amazon/sp";
    auto route = [&](const std::string& pattern, const Operation& op,
                     std::function<http::Response(State&, const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, "GET", sp + pattern, [&s, op, fn](const http::Request& req) {
            return gated(s, req, op, [&] { return fn(s, req); });
        });
    };
    route("/sellers/v1/marketplaceParticipations", kParticipations, [](State&, const http::Request&) {
        json us = {{"marketplace",
                    {{"id", demo::kAmazonMarketplace},
                     {"countryCode", "US"},
                     {"name", "Amazon.com"},
                     {"defaultCurrencyCode", "USD"},
                     {"defaultLanguageCode", "en_US"},
                     {"domainName", "www.amazon.com"}}},
                   {"storeName", "Onramp Demo Seller"},
                   {"participation", {{"isParticipating", true}, {"hasSuspendedListings", false}}}};
        json ca = {{"marketplace",
                    {{"id", "A2EUQ1WTGCTBG2"},
                     {"countryCode", "CA"},
                     {"name", "Amazon.ca"},
                     {"defaultCurrencyCode", "CAD"},
                     {"defaultLanguageCode", "en_CA"},
                     {"domainName", "www.amazon.ca"}}},
                   {"storeName", "Onramp Demo Seller"},
                   {"participation", {{"isParticipating", false}, {"hasSuspendedListings", false}}}};
        return reply({{"payload", json::array({us, ca})}});
    });
    route("/listings/2021-08-01/items/{seller}", kSearchListings, search_listings);
    route("/listings/2021-08-01/items/{seller}/{sku}", kGetListing, [](State& st, const http::Request& req) {
        std::string sku = req.param("sku");
        const std::string prefix = "ONR-";
        int64_t n = st.data.count(Kind::product);
        if (req.param("seller") != demo::kAmazonSellerId || sku.rfind(prefix, 0) != 0 ||
            sku.size() > 12 || sku.find_first_not_of("0123456789", prefix.size()) != std::string::npos)
            return sp_error(404, "NotFound", "The requested listings item was not found.");
        int64_t i = std::stoll(sku.substr(prefix.size())) - 100000;
        if (i < 0 || i >= n) return sp_error(404, "NotFound", "The requested listings item was not found.");
        return reply(listing_json(st.data.product(i)));
    });
    route("/orders/v0/orders", kGetOrders, get_orders);
    route("/orders/v0/orders/{order}", kGetOrder, [](State& st, const http::Request& req) {
        int64_t i = order_index(req.param("order"), st.data.count(Kind::order));
        if (i < 0) return sp_error(404, "NotFound", "The requested order was not found.");
        return reply({{"payload", order_json(st.data.order(i))}});
    });
    route("/orders/v0/orders/{order}/orderItems", kGetOrderItems, [](State& st, const http::Request& req) {
        int64_t i = order_index(req.param("order"), st.data.count(Kind::order));
        if (i < 0) return sp_error(404, "NotFound", "The requested order was not found.");
        return reply(order_items_json(st.data, st.data.order(i)));
    });
}

}  // namespace onramp::mock
