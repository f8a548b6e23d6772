// Setting an account's password after it was made: by a reset link sent
// to its address (or printed by `onramp-edge reset-password`), or by the
// signed-in owner who knows the current one.
//
// A reset link is a one-time account token (edge/auth/account_tokens.h),
// valid 30 minutes, stored as a hash. Security: whatever sets a new
// password ends the sessions the old one may have opened (every session
// after a reset, the others after a change: whoever knew the old password
// is signed out), and makes any other outstanding reset link stale. API
// keys stay: they are revoked one by one (DELETE /api/v1/auth/api-keys/{id}).
#pragma once

#include <cstdint>
#include <string>

#include "edge/store/accounts.h"
#include "edge/store/db.h"
#include "shared/result.h"

namespace onramp::auth {

// The web client's page for a reset token: "<public_url>/#/reset/<token>".
std::string reset_url(const std::string& public_url, const std::string& token);

// A new reset link's token for the user (the caller e-mails or prints it).
std::string issue_password_reset(store::Db& db, const std::string& user_id, int64_t now);

// 422 when the password breaks the policy (kMinPasswordLength), naming `field`.
Status check_new_password(const std::string& password, const std::string& field);

// Uses the reset token and sets the password to `hash`, ending every
// session of the account, in one transaction. 410 "reset_link_invalid"
// for an unknown, expired or used token, changing nothing. Returns the
// account.
Result<store::User> finish_password_reset(store::Db& db, const std::string& token, const std::string& hash,
                                          int64_t now);

// Sets the password to `hash` and ends every session of the user but the
// one `keep` (an access token) belongs to, in one transaction.
void change_password(store::Db& db, const std::string& user_id, const std::string& hash, const std::string& keep,
                     int64_t now);

}  // namespace onramp::auth
