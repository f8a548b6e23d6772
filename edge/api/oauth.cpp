// Connecting a platform by signing in at the platform (the OAuth start and
// callback handlers). The flow is the same for every platform; what differs
// is each module's OAuth part (edge/platforms/oauth.h), found by the path's
// platform id. Platforms without one answer 404 here.
//
//   POST /api/v1/orgs/{org_id}/oauth/{platform}/start   manager
//        {<the platform's fields (edge/platforms/<id>/oauth.h)>, name?,
//         sync_frequency?, perform_initial_sync?}
//        → {authorization_url, state, redirect_uri, expires_at}
//        The web client opens authorization_url in a popup. Where the
//        platform takes PKCE the URL carries an S256 code_challenge; its
//        code_verifier stays with the state in this process.
//   GET  /oauth/{platform}/callback   public; the platform redirects the popup here
//        The platform's check of the redirect itself first (a signed
//        redirect), then the state (single use, ten minutes, same platform —
//        edge/oauth/states.h), the platform's check of the answer (its
//        error, another account), the session that started it (not signed
//        out, still a manager; a link client's session within its link's org
//        and platforms); then the code is exchanged by the platform's part
//        and the connection stored through connections::create() (which
//        tests the token, keeps every secret in the vault and queues the
//        initial sync). Answers a small HTML page that posts
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
#include "edge/http/client.h"
#include "edge/http/html.h"
#include "edge/onboarding/links.h"
#include "edge/platforms/module.h"
#include "edge/platforms/oauth.h"
#include "edge/store/accounts.h"
#include "edge/store/connections.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;
using platforms::OAuthGrant;
using platforms::OAuthInstall;
using platforms::OAuthRefusal;

namespace {

// The OAuth part of the platform's module, null when it has none.
const OAuthInstall* install_of(const std::string& platform) {
    const platforms::Module* m = platforms::find_module(platform);
    return m ? m->oauth : nullptr;
}

// E.g. "A, B and C": the catalog names of the platforms that connect by OAuth.
std::string oauth_platform_names() {
    std::vector<std::string> names;
    for (const platforms::Module* m : platforms::modules()) {
        const connectors::Connector* entry = connectors::find_connector(std::string(m->id));
        if (m->oauth && entry) names.emplace_back(entry->name);
    }
    std::string out;
    for (size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    return out;
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

Result<Response> start(App& app, const Call& c) {
    auto org = managed_org(c);
    if (!org) return org.problem();
    std::string platform = c.req.param("platform");
    const OAuthInstall* install = install_of(platform);
    if (!install)
        return not_found("No OAuth install for '" + platform.substr(0, 64) + "'. " + oauth_platform_names() +
                         " connect this way; other platforms take their credentials in a form.");
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    auto name = f.opt_text("name", 200);
    std::string frequency = f.opt_choice("sync_frequency", {"manual", "hourly", "daily", "weekly"}).value_or("daily");
    bool initial = f.opt_bool("perform_initial_sync").value_or(true);

    oauth::Pending p;
    connectors::CallContext ctx = app.contexts->one_off();
    Status prepared = install->prepare(app, f, ctx, p);
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
    std::string url = install->authorize_url(app, ctx, p, redirect, state);
    {
        auto db = app.store->lease();
        audit(*db, app.now(), c.who, &c.req, {"oauth.started", *org, "connector", platform, install->started_detail(p)});
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
    json choose;  // {"field", "options"}: the accounts to pick from (OAuthRefusal::choices)
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
    if (!o.choose.is_null()) message["choose"] = o.choose;
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

Outcome refused(const std::string& platform, const OAuthRefusal& r) {
    Outcome o = refused(r.status, platform, r.error, r.message);
    if (!r.choice_field.empty() && r.choices.is_array()) o.choose = {{"field", r.choice_field}, {"options", r.choices}};
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

Result<Response> callback(App& app, const Call& c) {
    std::string platform = c.req.param("platform");
    std::string origin = origin_of(app.config.public_url);
    const OAuthInstall* install = install_of(platform);
    if (!install)
        return completion_page(refused(404, platform.substr(0, 64), "unknown_platform",
                                       "This platform does not connect by OAuth."), origin);

    if (install->check_redirect)
        if (auto r = install->check_redirect(app, c.req)) {
            Outcome o = refused(platform, *r);
            audit_refusal(app, c, "", o);
            return completion_page(o, origin);
        }
    oauth::Pending pending;
    if (auto o = take_state(app, c, platform, std::string(install->sender), pending)) return completion_page(*o, origin);
    if (install->check_answer)
        if (auto r = install->check_answer(pending, c.req)) {
            Outcome o = refused(platform, *r);
            audit_refusal(app, c, pending.org_id, o);
            return completion_page(o, pending.opener_origin);
        }
    std::optional<auth::Principal> who;
    if (auto o = acting_user(app, c, pending, who)) return completion_page(*o, pending.opener_origin);

    connectors::CallContext ctx = app.contexts->one_off();
    std::string redirect = app.config.public_url + "/oauth/" + platform + "/callback";
    OAuthGrant grant;
    if (auto r = install->exchange(app, ctx, pending, c.req, redirect, grant)) {
        Outcome o = refused(platform, *r);
        audit_refusal(app, c, pending.org_id, o);
        return completion_page(o, pending.opener_origin);
    }
    Outcome o = connect(app, c, pending, *who, grant.credentials, grant.account);
    if (o.success && install->connected) {
        std::optional<store::Connection> conn;
        {
            auto db = app.store->lease();
            conn = store::find_connection(*db, o.org_id, o.connection_id);
        }
        if (conn) install->connected(app, *conn, *who, c.req);
    }
    return completion_page(o, pending.opener_origin);
}

}  // namespace

void add_oauth_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    r.add({"POST", "/api/v1/orgs/{org_id}/oauth/{platform}/start", Access::User, Body::Json, bind(start)});
    r.add({"GET", "/oauth/{platform}/callback", Access::Public, Body::None, bind(callback)});
}

}  // namespace onramp::api
