// Webhooks: the receiving endpoints and their management API.
//
//   POST /webhooks/{platform}/{connection_id}          public   a platform's delivery (edge/webhooks/receiver.h)
//   GET  /webhooks/{platform}/{connection_id}          public   its subscription handshake, where the scheme has one
//   POST /api/webhooks/bigcommerce                     public   the one-call onboarding's URL: routed by the payload's org_id
//
//   GET  /api/v1/orgs/{org_id}/connections/{id}/webhooks           member   URL, scheme, secret (masked),
//        ?state=received|processed|ignored|failed|dead&limit=1..500         whether Onramp may generate it,
//                                                                             setup steps, registration state,
//                                                                             counters, recent deliveries
//   PUT  .../webhooks/secret                        manager  {secret?, scheme?, grace_seconds?}: sets or
//                                                            generates the secret; shown once in the answer;
//                                                            then registers or updates the hooks by itself
//   POST .../webhooks/registration                  manager  registers the hooks on the platform (idempotent);
//                                                            also the retry after a failed automatic one
//   DELETE .../webhooks/registration                manager  removes the hooks Onramp registered (and they
//                                                            stay removed until registered by hand)
//   POST .../webhooks/deliveries/{seq}/replay       manager  a dead, failed or ignored delivery is processed again
//
// Secrets never appear in audit entries or logs; the secret endpoint shows
// a new secret once, in its own answer, for pasting into the platform.
#include <nlohmann/json.hpp>

#include <memory>

#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/webhooks/automatic.h"
#include "edge/webhooks/endpoint.h"
#include "edge/webhooks/inbox.h"
#include "edge/webhooks/receiver.h"
#include "edge/webhooks/registration.h"
#include "edge/webhooks/worker.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

