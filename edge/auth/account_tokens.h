// One-time account tokens (table account_tokens): the link of a password
// reset, the code that proves an invited address reads its mail, and the
// token between a right password and the second factor of a sign-in.
//
// Each is random, expires, works once and is stored only as its SHA-256
// (as sessions are, edge/auth/sessions.h). `subject` binds a token to what
// it is for: an invitation id for a proof, so a code e-mailed for one
// invitation proves nothing for another. A proof is an 8-digit code, short
// enough to type: its guesses are throttled by the caller (login limiter)
// and it lives minutes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "edge/store/db.h"

namespace onramp::auth {

enum class AccountTokenKind { password_reset, invitation_proof, mfa };

constexpr int64_t kPasswordResetSeconds = 30 * 60;
constexpr int64_t kInvitationProofSeconds = 15 * 60;
constexpr int64_t kMfaTokenSeconds = 5 * 60;

// Stores a new token and returns it (a 256-bit base64url token; for a
// proof, 8 digits). Call it inside the caller's transaction when it is
// part of a larger change.
std::string issue_account_token(store::Db& db, AccountTokenKind kind, const std::string& user_id,
                                const std::string& subject, int64_t ttl, int64_t now);

// The user behind a token of this kind and subject that is unused and
// unexpired; nullopt otherwise. Changes nothing.
std::optional<std::string> account_token_user(store::Db& db, AccountTokenKind kind, const std::string& token,
                                              const std::string& subject, int64_t now);

// Uses the token up, with a conditional update: of two racing uses exactly
// one returns true.
bool use_account_token(store::Db& db, AccountTokenKind kind, const std::string& token, const std::string& subject,
                       int64_t now);

// Uses up every live token of this kind of the user (a password changed
// another way makes outstanding reset links stale).
void use_all_account_tokens(store::Db& db, AccountTokenKind kind, const std::string& user_id, int64_t now);

}  // namespace onramp::auth
