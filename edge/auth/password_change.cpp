#include "edge/auth/password_change.h"

#include "edge/auth/account_tokens.h"
#include "edge/auth/passwords.h"
#include "edge/auth/sessions.h"

namespace onramp::auth {

std::string reset_url(const std::string& public_url, const std::string& token) {
    return public_url + "/#/reset/" + token;
}

std::string issue_password_reset(store::Db& db, const std::string& user_id, int64_t now) {
    return issue_account_token(db, AccountTokenKind::password_reset, user_id, "", kPasswordResetSeconds, now);
}

Status check_new_password(const std::string& password, const std::string& field) {
    if (password.size() < kMinPasswordLength)
        return unprocessable({{field, "must be at least " + std::to_string(kMinPasswordLength) + " characters"}},
                             "Choose a password of at least " + std::to_string(kMinPasswordLength) + " characters.");
    return ok_status();
}

Result<store::User> finish_password_reset(store::Db& db, const std::string& token, const std::string& hash,
                                          int64_t now) {
    store::Tx tx(db);
    auto user_id = account_token_user(db, AccountTokenKind::password_reset, token, "", now);
    if (!user_id || !use_account_token(db, AccountTokenKind::password_reset, token, "", now))
        return gone("This reset link is not valid: it was used, it expired (links last 30 minutes) or it was not"
                    " copied whole. Ask for a new one.",
                    "reset_link_invalid");
    auto user = store::find_user(db, *user_id);
    if (!user) return gone("This reset link is not valid. Ask for a new one.", "reset_link_invalid");
    store::set_password_hash(db, user->id, hash);
    use_all_account_tokens(db, AccountTokenKind::password_reset, user->id, now);
    end_user_sessions(db, user->id, "", now);
    tx.commit();
    user->password_hash = hash;
    return *user;
}

void change_password(store::Db& db, const std::string& user_id, const std::string& hash, const std::string& keep,
                     int64_t now) {
    store::Tx tx(db);
    store::set_password_hash(db, user_id, hash);
    use_all_account_tokens(db, AccountTokenKind::password_reset, user_id, now);
    end_user_sessions(db, user_id, keep, now);
    tx.commit();
}

}  // namespace onramp::auth
