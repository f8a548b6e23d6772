#include "edge/platforms/custom_crm/oauth.h"

#include <strings.h>

#include "edge/app.h"
#include "edge/connectors/target.h"
#include "edge/connectors/wire.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/http/message.h"
#include "edge/http/client.h"
#include "edge/oauth/states.h"
#include "shared/validation/validate.h"

namespace onramp::connectors::custom_crm_oauth {

namespace {

std::string value(const Credentials& creds, const char* name) {
    auto it = creds.find(name);
    return it == creds.end() ? std::string() : it->second;
}

// A form POST to one of the CRM's OAuth endpoints (the URL in `field`,
// overridden by `override_key`), sent once.
wire::Request client_request(const CallContext& ctx, const Credentials& creds, const std::string& step,
                             const char* field, const char* override_key, const std::string& form) {
    wire::Request r;
    r.step = step;
    r.method = "POST";
    r.url = wire::base_url(ctx, override_key, "{" + std::string(field) + "}", creds);
    r.content_type = "application/x-www-form-urlencoded";
    r.body = form;
    // RFC 6749 §2.3.1: client id and secret are form-encoded, then sent as
    // HTTP Basic credentials.
    r.headers = {{"Authorization", wire::basic_auth(wire::url_encode(value(creds, "client_id")),
                                                    wire::url_encode(value(creds, "client_secret")))},
                 {"Accept", "application/json"}};
    r.typed_host = !wire::has_override(ctx, override_key);
    r.host_field = field;
    // A code is single-use and a rotated refresh token too: a retry after a
    // lost answer would only be refused. A disconnect waits for a
    // revocation: it gets one try.
    r.retryable = false;
    r.budgeted = false;  // the OAuth host has limits of its own
    return r;
}

// The CRM's §5.2 error code and description, for the client: "invalid_grant:
// PKCE verification failed".
std::string oauth_error(const nlohmann::json& j) {
    std::string code = wire::text(j, "error"), description = wire::text(j, "error_description");
    if (code.empty()) return wire::error_text(j);
    return description.empty() ? code : code + ": " + description;
}

Failure token_failure(const Platform& p, const CallContext& ctx, const std::string& step,
                      const http::FetchResponse& res) {
    auto j = wire::parse_json(res.body);
    Failure f = wire::status_failure(p, ctx, step, res, j ? oauth_error(*j) : wire::error_text(res.body));
    f.field = "token_url";
    std::string code = j ? wire::text(*j, "error") : "";
    bool refreshing = step == "refresh_token";
    if (code == "invalid_client" || (code.empty() && res.status == 401)) {
        f.cause = Cause::credential_rejected;
        f.field = "client_secret";
        f.message = "Your CRM did not accept the client ID and secret at its token URL (invalid_client). Copy both "
                    "again from the OAuth app you registered.";
    } else if (code == "invalid_grant") {
        f.cause = Cause::credential_rejected;
        f.field = refreshing ? "refresh_token" : "";
        f.message = refreshing ? "Your CRM no longer accepts Onramp's refresh token (invalid_grant): it was revoked "
                                 "or has expired. Sign in to your CRM from Onramp again."
                               : "Your CRM refused the authorization code (invalid_grant): it expired, was already "
                                 "used, or the PKCE code verifier did not match. Start again from Onramp.";
    } else if (code == "unauthorized_client") {
        f.cause = Cause::credential_rejected;
        f.message = std::string("Your CRM does not let this OAuth app use the ") +
                    (refreshing ? "refresh token" : "authorization code") +
                    " grant (unauthorized_client). Allow it in the app's settings at your CRM.";
    } else if (code == "invalid_scope") {
        f.cause = Cause::scope_missing;
        f.field = "scope";
        f.message = "Your CRM refused the requested scopes (invalid_scope). Check them against its OAuth "
                    "documentation, or leave Scopes empty.";
    } else if (!code.empty()) {
        f.cause = Cause::platform_error;
        f.message = "Your CRM's token URL refused Onramp's request (" + code + ").";
    } else if (res.status == 404) {
        f.message = "Nothing answered at the token URL. Check it against your CRM's OAuth documentation.";
    }
    return f;
}

// POSTs a token request and reads the answer (§5.1).
Outcome<Token> token_request(CallContext& ctx, const Credentials& creds, const std::string& step,
                             const std::string& form) {
    const Platform& p = *find_platform("custom_crm");
    auto res = wire::send(p, ctx, client_request(ctx, creds, step, "token_url", "custom_crm_token", form));
    if (!res) return res.failure();
    if (res->status != 200) return token_failure(p, ctx, step, *res);
    auto j = wire::parse_json(res->body);
    if (!j || !j->is_object()) return wire::unreadable(p, step, "the token response is not a JSON object");
    Token t;
    t.access_token = wire::text(*j, "access_token");
    if (t.access_token.empty()) return wire::unreadable(p, step, "no access_token in the token response");
    // §5.1: token_type is required and case-insensitive; Onramp sends only
    // bearer tokens (RFC 6750).
    std::string type = wire::text(*j, "token_type");
    if (!type.empty() && strcasecmp(type.c_str(), "bearer") != 0)
        return wire::unreadable(p, step, "token_type " + type.substr(0, 40) + " is not Bearer");
    t.refresh_token = wire::text(*j, "refresh_token");
    auto expires = wire::member(*j, "expires_in");
    if (expires.is_number_integer() && expires.get<int64_t>() > 0) t.expires_in = expires.get<int64_t>();
    t.scope = wire::text(*j, "scope");
    return t;
}

// A refused revocation (RFC 7009 §2.2.1: §5.2 errors, 503 when the CRM
// cannot revoke just now).
Failure revoke_failure(const Platform& p, const CallContext& ctx, const http::FetchResponse& res) {
    auto j = wire::parse_json(res.body);
    Failure f = wire::status_failure(p, ctx, "revoke_token", res, j ? oauth_error(*j) : wire::error_text(res.body));
    f.field = "revocation_url";
    std::string code = j ? wire::text(*j, "error") : "";
    const std::string still = " The token still works until it expires";
    if (code == "invalid_client" || (code.empty() && res.status == 401)) {
        f.cause = Cause::credential_rejected;
        f.field = "client_secret";
        f.message = "Your CRM did not accept the client ID and secret at its revocation URL (invalid_client)." +
                    still + "; revoke Onramp's access in your CRM.";
    } else if (res.status == 503) {
        f.message = "Your CRM could not revoke the token just now (503)." + still +
                    "; revoke Onramp's access in your CRM.";
    } else if (!code.empty()) {
        f.message = "Your CRM's revocation URL refused Onramp's request (" + code + ")." + still + ".";
    } else if (res.status == 404) {
        f.message = "Nothing answered at the revocation URL. Check it against your CRM's OAuth documentation.";
    }
    return f;
}

}  // namespace

std::string new_code_verifier() { return crypto::random_token(); }

std::string code_challenge(const std::string& verifier) {
    return crypto::base64url_encode(crypto::sha256(verifier));
}

std::string authorize_url(const CallContext& ctx, const Credentials& creds, const std::string& redirect_uri,
                          const std::string& state, const std::string& challenge) {
    std::string base = wire::base_url(ctx, "custom_crm_authorize", "{authorize_url}", creds);
    std::string q = wire::query({{"response_type", "code"},
                                 {"client_id", value(creds, "client_id")},
                                 {"redirect_uri", redirect_uri},
                                 {"scope", value(creds, "scope")},
                                 {"state", state},
                                 {"code_challenge", challenge},
                                 {"code_challenge_method", "S256"}});
    // An authorization URL may carry a query of its own (§3.1: it is kept).
    return base.find('?') == std::string::npos ? base + q : base + "&" + q.substr(1);
}

std::optional<Failure> check_urls(const CallContext& ctx, const Credentials& creds) {
    struct Typed {
        const char* field;
        const char* override_key;
    };
    for (Typed t : {Typed{"base_url", "custom_crm"}, Typed{"token_url", "custom_crm_token"},
                    Typed{"authorize_url", "custom_crm_authorize"}, Typed{"revocation_url", "custom_crm_revoke"}}) {
        std::string url = value(creds, t.field);
        if (url.empty() || wire::has_override(ctx, t.override_key)) continue;
        TargetCheck check = check_target(url, ctx.allow_private_addresses);
        if (check.outcome != TargetCheck::Outcome::refused) continue;
        Failure f;
        f.step = "check_address";
        f.cause = Cause::address_refused;
        f.field = t.field;
        f.message = check.message;
        return f;
    }
    return std::nullopt;
}

Outcome<Token> exchange_code(CallContext& ctx, const Credentials& creds, const std::string& code,
                             const std::string& redirect_uri, const std::string& code_verifier) {
    std::string form = wire::query({{"grant_type", "authorization_code"},
                                    {"code", code},
                                    {"redirect_uri", redirect_uri},
                                    {"client_id", value(creds, "client_id")},
                                    {"code_verifier", code_verifier}});
    return token_request(ctx, creds, "exchange_code", form.substr(1));
}

Outcome<Token> refresh(CallContext& ctx, const Credentials& creds) {
    std::string old = value(creds, "refresh_token");
    std::string form = wire::query({{"grant_type", "refresh_token"}, {"refresh_token", old}});
    auto t = token_request(ctx, creds, "refresh_token", form.substr(1));
    if (t && t->refresh_token.empty()) t->refresh_token = old;
    return t;
}

bool can_revoke(const Credentials& creds) {
    return value(creds, "auth_type") == "oauth2" && !value(creds, "revocation_url").empty() &&
           !(value(creds, "refresh_token").empty() && value(creds, "access_token").empty());
}

std::optional<Failure> revoke(CallContext& ctx, const Credentials& creds) {
    const Platform& p = *find_platform("custom_crm");
    // §2.1: revoking the refresh token also ends the access tokens issued
    // with it; the hint saves the CRM a lookup.
    bool refresh = !value(creds, "refresh_token").empty();
    std::string form = wire::query({{"token", value(creds, refresh ? "refresh_token" : "access_token")},
                                    {"token_type_hint", refresh ? "refresh_token" : "access_token"}});
    auto res = wire::send(p, ctx, client_request(ctx, creds, "revoke_token", "revocation_url", "custom_crm_revoke",
                                                 form.substr(1)));
    if (!res) return res.failure();
    if (res->status != 200) return revoke_failure(p, ctx, *res);
    return std::nullopt;
}

}  // namespace onramp::connectors::custom_crm_oauth

