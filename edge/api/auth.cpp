// /api/v1/auth: sign in, refresh, sign out, who am I, and API keys.
// Sign-in checks the password through auth::guarded_password_check
// (edge/auth/login_limiter.h, which states the throttling policy).
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/auth/login_limiter.h"
#include "edge/auth/sessions.h"
#include "edge/store/accounts.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

namespace {

json token_json(const auth::TokenPair& p, const json& user) {
    return {{"access_token", p.access_token},
            {"refresh_token", p.refresh_token},
            {"token_type", "Bearer"},
            {"expires_in", p.expires_in},
            {"user", user}};
}

std::string bearer_token(const http::Request& req) {
    std::string h = req.header("Authorization");
    if (h.size() > 7 && (h.compare(0, 7, "Bearer ") == 0 || h.compare(0, 7, "bearer ") == 0)) return h.substr(7);
    return {};
}

Result<Response> login(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string email = f.text("email", 254);
    std::string password = f.text("password", 1024);
    if (!f.ok()) return f.problem();

    int64_t now = app.now();
    std::optional<store::User> user;
    {
        auto db = app.store->lease();
        user = store::find_user_by_email(*db, email);
    }
    // No connection is held while scrypt runs (a tenth of a second).
    auth::PasswordCheck check =
        auth::guarded_password_check(app.login_limiter, email, c.req.remote_addr, password,
                                     user ? user->password_hash : std::nullopt, app.scrypt_log2_n, now);
    if (check.retry_after > 0)
        return too_many_requests(int(check.retry_after), "Too many sign-in attempts. Try again in " +
                                                             std::to_string(check.retry_after) + " seconds.");
    auto db = app.store->lease();
    if (!check.right) {
        audit(*db, now, nullptr, &c.req,
              {"login.failed", "", "user", user ? user->id : "", {{"email", email}}});
        return unauthorized("The e-mail or password is not right.");
    }
    auth::TokenPair pair = auth::start_session(*db, user->id, now);
    auth::Principal who = store::principal_for(*db, *user);
    audit(*db, now, &who, &c.req, {"login.succeeded", "", "user", user->id});
    return Response::json(token_json(pair, user_json(*user, who.memberships)));
}

Result<Response> refresh(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string token = f.text("refresh_token", 256);
    if (!f.ok()) return f.problem();
    auto db = app.store->lease();
    auto pair = auth::refresh_session(*db, token, app.now());
    if (!pair) {
        if (pair.problem().error_code == "refresh_token_reused")
            audit(*db, app.now(), nullptr, &c.req, {"session.revoked_on_reuse", "", "", ""});
        return pair.problem();
    }
    auto user = store::find_user(*db, pair->user_id);
    if (!user) return unauthorized();
    return Response::json(token_json(*pair, user_json(*user, store::memberships_of(*db, user->id))));
}

Result<Response> logout(App& app, const Call& c) {
    auto db = app.store->lease();
    auth::end_session(*db, bearer_token(c.req), app.now());
    audit(*db, app.now(), c.who, &c.req, {"logout", "", "user", c.who->user_id});
    return Response::empty(204);
}

Result<Response> me(App& app, const Call& c) {
    auto db = app.store->lease();
    auto user = store::find_user(*db, c.who->user_id);
    if (!user) return unauthorized();
    json j = user_json(*user, c.who->memberships);
    json orgs = json::array();
    for (const store::Org& o : store::list_orgs_of(*db, user->id)) orgs.push_back(org_json(o));
    j["orgs"] = orgs;
    return Response::json(j);
}

json api_key_json(const auth::ApiKey& k) {
    json j = {{"id", k.id}, {"name", k.name}, {"prefix", k.prefix}, {"created_at", iso8601(k.created_at)}};
    j["org_id"] = k.org_id ? json(*k.org_id) : json(nullptr);
    j["last_used_at"] = k.last_used_at ? json(iso8601(*k.last_used_at)) : json(nullptr);
    j["revoked_at"] = k.revoked_at ? json(iso8601(*k.revoked_at)) : json(nullptr);
    return j;
}

Result<Response> create_key(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string name = f.text("name", 100);
    auto org_id = f.opt_text("org_id", 64);
    if (!f.ok()) return f.problem();
    if (org_id && !c.who->can_manage(*org_id)) return not_found("No such organization.");
    auto db = app.store->lease();
    auto [key, secret] = auth::create_api_key(*db, c.who->user_id, org_id, name, app.now());
    audit(*db, app.now(), c.who, &c.req, {"api_key.created", org_id.value_or(""), "api_key", key.id, {{"name", name}}});
    json j = api_key_json(key);
    j["key"] = secret;  // shown this once; only its hash is kept
    return Response::json(j, 201);
}

Result<Response> list_keys(App& app, const Call& c) {
    auto db = app.store->lease();
    json items = json::array();
    for (const auth::ApiKey& k : auth::list_api_keys(*db, c.who->user_id)) items.push_back(api_key_json(k));
    return Response::json({{"items", items}});
}

Result<Response> revoke_key(App& app, const Call& c) {
    auto db = app.store->lease();
    std::string id = c.req.param("key_id");
    if (!auth::revoke_api_key(*db, c.who->user_id, id, app.now())) return not_found("No such API key.");
    audit(*db, app.now(), c.who, &c.req, {"api_key.revoked", "", "api_key", id});
    return Response::empty(204);
}

}  // namespace

void add_auth_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    r.add({"POST", "/api/v1/auth/login", Access::Public, Body::Json, bind(login)});
    r.add({"POST", "/api/v1/auth/refresh", Access::Public, Body::Json, bind(refresh)});
    r.add({"POST", "/api/v1/auth/logout", Access::User, Body::Json, bind(logout)});
    r.add({"GET", "/api/v1/auth/me", Access::User, Body::None, bind(me)});
    r.add({"POST", "/api/v1/auth/api-keys", Access::User, Body::Json, bind(create_key)});
    r.add({"GET", "/api/v1/auth/api-keys", Access::User, Body::None, bind(list_keys)});
    r.add({"DELETE", "/api/v1/auth/api-keys/{key_id}", Access::User, Body::None, bind(revoke_key)});
}

}  // namespace onramp::api
