// Connecting a platform by signing in at the platform (the OAuth start and
// callback handlers): Shopify's app install, and a custom CRM's
// OAuth 2.0 authorization code grant with PKCE. Other platforms answer 404
// here.
//
//   POST /api/v1/orgs/{org_id}/oauth/{platform}/start   manager
//        shopify     {shop_domain, name?, sync_frequency?, perform_initial_sync?}
//        custom_crm  {credentials: {base_url, test_path, auth_type: "oauth2",
//                     client_id, client_secret, token_url, authorize_url, scope?},
//                     name?, sync_frequency?, perform_initial_sync?}
//        → {authorization_url, state, redirect_uri, expires_at}
//        The web client opens authorization_url in a popup. For the custom
//        CRM the URL carries a PKCE S256 code_challenge; its code_verifier
//        stays with the state in this process. Its typed URLs must pass the
//        SSRF guard (422 naming the field) before anyone is sent to sign in.
//   GET  /oauth/{platform}/callback   public; the platform redirects the popup here
//        shopify     ?code&hmac&host&shop&state&timestamp: the HMAC first (Shopify
//                    signs the redirect)
//        custom_crm  ?code&state, or ?error&error_description&state (RFC 6749 §4.1.2)
//        Then the state (single use, ten minutes, same platform — and for
//        Shopify the same shop — edge/oauth/states.h), the session that
//        started it (not signed out, still a manager; a link client's session
//        within its link's org and platforms); then the code is
//        exchanged and the connection stored through connections::create()
//        (which tests the token, keeps every secret in the vault and queues
//        the initial sync). A custom CRM's access token, refresh token and
//        expiry become its credentials. Answers a small HTML page that posts
//          {"source": "onramp", "type": "oauth_result", "platform",
//           "success", "connection_id"?, "org_id"?, "error"?, "message"}
//        to window.opener, addressed to this deployment's origin
//        (public_url), and closes the popup.
//
// The callback's own failures are pages too (status 400/403/404/409/422/
// 502), so the popup always has something to show and post; none of them
// stores anything. Disconnecting is DELETE /api/v1/orgs/{org_id}/connections/{id}.
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/auth/sessions.h"
#include "edge/connections/service.h"
#include "edge/connectors/custom_crm_oauth.h"
#include "edge/connectors/shopify_oauth.h"
#include "edge/http/client.h"
#include "edge/http/html.h"
#include "edge/mock/server.h"
#include "edge/onboarding/links.h"
#include "edge/store/accounts.h"
#include "edge/store/connections.h"
#include "edge/webhooks/automatic.h"
#include "edge/webhooks/endpoint.h"
#include "shared/validation/fields.h"
#include "shared/validation/validate.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;
namespace shopify_oauth = connectors::shopify_oauth;
namespace crm_oauth = connectors::custom_crm_oauth;

