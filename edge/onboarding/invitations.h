// Invitations: how a person joins an organization (Phase 5 of the phased
// onboarding, and the optional user of the one-call BigCommerce onboarding).
//
// A manager invites an e-mail address with a role; the edge answers with a
// link holding a 256-bit token. Only the token's SHA-256 is stored (as for
// sessions, edge/auth/sessions.cpp), so a copy of the database hands out no
// invitations. The link is single-use and expires (7 days by default).
// It is also how a manager adds anyone to an organization (POST
// /api/v1/orgs/{org_id}/members): nobody becomes a member without
// accepting.
//
// Who may accept (accept_path()). Security: the token proves only that its
// holder was handed the link, and the manager who invited holds it too, so
// the token alone never acts for an account that exists:
// - an address without an account: the holder creates it with a name and
//   a password, and joins;
// - an address with an account: only that account, signed in (a session,
//   or its password checked through auth::guarded_password_check), joins;
//   its password and name stay as they are;
// - an account without a password (made by an onboarding link or by an
//   operator's client creation) cannot sign in, so it needs proof that the
//   caller reads the address's mail: Claim::address_proven, set by the API
//   once the caller gives the code e-mailed to the address
//   (edge/auth/account_tokens.h, bound to this invitation), and the
//   account gets the claim's password. Without it the accept is refused
//   with a problem naming the two ways to prove the address (that code, or
//   a password reset, after which the account signs in), and nothing
//   changes.
//
//   pending ──accept()──▶ accepted
//      │ ╲
//      │  ╲──revoke()──▶ revoked
//      ╰──time passes──▶ expired   (a status computed from expires_at)
//
// Inviting an address that has a pending invitation renews that one (a new
// token and expiry, the same id) instead of adding a second row: repeated
// calls must create no duplicates, and the old link must stop working once
// a new one was handed out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edge/store/accounts.h"
#include "edge/store/db.h"
#include "shared/result.h"

namespace onramp::onboarding {

constexpr int64_t kInvitationSeconds = 7 * 24 * 3600;

struct Invitation {
    std::string id, org_id, email, role;  // role: manager | csr | sales_rep
    std::optional<std::string> territory, department;
    std::optional<std::string> invited_by;  // user id
    int64_t created_at = 0, expires_at = 0;
    std::optional<int64_t> accepted_at, revoked_at;
    std::optional<std::string> accepted_user_id;

    // pending | accepted | expired | revoked
    std::string status(int64_t now) const;
};

struct NewInvitation {
    std::string org_id, email, role;
    std::optional<std::string> territory, department;
    std::optional<std::string> invited_by;
    int64_t ttl_seconds = kInvitationSeconds;
};

struct Issued {
    Invitation invitation;
    std::string token;     // shown once: only its hash is stored
    bool renewed = false;  // an existing pending invitation got a new token
};

// manager, csr, sales_rep or member (POST /api/v1/onboarding/invite-user accepts the first three).
bool valid_invite_role(const std::string& role);

// Creates the invitation, or renews the org's pending one for this e-mail.
// 422 for another role; 409 "already_member"
// when the address already belongs to a member of the org. Call it inside
// the caller's transaction when it is part of a larger change.
Result<Issued> invite(store::Db& db, const NewInvitation& n, int64_t now);

// The org's invitations, newest first.
std::vector<Invitation> list(store::Db& db, const std::string& org_id);
std::optional<Invitation> find(store::Db& db, const std::string& org_id, const std::string& id);
// The invitation behind a token, whatever its status.
std::optional<Invitation> find_by_token(store::Db& db, const std::string& token);

// The web client's page for a token: "<public_url>/#/invite/<token>".
std::string accept_url(const std::string& public_url, const std::string& token);

struct Accepted {
    Invitation invitation;
    store::User user;
    bool created_user = false;  // false: an existing account joined the org
};

// What the person accepting showed.
struct Claim {
    // The account the caller is signed in as: a session's user, or the
    // invited account whose password the caller gave and
    // auth::guarded_password_check found right. Not an API key's owner.
    std::optional<std::string> user_id;
    // The caller showed they read mail sent to the invited address: the
    // right code from POST /api/v1/invitations/proof.
    bool address_proven = false;
    // A new account's name and password (8+ characters); for a proven
    // address, the password (the name only fills an empty one); unused
    // when an account joins signed in.
    std::string full_name, password;
};

enum class AcceptAs {
    new_account,     // no account has the address: one is made from the claim
    signed_in,       // the claim's account is the invited one: it joins unchanged
    proven_address,  // an account without a password, the address proven: completed from the claim
};

// How `claim` may accept an invitation to an address whose account is
// `account` (nullopt: none), or why not (403, changing nothing):
// "invitation_for_another_account" when signed in as another account,
// "sign_in_required" for an account with a password, and
// "password_reset_required" for one without.
Result<AcceptAs> accept_path(const std::optional<store::User>& account, const Claim& claim);

// Uses the token up. 404 for an unknown token; 410 "invitation_used",
// "invitation_expired" or "invitation_revoked"; accept_path()'s refusals;
// 422 for a new account's name or password that will not do. Hashing runs
// before the write transaction; the token is consumed by a conditional
// UPDATE, so two racing accepts cannot both succeed, and the account is
// looked at again inside the transaction.
Result<Accepted> accept(store::Db& db, const std::string& token, const Claim& claim, int scrypt_log2_n, int64_t now);

// False when there is no pending invitation with this id in the org.
bool revoke(store::Db& db, const std::string& org_id, const std::string& id, int64_t now);

}  // namespace onramp::onboarding
