// Onboarding links (edge/onboarding/links.h).
//
//   POST   /api/v1/orgs/{org_id}/onboarding-links                    manager  {expires_in_hours, platforms, note,
//                                                                             send_to, require_code}
//   GET    /api/v1/orgs/{org_id}/onboarding-links                    manager  the org's links (never their tokens)
//   GET    /api/v1/orgs/{org_id}/onboarding-links/{link_id}          manager  one link
//   DELETE /api/v1/orgs/{org_id}/onboarding-links/{link_id}          manager  revoke; ends every session of it
//   POST   /api/v1/orgs/{org_id}/onboarding-links/{link_id}/revoke   manager  the same, for clients without DELETE
//   POST   /api/v1/onboarding-links/exchange                         public   {token, code?}: a client session
//   GET    /api/v1/onboarding/link                                   the link client: what its link offers
//
// A link's answer is shared/api/onboarding_link.h's OnboardingLinkView: its
// state, openings (time, device, address) and activity. The link is
// "<public_url>/#/onboard/<token>"; the web wizard renews the session it
// keeps in the tab and exchanges the token only when it has none, so the
// link reopens on any device until it expires, is revoked or the
// onboarding is complete. Operators act as managers of every organization
// here. With send_to (an e-mail address) the edge also e-mails the link
// there (serve --smtp-url; 409 "mail_disabled" without it, before anything
// is made). require_code (needs send_to, so mail too) makes every exchange
// ask for a 6-digit code: an exchange without "code" e-mails one to send_to
// and answers 403 "code_required"; a wrong code is 403 "code_invalid", a
// dead one "code_expired".
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/mail/queue.h"
#include "edge/onboarding/links.h"
#include "edge/onboarding/progress.h"
#include "edge/store/accounts.h"
#include "shared/api/onboarding_link.h"
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

std::optional<std::string> iso_or_none(const std::optional<int64_t>& t) {
    return t ? std::optional<std::string>(iso8601(*t)) : std::nullopt;
}

