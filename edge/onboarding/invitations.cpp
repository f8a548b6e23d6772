#include "edge/onboarding/invitations.h"

#include "edge/auth/passwords.h"
#include "edge/auth/sessions.h"
#include "edge/crypto/random.h"

namespace onramp::onboarding {

using store::Db;
using store::Stmt;

namespace {

constexpr const char* kCols =
    "id, org_id, email, role, territory, department, invited_by, created_at, expires_at, accepted_at, revoked_at,"
    " accepted_user_id";

Invitation read(Stmt& st) {
    Invitation i;
    i.id = st.text(0);
    i.org_id = st.text(1);
    i.email = st.text(2);
    i.role = st.text(3);
    i.territory = st.opt_text(4);
    i.department = st.opt_text(5);
    i.invited_by = st.opt_text(6);
    i.created_at = st.i64(7);
    i.expires_at = st.i64(8);
    if (!st.is_null(9)) i.accepted_at = st.i64(9);
    if (!st.is_null(10)) i.revoked_at = st.i64(10);
    i.accepted_user_id = st.opt_text(11);
    return i;
}

std::optional<Invitation> one(Db& db, const std::string& where, const std::string& a, const std::string& b = "") {
    Stmt st(db, std::string("SELECT ") + kCols + " FROM invitations WHERE " + where);
    st.bind(1, a);
    if (!b.empty()) st.bind(2, b);
    if (!st.step()) return std::nullopt;
    return read(st);
}

// Why a token cannot be used now, or nothing when it can.
std::optional<Problem> unusable(const Invitation& i, int64_t now) {
    std::string s = i.status(now);
    if (s == "accepted") return gone("This invitation was already accepted. Sign in instead.", "invitation_used");
    if (s == "revoked") return gone("This invitation was withdrawn. Ask for a new one.", "invitation_revoked");
    if (s == "expired") return gone("This invitation has expired. Ask for a new one.", "invitation_expired");
    return std::nullopt;
}

// 403 with an error code: who may accept an invitation (accept_path()).
Problem refused(std::string detail, std::string code) {
    Problem p = forbidden(std::move(detail));
    p.error_code = std::move(code);
    return p;
}

}  // namespace

std::string Invitation::status(int64_t now) const {
    if (accepted_at) return "accepted";
    if (revoked_at) return "revoked";
    if (expires_at <= now) return "expired";
    return "pending";
}

bool valid_invite_role(const std::string& role) {
    return role == "manager" || role == "csr" || role == "sales_rep" || role == "member";
}

Result<Issued> invite(Db& db, const NewInvitation& n, int64_t now) {
    if (!valid_invite_role(n.role)) return unprocessable({{"role", "must be one of: manager, csr, sales_rep, member"}});
    if (auto user = store::find_user_by_email(db, n.email); user && store::find_member(db, n.org_id, user->id))
        return conflict(n.email + " is already a member of this organization.", "already_member");

    Issued out;
    out.token = crypto::random_token();
    Stmt pending(db, std::string("SELECT ") + kCols +
                               " FROM invitations WHERE org_id = ? AND email = ? AND accepted_at IS NULL"
                               " AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC LIMIT 1");
    pending.bind_all(n.org_id, n.email, now);
    if (pending.step()) {
        out.invitation = read(pending);
        out.renewed = true;
    } else {
        out.invitation.id = crypto::random_id("inv");
        out.invitation.org_id = n.org_id;
        out.invitation.email = n.email;
        out.invitation.created_at = now;
    }
    Invitation& i = out.invitation;
    i.role = n.role;
    i.territory = n.territory;
    i.department = n.department;
    i.invited_by = n.invited_by;
    i.expires_at = now + n.ttl_seconds;
    std::string hash = auth::token_hash(out.token);
    if (out.renewed)
        db.write("UPDATE invitations SET role = ?, territory = ?, department = ?, invited_by = ?, token_hash = ?,"
                 " expires_at = ? WHERE id = ?",
                 i.role, i.territory, i.department, i.invited_by, hash, i.expires_at, i.id);
    else
        db.write("INSERT INTO invitations (id, org_id, email, role, territory, department, token_hash, invited_by,"
                 " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 i.id, i.org_id, i.email, i.role, i.territory, i.department, hash, i.invited_by, i.created_at,
                 i.expires_at);
    return out;
}

std::vector<Invitation> list(Db& db, const std::string& org_id) {
    Stmt st(db, std::string("SELECT ") + kCols +
                          " FROM invitations WHERE org_id = ? ORDER BY created_at DESC, id");
    st.bind(1, org_id);
    std::vector<Invitation> out;
    while (st.step()) out.push_back(read(st));
    return out;
}

std::optional<Invitation> find(Db& db, const std::string& org_id, const std::string& id) {
    return one(db, "org_id = ? AND id = ?", org_id, id);
}

std::optional<Invitation> find_by_token(Db& db, const std::string& token) {
    if (token.empty()) return std::nullopt;
    return one(db, "token_hash = ?", auth::token_hash(token));
}

std::string accept_url(const std::string& public_url, const std::string& token) {
    return public_url + "/#/invite/" + token;
}

Result<AcceptAs> accept_path(const std::optional<store::User>& account, const Claim& claim) {
    if (!account) return AcceptAs::new_account;
    if (claim.user_id && *claim.user_id == account->id) return AcceptAs::signed_in;
    if (claim.user_id)
        return refused("This invitation is for another account. Sign out, then open the link again.",
                       "invitation_for_another_account");
    if (account->password_hash)
        return refused("An account with this e-mail address already exists: sign in to it (or enter its password)"
                       " to accept the invitation.",
                       "sign_in_required");
    if (claim.address_proven) return AcceptAs::proven_address;
    return refused("An account with this e-mail address already exists but has no password yet. Prove the"
                   " address is yours: ask for a code by e-mail (POST /api/v1/invitations/proof) and accept with"
                   " it and a new password, or ask for a password reset (\"Forgot password?\" on the sign-in page,"
                   " or an operator's onramp-edge reset-password), sign in, then open this link again.",
                   "password_reset_required");
}

namespace {

// A new (or completed) account's name and password, checked before
// hashing. An existing account keeps its name, so only a new one needs it.
Status check_credentials(const Claim& claim, bool new_account) {
    std::map<std::string, std::string> errors;
    if (new_account && claim.full_name.empty()) errors["name"] = "is required";
    if (claim.password.size() < auth::kMinPasswordLength)
        errors["password"] = "must be at least " + std::to_string(auth::kMinPasswordLength) + " characters";
    if (!errors.empty()) return unprocessable(errors, "Enter your name and a password to accept the invitation.");
    return ok_status();
}

// Makes or completes the account the way `as` says; nullopt when the
// address was taken a moment ago (the caller rolls back).
std::optional<store::User> account_for(Db& db, AcceptAs as, const Invitation& inv, const std::optional<store::User>& account,
                                       const Claim& claim, const std::optional<std::string>& hash, int64_t now) {
    switch (as) {
    case AcceptAs::new_account: return store::insert_user(db, inv.email, claim.full_name, hash, false, now);
    case AcceptAs::signed_in: return account;
    case AcceptAs::proven_address:
        store::set_password_hash(db, account->id, *hash);
        db.write("UPDATE users SET full_name = ? WHERE id = ? AND full_name = ''", claim.full_name, account->id);
        return store::find_user(db, account->id);
    }
    return std::nullopt;
}

}  // namespace

Result<Accepted> accept(Db& db, const std::string& token, const Claim& claim, int scrypt_log2_n, int64_t now) {
    auto inv = find_by_token(db, token);
    if (!inv) return not_found("No such invitation. Check that the whole link was copied.");
    if (auto p = unusable(*inv, now)) return *p;
    auto as = accept_path(store::find_user_by_email(db, inv->email), claim);
    if (!as) return as.problem();

    // Slow work (scrypt) before the write lock is taken.
    std::optional<std::string> hash;
    if (*as != AcceptAs::signed_in) {
        if (Status ok = check_credentials(claim, *as == AcceptAs::new_account); !ok) return ok.problem();
        hash = auth::hash_password(claim.password, scrypt_log2_n);
    }

    store::Tx tx(db);
    // Security: the token is consumed by a conditional update, so of two
    // racing accepts exactly one changes the row.
    int used = db.write("UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL"
                        " AND revoked_at IS NULL AND expires_at > ?",
                        now, inv->id, now);
    if (used != 1) {
        auto again = find_by_token(db, token);
        if (again)
            if (auto p = unusable(*again, now)) return *p;
        return gone("This invitation can no longer be used.", "invitation_used");
    }
    // The account may have changed since the look above (made, or given a
    // password): decide again on what is there now.
    auto account = store::find_user_by_email(db, inv->email);
    auto still = accept_path(account, claim);
    if (!still) return still.problem();
    if (*still != *as) return conflict("The account changed while accepting. Open the link again.", "account_changed");
    auto user = account_for(db, *as, *inv, account, claim, hash, now);
    if (!user) return conflict("The account changed while accepting. Open the link again.", "account_changed");
    if (!store::find_member(db, inv->org_id, user->id)) store::add_member(db, inv->org_id, user->id, inv->role, now);
    db.write("UPDATE invitations SET accepted_user_id = ? WHERE id = ?", user->id, inv->id);
    tx.commit();
    Accepted out;
    out.created_user = *as == AcceptAs::new_account;
    out.user = *user;
    out.invitation = *inv;
    out.invitation.accepted_at = now;
    out.invitation.accepted_user_id = user->id;
    return out;
}

bool revoke(Db& db, const std::string& org_id, const std::string& id, int64_t now) {
    return db.write("UPDATE invitations SET revoked_at = ? WHERE org_id = ? AND id = ? AND accepted_at IS NULL"
                    " AND revoked_at IS NULL",
                    now, org_id, id) > 0;
}

}  // namespace onramp::onboarding
