#include "edge/auth/two_factor.h"

#include <cctype>

#include "edge/auth/sessions.h"
#include "edge/auth/totp.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"

namespace onramp::auth {

using store::Db;
using store::Stmt;

namespace {

struct Stored {
    std::string secret;  // raw bytes, opened
    bool enabled = false;
    int64_t last_step = 0;
};

std::optional<Stored> stored(Db& db, const Vault& vault, const std::string& user_id) {
    Stmt st(db, "SELECT sealed_secret, enabled_at IS NOT NULL, last_step FROM user_totp WHERE user_id = ?");
    st.bind(1, user_id);
    if (!st.step()) return std::nullopt;
    auto secret = vault.open(totp_seal_context(user_id), st.text(0));
    if (!secret) return std::nullopt;
    return Stored{*secret, st.i64(1) != 0, st.i64(2)};
}

// Lowercase letters and digits only: "ABCD-efgh 23" and "abcdefgh23" are one code.
std::string normalized(const std::string& code) {
    std::string out;
    for (char c : code)
        if (std::isalnum(static_cast<unsigned char>(c))) out += char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "abcde-fghij": 50 random bits in base32, easy to copy onto paper.
std::string recovery_code() {
    std::string raw = crypto::base32_encode(crypto::random_bytes(7)).substr(0, 10);
    std::string out = normalized(raw);
    return out.substr(0, 5) + "-" + out.substr(5);
}

// Records `step` as the last used, unless a racing request used it (or a
// later one) first.
bool claim_step(Db& db, const std::string& user_id, int64_t step) {
    return db.write("UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?", step, user_id, step) == 1;
}

}  // namespace

std::string totp_seal_context(const std::string& user_id) { return "totp:" + user_id; }

bool totp_enabled(Db& db, const std::string& user_id) {
    Stmt st(db, "SELECT 1 FROM user_totp WHERE user_id = ? AND enabled_at IS NOT NULL");
    st.bind(1, user_id);
    return st.step();
}

bool totp_enrolled(Db& db, const std::string& user_id) {
    Stmt st(db, "SELECT 1 FROM user_totp WHERE user_id = ?");
    st.bind(1, user_id);
    return st.step();
}

Result<TotpEnrolment> begin_totp(Db& db, const Vault& vault, const store::User& user, const std::string& issuer,
                                 int64_t now) {
    if (totp_enabled(db, user.id))
        return conflict("Two-factor sign-in is already on. Turn it off first to enrol another device.",
                        "totp_already_enabled");
    std::string secret = crypto::random_bytes(20);  // 160 bits, RFC 4226 §4's recommendation
    db.write("INSERT OR REPLACE INTO user_totp (user_id, sealed_secret, created_at) VALUES (?, ?, ?)", user.id,
             vault.seal(totp_seal_context(user.id), secret), now);
    TotpEnrolment out;
    out.secret = crypto::base32_encode(secret);
    out.uri = otpauth_uri(issuer, user.email, out.secret);
    return out;
}

Result<std::vector<std::string>> enable_totp(Db& db, const Vault& vault, const std::string& user_id,
                                             const std::string& code, int64_t now) {
    auto s = stored(db, vault, user_id);
    if (!s || s->enabled)
        return conflict("There is no two-factor enrolment waiting for a code. Start one first.", "totp_not_pending");
    int64_t step = totp_matching_step(s->secret, code, now);
    if (step < 0) {
        Problem p = unprocessable({{"code", "is not the code the app shows now"}},
                                  "That code is not right. Check the time on the device and try the next code.");
        p.error_code = "totp_code_wrong";
        return p;
    }
    store::Tx tx(db);
    db.write("UPDATE user_totp SET enabled_at = ?, last_step = ? WHERE user_id = ?", now, step, user_id);
    db.write("DELETE FROM recovery_codes WHERE user_id = ?", user_id);
    std::vector<std::string> codes;
    for (int i = 0; i < kRecoveryCodes; ++i) {
        codes.push_back(recovery_code());
        db.write("INSERT INTO recovery_codes (hash, user_id) VALUES (?, ?)", token_hash(normalized(codes.back())),
                 user_id);
    }
    tx.commit();
    return codes;
}

bool use_totp_code(Db& db, const Vault& vault, const std::string& user_id, const std::string& code, int64_t now) {
    auto s = stored(db, vault, user_id);
    if (!s || !s->enabled) return false;
    int64_t step = totp_matching_step(s->secret, code, now);
    return step > s->last_step && claim_step(db, user_id, step);
}

bool use_recovery_code(Db& db, const std::string& user_id, const std::string& code, int64_t now) {
    std::string n = normalized(code);
    if (n.empty()) return false;
    return db.write("UPDATE recovery_codes SET used_at = ? WHERE hash = ? AND user_id = ? AND used_at IS NULL", now,
                    token_hash(n), user_id) == 1;
}

void disable_totp(Db& db, const std::string& user_id) {
    db.write("DELETE FROM user_totp WHERE user_id = ?", user_id);
    db.write("DELETE FROM recovery_codes WHERE user_id = ?", user_id);
}

}  // namespace onramp::auth