OnboardingLinkView view_of(store::Db& db, const ob::Link& l, int64_t now) {
    ob::Activity a = ob::activity_of(db, l);
    OnboardingLinkView v;
    v.id = l.id;
    v.org_id = l.org_id;
    v.note = l.note;
    v.state = ob::state_of(l, a, now);
    v.platforms = l.platforms;
    v.require_code = l.require_code;
    v.email = l.email;
    v.created_by = l.created_by;
    v.created_at = iso8601(l.created_at);
    v.expires_at = iso8601(l.expires_at);
    v.revoked_at = iso_or_none(l.revoked_at);
    v.first_opened_at = iso_or_none(l.first_opened_at);
    v.last_opened_at = iso_or_none(l.last_opened_at);
    v.last_activity_at = iso_or_none(a.last_activity_at);
    v.session_ends_at = l.last_opened_at ? std::optional<std::string>(iso8601(l.session_ends_at())) : std::nullopt;
    v.opened_count = l.opened_count;
    for (const ob::Opening& o : ob::recent_openings(db, l.id)) v.openings.push_back({iso8601(o.at), o.device, o.address});
    return v;
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

// "a•••@acme.test": enough for the client to recognise the address, not
// enough to learn it from the link alone.
std::string masked(const std::string& address) {
    size_t at = address.find('@');
    if (at == std::string::npos || at == 0) return "your e-mail address";
    return address.substr(0, 1) + "\u2022\u2022\u2022" + address.substr(at);
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
    n.require_code = f.opt_bool("require_code").value_or(false);
    if (n.require_code && !send_to)
        f.fail("require_code", "needs send_to: the client's e-mail address, where each code is sent");
    if (!f.ok()) return f.problem();
    if (send_to && !mail::enabled(app))
        return conflict(std::string("This server sends no e-mail (it runs without --smtp-url): ") +
                            (n.require_code ? "it cannot send the codes require_code asks for."
                                            : "leave send_to out and pass the link on yourself."),
                        "mail_disabled");
    n.email = send_to;

    auto db = app.store->lease();
    store::Tx tx(*db);
    ob::Minted m = ob::mint(*db, n, app.now());
    json detail = {{"platforms", m.link.platforms},
                   {"expires_at", iso8601(m.link.expires_at)},
                   {"require_code", m.link.require_code}};
    if (send_to) {
        auto org_row = store::find_org(*db, *org);
        auto queued = mail::enqueue(app, *db,
                                    mail::onboarding_link({*send_to, *org, org_row ? org_row->name : "",
                                                           ob::link_url(app.config.public_url, m.token),
                                                           m.link.expires_at, mail::brand_of(*db, *org)}));
        if (!queued) return queued.problem();
        detail["emailed_to"] = *send_to;
    }
    audit(*db, app.now(), c.who, &c.req, {"onboarding_link.created", *org, "onboarding_link", m.link.id, detail});
    json out = view_of(*db, m.link, app.now());
    tx.commit();
    if (send_to) mail::wake(app);
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
    for (const ob::Link& l : ob::list_links(*db, *org)) items.push_back(view_of(*db, l, app.now()));
    return Response::json({{"items", items}, {"total", items.size()}});
}

Result<Response> get_one(App& app, const Call& c) {
    auto org = link_org(app, c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    auto link = ob::find_link(*db, *org, c.req.param("link_id"));
    if (!link) return not_found("No such onboarding link.");
    return Response::json(view_of(*db, *link, app.now()));
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

// A require_code link's exchange without a code: e-mails a new code (unless
// one went out less than a minute ago) and asks for it.
Problem ask_for_code(App& app, const Call& c, store::Db& db, const ob::Link& l, const std::string& token,
                     const std::string& device) {
    store::Tx tx(db);
    if (auto code = ob::issue_code(db, l, token, app.now())) {
        auto org = store::find_org(db, l.org_id);
        auto queued = mail::enqueue(app, db,
                                    mail::link_code({*l.email, l.org_id, org ? org->name : "", *code, device,
                                                     app.now() + ob::kCodeSeconds, mail::brand_of(db, l.org_id)}));
        if (!queued) return queued.problem();
        audit(db, app.now(), nullptr, &c.req,
              {"onboarding_link.code_sent", l.org_id, "onboarding_link", l.id, {{"device", device}}});
        tx.commit();
        mail::wake(app);
    }
    Problem p = forbidden("To open this link on a new device, type the 6-digit code we e-mailed to " +
                          masked(*l.email) + ".");
    p.error_code = "code_required";
    return p;
}

Result<Response> exchange(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string token = f.text("token", 256);
    auto code = f.opt_text("code", 16);
    if (!f.ok()) return f.problem();
    ob::Opening opening{app.now(), ob::short_device(c.req.header("User-Agent")), c.req.remote_addr};
    auto db = app.store->lease();
    auto link = ob::link_for_token(*db, token);
    if (!link) return not_found("No such onboarding link. Check that the whole link was copied.");
    if (Status s = ob::openable(*db, *link, app.now()); !s) return s.problem();
    if (link->require_code) {
        if (!link->email || !mail::enabled(app))
            return conflict("This link needs a code by e-mail, and this server sends no e-mail now. Ask the team "
                            "that sent it for a new link.",
                            "mail_disabled");
        if (!code || code->empty()) return ask_for_code(app, c, *db, *link, token, opening.device);
        store::Tx tx(*db);
        Status checked = ob::check_code(*db, *link, token, *code, app.now());
        if (!checked)
            audit(*db, app.now(), nullptr, &c.req,
                  {"onboarding_link.code_refused", link->org_id, "onboarding_link", link->id,
                   {{"error", checked.problem().error_code}}});
        tx.commit();  // a wrong try counts, refused or not
        if (!checked) return checked.problem();
    }
    auto done = ob::exchange(*db, token, opening);
    if (!done) return done.problem();
    const ob::Link& l = done->link;
    auto org = store::find_org(*db, l.org_id);
    if (!org) return not_found("No such onboarding link.");
    {
        auth::Principal client{*l.client_user_id, "", false, {{l.org_id, "manager"}}, ""};
        store::Tx tx(*db);
        ob::record_event(*db, l.org_id, l.client_user_id, "onboarding_link", "opened",
                         {{"link_id", l.id}, {"opening", l.opened_count}}, app.now());
        audit(*db, app.now(), &client, &c.req,
              {"onboarding_link.exchanged", l.org_id, "onboarding_link", l.id,
               {{"device", opening.device}, {"opening", l.opened_count}}});
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

// What the caller's link offers, for a web client that resumed its session
// by a refresh (whose answer does not say): the org and the platforms.
Result<Response> own_link(App& app, const Call& c) {
    auto db = app.store->lease();
    auto link = ob::link_of_client(*db, c.who->user_id);
    if (!link) return not_found("This session was not opened by an onboarding link.");
    auto org = store::find_org(*db, link->org_id);
    if (!org) return not_found("No such onboarding link.");
    return Response::json({{"org", {{"id", org->id}, {"name", org->name}}},
                           {"platforms", link->platforms},
                           {"expires_at", iso8601(link->expires_at)},
                           {"session_ends_at", iso8601(link->session_ends_at())}});
}

}  // namespace

void add_onboarding_link_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    const std::string base = "/api/v1/orgs/{org_id}/onboarding-links";
    r.add({"POST", base, Access::User, Body::Json, bind(create)});
    r.add({"GET", base, Access::User, Body::None, bind(list)});
    r.add({"GET", base + "/{link_id}", Access::User, Body::None, bind(get_one)});
    r.add({"DELETE", base + "/{link_id}", Access::User, Body::None, bind(revoke)});
    r.add({"POST", base + "/{link_id}/revoke", Access::User, Body::None, bind(revoke)});
    r.add({"POST", "/api/v1/onboarding-links/exchange", Access::Public, Body::Json, bind(exchange)});
    r.add({"GET", "/api/v1/onboarding/link", Access::User, Body::None, bind(own_link)});
}

}  // namespace onramp::api
