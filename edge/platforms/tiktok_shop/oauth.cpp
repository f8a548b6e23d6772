// TikTok Shop's seller authorization: the authorize URL, the code and
// refresh exchanges, and a sign-in's credentials (oauth.h).
#include "edge/platforms/tiktok_shop/oauth.h"

#include "edge/connectors/wire.h"
#include "edge/http/message.h"
#include "edge/oauth/states.h"
#include "edge/platforms/oauth.h"
#include "edge/platforms/tiktok_shop/api.h"
#include "shared/validation/validate.h"

namespace onramp::platforms::tiktok_shop::oauth {

using connectors::Cause;
using connectors::Credentials;
using connectors::Failure;
using connectors::Outcome;
using nlohmann::json;
namespace wire = connectors::wire;

namespace {

std::string value(const Credentials& creds, const char* name) {
    auto it = creds.find(name);
    return it == creds.end() ? std::string() : it->second;
}

int64_t moment(const json& data, const char* name) {
    json v = wire::member(data, name);
    return v.is_number_integer() ? v.get<int64_t>() : 0;
}

// One token call: GET {token host}{path}?query, unsigned, read through the
// envelope. The app secret is in the URL, which the wire layer never logs.
Outcome<Token> token_call(connectors::CallContext& ctx, const Credentials& creds, std::string step,
                          const std::string& path, const Query& query) {
    wire::Request r;
    r.step = std::move(step);
    r.url = wire::base_url(ctx, "tiktok_shop_auth", "https://auth.tiktok-shops.com", creds) + path + "?" +
            encode_query(query);
    r.headers = {{"Accept", "application/json"}};
    r.budgeted = false;  // the token host has limits of its own
    auto data = call(ctx, r);
    if (!data) {
        Failure f = data.failure();
        if (f.cause == Cause::platform_error || f.cause == Cause::credential_rejected) {
            f.cause = Cause::credential_rejected;
            f.message = r.step == "exchange_code"
                            ? "TikTok Shop did not exchange the authorization code (it may be used already or "
                              "expired, or the app key and secret do not belong together). Start the sign-in again."
                            : "TikTok Shop did not renew the access token with the refresh token. Sign in to "
                              "TikTok Shop from Onramp again.";
        }
        return f;
    }
    Token t;
    t.access_token = wire::text(*data, "access_token");
    t.refresh_token = wire::text(*data, "refresh_token");
    t.access_expires_at = moment(*data, "access_token_expire_in");
    t.refresh_expires_at = moment(*data, "refresh_token_expire_in");
    t.seller_name = wire::text(*data, "seller_name");
    if (t.access_token.empty())
        return wire::unreadable(connectors::tiktok_shop_platform(), r.step, "no access_token in the answer");
    return t;
}

}  // namespace

std::string authorize_url(const connectors::CallContext& ctx, const Credentials& creds, const std::string& state) {
    std::string host = value(creds, "region") == "us" ? "https://services.us.tiktokshop.com"
                                                      : "https://services.tiktokshop.com";
    return wire::base_url(ctx, "tiktok_shop_authorize", host, creds) + "/open/authorize?" +
           encode_query({{"service_id", value(creds, "service_id")}, {"state", state}});
}

Outcome<Token> exchange_code(connectors::CallContext& ctx, const Credentials& creds, const std::string& auth_code) {
    return token_call(ctx, creds, "exchange_code", "/api/v2/token/get",
                      {{"app_key", value(creds, "app_key")},
                       {"app_secret", value(creds, "app_secret")},
                       {"auth_code", auth_code},
                       {"grant_type", "authorized_code"}});
}

Outcome<Token> refresh(connectors::CallContext& ctx, const Credentials& creds) {
    return token_call(ctx, creds, "refresh_token", "/api/v2/token/refresh",
                      {{"app_key", value(creds, "app_key")},
                       {"app_secret", value(creds, "app_secret")},
                       {"refresh_token", value(creds, "refresh_token")},
                       {"grant_type", "refresh_token"}});
}

Outcome<SignIn> sign_in(connectors::CallContext& ctx, const Credentials& app, const std::string& auth_code) {
    auto token = exchange_code(ctx, app, auth_code);
    if (!token) return token.failure();
    auto shops = authorized_shops(ctx, app, token->access_token);
    if (!shops) return shops.failure();
    if (shops->empty()) {
        Failure f = wire::unreadable(connectors::tiktok_shop_platform(), "fetch_shops", "no authorized shop");
        f.cause = Cause::store_not_found;
        f.message = "The seller authorized the app, but TikTok Shop lists no shop for it. Sign in with the "
                    "seller account that owns the shop.";
        return f;
    }
    Credentials out;
    for (const char* name : {"app_key", "app_secret", "service_id", "region"})
        if (!value(app, name).empty()) out[name] = value(app, name);
    out["access_token"] = token->access_token;
    if (!token->refresh_token.empty()) out["refresh_token"] = token->refresh_token;
    if (token->access_expires_at > 0) out["expires_at"] = std::to_string(token->access_expires_at);
    out["shop_cipher"] = shops->front().cipher;
    return SignIn{std::move(out), shops->front().name};
}

}  // namespace onramp::platforms::tiktok_shop::oauth