namespace onramp::platforms::custom_crm {

namespace {

namespace crm_oauth = connectors::custom_crm_oauth;

// The start's part: the CRM's settings, validated as a connection's are,
// in OAuth 2.0 mode with an authorization URL, and without the tokens the
// sign-in is about to issue. Security: its typed URLs pass the SSRF guard.
Status prepare(App&, Fields& f, const connectors::CallContext& ctx, oauth::Pending& p) {
    auto raw = f.opt_object("credentials");
    if (!raw) {
        f.fail("credentials", "Send the CRM's settings as an object of field names and values.");
        return f.problem();
    }
    const connectors::Connector& entry = *connectors::find_connector("custom_crm");
    validation::Validation v = validation::validate_credentials(entry, *raw);
    for (const auto& [field, message] : v.messages) f.fail(field, message);
    if (v.ok()) {
        if (v.values["auth_type"] != "oauth2")
            f.fail("auth_type", "Signing in works with OAuth 2.0 only; other kinds of authentication are typed "
                                "into the connection form.");
        else if (!v.values.count("authorize_url"))
            f.fail("authorize_url", "Authorization URL is required to sign in: your CRM's authorization endpoint, "
                                    "e.g. https://auth.your-crm.com/oauth/authorize.");
        for (const char* issued : {"access_token", "refresh_token", "expires_at"})
            if (v.values.count(issued)) f.fail(issued, "Your CRM issues this when you sign in; leave it out.");
    }
    if (!f.ok()) return f.problem();
    if (auto refused = crm_oauth::check_urls(ctx, v.values))
        return unprocessable({{refused->field, refused->message}}, refused->message);
    p.credentials = std::move(v.values);
    p.code_verifier = crm_oauth::new_code_verifier();
    return ok_status();
}

std::string authorize_url(App&, const connectors::CallContext& ctx, const oauth::Pending& p,
                          const std::string& redirect_uri, const std::string& state) {
    return crm_oauth::authorize_url(ctx, p.credentials, redirect_uri, state, crm_oauth::code_challenge(p.code_verifier));
}

// The CRM's own words after ours, when it gave any.
std::string with_crm_words(const std::string& message, const std::string& crm_said) {
    return crm_said.empty() ? message : message + " Your CRM said: " + crm_said.substr(0, 300);
}

// RFC 6749 §4.1.2.1: the CRM refused, or the client declined; the state
// is spent either way. Else the answer must carry a code.
std::optional<OAuthRefusal> check_answer(const oauth::Pending&, const http::Request& req) {
    std::string error = req.query_value("error");
    if (!error.empty()) {
        if (error == "access_denied")
            return OAuthRefusal{403, "access_denied", "Access was declined at your CRM, so nothing was connected."};
        return OAuthRefusal{400, "authorization_failed",
                            with_crm_words("Your CRM did not authorize Onramp (" + error.substr(0, 64) + ").",
                                           req.query_value("error_description"))};
    }
    if (req.query_value("code").empty())
        return OAuthRefusal{400, "missing_code",
                            "The answer from your CRM carried no authorization code. Start again from Onramp."};
    return std::nullopt;
}

// The access token, refresh token and expiry become the credentials.
std::optional<OAuthRefusal> exchange(App& app, connectors::CallContext& ctx, const oauth::Pending& p,
                                     const http::Request& req, const std::string& redirect_uri, OAuthGrant& out) {
    auto token = crm_oauth::exchange_code(ctx, p.credentials, req.query_value("code"), redirect_uri, p.code_verifier);
    if (!token) {
        const connectors::Failure& f = token.failure();
        if (f.cause == connectors::Cause::address_refused) return OAuthRefusal{422, "address_refused", f.message};
        return OAuthRefusal{502, "code_exchange_failed", with_crm_words(f.message, f.platform_message)};
    }
    nlohmann::json creds = p.credentials;
    creds["access_token"] = token->access_token;
    if (!token->refresh_token.empty()) creds["refresh_token"] = token->refresh_token;
    if (token->expires_in > 0) creds["expires_at"] = std::to_string(app.now() + token->expires_in);
    http::ParsedUrl base;
    out.credentials = std::move(creds);
    out.account = http::parse_url(p.credentials.at("base_url"), base) ? base.host : "your CRM";
    return std::nullopt;
}

}  // namespace

const OAuthInstall& oauth_install() {
    static const OAuthInstall install{
        .sender = "your CRM",
        .prepare = prepare,
        .authorize_url = authorize_url,
        .started_detail = [](const oauth::Pending& p) { return nlohmann::json{{"base_url", p.credentials.at("base_url")}}; },
        .check_answer = check_answer,
        .exchange = exchange,
    };
    return install;
}

}  // namespace onramp::platforms::custom_crm
