// Onboarding links (issue 6 item 5; edge/onboarding/links.h).
//
//   POST   /api/v1/orgs/{org_id}/onboarding-links             manager  {expires_in_hours, platforms, note, send_to}
//   GET    /api/v1/orgs/{org_id}/onboarding-links             manager  the org's links (never their tokens)
//   DELETE /api/v1/orgs/{org_id}/onboarding-links/{link_id}   manager  revoke; ends the client's session
//   POST   /api/v1/onboarding-links/exchange                  public   {token}: a client session
//
// The link is "<public_url>/#/onboard/<token>"; the web wizard exchanges the
// token at once and keeps the session it gets back. Operators act as
// managers of every organization here. With send_to (an e-mail address) the
// edge also e-mails the link there (serve --smtp-url; 409 "mail_disabled"
// without it, before anything is made).
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/mail/queue.h"
#include "edge/onboarding/links.h"
#include "edge/onboarding/progress.h"
#include "edge/store/accounts.h"
#include "shared/connectors/catalog.h"
#include "shared/json.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;
namespace ob = onramp::onboarding;

namespace {

json link_json(const ob::Link& l, int64_t now) {
    return {{"id", l.id},
            {"org_id", l.org_id},
            {"platforms", l.platforms},
            {"note", l.note},
            {"status", l.status(now)},
            {"created_by", l.created_by ? json(*l.created_by) : json(nullptr)},
            {"created_at", iso8601(l.created_at)},
            {"expires_at", iso8601(l.expires_at)},
            {"used_at", iso8601_or_null(l.used_at)},
            {"revoked_at", iso8601_or_null(l.revoked_at)},
            {"session_ends_at", l.used_at ? json(iso8601(l.session_ends_at())) : json(nullptr)}};
}

// Security: an org the caller cannot see is 404 (readable_org); operators
// pass can_read for every id, so a made-up one must be checked here.
Result<std::string> link_org(App& app, const Call& c) {
    auto org = managed_org(c);
    if (!org) return org;
    auto db = app.store->lease();
    if (!store::find_org(*db, *org)) return not_found("No such organization.");
    return org;
}

Result<Response> create(App& app, const Call& c) {
    auto org = link_org(app, c);
    if (!org) return org.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    ob::NewLink n;
    n.org_id = *org;
    n.created_by = c.who->user_id;
    n.note = f.opt_text("note", 500).value_or("");
    int64_t max_hours = ob::kMaxLinkSeconds / 3600;
    n.ttl_seconds = f.opt_int("expires_in_hours", 1, max_hours).value_or(ob::kLinkSeconds / 3600) * 3600;
    if (auto it = body->find("platforms"); it != body->end() && !it->is_null()) {
        if (!it->is_array()) f.fail("platforms", "must be a list of platform ids (GET /api/v1/connectors)");
        for (const json& p : it->is_array() ? *it : json::array()) {
            if (p.is_string() && connectors::find_connector(p.get<std::string>()))
                n.platforms.push_back(p.get<std::string>());
            else
                f.fail("platforms", "holds " + dump_json(p).substr(0, 64) + ", which is not a platform id");
        }
    }
    auto send_to = f.opt_text("send_to", 254);
    if (send_to && !mail::valid_address(*send_to)) f.fail("send_to", "must be one e-mail address");
    if (!f.ok()) return f.problem();
    if (send_to && !mail::enabled(app))
        return conflict("This server sends no e-mail (it runs without --smtp-url): leave send_to out and "
                        "pass the link on yourself.",
                        "mail_disabled");

    auto db = app.store->lease();
    store::Tx tx(*db);
    ob::Minted m = ob::mint(*db, n, app.now());
    json detail = {{"platforms", m.link.platforms}, {"expires_at", iso8601(m.link.expires_at)}};
    if (send_to) {
        auto org_row = store::find_org(*db, *org);
        auto queued = mail::enqueue(app, *db,
                                    mail::onboarding_link({*send_to, *org, org_row ? org_row->name : "",
                                                           ob::link_url(app.config.public_url, m.token),
                                                           m.link.expires_at}));
        if (!queued) return queued.problem();
        detail["emailed_to"] = *send_to;
    }
    audit(*db, app.now(), c.who, &c.req, {"onboarding_link.created", *org, "onboarding_link", m.link.id, detail});
    tx.commit();
    if (send_to) mail::wake(app);
    json out = link_json(m.link, app.now());
    out["emailed_to"] = send_to ? json(*send_to) : json(nullptr);
    out["url"] = ob::link_url(app.config.public_url, m.token);
    out["token"] = m.token;  // shown this once; only its hash is kept
    return Response::json(out, 201);
}

Result<Response> list(App& app, const Call& c) {
    auto org = link_org(app, c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    json items = json::array();
    for (const ob::Link& l : ob::list_links(*db, *org)) items.push_back(link_json(l, app.now()));
    return Response::json({{"items", items}, {"total", items.size()}});
}

Result<Response> revoke(App& app, const Call& c) {
    auto org = link_org(app, c);
    if (!org) return org.problem();
    std::string id = c.req.param("link_id");
    auto db = app.store->lease();
    if (!ob::find_link(*db, *org, id)) return not_found("No such onboarding link.");
    if (!ob::revoke_link(*db, *org, id, app.now()))
        return conflict("This onboarding link was already revoked.", "link_revoked");
    audit(*db, app.now(), c.who, &c.req, {"onboarding_link.revoked", *org, "onboarding_link", id});
    return Response::empty(204);
}

Result<Response> exchange(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string token = f.text("token", 256);
    if (!f.ok()) return f.problem();
    auto db = app.store->lease();
    auto done = ob::exchange(*db, token, app.now());
    if (!done) return done.problem();
    const ob::Link& l = done->link;
    auto org = store::find_org(*db, l.org_id);
    if (!org) return not_found("No such onboarding link.");
    {
        auth::Principal client{*l.client_user_id, "", false, {{l.org_id, "manager"}}, ""};
        store::Tx tx(*db);
        ob::record_event(*db, l.org_id, l.client_user_id, "onboarding_link", "opened", {{"link_id", l.id}}, app.now());
        audit(*db, app.now(), &client, &c.req, {"onboarding_link.exchanged", l.org_id, "onboarding_link", l.id});
        tx.commit();
    }
    return Response::json({{"access_token", done->tokens.access_token},
                           {"refresh_token", done->tokens.refresh_token},
                           {"token_type", "Bearer"},
                           {"expires_in", done->tokens.expires_in},
                           {"scope", "onboarding"},
                           {"org", {{"id", org->id}, {"name", org->name}}},
                           {"platforms", l.platforms},
                           {"session_ends_at", iso8601(l.session_ends_at())}});
}

}  // namespace

void add_onboarding_link_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    const std::string base = "/api/v1/orgs/{org_id}/onboarding-links";
    r.add({"POST", base, Access::User, Body::Json, bind(create)});
    r.add({"GET", base, Access::User, Body::None, bind(list)});
    r.add({"DELETE", base + "/{link_id}", Access::User, Body::None, bind(revoke)});
    r.add({"POST", "/api/v1/onboarding-links/exchange", Access::Public, Body::Json, bind(exchange)});
}

}  // namespace onramp::api
