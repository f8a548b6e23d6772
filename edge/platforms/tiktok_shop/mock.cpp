// The mock TikTok Shop under /tiktok_shop (standing in for
// https://open-api.tiktokglobalshop.com), its token host under
// /tiktok_shop/auth (https://auth.tiktok-shops.com) and its authorization
// page under /tiktok_shop/services (https://services.tiktokshop.com): one
// app, one seller, one shop, all in module.cpp.
//
//   GET  /authorization/202309/shops            the demo shop, its cipher
//   POST /product/202309/products/search        ?page_size&page_token&shop_cipher, body
//                                               {"update_time_ge", "update_time_lt"}
//   GET  /product/202309/products/{id}          ?shop_cipher
//   POST /order/202309/orders/search            as products
//   GET  /order/202309/orders                   ?ids (comma separated, ≤ 50)&shop_cipher
//   GET  /auth/api/v2/token/get                 ?app_key&app_secret&auth_code&grant_type=authorized_code
//   GET  /auth/api/v2/token/refresh             ?app_key&app_secret&refresh_token&grant_type=refresh_token
//   GET  /services/open/authorize               ?service_id&state: the seller approves at once;
//                                               302 to the app's redirect URL with code and state
//   PUT  /partner_center/redirect_url           {"redirect_url"}: the mock's stand-in for the
//                                               redirect URL an app registers in Partner Center
//                                               (a demo edge sets its own at start:
//                                               set_tiktok_shop_redirect, Module::mock_oauth_callback)
//
// Every Open API call is checked as TikTok Shop checks it: app_key the demo
// app's, timestamp within five minutes of the real clock, sign the one
// api.h computes over the path (without /tiktok_shop), the query and the
// body, access_token absent from the query, x-tts-access-token a token the
// mock issued, shop_cipher the demo shop's on shop calls. Searches take
// page_size 1..100, and a page_token only as the mock issued it, for the
// same filters. Authorization codes work once.
//
// Answers are TikTok Shop's envelope: {"code": 0, "message": "Success",
// "data", "request_id"}; a refusal is a non-zero code with its message.
// 106001 (a bad signature, HTTP 401) is TikTok Shop's own; the other codes
// are the mock's, in TikTok Shop's style.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"
#include "edge/platforms/tiktok_shop/api.h"

namespace onramp::platforms::tiktok_shop {
const char* demo_app_key();
const char* demo_app_secret();
const char* demo_access_token();
const char* demo_refresh_token();
const char* demo_shop_cipher();
const char* demo_service_id();
}

