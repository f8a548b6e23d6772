// Branding: the agency's name, logo, accent colour, welcome note and embed
// origins (shared/branding/branding.h, docs/branding.md).
//
//   GET /api/v1/branding                     public    the deployment's brand (the sign-in page)
//   PUT /api/v1/branding                     operator  {name, logo, accent, welcome, embed_origins}
//   GET /api/v1/orgs/{org_id}/branding       member    {own, resolved}
//   PUT /api/v1/orgs/{org_id}/branding       manager   {name, logo, accent, welcome, embed_origins}
//   GET /api/v1/onboarding/branding          manager   the brand the client's page shows with its
//                                                      embed origins, and for a link's session
//                                                      the link's note
//
// A PUT replaces every field: absent or null clears it, so the layer beneath
// (the deployment's, then the vendor's) shows through again.
#include <nlohmann/json.hpp>

#include "edge/api/onboarding_org.h"
#include "edge/api/routes.h"
#include "edge/audit.h"
#include "edge/branding/settings.h"
#include "edge/onboarding/links.h"
#include "edge/store/accounts.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

namespace {

// The public view leaves out the embed origins: they say which of the
// agency's own apps frame the page, which a stranger does not need.
json public_json(const branding::Branding& b) {
    json out = branding::to_json(b);
    out.erase("embed_origins");
    return out;
}

Result<branding::Branding> read_body(const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    branding::Branding b = branding::read(f, *body);
    if (!f.ok()) return f.problem();
    return b;
}

Result<Response> get_deployment(App& app, const Call&) {
    auto db = app.store->lease();
    return Response::json(public_json(branding::resolved(*db, "")));
}

Result<Response> put_deployment(App& app, const Call& c) {
    auto b = read_body(c);
    if (!b) return b.problem();
    auto db = app.store->lease();
    store::Tx tx(*db);
    branding::save(*db, branding::kDeployment, *b, app.now());
    audit(*db, app.now(), c.who, &c.req, {"branding.updated", "", "branding", branding::kDeployment});
    tx.commit();
    return Response::json(branding::to_json(*b));
}

Result<Response> get_org(App& app, const Call& c) {
    auto org = readable_org(c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    if (!store::find_org(*db, *org)) return not_found("No such organization.");
    return Response::json({{"own", branding::to_json(branding::load(*db, *org))},
                           {"resolved", branding::to_json(branding::resolved(*db, *org))}});
}

Result<Response> put_org(App& app, const Call& c) {
    auto org = managed_org(c);
    if (!org) return org.problem();
    auto b = read_body(c);
    if (!b) return b.problem();
    auto db = app.store->lease();
    if (!store::find_org(*db, *org)) return not_found("No such organization.");
    store::Tx tx(*db);
    branding::save(*db, *org, *b, app.now());
    audit(*db, app.now(), c.who, &c.req, {"branding.updated", *org, "branding", *org});
    tx.commit();
    return Response::json(branding::to_json(*b));
}

Result<Response> get_onboarding(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    // With the embed origins: the page posts its messages to those alone.
    json out = branding::to_json(branding::resolved(*db, *org));
    auto link = onboarding::link_of_client(*db, c.who->user_id);
    out["note"] = link ? link->note : "";
    return Response::json(out);
}

}  // namespace

void add_branding_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    r.add({"GET", "/api/v1/branding", Access::Public, Body::None, bind(get_deployment)});
    r.add({"PUT", "/api/v1/branding", Access::Operator, Body::Json, bind(put_deployment)});
    r.add({"GET", "/api/v1/orgs/{org_id}/branding", Access::User, Body::None, bind(get_org)});
    r.add({"PUT", "/api/v1/orgs/{org_id}/branding", Access::User, Body::Json, bind(put_org)});
    r.add({"GET", "/api/v1/onboarding/branding", Access::User, Body::None, bind(get_onboarding)});
}

}  // namespace onramp::api
