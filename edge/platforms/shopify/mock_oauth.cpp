// The mock Shopify's OAuth install endpoints, next to its Admin
// API under /shopify/{shop}:
//
//   GET  /admin/oauth/authorize?client_id&scope&redirect_uri&state
//        the merchant approves at once: 302 to redirect_uri with code, hmac,
//        host, shop, state and timestamp, signed with the demo app's secret
//   POST /admin/oauth/access_token  {client_id, client_secret, code}
//        (JSON or a form) → {"access_token": demo::kShopifyToken, "scope"};
//        a code works once; the install grants the token again if it had
//        been given up (DELETE /admin/api_permissions/current.json)
//
// It knows one app, demo::kShopifyAppKey / kShopifyAppSecret, and only the
// demo shop. Errors are Shopify's: an HTML-ish text for the authorize page,
// {"error", "error_description"} for the token endpoint.
#include <ctime>

#include "edge/connectors/wire.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/mock/internal.h"
#include "edge/platforms/shopify/oauth.h"

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "shopify";

http::Response error(int status, const std::string& message, double retry_after_s) {
    http::Response r = reply({{"error", status == 429 ? "rate_limited" : "invalid_request"}, {"error_description", message}},
                             status);
    if (status == 429) r.set_header("Retry-After", std::to_string(int(retry_after_s + 0.999)));
    return r;
}

http::Response authorize(State& s, const http::Request& req) {
    if (req.param("shop") != demo::kShopifyDomain) return page(404, "There is no shop at this address.");
    if (q(req, "client_id") != demo::kShopifyAppKey) return page(400, "Oauth error invalid_request: The client_id is invalid.");
    std::string redirect = q(req, "redirect_uri"), state = q(req, "state");
    http::ParsedUrl url;
    if (!http::parse_url(redirect, url)) return page(400, "Oauth error invalid_request: The redirect_uri is missing or not a URL.");
    if (state.empty()) return page(400, "Oauth error invalid_request: The state is missing.");
    std::string code = crypto::hex_encode(crypto::random_bytes(16));
    {
        std::lock_guard<std::mutex> lock(s.mu);
        s.oauth_codes.insert(code);
    }
    std::multimap<std::string, std::string> params = {
        {"code", code},
        {"host", crypto::base64_encode(std::string("admin.shopify.com/store/onramp-demo"))},
        {"shop", demo::kShopifyDomain},
        {"state", state},
        {"timestamp", std::to_string(std::time(nullptr))}};
    std::string hmac = connectors::shopify_oauth::sign(demo::kShopifyAppSecret, params);
    std::string location = redirect + (redirect.find('?') == std::string::npos ? "?" : "&");
    for (const auto& [k, v] : params) location += k + "=" + connectors::wire::url_encode(v) + "&";
    location += "hmac=" + hmac;
    http::Response r = page(302, "Redirecting to the app.");
    r.set_header("Location", location);
    return r;
}

// The token request's fields, from a JSON body or a form.
std::string field(const http::Request& req, const std::string& name) {
    json j = json::parse(req.body, nullptr, false);
    if (j.is_object()) return j.contains(name) && j[name].is_string() ? j[name].get<std::string>() : "";
    return connectors::wire::query_param("?" + req.body, name);
}

http::Response access_token(State& s, const http::Request& req) {
    if (req.param("shop") != demo::kShopifyDomain) return error(404, "Not Found", 0);
    if (field(req, "client_id") != demo::kShopifyAppKey || field(req, "client_secret") != demo::kShopifyAppSecret)
        return error(400, "The client credentials are invalid.", 0);
    std::string code = field(req, "code");
    {
        std::lock_guard<std::mutex> lock(s.mu);
        if (code.empty() || !s.oauth_codes.erase(code))
            return error(400, "The authorization code was not found or was already used.", 0);
        s.revoked_tokens.erase(demo::kShopifyToken);
    }
    return reply({{"access_token", demo::kShopifyToken}, {"scope", connectors::shopify_oauth::scopes()}});
}

}  // namespace

void add_shopify_oauth(http::Router& r, State& s) {
    add_route(r, s, kPlatform, error, "GET", "/shopify/{shop}/admin/oauth/authorize",
              [&s](const http::Request& req) { return authorize(s, req); });
    add_route(r, s, kPlatform, error, "POST", "/shopify/{shop}/admin/oauth/access_token",
              [&s](const http::Request& req) { return access_token(s, req); });
}

json demo_shopify_app() { return {{"client_id", demo::kShopifyAppKey}, {"client_secret", demo::kShopifyAppSecret}}; }

}  // namespace onramp::mock