namespace {

json delivery_json(store::Stmt& st) {
    return {{"id", st.i64(0)},
            {"topic", st.text(1)},
            {"platform_delivery_id", st.is_null(2) ? json(nullptr) : json(st.text(2))},
            {"received_at", iso8601(st.i64(3))},
            {"verified", true},
            {"state", st.text(4)},
            {"attempts", st.i64(5)},
            {"next_attempt_at", st.is_null(6) ? json(nullptr) : json(iso8601(st.i64(6)))},
            {"last_error", st.is_null(7) ? json(nullptr) : json(st.text(7))},
            {"processed_at", st.is_null(8) ? json(nullptr) : json(iso8601(st.i64(8)))},
            {"bytes", st.i64(9)}};
}

json endpoint_json(App& app, store::Db& db, const store::Connection& conn) {
    auto e = webhooks::find_endpoint(db, conn.id);
    const webhooks::Scheme& scheme = webhooks::scheme_of(conn, e);
    webhooks::Secrets secrets = webhooks::load_secrets(*app.vault, db, conn, e, app.now());
    std::string url = webhooks::webhook_url(app.config, conn, scheme);
    json out = {{"url", url},
                {"scheme", std::string(scheme.name)},
                {"secret_configured", !secrets.keys.empty()},
                {"secret", secrets.keys.empty() ? json(nullptr) : json(mask_secret(secrets.keys.front()))},
                {"secret_set_at", e && e->secret_set_at ? json(iso8601(*e->secret_set_at)) : json(nullptr)},
                {"previous_secret_valid_until",
                 e && e->previous_expires_at && *e->previous_expires_at > app.now()
                     ? json(iso8601(*e->previous_expires_at))
                     : json(nullptr)},
                // false: the platform fixes the secret, which is pasted ({"secret"}).
                {"can_generate_secret", webhooks::can_generate_secret(scheme)},
                {"can_register", webhooks::supports_registration(conn.platform)},
                {"registered", e ? e->registered : json::array()},
                {"registered_at", e && e->registered_at ? json(iso8601(*e->registered_at)) : json(nullptr)},
                {"registration", webhooks::registration_json(app, db, conn, e)},
                {"steps", webhooks::manual_steps(conn.platform, scheme, url)}};
    if (conn.platform == "bigcommerce")
        out["seed_url"] = app.config.public_url + "/api/webhooks/bigcommerce";
    return out;
}

Result<Response> show(App& app, const Call& c) {
    auto conn = visible_connection(app, c, false);
    if (!conn) return conn.problem();
    std::string state = c.req.query_value("state");
    if (!state.empty() && state != "received" && state != "processed" && state != "ignored" && state != "failed" &&
        state != "dead")
        return unprocessable({{"state", "must be received, processed, ignored, failed or dead"}});
    int64_t limit = 50;
    if (std::string l = c.req.query_value("limit"); !l.empty()) {
        char* end = nullptr;
        limit = std::strtoll(l.c_str(), &end, 10);
        if (*end || limit < 1 || limit > 500) return unprocessable({{"limit", "must be a number from 1 to 500"}});
    }
    auto db = app.store->lease();
    json out = endpoint_json(app, *db, *conn);
    out["counters"] = webhooks::read_counters(*db, conn->id);
    store::Stmt st(*db,
                   "SELECT seq, topic, delivery_id, received_at, state, attempts, next_attempt_at, last_error,"
                   " processed_at, length(body) FROM webhook_deliveries WHERE connection_id = ?"
                   " AND (? = '' OR state = ?) ORDER BY seq DESC LIMIT ?");
    st.bind_all(conn->id, state, state, limit);
    json items = json::array();
    while (st.step()) items.push_back(delivery_json(st));
    out["deliveries"] = items;
    return Response::json(out);
}

Result<Response> put_secret(App& app, const Call& c) {
    auto conn = visible_connection(app, c, true);
    if (!conn) return conn.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    auto given = f.opt_text("secret", 512);
    auto scheme_name = f.opt_text("scheme", 32);
    auto grace = f.opt_int("grace_seconds", 0, 30 * 86400);
    const webhooks::Scheme* scheme = nullptr;
    if (scheme_name) {
        scheme = webhooks::find_scheme(*scheme_name);
        if (!scheme) f.fail("scheme", "is not a webhook scheme");
    }
    for (const auto& [k, v] : body->items())
        if (k != "secret" && k != "scheme" && k != "grace_seconds") f.fail(k, "is not a field of a webhook secret");
    if (!f.ok()) return f.problem();

    auto db = app.store->lease();
    auto existing = webhooks::find_endpoint(*db, conn->id);
    const webhooks::Scheme& chosen = scheme ? *scheme : webhooks::scheme_of(*conn, existing);
    if (!given && !webhooks::can_generate_secret(chosen))
        return unprocessable({{"secret", std::string(chosen.name) +
                                             " fixes the secret itself; paste the one it shows"}});
    std::string secret = given ? *given : webhooks::generate_secret(chosen);
    int64_t grace_s = grace.value_or(webhooks::kDefaultGraceSeconds);
    {
        store::Tx tx(*db);
        auto e = webhooks::set_secret(*app.vault, *db, *conn, chosen, secret, grace_s, app.now());
        if (!e) return e.problem();
        audit(*db, app.now(), c.who, &c.req,
              {"webhook.secret_set", conn->org_id, "connection", conn->id,
               {{"scheme", std::string(chosen.name)},
                {"generated", !given},
                {"grace_seconds", grace_s}}});
        tx.commit();
    }
    // Shopify's hooks wait for this secret; elsewhere the new one must reach the platform.
    if (&chosen == &webhooks::default_scheme(conn->platform)) webhooks::register_automatically(app, *conn, c.who, &c.req);
    json out = endpoint_json(app, *db, *conn);
    // Shown this once: afterwards only masked.
    out["secret"] = secret;
    return Response::json(out);
}

Result<Response> register_hooks(App& app, const Call& c) {
    auto conn = visible_connection(app, c, true);
    if (!conn) return conn.problem();
    auto done = webhooks::register_hooks(app, *conn);
    if (!done) return done.problem();
    auto db = app.store->lease();
    audit(*db, app.now(), c.who, &c.req,
          {"webhook.registered", conn->org_id, "connection", conn->id, {{"hooks", done->registered.size()}}});
    return Response::json(endpoint_json(app, *db, *conn));
}

Result<Response> unregister_hooks(App& app, const Call& c) {
    auto conn = visible_connection(app, c, true);
    if (!conn) return conn.problem();
    auto done = webhooks::unregister_hooks(app, *conn);
    if (!done) return done.problem();
    auto db = app.store->lease();
    audit(*db, app.now(), c.who, &c.req, {"webhook.unregistered", conn->org_id, "connection", conn->id, {}});
    return Response::empty();
}

Result<Response> replay_delivery(App& app, const Call& c) {
    auto conn = visible_connection(app, c, true);
    if (!conn) return conn.problem();
    std::string raw = c.req.param("seq");
    char* end = nullptr;
    int64_t seq = std::strtoll(raw.c_str(), &end, 10);
    if (raw.empty() || *end || seq < 1) return not_found("No such delivery.");
    auto db = app.store->lease();
    // The read ends before the writes (see auth::end_session).
    std::string state;
    {
        store::Stmt st(*db, "SELECT state FROM webhook_deliveries WHERE seq = ? AND connection_id = ?");
        st.bind_all(seq, conn->id);
        if (!st.step()) return not_found("No such delivery.");
        state = st.text(0);
    }
    if (!webhooks::replay(*db, conn->id, seq))
        return conflict("Only dead, failed or ignored deliveries are replayed; this one is " + state + ".",
                        "delivery_not_replayable");
    audit(*db, app.now(), c.who, &c.req,
          {"webhook.replayed", conn->org_id, "connection", conn->id, {{"delivery", seq}, {"was", state}}});
    if (app.webhooks) app.webhooks->wake();
    return Response::json({{"id", seq}, {"state", "received"}});
}

}  // namespace

