// Connecting a platform by signing in at the platform (issue 6, seed 003
// "OAuth Callback Handlers"). Shopify's app install is implemented; other
// platforms answer 404 here.
//
//   POST /api/v1/orgs/{org_id}/oauth/{platform}/start   manager
//        {shop_domain, name?, sync_frequency?, perform_initial_sync?}
//        → {authorization_url, state, redirect_uri, expires_at}
//        The web client opens authorization_url in a popup.
//   GET  /oauth/{platform}/callback?code&hmac&host&shop&state&timestamp   public
//        The platform redirects the popup here. Checks, in order: the
//        HMAC (Shopify signs the redirect), the state (single use, ten
//        minutes, same platform and shop, edge/oauth/states.h), the
//        session that started it (not signed out, still a manager); then
//        exchanges the code, and stores the connection through
//        connections::create() (which tests the token and queues the
//        initial sync). Answers a small HTML page that posts
//          {"source": "onramp", "type": "oauth_result", "platform",
//           "success", "connection_id"?, "org_id"?, "error"?, "message"}
//        to window.opener, addressed to this deployment's origin
//        (public_url), and closes the popup.
//
// The callback's own failures are pages too (status 400/403/404/409/422/
// 502), so the popup always has something to show and post.
// Disconnecting is DELETE /api/v1/orgs/{org_id}/connections/{id}.
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/auth/sessions.h"
#include "edge/connections/service.h"
#include "edge/connectors/shopify_oauth.h"
#include "edge/http/client.h"
#include "edge/http/fields.h"
#include "edge/mock/server.h"
#include "edge/store/accounts.h"
#include "shared/validation/validate.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;
namespace shopify_oauth = connectors::shopify_oauth;

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
    store::Stmt st(db->raw(), "SELECT family_id FROM tokens WHERE hash = ? AND kind = 'access'");
    st.bind_all(auth::token_hash(h.size() > 7 ? h.substr(7) : ""));
    return st.step() ? "family:" + st.text(0) : "";
}

bool session_alive(store::Db& db, const std::string& session) {
    bool family = session.rfind("family:", 0) == 0, key = session.rfind("key:", 0) == 0;
    if (!family && !key) return false;
    store::Stmt st(db.raw(), family ? "SELECT revoked_at FROM token_families WHERE id = ?"
                                    : "SELECT revoked_at FROM api_keys WHERE id = ?");
    st.bind_all(session.substr(family ? 7 : 4));
    return st.step() && st.is_null(0);
}

Result<Response> start(App& app, const Call& c) {
    auto org = managed_org(c);
    if (!org) return org.problem();
    std::string platform = c.req.param("platform");
    if (platform != "shopify")
        return not_found("No OAuth install for '" + platform.substr(0, 64) + "'. Shopify connects this way; "
                         "other platforms take their credentials in a form.");
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    http::Fields f(*body);
    std::string shop = f.text("shop_domain", 200);
    auto name = f.opt_text("name", 200);
    std::string frequency = f.opt_choice("sync_frequency", {"manual", "hourly", "daily", "weekly"}).value_or("daily");
    bool initial = f.opt_bool("perform_initial_sync").value_or(true);
    const connectors::Connector* entry = connectors::find_connector("shopify");
    if (!shop.empty()) {
        validation::FieldCheck check = validation::validate_field(*entry->find_field("shop_domain"), shop);
        if (!check.ok()) f.fail("shop_domain", check.error);
        shop = check.value;
    }
    if (!f.ok()) return f.problem();
    auto credentials = shopify_app(app);
    if (!credentials)
        return conflict("This server has no Shopify app: set SHOPIFY_API_KEY and SHOPIFY_API_SECRET.",
                        "oauth_not_configured");
    std::string origin = origin_of(app.config.public_url);
    if (origin.empty())
        return conflict("This server's public URL is not set (--public-url), so Shopify cannot be told where to "
                        "send the merchant back.",
                        "oauth_not_configured");

    oauth::Pending p;
    p.platform = platform;
    p.org_id = *org;
    p.user_id = c.who->user_id;
    p.session = session_of(app, c);
    p.shop = shop;
    p.name = name.value_or("");
    p.sync_frequency = frequency;
    p.perform_initial_sync = initial;
    p.opener_origin = origin;
    p.created_at = app.now();
    std::string state = app.oauth_states.issue(p);
    std::string redirect = app.config.public_url + "/oauth/" + platform + "/callback";
    connectors::CallContext ctx = app.contexts->one_off();
    {
        auto db = app.store->lease();
        audit(*db, app.now(), c.who, &c.req, {"oauth.started", *org, "connector", platform, {{"shop", shop}}});
    }
    return Response::json({{"authorization_url", shopify_oauth::authorize_url(ctx, shop, *credentials, redirect, state)},
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

std::string html_escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += ch;
        }
    }
    return out;
}