namespace onramp::mock {

namespace {

namespace tts = platforms::tiktok_shop;

constexpr const char* kPlatform = "tiktok_shop";
constexpr const char* kPrefix = "/tiktok_shop";
constexpr int64_t kProductBase = 1729000000000000000LL;
constexpr int64_t kSkuBase = 1729100000000000000LL;
constexpr int64_t kOrderBase = 576000000000000000LL;
constexpr int64_t kAccessTokenLifeS = 7 * 86400;
constexpr int64_t kRefreshTokenLifeS = 365 * 86400;

// The codes the mock answers with (see the file comment).
constexpr int kBadSign = 106001;
constexpr int kBadAppKey = 106002;
constexpr int kStaleTimestamp = 106003;
constexpr int kBadToken = 105002;
constexpr int kBadShopCipher = 106011;
constexpr int kBadParameter = 36009004;
constexpr int kBadAuthCode = 36004003;
constexpr int kBadApp = 36004004;
constexpr int kTooManyRequests = 36009002;
constexpr int kServerError = 36009001;

// The sign-in state of each running mock, under its State's mu.
struct Auth {
    std::set<std::string> codes;          // authorization codes not yet exchanged
    std::set<std::string> access_tokens;  // issued by the token host
    std::string redirect_url;             // the app's, as Partner Center would hold it
};
std::map<const State*, Auth>& auth_of() {
    static std::map<const State*, Auth> all;
    return all;
}

http::Response envelope(int code, const std::string& message, const json& data, int status = 200) {
    json body = {{"code", code},
                 {"message", message},
                 {"request_id", crypto::hex_encode(crypto::random_bytes(12))}};
    if (!data.is_null()) body["data"] = data;
    return reply(body, status);
}

http::Response ok(const json& data) { return envelope(0, "Success", data); }
http::Response refuse(int status, int code, const std::string& message) { return envelope(code, message, nullptr, status); }

http::Response error(int status, const std::string& message, double retry_after_s) {
    http::Response r = refuse(status, status == 429 ? kTooManyRequests : kServerError,
                              status == 429 ? "Too many requests" : message.empty() ? "Internal error" : message);
    if (status == 429) r.set_header("Retry-After", std::to_string(int(retry_after_s + 0.999)));
    return r;
}

bool token_known(State& s, const std::string& token) {
    if (token.empty() || faults_for(s, kPlatform).revoked) return false;
    if (token == tts::demo_access_token()) return true;
    std::lock_guard<std::mutex> lock(s.mu);
    return auth_of()[&s].access_tokens.count(token) > 0;
}

// The checks every Open API call passes before `work` runs (file comment).
http::Response checked(State& s, const http::Request& req, bool shop_call,
                       const std::function<http::Response()>& work) {
    tts::Query query;
    for (const auto& [name, value] : req.query) {
        if (query.count(name)) return refuse(400, kBadParameter, "Parameter " + name + " is repeated");
        query[name] = value;
    }
    auto value = [&query](const char* name) {
        auto it = query.find(name);
        return it == query.end() ? std::string() : it->second;
    };
    if (query.count("access_token"))
        return refuse(400, kBadParameter, "access_token belongs in the x-tts-access-token header from version 202309");
    if (value("app_key") != tts::demo_app_key()) return refuse(401, kBadAppKey, "app_key is invalid");
    std::string ts = value("timestamp");
    if (ts.size() != 10 || ts.find_first_not_of("0123456789") != std::string::npos)
        return refuse(401, kStaleTimestamp, "timestamp must be ten digits of Unix seconds");
    // Freshness is a property of the request in transit, so it is held
    // against the real clock, not the data set's (Options::now_unix).
    if (std::llabs(std::stoll(ts) - int64_t(std::time(nullptr))) > tts::kTimestampToleranceS)
        return refuse(401, kStaleTimestamp, "timestamp is more than 300 seconds away from the server's time");
    std::string path = req.path.substr(std::string(kPrefix).size());
    std::string expected = tts::sign(tts::demo_app_secret(), path, query, req.body);
    if (!crypto::constant_time_equal(expected, value("sign"))) return refuse(401, kBadSign, "signature is invalid");
    if (!token_known(s, req.header(tts::kAccessTokenHeader)))
        return refuse(401, kBadToken, "access token is invalid or expired");
    if (shop_call && value("shop_cipher") != tts::demo_shop_cipher())
        return refuse(400, kBadShopCipher, "shop_cipher is invalid");
    return work();
}

json shop_json() {
    return {{"id", "7494049642642441621"}, {"name", "Onramp Demo Shop"}, {"region", "GB"},
            {"seller_type", "LOCAL"},      {"cipher", tts::demo_shop_cipher()}, {"code", "GBLCONRAMP"}};
}

json product_json(const Product& p, bool detail) {
    json skus = json::array();
    for (const Variant& v : p.variants)
        skus.push_back({{"id", std::to_string(kSkuBase + p.index * kVariantsPerProduct + v.k)},
                        {"seller_sku", v.sku},
                        {"price", {{"currency", "USD"}, {"sale_price", money(v.price_cents)},
                                   {"tax_exclusive_price", money(v.price_cents)}}},
                        {"inventory", json::array({{{"warehouse_id", "7068517275539719942"},
                                                    {"quantity", v.inventory}}})},
                        {"sales_attributes", json::array({{{"id", "100000"}, {"name", v.option_name},
                                                           {"value_id", std::to_string(7000 + v.k)},
                                                           {"value_name", v.option_value}}})}});
    json out = {{"id", std::to_string(kProductBase + p.index)},
                {"title", p.title},
                {"status", p.active ? "ACTIVATE" : "DRAFT"},
                {"sales_regions", json::array({"GB"})},
                {"create_time", p.created_at},
                {"update_time", p.updated_at},
                {"skus", skus}};
    if (detail) out["description"] = p.description;
    return out;
}

std::string order_status(const std::string& dataset_status) {
    if (dataset_status == "paid") return "AWAITING_SHIPMENT";
    if (dataset_status == "refunded") return "CANCELLED";
    return "UNPAID";
}

json order_json(const Dataset& d, const Order& o) {
    json lines = json::array();
    int unit = 0;
    for (const OrderLine& l : o.lines) {
        Product p = d.product(l.product);
        const Variant& v = p.variants[size_t(l.variant)];
        for (int i = 0; i < l.quantity; ++i)
            lines.push_back({{"id", std::to_string(kOrderBase + o.index) + "-" + std::to_string(++unit)},
                             {"product_id", std::to_string(kProductBase + p.index)},
                             {"sku_id", std::to_string(kSkuBase + p.index * kVariantsPerProduct + v.k)},
                             {"product_name", p.title},
                             {"sku_name", v.option_value},
                             {"seller_sku", v.sku},
                             {"sale_price", money(l.price_cents)},
                             {"currency", "USD"}});
    }
    return {{"id", std::to_string(kOrderBase + o.index)},
            {"status", order_status(o.status)},
            {"buyer_email", o.email},
            {"payment", {{"currency", "USD"}, {"total_amount", money(o.total_cents)}}},
            {"create_time", o.created_at},
            {"update_time", o.updated_at},
            {"line_items", lines}};
}

// A page_token: where the next page starts and the filters of the search
// it belongs to, opaque to the client.
std::string page_token(Kind kind, int64_t offset, int64_t ge, int64_t lt) {
    return crypto::base64url_encode(std::to_string(int(kind)) + ":" + std::to_string(offset) + ":" +
                                    std::to_string(ge) + ":" + std::to_string(lt));
}

// One page of a search (file comment): its page_size, page_token and
// filters checked, the objects whose update_time is in [ge, lt).
http::Response search(State& s, const http::Request& req, Kind kind) {
    int64_t size = q_int(req, "page_size", -1, tts::kMaxPageSize);
    if (size < 1) return refuse(400, kBadParameter, "page_size is required and must be between 1 and 100");
    json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
    if (!body.is_object()) return refuse(400, kBadParameter, "The request body is not a JSON object");
    auto bound = [&body](const char* name, int64_t fallback) {
        auto it = body.find(name);
        return it != body.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
    };
    int64_t ge = bound("update_time_ge", 0), lt = bound("update_time_lt", INT64_MAX);
    int64_t offset = 0;
    std::string token = q(req, "page_token");
    if (!token.empty()) {
        auto raw = crypto::base64url_decode(token);
        int k = -1;
        long long off = -1, tge = -1, tlt = -1;
        if (!raw || std::sscanf(raw->c_str(), "%d:%lld:%lld:%lld", &k, &off, &tge, &tlt) != 4 || k != int(kind) ||
            off < 0)
            return refuse(400, kBadParameter, "page_token is invalid");
        if (tge != ge || tlt != lt)
            return refuse(400, kBadParameter, "page_token belongs to a search with other filters");
        offset = off;
    }
    std::vector<int64_t> matches;
    int64_t n = s.data.count(kind);
    for (int64_t i = 0; i < n; ++i) {
        int64_t t = s.data.updated_at(kind, i);
        if (t >= ge && t < lt) matches.push_back(i);
    }
    json list = json::array();
    for (int64_t i = offset; i < int64_t(matches.size()) && i < offset + size; ++i)
        list.push_back(kind == Kind::product ? product_json(s.data.product(matches[size_t(i)]), false)
                                             : order_json(s.data, s.data.order(matches[size_t(i)])));
    bool more = offset + size < int64_t(matches.size());
    return ok({{kind == Kind::product ? "products" : "orders", list},
               {"next_page_token", more ? page_token(kind, offset + size, ge, lt) : ""},
               {"total_count", int64_t(matches.size())}});
}

// The index behind an id the mock rendered, or -1.
int64_t index_of(const std::string& id, int64_t base, int64_t count) {
    if (id.empty() || id.size() > 19 || id.find_first_not_of("0123456789") != std::string::npos) return -1;
    int64_t i = std::stoll(id) - base;
    return i >= 0 && i < count ? i : -1;
}

http::Response product(State& s, const http::Request& req) {
    int64_t i = index_of(req.param("id"), kProductBase, s.data.count(Kind::product));
    if (i < 0) return refuse(404, kBadParameter, "The product does not exist");
    return ok(product_json(s.data.product(i), true));
}

http::Response orders(State& s, const http::Request& req) {
    std::string ids = q(req, "ids");
    json list = json::array();
    size_t start = 0, count = 0;
    while (start <= ids.size() && !ids.empty()) {
        size_t comma = std::min(ids.find(',', start), ids.size());
        if (++count > 50) return refuse(400, kBadParameter, "ids takes at most 50 order ids");
        int64_t i = index_of(ids.substr(start, comma - start), kOrderBase, s.data.count(Kind::order));
        if (i >= 0) list.push_back(order_json(s.data, s.data.order(i)));
        start = comma + 1;
    }
    if (count == 0) return refuse(400, kBadParameter, "ids is required");
    return ok({{"orders", list}});
}

// The token host's answer for a new access token.
http::Response tokens(State& s, const std::string& refresh_token) {
    std::string access = "TTP_" + crypto::base64url_encode(crypto::random_bytes(24));
    {
        std::lock_guard<std::mutex> lock(s.mu);
        auth_of()[&s].access_tokens.insert(access);
    }
    int64_t now = s.wall_now();
    return ok({{"access_token", access},
               {"access_token_expire_in", now + kAccessTokenLifeS},
               {"refresh_token", refresh_token},
               {"refresh_token_expire_in", now + kRefreshTokenLifeS},
               {"open_id", "7010736057180325637"},
               {"seller_name", "Onramp Demo Seller"},
               {"seller_base_region", "GB"},
               {"user_type", 0},
               {"granted_scopes", json::array({"seller.authorization.info", "seller.product.basic",
                                               "seller.order.info"})}});
}

bool app_matches(const http::Request& req) {
    return q(req, "app_key") == tts::demo_app_key() &&
           crypto::constant_time_equal(q(req, "app_secret"), tts::demo_app_secret());
}

http::Response token_get(State& s, const http::Request& req) {
    if (!app_matches(req)) return refuse(200, kBadApp, "app_key or app_secret is invalid");
    if (q(req, "grant_type") != "authorized_code") return refuse(200, kBadParameter, "grant_type must be authorized_code");
    std::string code = q(req, "auth_code");
    {
        std::lock_guard<std::mutex> lock(s.mu);
        if (code.empty() || !auth_of()[&s].codes.erase(code))
            return refuse(200, kBadAuthCode, "auth_code is invalid, expired or already used");
    }
    return tokens(s, tts::demo_refresh_token());
}

http::Response token_refresh(State& s, const http::Request& req) {
    if (!app_matches(req)) return refuse(200, kBadApp, "app_key or app_secret is invalid");
    if (q(req, "grant_type") != "refresh_token") return refuse(200, kBadParameter, "grant_type must be refresh_token");
    if (faults_for(s, kPlatform).revoked || q(req, "refresh_token") != tts::demo_refresh_token())
        return refuse(200, kBadAuthCode, "refresh_token is invalid or expired");
    return tokens(s, tts::demo_refresh_token());
}

http::Response authorize(State& s, const http::Request& req) {
    if (q(req, "service_id") != tts::demo_service_id()) return page(400, "This service does not exist.");
    std::string state = q(req, "state");
    std::string code = "ROW_" + crypto::base64url_encode(crypto::random_bytes(18));
    std::string redirect;
    {
        std::lock_guard<std::mutex> lock(s.mu);
        Auth& a = auth_of()[&s];
        redirect = a.redirect_url;
        if (!redirect.empty()) a.codes.insert(code);
    }
    if (redirect.empty()) return page(400, "The app has no redirect URL registered in Partner Center.");
    http::Response r = page(302, "Redirecting to the app.");
    r.set_header("Location", redirect + (redirect.find('?') == std::string::npos ? "?" : "&") +
                                 "code=" + connectors::wire::url_encode(code) +
                                 "&state=" + connectors::wire::url_encode(state));
    return r;
}

void set_redirect(State& s, const std::string& url) {
    std::lock_guard<std::mutex> lock(s.mu);
    auth_of()[&s].redirect_url = url;
}

http::Response register_redirect(State& s, const http::Request& req) {
    json body = json::parse(req.body, nullptr, false);
    std::string url = body.is_object() && body.contains("redirect_url") && body["redirect_url"].is_string()
                          ? body["redirect_url"].get<std::string>()
                          : "";
    http::ParsedUrl parsed;
    if (!http::parse_url(url, parsed)) return refuse(400, kBadParameter, "redirect_url must be an absolute URL");
    set_redirect(s, url);
    return ok(json::object());
}

}  // namespace

void set_tiktok_shop_redirect(State& s, const std::string& callback_url) {
    http::ParsedUrl parsed;
    if (http::parse_url(callback_url, parsed)) set_redirect(s, callback_url);
}

void add_tiktok_shop(http::Router& r, State& s) {
    // A new mock may sit where an earlier one was: nothing it issued or
    // registered carries over.
    {
        std::lock_guard<std::mutex> lock(s.mu);
        auth_of()[&s] = Auth{};
    }
    std::string v(tts::kVersion);
    auto api = [&r, &s](const std::string& method, const std::string& path, bool shop_call,
                        std::function<http::Response(const http::Request&)> work) {
        add_route(r, s, kPlatform, error, method, kPrefix + path,
                  [&s, shop_call, work](const http::Request& req) {
                      return checked(s, req, shop_call, [&] { return work(req); });
                  });
    };
    api("GET", "/authorization/" + v + "/shops", false,
        [](const http::Request&) { return ok({{"shops", json::array({shop_json()})}}); });
    api("POST", "/product/" + v + "/products/search", true,
        [&s](const http::Request& req) { return search(s, req, Kind::product); });
    api("GET", "/product/" + v + "/products/{id}", true, [&s](const http::Request& req) { return product(s, req); });
    api("POST", "/order/" + v + "/orders/search", true,
        [&s](const http::Request& req) { return search(s, req, Kind::order); });
    api("GET", "/order/" + v + "/orders", true, [&s](const http::Request& req) { return orders(s, req); });
    add_route(r, s, kPlatform, error, "GET", std::string(kPrefix) + "/auth/api/v2/token/get",
              [&s](const http::Request& req) { return token_get(s, req); });
    add_route(r, s, kPlatform, error, "GET", std::string(kPrefix) + "/auth/api/v2/token/refresh",
              [&s](const http::Request& req) { return token_refresh(s, req); });
    add_route(r, s, kPlatform, error, "GET", std::string(kPrefix) + "/services/open/authorize",
              [&s](const http::Request& req) { return authorize(s, req); });
    add_route(r, s, kPlatform, error, "PUT", std::string(kPrefix) + "/partner_center/redirect_url",
              [&s](const http::Request& req) { return register_redirect(s, req); });
}

}  // namespace onramp::mock
