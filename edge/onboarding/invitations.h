// Invitations: how a person joins an organization (seed 002, Phase 5, and
// the optional user of the seed-000 one-call onboarding).
//
// A manager invites an e-mail address with a role; the edge answers with a
// link holding a 256-bit token. Only the token's SHA-256 is stored (as for
// sessions, edge/auth/sessions.cpp), so a copy of the database hands out no
// invitations. The link is single-use and expires (7 days by default).
// Accepting it with a name and a password creates the user, makes them a
// member with the invited role and signs them in.
//
//   pending ──accept()──▶ accepted
//      │ ╲
//      │  ╲──revoke()──▶ revoked
//      ╰──time passes──▶ expired   (a status computed from expires_at)
//
// Inviting an address that has a pending invitation renews that one (a new
// token and expiry, the same id) instead of adding a second row: the seed
// asks that repeated calls create no duplicates, and the old link must stop
// working once a new one was handed out.
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
constexpr size_t kMinPasswordLength = 8;

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

bool valid_invite_role(const std::string& role);

// Creates the invitation, or renews the org's pending one for this e-mail.
// 422 for a role other than manager, csr, sales_rep; 409 "already_member"
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

// Uses the token up. 404 for an unknown token; 410 "invitation_used",
// "invitation_expired" or "invitation_revoked"; 422 for a name or password
// that will not do. When the address already has an account with a
// password, `password` must be that password (403 otherwise): an
// invitation never resets someone's password. Hashing runs before the
// write transaction; the token is consumed by a conditional UPDATE, so two
// racing accepts cannot both succeed.
Result<Accepted> accept(store::Db& db, const std::string& token, const std::string& full_name,
                        const std::string& password, int scrypt_log2_n, int64_t now);

// False when there is no pending invitation with this id in the org.
bool revoke(store::Db& db, const std::string& org_id, const std::string& id, int64_t now);

}  // namespace onramp::onboarding