// JSON for inside a <script>: ASCII only and no "<", so no value can end
// the script element early (</script>) or hide a line terminator.
std::string script_json(const json& j) {
    std::string s = j.dump(-1, ' ', true);
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
             "<body><p>" + html_escape(o.message) + "</p><p>You can close this window.</p>\n"
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

Result<Response> callback(App& app, const Call& c) {
    std::string platform = c.req.param("platform");
    std::string origin = origin_of(app.config.public_url);
    if (platform != "shopify")
        return completion_page(refused(404, platform.substr(0, 64), "unknown_platform", "This platform does not connect by OAuth."), origin);
    auto credentials = shopify_app(app);
    if (!credentials)
        return completion_page(refused(409, platform, "oauth_not_configured", "This server has no Shopify app configured."), origin);

    // The signature first: a forged redirect must not use up a real state.
    if (!shopify_oauth::verify(credentials->client_secret, c.req.query)) {
        Outcome o = refused(400, platform, "invalid_signature", "The answer from Shopify was not signed correctly. Start again from Onramp.");
        audit_refusal(app, c, "", o);
        return completion_page(o, origin);
    }
    std::string state = c.req.query_value("state");
    if (state.empty()) {
        Outcome o = refused(400, platform, "missing_state", "The answer from Shopify carried no state. Start again from Onramp.");
        audit_refusal(app, c, "", o);
        return completion_page(o, origin);
    }
    auto pending = app.oauth_states.take(state, app.now());
    if (!pending) {
        Outcome o = refused(400, platform, "invalid_state",
                            "This authorization expired or was already used. Start again from Onramp.");
        audit_refusal(app, c, "", o);
        return completion_page(o, origin);
    }
    if (pending->platform != platform || pending->shop != c.req.query_value("shop")) {
        Outcome o = refused(400, platform, "foreign_state", "This authorization was started for another shop. Start again from Onramp.");
        audit_refusal(app, c, pending->org_id, o);
        return completion_page(o, pending->opener_origin);
    }

    std::optional<auth::Principal> who;
    {
        auto db = app.store->lease();
        auto user = store::find_user(*db, pending->user_id);
        if (user && session_alive(*db, pending->session)) who = store::principal_for(*db, *user);
    }
    if (!who || !who->can_manage(pending->org_id)) {
        Outcome o = refused(403, platform, "session_ended",
                            "The Onramp session that started this has ended, or may no longer manage this "
                            "organization. Sign in and start again.");
        audit_refusal(app, c, pending->org_id, o);
        return completion_page(o, pending->opener_origin);
    }

    connectors::CallContext ctx = app.contexts->one_off();
    auto token = shopify_oauth::exchange_code(ctx, pending->shop, *credentials, c.req.query_value("code"));
    if (!token) {
        Outcome o = refused(502, platform, "code_exchange_failed", token.failure().message);
        audit_refusal(app, c, pending->org_id, o);
        return completion_page(o, pending->opener_origin);
    }
    connections::Draft d;
    d.org_id = pending->org_id;
    d.platform = platform;
    d.name = pending->name;
    d.sync_frequency = pending->sync_frequency;
    d.perform_initial_sync = pending->perform_initial_sync;
    d.credentials = {{"shop_domain", pending->shop}, {"access_token", token->access_token}};
    auto saved = connections::create(app, d, &*who, &c.req);
    if (!saved || !saved->connection) {
        std::string why = !saved ? saved.problem().detail : saved->test.failure->message;
        return completion_page(refused(422, platform, "connection_test_failed", why), pending->opener_origin);
    }
    Outcome o;
    o.success = true;
    o.platform = platform;
    o.org_id = pending->org_id;
    o.connection_id = saved->connection->id;
    o.message = "Connected " + saved->connection->name + " (" + pending->shop + ") to Onramp.";
    return completion_page(o, pending->opener_origin);
}

}  // namespace

void add_oauth_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    r.add({"POST", "/api/v1/orgs/{org_id}/oauth/{platform}/start", Access::User, Body::Json, bind(start)});
    r.add({"GET", "/oauth/{platform}/callback", Access::Public, Body::None, bind(callback)});
}

}  // namespace onramp::api
