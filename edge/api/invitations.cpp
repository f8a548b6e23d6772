// Invitations, Phase 5 of the phased onboarding (edge/onboarding/invitations.h).
//
//   POST   /api/v1/onboarding/invite-user                  manager  {email, role, territory, department}
//   GET    /api/v1/onboarding/invited-users                manager  {invited_users, total}
//   DELETE /api/v1/onboarding/invited-users/{invite_id}    manager  withdraws a pending invitation
//   POST   /api/v1/invitations/lookup                      public   {token}: whom it invites, to what
//   POST   /api/v1/invitations/accept                      public   {token, password, name}: joins and signs in
//                                                                   (or signed in as the invited account: {token};
//                                                                   or {token, proof, password} for an account
//                                                                   without a password)
//   POST   /api/v1/invitations/proof                       public   {token}: e-mails the invited address a code
//
// Choices:
// - The answer's "status" is "sent"; it also carries invite_url, the
//   single-use link to hand to the person (shown once: only the token's
//   hash is kept), and emailed_to: the address the link was e-mailed to
//   when the edge sends e-mail (serve --smtp-url), else null.
// - Inviting the same address again while its invitation is pending renews
//   it (200, the same invite_id, a new link; the old link stops working);
//   a new invitation answers 201. An address that is already a member is
//   409 "already_member".
// - Accepting answers like POST /api/v1/auth/login (access and refresh
//   token, the user), plus the org and role joined. For an address without
//   an account it takes "name" (or "full_name") and a password of at least
//   8 characters, and makes the account. For an address with one, only
//   that account joins (edge/onboarding/invitations.h): the request signed
//   in as it (Authorization: Bearer), or "password" being its password,
//   checked and throttled as sign-in is; a new password is refused. An
//   account without a password joins with "proof", the 8-digit code that
//   POST /api/v1/invitations/proof e-mailed to the invited address (valid
//   15 minutes, once, for this invitation only; wrong codes are counted by
//   the login limiter as wrong passwords are), and "password" becomes its
//   password. Without a proof it is refused (403 password_reset_required,
//   naming both the proof and a password reset).
// - Asking for a proof answers 202 {sent_to, expires_at}; 409
//   "proof_not_needed" when the account has a password or there is none
//   (the lookup already says which), 409 "mail_disabled" without
//   --smtp-url, 429 past 5 per hour per client address or recipient.
#include <nlohmann/json.hpp>

#include "edge/api/onboarding_org.h"
#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/auth/account_tokens.h"
#include "edge/auth/login_limiter.h"
#include "edge/auth/sessions.h"
#include "edge/mail/invitation_mail.h"
#include "edge/mail/queue.h"
#include "edge/onboarding/invitations.h"
#include "edge/onboarding/progress.h"
#include "edge/store/accounts.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;
namespace ob = onramp::onboarding;

