// /api/v1/auth: sign in (with a second factor when it is on), refresh,
// sign out, who am I, API keys, password reset and change, and TOTP
// enrolment. Every password check goes through
// auth::guarded_password_check and every code check through
// auth::guarded_code_check (edge/auth/login_limiter.h, which states the
// throttling policy).
//
// [SECTION] Sign-in and sessions
// [SECTION] API keys
// [SECTION] Password reset and change (edge/auth/password_change.h)
// [SECTION] Two-factor sign-in (edge/auth/two_factor.h)
//
// Choices:
// - Sign-in of an account with TOTP on answers 200 {mfa_required: true,
//   mfa_token, methods} instead of tokens; POST /api/v1/auth/login/totp
//   {mfa_token, code | recovery_code} then opens the session. The token
//   lasts 5 minutes and works once; the shape for everyone else is as it
//   was.
// - POST /api/v1/auth/password-reset answers 202 with one body whether or
//   not the address has an account, and whether or not mail is on; it is
//   refused (429) only by the per-address and per-recipient caps, which
//   count every request alike.
// - A completed reset opens no session: the account's sessions all end and
//   the person signs in with the new password (and, when it is on, their
//   second factor: a mailbox is not a second factor).
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/auth/account_tokens.h"
#include "edge/auth/login_limiter.h"
#include "edge/auth/password_change.h"
#include "edge/auth/passwords.h"
#include "edge/auth/sessions.h"
#include "edge/auth/two_factor.h"
#include "edge/mail/queue.h"
#include "edge/mail/templates.h"
#include "edge/store/accounts.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

namespace {

// [SECTION] Sign-in and sessions

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
        Problem p = unauthorized("The e-mail or password is not right.");
        p.error_code = "invalid_credentials";  // the client shows its own words for it (web/i18n/)
        return p;
    }
    if (auth::totp_enabled(*db, user->id)) {
        std::string mfa = auth::issue_account_token(*db, auth::AccountTokenKind::mfa, user->id, "",
                                                    auth::kMfaTokenSeconds, now);
        audit(*db, now, nullptr, &c.req, {"login.second_factor_required", "", "user", user->id});
        return Response::json({{"mfa_required", true},
                               {"mfa_token", mfa},
                               {"methods", json::array({"totp", "recovery_code"})},
                               {"expires_in", auth::kMfaTokenSeconds}});
    }
    auth::TokenPair pair = auth::start_session(*db, user->id, now);
    auth::Principal who = store::principal_for(*db, *user);
    audit(*db, now, &who, &c.req, {"login.succeeded", "", "user", user->id});
    return Response::json(token_json(pair, user_json(*user, who.memberships)));
}