namespace onramp::platforms::tiktok_shop {

namespace {

// The start's part: the app's fields, each checked as the catalog says;
// the tokens and the shop are what the sign-in brings, so they are refused.
Status prepare(App&, Fields& f, const connectors::CallContext&, onramp::oauth::Pending& p) {
    auto raw = f.opt_object("credentials");
    if (!raw) {
        f.fail("credentials", "Send the app's key, secret and service ID as an object of field names and values.");
        return f.problem();
    }
    const connectors::Connector& entry = *connectors::find_connector("tiktok_shop");
    connectors::Credentials app;
    for (const connectors::Field& field : entry.fields) {
        std::string name(field.name);
        auto it = raw->find(name);
        bool given = it != raw->end() && !(it->is_string() && it->get<std::string>().empty());
        if (field.filled_by_sign_in) {
            if (given) f.fail(name, "TikTok Shop issues this when the seller signs in; leave it out.");
            continue;
        }
        if (!given) {
            if (!field.default_value.empty()) app[name] = std::string(field.default_value);
            else f.fail(name, std::string(field.label) + " is required to sign in at TikTok Shop.");
            continue;
        }
        if (!it->is_string()) {
            f.fail(name, std::string(field.label) + " must be text.");
            continue;
        }
        validation::FieldCheck check = validation::validate_field(field, it->get<std::string>());
        if (!check.ok()) f.fail(name, check.error);
        else app[name] = check.value;
    }
    if (!f.ok()) return f.problem();
    p.credentials = std::move(app);
    return ok_status();
}

// TikTok Shop sends the seller back to the redirect URL registered with the
// app in Partner Center, so the URL does not carry it.
std::string authorize_url(App&, const connectors::CallContext& ctx, const onramp::oauth::Pending& p,
                          const std::string&, const std::string& state) {
    return oauth::authorize_url(ctx, p.credentials, state);
}

std::optional<OAuthRefusal> check_answer(const onramp::oauth::Pending&, const http::Request& req) {
    if (req.query_value("code").empty())
        return OAuthRefusal{400, "missing_code",
                            "The answer from TikTok Shop carried no authorization code. Start again from Onramp."};
    return std::nullopt;
}

std::optional<OAuthRefusal> exchange(App&, connectors::CallContext& ctx, const onramp::oauth::Pending& p,
                                     const http::Request& req, const std::string&, OAuthGrant& out) {
    auto signed_in = oauth::sign_in(ctx, p.credentials, req.query_value("code"));
    if (!signed_in) return OAuthRefusal{502, "code_exchange_failed", signed_in.failure().message};
    out.credentials = nlohmann::json(signed_in->credentials);
    out.account = signed_in->shop_name;
    return std::nullopt;
}

}  // namespace

const OAuthInstall& oauth_install() {
    static const OAuthInstall install{
        .sender = "TikTok Shop",
        .prepare = prepare,
        .authorize_url = authorize_url,
        .started_detail = [](const onramp::oauth::Pending& p) {
            return nlohmann::json{{"app_key", p.credentials.at("app_key")}, {"region", p.credentials.at("region")}};
        },
        .check_answer = check_answer,
        .exchange = exchange,
    };
    return install;
}

}  // namespace onramp::platforms::tiktok_shop