namespace {

// The Onramp app at Shopify: SHOPIFY_API_KEY and SHOPIFY_API_SECRET, or in
// demo mode the mock's demo app.
std::optional<shopify_oauth::AppCredentials> shopify_app(App& app) {
    shopify_oauth::AppCredentials a{app.env("SHOPIFY_API_KEY"), app.env("SHOPIFY_API_SECRET")};
    if (!a.client_id.empty() && !a.client_secret.empty()) return a;
    if (!app.config.demo) return std::nullopt;
    json demo = mock::demo_shopify_app();
    return shopify_oauth::AppCredentials{demo["client_id"], demo["client_secret"]};
}

// "scheme://host[:port]" of public_url: the only window the completion
// page posts its result to.
std::string origin_of(const std::string& url) {
    http::ParsedUrl u;
    if (!http::parse_url(url, u)) return "";
    bool default_port = (u.scheme == "https" && u.port == 443) || (u.scheme == "http" && u.port == 80);
    return u.scheme + "://" + u.host + (default_port || u.port == 0 ? "" : ":" + std::to_string(u.port));
}

// The sign-in behind the call: its token family, or its API key.
std::string session_of(App& app, const Call& c) {
    if (!c.who->api_key_id.empty()) return "key:" + c.who->api_key_id;
    std::string h = c.req.header("Authorization");
    auto db = app.store->lease();
    store::Stmt st(*db, "SELECT family_id FROM tokens WHERE hash = ? AND kind = 'access'");
    st.bind_all(auth::token_hash(h.size() > 7 ? h.substr(7) : ""));
    return st.step() ? "family:" + st.text(0) : "";
}

bool session_alive(store::Db& db, const std::string& session) {
    bool family = session.rfind("family:", 0) == 0, key = session.rfind("key:", 0) == 0;
    if (!family && !key) return false;
    store::Stmt st(db, family ? "SELECT revoked_at FROM token_families WHERE id = ?"
                                    : "SELECT revoked_at FROM api_keys WHERE id = ?");
    st.bind_all(session.substr(family ? 7 : 4));
    return st.step() && st.is_null(0);
}

// Shopify's part of a start: the shop, and the Onramp app at Shopify.
Status prepare_shopify(App& app, Fields& f, oauth::Pending& p) {
    std::string shop = f.text("shop_domain", 200);
    if (!shop.empty()) {
        const connectors::Connector* entry = connectors::find_connector("shopify");
        validation::FieldCheck check = validation::validate_field(*entry->find_field("shop_domain"), shop);
        if (!check.ok()) f.fail("shop_domain", check.error);
        shop = check.value;
    }
    if (!f.ok()) return f.problem();
    if (!shopify_app(app))
        return conflict("This server has no Shopify app: set SHOPIFY_API_KEY and SHOPIFY_API_SECRET.",
                        "oauth_not_configured");
    p.shop = shop;
    return ok_status();
}

// The custom CRM's part: its settings, validated as a connection's are,
// in OAuth 2.0 mode with an authorization URL, and without the tokens the
// sign-in is about to issue. Security: its typed URLs pass the SSRF guard.
Status prepare_custom_crm(Fields& f, const connectors::CallContext& ctx, oauth::Pending& p) {
    auto raw = f.opt_object("credentials");
    if (!raw) {
        f.fail("credentials", "Send the CRM's settings as an object of field names and values.");
        return f.problem();
    }
    const connectors::Connector& entry = *connectors::find_connector("custom_crm");
    validation::Validation v = validation::validate_credentials(entry, *raw);
    for (const auto& [field, message] : v.errors) f.fail(field, message);
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

Result<Response> start(App& app, const Call& c) {
    auto org = managed_org(c);
    if (!org) return org.problem();
    std::string platform = c.req.param("platform");
    if (platform != "shopify" && platform != "custom_crm")
        return not_found("No OAuth install for '" + platform.substr(0, 64) + "'. Shopify and the custom CRM "
                         "(OAuth 2.0) connect this way; other platforms take their credentials in a form.");
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    auto name = f.opt_text("name", 200);
    std::string frequency = f.opt_choice("sync_frequency", {"manual", "hourly", "daily", "weekly"}).value_or("daily");
    bool initial = f.opt_bool("perform_initial_sync").value_or(true);

    oauth::Pending p;
    connectors::CallContext ctx = app.contexts->one_off();
    Status prepared = platform == "shopify" ? prepare_shopify(app, f, p) : prepare_custom_crm(f, ctx, p);
    if (!prepared) return prepared.problem();
    std::string origin = origin_of(app.config.public_url);
    if (origin.empty())
        return conflict("This server's public URL is not set (--public-url), so the platform cannot be told where "
                        "to send the client back.",
                        "oauth_not_configured");

    p.platform = platform;
    p.org_id = *org;
    p.user_id = c.who->user_id;
    p.session = session_of(app, c);
    p.name = name.value_or("");
    p.sync_frequency = frequency;
    p.perform_initial_sync = initial;
    p.opener_origin = origin;
    p.created_at = app.now();
    std::string state = app.oauth_states.issue(p);
    std::string redirect = app.config.public_url + "/oauth/" + platform + "/callback";
    std::string url = platform == "shopify"
                          ? shopify_oauth::authorize_url(ctx, p.shop, *shopify_app(app), redirect, state)
                          : crm_oauth::authorize_url(ctx, p.credentials, redirect, state,
                                                     crm_oauth::code_challenge(p.code_verifier));
    {
        auto db = app.store->lease();
        json detail = platform == "shopify" ? json{{"shop", p.shop}} : json{{"base_url", p.credentials["base_url"]}};
        audit(*db, app.now(), c.who, &c.req, {"oauth.started", *org, "connector", platform, detail});
    }
    return Response::json({{"authorization_url", url},
                           {"state", state},
                           {"redirect_uri", redirect},
                           {"expires_at", iso8601(p.created_at + oauth::kStateSeconds)}});
}

// What the completion page tells the opener window.
struct Outcome {
    int status = 200;
    bool success = false;
    std::string platform, error, message, org_id, connection_id;
};

// JSON for inside a <script>: ASCII only and no "<", so no value can end
// the script element early (</script>) or hide a line terminator.
std::string script_json(const json& j) {
    std::string s = j.dump(-1, ' ', true, json::error_handler_t::replace);
    std::string out;
    for (char ch : s) out += ch == '<' ? std::string("\\u003c") : std::string(1, ch);
    return out;
}

Response completion_page(const Outcome& o, const std::string& opener_origin) {
    json message = {{"source", "onramp"}, {"type", "oauth_result"}, {"platform", o.platform},
                    {"success", o.success}, {"message", o.message}};
    if (!o.error.empty()) message["error"] = o.error;
    if (!o.org_id.empty()) message["org_id"] = o.org_id;
    if (!o.connection_id.empty()) message["connection_id"] = o.connection_id;
    Response r;
    r.status = o.status;
    r.content_type = "text/html; charset=utf-8";
    r.body = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Onramp</title></head>\n"
             "<body><p>" + http::escape_html(o.message) + "</p><p>You can close this window.</p>\n"
             "<script>(function () {\n"
             "  var result = " + script_json(message) + ";\n"
             "  var origin = " + script_json(opener_origin) + ";\n"
             "  if (window.opener && origin) { window.opener.postMessage(result, origin); window.close(); }\n"
             "})();</script></body></html>\n";
    // Security: the URL carries the authorization code; keep it out of
    // caches and out of the Referer of anything the page might load.
    r.set_header("Cache-Control", "no-store");
    r.set_header("Referrer-Policy", "no-referrer");
    r.set_header("X-Frame-Options", "DENY");
    r.set_header("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; frame-ancestors 'none'");
    return r;
}

Outcome refused(int status, const std::string& platform, const std::string& error, const std::string& message) {
    Outcome o;
    o.status = status;
    o.platform = platform;
    o.error = error;
    o.message = message;
    return o;
}

void audit_refusal(App& app, const Call& c, const std::string& org_id, const Outcome& o) {
    auto db = app.store->lease();
    audit(*db, app.now(), nullptr, &c.req, {"oauth.refused", org_id, "connector", o.platform, {{"error", o.error}}});
}

// Takes the query's state out of the pending ones (single use) into `out`;
// on refusal, the outcome to answer. `sender` names who redirected here.
std::optional<Outcome> take_state(App& app, const Call& c, const std::string& platform, const std::string& sender,
                                  oauth::Pending& out) {
    std::string state = c.req.query_value("state");
    if (state.empty()) {
        Outcome o = refused(400, platform, "missing_state",
                            "The answer from " + sender + " carried no state. Start again from Onramp.");
        audit_refusal(app, c, "", o);
        return o;
    }
    auto pending = app.oauth_states.take(state, app.now());
    if (!pending) {
        Outcome o = refused(400, platform, "invalid_state",
                            "This authorization expired or was already used. Start again from Onramp.");
        audit_refusal(app, c, "", o);
        return o;
    }
    if (pending->platform != platform) {
        Outcome o = refused(400, platform, "foreign_state",
                            "This authorization was started for another platform. Start again from Onramp.");
        audit_refusal(app, c, pending->org_id, o);
        return o;
    }
    out = std::move(*pending);
    return std::nullopt;
}

// Who the connection is made for: the user whose session started the
// authorization, if that session is still signed in and may still manage
// the organization; else the refusal. A session opened by an onboarding
// link acts as its link allows (onboarding::scope_client): a manager of the
// link's org only, for the link's platforms only, and not at all once the
// link is revoked or its session over.
std::optional<Outcome> acting_user(App& app, const Call& c, const oauth::Pending& p,
                                   std::optional<auth::Principal>& who) {
    {
        auto db = app.store->lease();
        auto user = store::find_user(*db, p.user_id);
        if (user && session_alive(*db, p.session)) {
            auth::Principal principal = store::principal_for(*db, *user);
            if (onboarding::scope_client(*db, principal, app.now())) who = principal;
        }
    }
    if (who && who->can_manage(p.org_id) && who->may_use_platform(p.platform)) return std::nullopt;
    Outcome o = refused(403, p.platform, "session_ended",
                        "The Onramp session that started this has ended, or may no longer manage this "
                        "organization. Sign in and start again.");
    audit_refusal(app, c, p.org_id, o);
    return o;
}

// Stores the connection (tested first, secrets into the vault) and says so.
Outcome connect(App& app, const Call& c, const oauth::Pending& p, const auth::Principal& who,
                const json& credentials, const std::string& account) {
    connections::Draft d;
    d.org_id = p.org_id;
    d.platform = p.platform;
    d.name = p.name;
    d.sync_frequency = p.sync_frequency;
    d.perform_initial_sync = p.perform_initial_sync;
    d.credentials = credentials;
    auto saved = connections::create(app, d, &who, &c.req);
    if (!saved || !saved->connection) {
        std::string why = !saved ? saved.problem().detail : saved->test.failure->message;
        return refused(422, p.platform, "connection_test_failed", why);
    }
    Outcome o;
    o.success = true;
    o.platform = p.platform;
    o.org_id = p.org_id;
    o.connection_id = saved->connection->id;
    o.message = "Connected " + saved->connection->name + " (" + account + ") to Onramp.";
    return o;
}

Response shopify_callback(App& app, const Call& c, const std::string& origin) {
    const std::string platform = "shopify";
    auto credentials = shopify_app(app);
    if (!credentials)
        return completion_page(refused(409, platform, "oauth_not_configured", "This server has no Shopify app configured."), origin);

    // The signature first: a forged redirect must not use up a real state.
    if (!shopify_oauth::verify(credentials->client_secret, c.req.query)) {
        Outcome o = refused(400, platform, "invalid_signature", "The answer from Shopify was not signed correctly. Start again from Onramp.");
        audit_refusal(app, c, "", o);
        return completion_page(o, origin);
    }
    oauth::Pending pending;
    if (auto o = take_state(app, c, platform, "Shopify", pending)) return completion_page(*o, origin);
    if (pending.shop != c.req.query_value("shop")) {
        Outcome o = refused(400, platform, "foreign_state", "This authorization was started for another shop. Start again from Onramp.");
        audit_refusal(app, c, pending.org_id, o);
        return completion_page(o, pending.opener_origin);
    }
    std::optional<auth::Principal> who;
    if (auto o = acting_user(app, c, pending, who)) return completion_page(*o, pending.opener_origin);

    connectors::CallContext ctx = app.contexts->one_off();
    auto token = shopify_oauth::exchange_code(ctx, pending.shop, *credentials, c.req.query_value("code"));
    if (!token) {
        Outcome o = refused(502, platform, "code_exchange_failed", token.failure().message);
        audit_refusal(app, c, pending.org_id, o);
        return completion_page(o, pending.opener_origin);
    }
    json creds = {{"shop_domain", pending.shop}, {"access_token", token->access_token}};
    Outcome o = connect(app, c, pending, *who, creds, pending.shop);
    if (o.success) {
        std::optional<store::Connection> conn;
        {
            auto db = app.store->lease();
            conn = store::find_connection(*db, o.org_id, o.connection_id);
        }
        if (conn) webhooks::adopt_shopify_app_secret(app, *conn, credentials->client_secret, &*who, &c.req);
    }
    return completion_page(o, pending.opener_origin);
}

// The CRM's own words after ours, when it gave any.
std::string with_crm_words(const std::string& message, const std::string& crm_said) {
    return crm_said.empty() ? message : message + " Your CRM said: " + crm_said.substr(0, 300);
}

Response custom_crm_callback(App& app, const Call& c, const std::string& origin) {
    const std::string platform = "custom_crm";
    oauth::Pending pending;
    if (auto o = take_state(app, c, platform, "your CRM", pending)) return completion_page(*o, origin);
    // RFC 6749 §4.1.2.1: the CRM refused, or the client declined; the state
    // is spent either way.
    std::string error = c.req.query_value("error");
    if (!error.empty()) {
        std::string description = c.req.query_value("error_description");
        Outcome o = error == "access_denied"
                        ? refused(403, platform, "access_denied",
                                  "Access was declined at your CRM, so nothing was connected.")
                        : refused(400, platform, "authorization_failed",
                                  with_crm_words("Your CRM did not authorize Onramp (" + error.substr(0, 64) + ").",
                                                 description));
        audit_refusal(app, c, pending.org_id, o);
        return completion_page(o, pending.opener_origin);
    }
    std::string code = c.req.query_value("code");
    if (code.empty()) {
        Outcome o = refused(400, platform, "missing_code",
                            "The answer from your CRM carried no authorization code. Start again from Onramp.");
        audit_refusal(app, c, pending.org_id, o);
        return completion_page(o, pending.opener_origin);
    }
    std::optional<auth::Principal> who;
    if (auto o = acting_user(app, c, pending, who)) return completion_page(*o, pending.opener_origin);

    connectors::CallContext ctx = app.contexts->one_off();
    std::string redirect = app.config.public_url + "/oauth/" + platform + "/callback";
    auto token = crm_oauth::exchange_code(ctx, pending.credentials, code, redirect, pending.code_verifier);
    if (!token) {
        const connectors::Failure& f = token.failure();
        Outcome o = f.cause == connectors::Cause::address_refused
                        ? refused(422, platform, "address_refused", f.message)
                        : refused(502, platform, "code_exchange_failed", with_crm_words(f.message, f.platform_message));
        audit_refusal(app, c, pending.org_id, o);
        return completion_page(o, pending.opener_origin);
    }
    json creds = pending.credentials;
    creds["access_token"] = token->access_token;
    if (!token->refresh_token.empty()) creds["refresh_token"] = token->refresh_token;
    if (token->expires_in > 0) creds["expires_at"] = std::to_string(app.now() + token->expires_in);
    http::ParsedUrl base;
    std::string account = http::parse_url(pending.credentials["base_url"], base) ? base.host : "your CRM";
    return completion_page(connect(app, c, pending, *who, creds, account), pending.opener_origin);
}

Result<Response> callback(App& app, const Call& c) {
    std::string platform = c.req.param("platform");
    std::string origin = origin_of(app.config.public_url);
    if (platform == "shopify") return shopify_callback(app, c, origin);
    if (platform == "custom_crm") return custom_crm_callback(app, c, origin);
    return completion_page(refused(404, platform.substr(0, 64), "unknown_platform", "This platform does not connect by OAuth."), origin);
}

}  // namespace

void add_oauth_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    r.add({"POST", "/api/v1/orgs/{org_id}/oauth/{platform}/start", Access::User, Body::Json, bind(start)});
    r.add({"GET", "/oauth/{platform}/callback", Access::Public, Body::None, bind(callback)});
}

}  // namespace onramp::api