void add_webhook_routes(http::Router& r, App& app) {
    // The inbox and the targets live as long as the routes that use them.
    auto inbox = std::make_shared<webhooks::Inbox>(*app.store);
    auto targets = std::make_shared<webhooks::Targets>();
    inbox->set_on_commit([&app] {
        if (app.webhooks) app.webhooks->wake();
    });
    r.add({"POST", "/webhooks/{platform}/{connection_id}", Access::Public, Body::Raw,
           [&app, inbox, targets](const Call& c) {
               return webhooks::receive(app, *inbox, *targets, c.req.param("platform"), c.req.param("connection_id"),
                                        c.req);
           }});
    r.add({"GET", "/webhooks/{platform}/{connection_id}", Access::Public, Body::None,
           [&app, inbox, targets](const Call& c) {
               return webhooks::answer_handshake(app, *inbox, *targets, c.req.param("platform"),
                                                 c.req.param("connection_id"), c.req);
           }});
    r.add({"POST", "/webhooks/{platform}", Access::Public, Body::Raw, [&app, inbox, targets](const Call& c) {
               return webhooks::receive_for_app(app, *inbox, *targets, c.req.param("platform"), c.req);
           }});
    r.add({"GET", "/webhooks/{platform}", Access::Public, Body::None, [&app, inbox](const Call& c) {
               return webhooks::answer_app_handshake(app, *inbox, c.req.param("platform"), c.req);
           }});
    r.add({"POST", "/api/webhooks/bigcommerce", Access::Public, Body::Raw,
           [&app, inbox, targets](const Call& c) {
               return webhooks::receive_bigcommerce_by_org(app, *inbox, *targets, c.req);
           }});

    auto bind = [&app](auto fn) { return with_app(app, fn); };
    const std::string base = "/api/v1/orgs/{org_id}/connections/{id}/webhooks";
    r.add({"GET", base, Access::User, Body::None, bind(show)});
    r.add({"PUT", base + "/secret", Access::User, Body::Json, bind(put_secret)});
    r.add({"POST", base + "/registration", Access::User, Body::None, bind(register_hooks)});
    r.add({"DELETE", base + "/registration", Access::User, Body::None, bind(unregister_hooks)});
    r.add({"POST", base + "/deliveries/{seq}/replay", Access::User, Body::None, bind(replay_delivery)});
}

}  // namespace onramp::api
