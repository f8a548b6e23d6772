// Two-factor sign-in with TOTP (edge/auth/totp.h) and recovery codes, on
// tables user_totp and recovery_codes.
//
//   none --begin_totp()--> pending --enable_totp(right code)--> enabled
//   pending --begin_totp()--> pending (a new secret)
//   enabled --disable_totp()--> none (secret and recovery codes deleted)
//
// Security: the shared secret is sealed by the vault (Vault::seal, bound
// to the user id), never stored in plaintext, and shown once, at
// begin_totp(). Each code is accepted once: the step of the last accepted
// code is kept, and a code of that step or an earlier one is refused, so a
// code seen over a shoulder cannot be replayed. Recovery codes (ten, shown
// once at enable_totp()) are stored as SHA-256 and each works once.
// Guesses are throttled by the caller through the login limiter, as
// passwords are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "edge/store/accounts.h"
#include "edge/store/db.h"
#include "edge/vault.h"
#include "shared/result.h"

namespace onramp::auth {

constexpr int kRecoveryCodes = 10;

struct TotpEnrolment {
    std::string secret;  // base32, for typing into an app
    std::string uri;     // otpauth://, for scanning
};

// The context the user's secret is sealed under (Vault::seal); a master
// key rotation re-seals it (edge/vault.cpp, finalise).
std::string totp_seal_context(const std::string& user_id);

// Whether the user signs in with a second factor.
bool totp_enabled(store::Db& db, const std::string& user_id);

// Whether the user has TOTP on or an enrolment waiting for its code.
bool totp_enrolled(store::Db& db, const std::string& user_id);

// Starts (or restarts) enrolment with a new 160-bit secret. 409
// "totp_already_enabled" when it is on.
Result<TotpEnrolment> begin_totp(store::Db& db, const Vault& vault, const store::User& user,
                                 const std::string& issuer, int64_t now);

// Turns TOTP on when `code` is right for the pending secret, and returns
// the recovery codes. 409 "totp_not_pending" without a pending enrolment;
// 422 "totp_code_wrong" for a wrong code (nothing changes).
Result<std::vector<std::string>> enable_totp(store::Db& db, const Vault& vault, const std::string& user_id,
                                             const std::string& code, int64_t now);

// Whether `code` is a right, unused code of the user's enabled TOTP;
// uses it up when it is.
bool use_totp_code(store::Db& db, const Vault& vault, const std::string& user_id, const std::string& code,
                   int64_t now);
// Whether `code` is one of the user's unused recovery codes; uses it up
// when it is. Case, spaces and dashes do not matter.
bool use_recovery_code(store::Db& db, const std::string& user_id, const std::string& code, int64_t now);

// Deletes the secret and the recovery codes.
void disable_totp(store::Db& db, const std::string& user_id);

}  // namespace onramp::auth
