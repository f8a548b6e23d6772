#include "edge/auth/account_tokens.h"

#include "edge/auth/sessions.h"
#include "edge/crypto/random.h"

namespace onramp::auth {

using store::Db;
using store::Stmt;

namespace {

const char* kind_name(AccountTokenKind kind) {
    switch (kind) {
    case AccountTokenKind::password_reset: return "password_reset";
    case AccountTokenKind::invitation_proof: return "invitation_proof";
    case AccountTokenKind::mfa: return "mfa";
    }
    return "";
}

// 8 decimal digits, uniform: bytes above the largest multiple of 10^8 that
// fits in 32 bits are drawn again, so no code is likelier than another.
std::string proof_code() {
    constexpr uint32_t kRange = 100'000'000, kLimit = 4'200'000'000u;
    for (;;) {
        std::string b = crypto::random_bytes(4);
        uint32_t n = uint32_t(uint8_t(b[0])) << 24 | uint32_t(uint8_t(b[1])) << 16 | uint32_t(uint8_t(b[2])) << 8 |
                     uint32_t(uint8_t(b[3]));
        if (n >= kLimit) continue;
        std::string digits = std::to_string(n % kRange);
        return std::string(8 - digits.size(), '0') + digits;
    }
}

// The stored hash: the subject is part of it, so the same code under
// another subject is another row.
std::string stored_hash(const std::string& token, const std::string& subject) {
    return token_hash(subject.empty() ? token : subject + ":" + token);
}

}  // namespace

std::string issue_account_token(Db& db, AccountTokenKind kind, const std::string& user_id, const std::string& subject,
                                int64_t ttl, int64_t now) {
    std::string token = kind == AccountTokenKind::invitation_proof ? proof_code() : crypto::random_token();
    db.write("DELETE FROM account_tokens WHERE expires_at < ?", now - 24 * 3600);
    db.write("INSERT OR REPLACE INTO account_tokens (hash, kind, user_id, subject, created_at, expires_at)"
             " VALUES (?, ?, ?, ?, ?, ?)",
             stored_hash(token, subject), kind_name(kind), user_id, subject, now, now + ttl);
    return token;
}

std::optional<std::string> account_token_user(Db& db, AccountTokenKind kind, const std::string& token,
                                              const std::string& subject, int64_t now) {
    if (token.empty()) return std::nullopt;
    Stmt st(db,
            "SELECT user_id FROM account_tokens WHERE hash = ? AND kind = ? AND subject = ? AND used_at IS NULL"
            " AND expires_at > ?");
    st.bind_all(stored_hash(token, subject), kind_name(kind), subject, now);
    if (!st.step()) return std::nullopt;
    return st.text(0);
}

bool use_account_token(Db& db, AccountTokenKind kind, const std::string& token, const std::string& subject,
                       int64_t now) {
    if (token.empty()) return false;
    return db.write("UPDATE account_tokens SET used_at = ? WHERE hash = ? AND kind = ? AND subject = ?"
                    " AND used_at IS NULL AND expires_at > ?",
                    now, stored_hash(token, subject), kind_name(kind), subject, now) == 1;
}

void use_all_account_tokens(Db& db, AccountTokenKind kind, const std::string& user_id, int64_t now) {
    db.write("UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND kind = ? AND used_at IS NULL", now, user_id,
             kind_name(kind));
}

}  // namespace onramp::auth