// The second step of a sign-in with TOTP on: the mfa_token from the first
// and a code from the app or an unused recovery code. Wrong codes count in
// the login limiter as wrong passwords do.
Result<Response> login_totp(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string mfa = f.text("mfa_token", 256);
    auto code = f.opt_text("code", 32);
    auto recovery = f.opt_text("recovery_code", 64);
    if (f.ok() && !code == !recovery) f.fail("code", "give either code or recovery_code");
    if (!f.ok()) return f.problem();

    int64_t now = app.now();
    auto db = app.store->lease();
    auto user_id = auth::account_token_user(*db, auth::AccountTokenKind::mfa, mfa, "", now);
    std::optional<store::User> user;
    if (user_id) user = store::find_user(*db, *user_id);
    if (!user) {
        Problem p = unauthorized("This sign-in has expired or was finished. Sign in again.");
        p.error_code = "mfa_token_invalid";
        return p;
    }
    auth::PasswordCheck check = auth::guarded_code_check(
        app.login_limiter, user->email, c.req.remote_addr,
        [&] {
            return code ? auth::use_totp_code(*db, *app.vault, user->id, *code, now)
                        : auth::use_recovery_code(*db, user->id, *recovery, now);
        },
        now);
    if (check.retry_after > 0)
        return too_many_requests(int(check.retry_after), "Too many sign-in attempts. Try again in " +
                                                             std::to_string(check.retry_after) + " seconds.");
    if (!check.right) {
        audit(*db, now, nullptr, &c.req, {"login.failed", "", "user", user->id, {{"second_factor", true}}});
        Problem p = unauthorized(code ? "That code is not right, or was already used. Enter the app's next code."
                                      : "That recovery code is not right, or was already used.");
        p.error_code = "second_factor_wrong";
        return p;
    }
    if (!auth::use_account_token(*db, auth::AccountTokenKind::mfa, mfa, "", now)) {
        Problem p = unauthorized("This sign-in was finished already. Sign in again.");
        p.error_code = "mfa_token_invalid";
        return p;
    }
    auth::TokenPair pair = auth::start_session(*db, user->id, now);
    auth::Principal who = store::principal_for(*db, *user);
    audit(*db, now, &who, &c.req,
          {"login.succeeded", "", "user", user->id, {{"second_factor", code ? "totp" : "recovery_code"}}});
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

// [SECTION] API keys

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

// [SECTION] Password reset and change

// The account behind the request's session; 403 for an API key, which
// neither changes a password nor enrols a second factor.
Result<store::User> session_user(App& app, const Call& c) {
    if (!c.who->api_key_id.empty()) {
        Problem p = forbidden("Sign in with your password for this; an API key cannot do it.");
        p.error_code = "session_required";
        return p;
    }
    auto db = app.store->lease();
    auto user = store::find_user(*db, c.who->user_id);
    if (!user) return unauthorized();
    return *user;
}

Result<Response> request_reset(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string email = f.text("email", 254);
    if (!email.empty() && !looks_like_email(email)) f.fail("email", "is not an e-mail address");
    if (!f.ok()) return f.problem();

    int64_t now = app.now();
    if (int64_t wait = app.mail_limiter.begin(c.req.remote_addr, email, now))
        return too_many_requests(int(wait), "Too many reset requests. Try again in " + std::to_string(wait) +
                                                " seconds.");
    json answer = {{"status", "accepted"},
                   {"detail", "If an account has this address, we e-mailed it a link to choose a new password. "
                              "The link works once, for 30 minutes."}};
    if (!mail::enabled(app)) {
        // Logged whether or not the address has an account, and without
        // it: the log tells the operator someone needs help, not who.
        app.log(nlohmann::json{{"level", "warn"},
                               {"event", "password_reset_not_sent"},
                               {"reason", "this edge sends no e-mail (no --smtp-url); an operator can run "
                                          "onramp-edge reset-password"},
                               {"request_id", c.req.request_id}}
                    .dump());
        return Response::json(answer, 202);
    }
    auto db = app.store->lease();
    auto user = store::find_user_by_email(*db, email);
    if (!user) return Response::json(answer, 202);
    store::Tx tx(*db);
    std::string token = auth::issue_password_reset(*db, user->id, now);
    auto queued = mail::enqueue(app, *db,
                                mail::password_reset({user->email, auth::reset_url(app.config.public_url, token),
                                                      now + auth::kPasswordResetSeconds, mail::brand_of(*db, "")}));
    if (!queued) return Response::json(answer, 202);  // an address the mail queue refuses: nothing sent
    audit(*db, now, nullptr, &c.req, {"password_reset.requested", "", "user", user->id});
    tx.commit();
    mail::wake(app);
    return Response::json(answer, 202);
}

Result<Response> confirm_reset(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string token = f.text("token", 256);
    std::string password = f.text("password", 1024);
    if (!f.ok()) return f.problem();
    if (Status ok = auth::check_new_password(password, "password"); !ok) return ok.problem();
    // scrypt runs before a connection is leased.
    std::string hash = auth::hash_password(password, app.scrypt_log2_n);
    auto db = app.store->lease();
    auto user = auth::finish_password_reset(*db, token, hash, app.now());
    if (!user) return user.problem();
    auth::Principal who = store::principal_for(*db, *user);
    audit(*db, app.now(), &who, &c.req, {"password_reset.completed", "", "user", user->id});
    return Response::json({{"status", "password_changed"},
                           {"email", user->email},
                           {"detail", "Your password was changed and every session signed out. Sign in with it."}});
}

Result<Response> change_password(App& app, const Call& c) {
    auto user = session_user(app, c);
    if (!user) return user.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string current = f.text("current_password", 1024);
    std::string next = f.text("new_password", 1024);
    if (!f.ok()) return f.problem();
    if (Status ok = auth::check_new_password(next, "new_password"); !ok) return ok.problem();

    int64_t now = app.now();
    auth::PasswordCheck check = auth::guarded_password_check(app.login_limiter, user->email, c.req.remote_addr,
                                                             current, user->password_hash, app.scrypt_log2_n, now);
    if (check.retry_after > 0)
        return too_many_requests(int(check.retry_after), "Too many password attempts. Try again in " +
                                                             std::to_string(check.retry_after) + " seconds.");
    if (!check.right) {
        auto db = app.store->lease();
        audit(*db, now, c.who, &c.req, {"password.change_failed", "", "user", user->id});
        Problem p = forbidden("The current password is not right.");
        p.error_code = "wrong_password";
        p.errors["current_password"] = "is not right";
        return p;
    }
    std::string hash = auth::hash_password(next, app.scrypt_log2_n);
    auto db = app.store->lease();
    auth::change_password(*db, user->id, hash, bearer_token(c.req), now);
    audit(*db, now, c.who, &c.req, {"password.changed", "", "user", user->id});
    return Response::empty(204);
}

// [SECTION] Two-factor sign-in

Result<Response> totp_setup(App& app, const Call& c) {
    // The call takes no fields, but a body it is sent must still be JSON:
    // malformed or oversized input is refused like on every other route.
    if (!c.req.body.empty()) {
        auto body = http::parse_json_object(c.req);
        if (!body) return body.problem();
    }
    auto user = session_user(app, c);
    if (!user) return user.problem();
    auto db = app.store->lease();
    auto enrolment = auth::begin_totp(*db, *app.vault, *user, "Onramp", app.now());
    if (!enrolment) return enrolment.problem();
    audit(*db, app.now(), c.who, &c.req, {"totp.enrolment_started", "", "user", user->id});
    // Shown this once: only the sealed secret is kept.
    return Response::json({{"secret", enrolment->secret},
                           {"otpauth_uri", enrolment->uri},
                           {"detail", "Add it to an authenticator app, then confirm with the code it shows."}});
}

Result<Response> totp_enable(App& app, const Call& c) {
    auto user = session_user(app, c);
    if (!user) return user.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string code = f.text("code", 32);
    if (!f.ok()) return f.problem();
    int64_t now = app.now();
    auto db = app.store->lease();
    std::vector<std::string> codes;
    std::optional<Problem> refused;
    auth::PasswordCheck check = auth::guarded_code_check(
        app.login_limiter, user->email, c.req.remote_addr,
        [&] {
            auto enabled = auth::enable_totp(*db, *app.vault, user->id, code, now);
            if (!enabled) refused = enabled.problem();
            else codes = *enabled;
            return bool(enabled);
        },
        now);
    if (check.retry_after > 0)
        return too_many_requests(int(check.retry_after), "Too many wrong codes. Try again in " +
                                                             std::to_string(check.retry_after) + " seconds.");
    if (refused) return *refused;
    audit(*db, now, c.who, &c.req, {"totp.enabled", "", "user", user->id});
    return Response::json({{"enabled", true},
                           {"recovery_codes", codes},
                           {"detail", "Keep these recovery codes somewhere safe: each signs you in once without "
                                      "the app. They are shown only now."}});
}

Result<Response> totp_disable(App& app, const Call& c) {
    auto user = session_user(app, c);
    if (!user) return user.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    auto password = f.opt_text("password", 1024);
    auto code = f.opt_text("code", 64);
    if (f.ok() && !password == !code) f.fail("password", "give either password or code");
    if (!f.ok()) return f.problem();
    int64_t now = app.now();
    {
        auto db = app.store->lease();
        if (!auth::totp_enrolled(*db, user->id)) return conflict("Two-factor sign-in is not on.", "totp_not_enabled");
    }
    auth::PasswordCheck check;
    if (password) {
        check = auth::guarded_password_check(app.login_limiter, user->email, c.req.remote_addr, *password,
                                             user->password_hash, app.scrypt_log2_n, now);
    } else {
        auto db = app.store->lease();
        check = auth::guarded_code_check(
            app.login_limiter, user->email, c.req.remote_addr,
            [&] {
                return auth::use_totp_code(*db, *app.vault, user->id, *code, now) ||
                       auth::use_recovery_code(*db, user->id, *code, now);
            },
            now);
    }
    if (check.retry_after > 0)
        return too_many_requests(int(check.retry_after), "Too many attempts. Try again in " +
                                                             std::to_string(check.retry_after) + " seconds.");
    auto db = app.store->lease();
    if (!check.right) {
        audit(*db, now, c.who, &c.req, {"totp.disable_failed", "", "user", user->id});
        Problem p = forbidden(password ? "The password is not right." : "The code is not right, or was already used.");
        p.error_code = password ? "wrong_password" : "second_factor_wrong";
        return p;
    }
    auth::disable_totp(*db, user->id);
    audit(*db, now, c.who, &c.req, {"totp.disabled", "", "user", user->id});
    return Response::empty(204);
}

}  // namespace

