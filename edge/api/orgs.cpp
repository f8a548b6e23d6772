// /api/v1/orgs: organizations and their members.
//
//   POST /api/v1/orgs/{org_id}/members  manager  {email, role}: 202 with an
//        invitation (invite_id, status "pending", invite_url, renewed): the
//        person becomes a member by accepting it (POST /api/v1/invitations/accept)
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/mail/invitation_mail.h"
#include "edge/mail/queue.h"
#include "edge/onboarding/invitations.h"
#include "edge/store/accounts.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

#define ONRAMP_ROLES "manager", "csr", "sales_rep", "member"
#define ONRAMP_TIERS "starter", "growth", "enterprise"

Result<std::string> readable_org(const Call& c) {
    std::string id = c.req.param("org_id");
    if (!c.who || !c.who->can_read(id)) return not_found("No such organization.");
    return id;
}

Result<std::string> managed_org(const Call& c) {
    auto id = readable_org(c);
    if (!id) return id;
    if (!c.who->can_manage(*id)) return forbidden("Only this organization's managers can do this.");
    return id;
}

namespace {

Result<Response> create_org(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string name = f.text("name", 200);
    std::string tier = f.opt_choice("subscription_tier", {ONRAMP_TIERS}).value_or("growth");
    if (!f.ok()) return f.problem();
    auto db = app.store->lease();
    store::Tx tx(*db);
    store::Org org = store::insert_org(*db, name, tier, app.now());
    audit(*db, app.now(), c.who, &c.req, {"org.created", org.id, "org", org.id, {{"name", name}}});
    tx.commit();
    return Response::json(org_json(org), 201);
}

Result<Response> list_orgs(App& app, const Call& c) {
    auto db = app.store->lease();
    auto orgs = c.who->is_operator ? store::list_orgs(*db) : store::list_orgs_of(*db, c.who->user_id);
    json items = json::array();
    for (const store::Org& o : orgs) items.push_back(org_json(o));
    return Response::json({{"items", items}, {"total", items.size()}});
}

Result<Response> get_org(App& app, const Call& c) {
    auto id = readable_org(c);
    if (!id) return id.problem();
    auto db = app.store->lease();
    auto org = store::find_org(*db, *id);
    if (!org) return not_found("No such organization.");
    return Response::json(org_json(*org));
}

Result<Response> patch_org(App& app, const Call& c) {
    auto id = managed_org(c);
    if (!id) return id.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    auto name = f.opt_text("name", 200);
    auto tier = f.opt_choice("subscription_tier", {ONRAMP_TIERS});
    for (const auto& [k, v] : body->items())
        if (k != "name" && k != "subscription_tier") f.fail(k, "is not a field of an organization");
    // The plan is what the business sells; only operators change it.
    if (tier && !c.who->is_operator) f.fail("subscription_tier", "can only be changed by an operator");
    if (!f.ok()) return f.problem();
    auto db = app.store->lease();
    store::Tx tx(*db);
    auto org = store::find_org(*db, *id);
    if (!org) return not_found("No such organization.");
    if (name) org->name = *name;
    if (tier) org->subscription_tier = *tier;
    org->updated_at = app.now();
    store::update_org(*db, *org);
    audit(*db, app.now(), c.who, &c.req, {"org.updated", org->id, "org", org->id, *body});
    tx.commit();
    return Response::json(org_json(*org));
}

Result<Response> list_members(App& app, const Call& c) {
    auto id = readable_org(c);
    if (!id) return id.problem();
    auto db = app.store->lease();
    json items = json::array();
    for (const store::Member& m : store::members_of(*db, *id)) items.push_back(member_json(m));
    return Response::json({{"items", items}, {"total", items.size()}});
}

// Adding someone invites them (edge/onboarding/invitations.h): the person
// accepts with the link, signed in if they have an account, so no manager
// makes another tenant's user a member, or learns who that user is. The
// answer is the same for an address with an account and one without.
Result<Response> add_member(App& app, const Call& c) {
    auto id = managed_org(c);
    if (!id) return id.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    onboarding::NewInvitation n;
    n.org_id = *id;
    n.email = f.text("email", 254);
    n.role = f.choice("role", {ONRAMP_ROLES});
    n.invited_by = c.who->user_id;
    if (!n.email.empty() && !looks_like_email(n.email)) f.fail("email", "is not an e-mail address");
    if (!f.ok()) return f.problem();

    auto db = app.store->lease();
    store::Tx tx(*db);
    auto issued = onboarding::invite(*db, n, app.now());
    if (!issued) return issued.problem();
    const onboarding::Invitation& i = issued->invitation;
    audit(*db, app.now(), c.who, &c.req,
          {issued->renewed ? "invitation.renewed" : "invitation.created", *id, "invitation", i.id,
           {{"email", i.email}, {"role", i.role}}});
    bool emailed = mail::queue_invitation(app, *db, i, issued->token);
    tx.commit();
    if (emailed) mail::wake(app);
    json out = invitation_json(i, app.now());
    out["invite_url"] = onboarding::accept_url(app.config.public_url, issued->token);
    out["renewed"] = issued->renewed;
    out["emailed_to"] = emailed ? json(i.email) : json(nullptr);
    return Response::json(out, 202);
}

Result<Response> change_member(App& app, const Call& c) {
    auto id = managed_org(c);
    if (!id) return id.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string role = f.choice("role", {ONRAMP_ROLES});
    if (!f.ok()) return f.problem();
    std::string user_id = c.req.param("user_id");
    auto db = app.store->lease();
    store::Tx tx(*db);
    auto member = store::find_member(*db, *id, user_id);
    if (!member) return not_found("No such member.");
    if (member->role == "manager" && role != "manager" && store::count_managers(*db, *id) == 1)
        return conflict("An organization needs at least one manager.", "last_manager");
    store::set_member_role(*db, *id, user_id, role);
    audit(*db, app.now(), c.who, &c.req,
          {"member.role_changed", *id, "user", user_id, {{"from", member->role}, {"to", role}}});
    tx.commit();
    member->role = role;
    return Response::json(member_json(*member));
}

Result<Response> remove_member(App& app, const Call& c) {
    auto id = managed_org(c);
    if (!id) return id.problem();
    std::string user_id = c.req.param("user_id");
    auto db = app.store->lease();
    store::Tx tx(*db);
    auto member = store::find_member(*db, *id, user_id);
    if (!member) return not_found("No such member.");
    if (member->role == "manager" && store::count_managers(*db, *id) == 1)
        return conflict("An organization needs at least one manager.", "last_manager");
    store::remove_member(*db, *id, user_id);
    audit(*db, app.now(), c.who, &c.req, {"member.removed", *id, "user", user_id});
    tx.commit();
    return Response::empty(204);
}

}  // namespace

void add_org_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    r.add({"POST", "/api/v1/orgs", Access::Operator, Body::Json, bind(create_org)});
    r.add({"GET", "/api/v1/orgs", Access::User, Body::None, bind(list_orgs)});
    r.add({"GET", "/api/v1/orgs/{org_id}", Access::User, Body::None, bind(get_org)});
    r.add({"PATCH", "/api/v1/orgs/{org_id}", Access::User, Body::Json, bind(patch_org)});
    r.add({"GET", "/api/v1/orgs/{org_id}/members", Access::User, Body::None, bind(list_members)});
    r.add({"POST", "/api/v1/orgs/{org_id}/members", Access::User, Body::Json, bind(add_member)});
    r.add({"PATCH", "/api/v1/orgs/{org_id}/members/{user_id}", Access::User, Body::Json, bind(change_member)});
    r.add({"DELETE", "/api/v1/orgs/{org_id}/members/{user_id}", Access::User, Body::None, bind(remove_member)});
}

}  // namespace onramp::api
