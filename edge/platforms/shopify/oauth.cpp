#include "edge/platforms/shopify/oauth.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "edge/app.h"
#include "edge/connectors/wire.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/http/message.h"
#include "edge/mock/server.h"
#include "edge/oauth/states.h"
#include "edge/webhooks/automatic.h"
#include "shared/validation/validate.h"

namespace onramp::connectors::shopify_oauth {

namespace {

std::string escape(const std::string& s, bool key) {
    std::string out;
    for (char c : s) {
        if (c == '%') out += "%25";
        else if (c == '&') out += "%26";
        else if (key && c == '=') out += "%3D";
        else out += c;
    }
    return out;
}

std::string base(const CallContext& ctx, const std::string& shop) {
    return wire::base_url(ctx, "shopify", "https://{shop_domain}", {{"shop_domain", shop}});
}

}  // namespace

std::string scopes() {
    std::string out;
    const Platform* p = find_platform("shopify");
    if (!p) return out;
    for (const Scope& s : p->entry().scopes) out += (out.empty() ? "" : ",") + std::string(s.name);
    return out;
}

std::string authorize_url(const CallContext& ctx, const std::string& shop, const AppCredentials& app,
                          const std::string& redirect_uri, const std::string& state) {
    return base(ctx, shop) + "/admin/oauth/authorize" +
           wire::query({{"client_id", app.client_id}, {"scope", scopes()}, {"redirect_uri", redirect_uri},
                        {"state", state}});
}

std::string signed_message(const std::multimap<std::string, std::string>& query) {
    std::vector<std::string> pairs;
    for (const auto& [k, v] : query)
        if (k != "hmac" && k != "signature") pairs.push_back(escape(k, true) + "=" + escape(v, false));
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const std::string& p : pairs) out += (out.empty() ? "" : "&") + p;
    return out;
}

std::string sign(const std::string& secret, const std::multimap<std::string, std::string>& query) {
    return crypto::hex_encode(crypto::hmac_sha256(secret, signed_message(query)));
}

bool verify(const std::string& secret, const std::multimap<std::string, std::string>& query) {
    auto given = query.find("hmac");
    if (given == query.end() || query.count("hmac") != 1 || secret.empty()) return false;
    std::string mac = given->second;
    for (char& c : mac) c = char(std::tolower(static_cast<unsigned char>(c)));
    return crypto::constant_time_equal(mac, sign(secret, query));
}

Outcome<Token> exchange_code(CallContext& ctx, const std::string& shop, const AppCredentials& app,
                             const std::string& code) {
    const Platform* p = find_platform("shopify");
    wire::Request r;
    r.step = "exchange_code";
    r.method = "POST";
    r.url = base(ctx, shop) + "/admin/oauth/access_token";
    r.content_type = "application/json";
    r.headers = {{"Accept", "application/json"}};
    r.body = nlohmann::json{{"client_id", app.client_id}, {"client_secret", app.client_secret}, {"code", code}}.dump();
    // A code is single-use: a retry after a lost answer would only be refused.
    r.retryable = false;
    r.budgeted = false;
    auto j = wire::call_json(*p, ctx, r);
    if (!j) {
        Failure f = j.failure();
        if (f.http_status == 400 || f.http_status == 401 || f.http_status == 403)
            f.message = "Shopify did not accept the authorization. Start the connection again from Onramp.";
        return f;
    }
    Token t{wire::text(*j, "access_token"), wire::text(*j, "scope")};
    if (t.access_token.empty()) return wire::unreadable(*p, "exchange_code", "no access_token");
    return t;
}

}  // namespace onramp::connectors::shopify_oauth

namespace onramp::platforms::shopify {

namespace {

using connectors::shopify_oauth::AppCredentials;

// The Onramp app at Shopify: SHOPIFY_API_KEY and SHOPIFY_API_SECRET, or in
// demo mode the mock's demo app.
std::optional<AppCredentials> app_credentials(App& app) {
    AppCredentials a{app.env("SHOPIFY_API_KEY"), app.env("SHOPIFY_API_SECRET")};
    if (!a.client_id.empty() && !a.client_secret.empty()) return a;
    if (!app.config.demo) return std::nullopt;
    nlohmann::json demo = mock::demo_shopify_app();
    return AppCredentials{demo["client_id"], demo["client_secret"]};
}

// The start's part: the shop, and the Onramp app at Shopify.
Status prepare(App& app, Fields& f, const connectors::CallContext&, oauth::Pending& p) {
    std::string shop = f.text("shop_domain", 200);
    if (!shop.empty()) {
        const connectors::Connector* entry = connectors::find_connector("shopify");
        validation::FieldCheck check = validation::validate_field(*entry->find_field("shop_domain"), shop);
        if (!check.ok()) f.fail("shop_domain", check.error);
        shop = check.value;
    }
    if (!f.ok()) return f.problem();
    if (!app_credentials(app))
        return conflict("This server has no Shopify app: set SHOPIFY_API_KEY and SHOPIFY_API_SECRET.",
                        "oauth_not_configured");
    p.shop = shop;
    return ok_status();
}

std::string authorize_url(App& app, const connectors::CallContext& ctx, const oauth::Pending& p,
                          const std::string& redirect_uri, const std::string& state) {
    return connectors::shopify_oauth::authorize_url(ctx, p.shop, *app_credentials(app), redirect_uri, state);
}

// Shopify signs its redirect: checked before the state is spent.
std::optional<OAuthRefusal> check_redirect(App& app, const http::Request& req) {
    auto credentials = app_credentials(app);
    if (!credentials) return OAuthRefusal{409, "oauth_not_configured", "This server has no Shopify app configured."};
    if (!connectors::shopify_oauth::verify(credentials->client_secret, req.query))
        return OAuthRefusal{400, "invalid_signature",
                            "The answer from Shopify was not signed correctly. Start again from Onramp."};
    return std::nullopt;
}

// The state names the shop it was issued for.
std::optional<OAuthRefusal> check_answer(const oauth::Pending& p, const http::Request& req) {
    if (p.shop != req.query_value("shop"))
        return OAuthRefusal{400, "foreign_state",
                            "This authorization was started for another shop. Start again from Onramp."};
    return std::nullopt;
}

std::optional<OAuthRefusal> exchange(App& app, connectors::CallContext& ctx, const oauth::Pending& p,
                                     const http::Request& req, const std::string&, OAuthGrant& out) {
    auto token = connectors::shopify_oauth::exchange_code(ctx, p.shop, *app_credentials(app), req.query_value("code"));
    if (!token) return OAuthRefusal{502, "code_exchange_failed", token.failure().message};
    out.credentials = {{"shop_domain", p.shop}, {"access_token", token->access_token}};
    out.account = p.shop;
    return std::nullopt;
}

// The app's secret signs the shop's webhooks.
void connected(App& app, const store::Connection& conn, const auth::Principal& who, const http::Request& req) {
    if (auto credentials = app_credentials(app))
        webhooks::adopt_shopify_app_secret(app, conn, credentials->client_secret, &who, &req);
}

}  // namespace

const OAuthInstall& oauth_install() {
    static const OAuthInstall install{
        .sender = "Shopify",
        .prepare = prepare,
        .authorize_url = authorize_url,
        .started_detail = [](const oauth::Pending& p) { return nlohmann::json{{"shop", p.shop}}; },
        .check_redirect = check_redirect,
        .check_answer = check_answer,
        .exchange = exchange,
        .connected = connected,
    };
    return install;
}

}  // namespace onramp::platforms::shopify