namespace {

Result<Response> invite_user(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    ob::NewInvitation n;
    n.org_id = *org;
    n.email = f.text("email", 254);
    n.role = f.choice("role", {"manager", "csr", "sales_rep"});
    n.territory = f.opt_text("territory", 200);
    n.department = f.opt_text("department", 200);
    n.invited_by = c.who->user_id;
    if (!n.email.empty() && !looks_like_email(n.email)) f.fail("email", "is not an e-mail address");
    if (!f.ok()) return f.problem();

    auto db = app.store->lease();
    store::Tx tx(*db);
    ob::Progress before = ob::progress_of(*db, ob::load(*db, *org));
    auto issued = ob::invite(*db, n, app.now());
    if (!issued) return issued.problem();
    const ob::Invitation& i = issued->invitation;
    ob::Completion done = ob::after_fact(before, ob::Phase::team_invites);
    ob::record_event(*db, *org, c.who->user_id, "team_invites", issued->renewed ? "reinvited" : "invited",
                     {{"invite_id", i.id}, {"role", i.role}}, app.now());
    audit(*db, app.now(), c.who, &c.req,
          {issued->renewed ? "invitation.renewed" : "invitation.created", *org, "invitation", i.id,
           {{"email", i.email}, {"role", i.role}}});
    bool emailed = mail::queue_invitation(app, *db, i, issued->token);
    tx.commit();
    if (emailed) mail::wake(app);
    return Response::json(envelope({{"success", true},
                                    {"invite_id", i.id},
                                    {"email", i.email},
                                    {"role", i.role},
                                    {"status", "sent"},
                                    {"invite_url", ob::accept_url(app.config.public_url, issued->token)},
                                    {"expires_at", iso8601(i.expires_at)},
                                    {"renewed", issued->renewed},
                                    {"emailed_to", emailed ? json(i.email) : json(nullptr)},
                                    {"onboarding_step", ob::wire_name(done.next)},
                                    {"step_already_completed", done.already_completed}},
                                   c, *org),
                          issued->renewed ? 200 : 201);
}

Result<Response> invited_users(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    json items = json::array();
    for (const ob::Invitation& i : ob::list(*db, *org)) items.push_back(invitation_json(i, app.now()));
    size_t total = items.size();
    return Response::json(envelope({{"invited_users", std::move(items)}, {"total", total}}, c, *org));
}

Result<Response> withdraw(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    std::string id = c.req.param("invite_id");
    auto db = app.store->lease();
    store::Tx tx(*db);
    auto inv = ob::find(*db, *org, id);
    if (!inv) return not_found("No such invitation.");
    if (!ob::revoke(*db, *org, id, app.now()))
        return conflict("Only a pending invitation can be withdrawn; this one is " + inv->status(app.now()) + ".",
                        "invitation_not_pending");
    ob::record_event(*db, *org, c.who->user_id, "team_invites", "withdrawn", {{"invite_id", id}}, app.now());
    audit(*db, app.now(), c.who, &c.req, {"invitation.revoked", *org, "invitation", id});
    tx.commit();
    inv->revoked_at = app.now();
    return Response::json(envelope(invitation_json(*inv, app.now()), c, *org));
}

Result<Response> lookup(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string token = f.text("token", 256);
    if (!f.ok()) return f.problem();
    auto db = app.store->lease();
    auto inv = ob::find_by_token(*db, token);
    if (!inv) return not_found("No such invitation. Check that the whole link was copied.");
    auto org = store::find_org(*db, inv->org_id);
    if (!org) return not_found("No such invitation.");
    auto user = store::find_user_by_email(*db, inv->email);
    return Response::json({{"email", inv->email},
                           {"role", inv->role},
                           {"org", {{"id", org->id}, {"name", org->name}}},
                           {"status", inv->status(app.now())},
                           {"expires_at", iso8601(inv->expires_at)},
                           // The page asks for the account's password instead of a new one.
                           {"account_exists", user.has_value()}});
}

// The account the caller accepts as: the request's session (not an API
// key), or, when they give the invited account's password instead, that
// account once the password checks out. Security: the password goes
// through auth::guarded_password_check, throttled exactly like sign-in.
Result<std::optional<std::string>> signed_in_as(App& app, const Call& c, const ob::Invitation& inv,
                                                const std::string& password) {
    std::optional<std::string> session_user;
    if (c.who && c.who->api_key_id.empty()) session_user = c.who->user_id;
    if (password.empty() || inv.status(app.now()) != "pending") return session_user;
    std::optional<store::User> account;
    {
        auto db = app.store->lease();
        account = store::find_user_by_email(*db, inv.email);
    }
    if (!account || !account->password_hash || session_user == account->id) return session_user;
    auth::PasswordCheck check = auth::guarded_password_check(app.login_limiter, inv.email, c.req.remote_addr, password,
                                                             account->password_hash, app.scrypt_log2_n, app.now());
    if (check.retry_after > 0)
        return too_many_requests(int(check.retry_after), "Too many password attempts. Try again in " +
                                                             std::to_string(check.retry_after) + " seconds.");
    if (!check.right) {
        auto db = app.store->lease();
        audit(*db, app.now(), nullptr, &c.req, {"login.failed", inv.org_id, "invitation", inv.id, {{"email", inv.email}}});
        Problem p = forbidden("An account with this e-mail address already exists, and that is not its password.");
        p.error_code = "wrong_password";
        return p;
    }
    return std::optional<std::string>(account->id);
}

Result<Response> request_proof(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string token = f.text("token", 256);
    if (!f.ok()) return f.problem();
    int64_t now = app.now();
    auto db = app.store->lease();
    auto inv = ob::find_by_token(*db, token);
    if (!inv) return not_found("No such invitation. Check that the whole link was copied.");
    if (inv->status(now) != "pending")
        return gone("This invitation is " + inv->status(now) + ": it can no longer be accepted.",
                    "invitation_" + inv->status(now));
    auto account = store::find_user_by_email(*db, inv->email);
    if (!account || account->password_hash)
        return conflict("This invitation needs no code: " +
                            std::string(account ? "sign in to the account, or give its password."
                                                : "choose a name and a password to make the account."),
                        "proof_not_needed");
    if (!mail::enabled(app))
        return conflict("This server sends no e-mail, so it cannot send a code. Ask an operator for a password "
                        "reset link (onramp-edge reset-password), sign in, then open this link again.",
                        "mail_disabled");
    if (int64_t wait = app.mail_limiter.begin(c.req.remote_addr, inv->email, now))
        return too_many_requests(int(wait), "Too many codes asked for. Try again in " + std::to_string(wait) +
                                                " seconds.");
    store::Tx tx(*db);
    int64_t expires_at = now + auth::kInvitationProofSeconds;
    std::string code = auth::issue_account_token(*db, auth::AccountTokenKind::invitation_proof, account->id, inv->id,
                                                 auth::kInvitationProofSeconds, now);
    if (!mail::queue_invitation_proof(app, *db, *inv, code, expires_at))
        return unprocessable({{"email", "is not an address this server can send to"}},
                             "The invited address cannot be e-mailed.");
    audit(*db, now, nullptr, &c.req, {"invitation.proof_sent", inv->org_id, "invitation", inv->id});
    tx.commit();
    mail::wake(app);
    return Response::json({{"sent_to", inv->email}, {"expires_at", iso8601(expires_at)}}, 202);
}

// Whether `proof` is a live code e-mailed for this invitation to its
// account, counted by the login limiter as a password attempt on the
// invited address. Changes nothing: the code is used up only once the
// invitation is accepted.
Result<bool> proven(App& app, const Call& c, const ob::Invitation& inv, const std::string& proof) {
    auth::PasswordCheck check = auth::guarded_code_check(
        app.login_limiter, inv.email, c.req.remote_addr,
        [&] {
            auto db = app.store->lease();
            auto account = store::find_user_by_email(*db, inv.email);
            auto holder = auth::account_token_user(*db, auth::AccountTokenKind::invitation_proof, proof, inv.id,
                                                   app.now());
            return account && holder && *holder == account->id;
        },
        app.now());
    if (check.retry_after > 0)
        return too_many_requests(int(check.retry_after), "Too many wrong codes. Try again in " +
                                                             std::to_string(check.retry_after) + " seconds.");
    if (!check.right) {
        Problem p = forbidden("That code is not right, was already used or has expired (codes last 15 minutes). "
                              "Ask for a new one.");
        p.error_code = "proof_wrong";
        p.errors["proof"] = "is not right";
        return p;
    }
    return true;
}

Result<Response> accept(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    std::string token = f.text("token", 256);
    auto password = f.opt_text("password", 1024);
    auto name = f.opt_text("name", 200);
    auto full_name = f.opt_text("full_name", 200);
    auto proof = f.opt_text("proof", 32);
    if (!f.ok()) return f.problem();

    std::optional<ob::Invitation> found;
    {
        auto db = app.store->lease();
        found = ob::find_by_token(*db, token);
    }
    if (!found) return not_found("No such invitation. Check that the whole link was copied.");
    ob::Claim claim;
    claim.full_name = name.value_or(full_name.value_or(""));
    claim.password = password.value_or("");
    auto as = signed_in_as(app, c, *found, claim.password);
    if (!as) return as.problem();
    claim.user_id = *as;
    if (proof && !claim.user_id && found->status(app.now()) == "pending") {
        auto right = proven(app, c, *found, *proof);
        if (!right) return right.problem();
        claim.address_proven = true;
    }

    auto db = app.store->lease();
    auto accepted = ob::accept(*db, token, claim, app.scrypt_log2_n, app.now());
    if (!accepted) return accepted.problem();
    // The invitation is used up, so the code could prove nothing more; it
    // is used up too, so that it shows as used.
    if (claim.address_proven)
        auth::use_account_token(*db, auth::AccountTokenKind::invitation_proof, *proof, found->id, app.now());
    const ob::Invitation& inv = accepted->invitation;
    auth::TokenPair pair = auth::start_session(*db, accepted->user.id, app.now());
    auth::Principal who = store::principal_for(*db, accepted->user);
    {
        store::Tx tx(*db);
        ob::record_event(*db, inv.org_id, accepted->user.id, "team_invites", "accepted",
                         {{"invite_id", inv.id}, {"role", inv.role}}, app.now());
        audit(*db, app.now(), &who, &c.req,
              {"invitation.accepted", inv.org_id, "invitation", inv.id,
               {{"user_id", accepted->user.id}, {"role", inv.role}, {"new_account", accepted->created_user}}});
        tx.commit();
    }
    return Response::json({{"access_token", pair.access_token},
                           {"refresh_token", pair.refresh_token},
                           {"token_type", "Bearer"},
                           {"expires_in", pair.expires_in},
                           {"user", user_json(accepted->user, who.memberships)},
                           {"org_id", inv.org_id},
                           {"role", inv.role},
                           {"new_account", accepted->created_user}});
}

}  // namespace

void add_invitation_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    r.add({"POST", "/api/v1/onboarding/invite-user", Access::User, Body::Json, bind(invite_user)});
    r.add({"GET", "/api/v1/onboarding/invited-users", Access::User, Body::None, bind(invited_users)});
    r.add({"DELETE", "/api/v1/onboarding/invited-users/{invite_id}", Access::User, Body::None, bind(withdraw)});
    r.add({"POST", "/api/v1/invitations/lookup", Access::Public, Body::Json, bind(lookup)});
    r.add({"POST", "/api/v1/invitations/accept", Access::Public, Body::Json, bind(accept)});
    r.add({"POST", "/api/v1/invitations/proof", Access::Public, Body::Json, bind(request_proof)});
}

}  // namespace onramp::api