void add_auth_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    r.add({"POST", "/api/v1/auth/login", Access::Public, Body::Json, bind(login)});
    r.add({"POST", "/api/v1/auth/login/totp", Access::Public, Body::Json, bind(login_totp)});
    r.add({"POST", "/api/v1/auth/password-reset", Access::Public, Body::Json, bind(request_reset)});
    r.add({"POST", "/api/v1/auth/password-reset/confirm", Access::Public, Body::Json, bind(confirm_reset)});
    r.add({"POST", "/api/v1/auth/password", Access::User, Body::Json, bind(change_password)});
    r.add({"POST", "/api/v1/auth/totp/setup", Access::User, Body::Json, bind(totp_setup)});
    r.add({"POST", "/api/v1/auth/totp/enable", Access::User, Body::Json, bind(totp_enable)});
    r.add({"POST", "/api/v1/auth/totp/disable", Access::User, Body::Json, bind(totp_disable)});
    r.add({"POST", "/api/v1/auth/refresh", Access::Public, Body::Json, bind(refresh)});
    r.add({"POST", "/api/v1/auth/logout", Access::User, Body::Json, bind(logout)});
    r.add({"GET", "/api/v1/auth/me", Access::User, Body::None, bind(me)});
    r.add({"POST", "/api/v1/auth/api-keys", Access::User, Body::Json, bind(create_key)});
    r.add({"GET", "/api/v1/auth/api-keys", Access::User, Body::None, bind(list_keys)});
    r.add({"DELETE", "/api/v1/auth/api-keys/{key_id}", Access::User, Body::None, bind(revoke_key)});
}

}  // namespace onramp::api
