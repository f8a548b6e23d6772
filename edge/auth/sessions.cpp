#include "edge/auth/sessions.h"

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"

namespace onramp::auth {

using store::Db;
using store::Stmt;

std::string token_hash(const std::string& token) { return crypto::hex_encode(crypto::sha256(token)); }

namespace {

void insert_token(Db& db, const std::string& token, const char* kind, const std::string& family,
                  const std::string& user_id, int64_t now, int64_t ttl) {
    db.write("INSERT INTO tokens (hash, kind, family_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
             token_hash(token), kind, family, user_id, now, now + ttl);
}

TokenPair issue_pair(Db& db, const std::string& family, const std::string& user_id, int64_t now) {
    TokenPair p;
    p.access_token = crypto::random_token();
    p.refresh_token = crypto::random_token();
    p.user_id = user_id;
    insert_token(db, p.access_token, "access", family, user_id, now, kAccessTokenSeconds);
    insert_token(db, p.refresh_token, "refresh", family, user_id, now, kRefreshTokenSeconds);
    return p;
}

void revoke_family(Db& db, const std::string& family, int64_t now) {
    db.write("UPDATE token_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, family);
}

}  // namespace

TokenPair start_session(Db& db, const std::string& user_id, int64_t now) {
    store::Tx tx(db);
    std::string family = crypto::random_id("fam");
    db.write("INSERT INTO token_families (id, user_id, created_at) VALUES (?, ?, ?)", family, user_id, now);
    TokenPair p = issue_pair(db, family, user_id, now);
    // Expired rows are dead weight; sweep a few at every sign-in.
    db.write("DELETE FROM tokens WHERE rowid IN (SELECT rowid FROM tokens WHERE expires_at < ? LIMIT 100)", now);
    tx.commit();
    return p;
}

Result<TokenPair> refresh_session(Db& db, const std::string& refresh_token, int64_t now) {
    store::Tx tx(db);
    Stmt st(db,
            "SELECT t.family_id, t.user_id, t.expires_at, t.used_at, f.revoked_at FROM tokens t"
            " JOIN token_families f ON f.id = t.family_id WHERE t.hash = ? AND t.kind = 'refresh'");
    st.bind(1, token_hash(refresh_token));
    if (!st.step()) return unauthorized("The refresh token is not valid. Sign in again.");
    std::string family = st.text(0), user_id = st.text(1);
    int64_t expires_at = st.i64(2);
    bool used = !st.is_null(3), revoked = !st.is_null(4);
    if (revoked) return unauthorized("This session was signed out. Sign in again.");
    if (used) {
        // Security: a rotated refresh token came back. Either the client
        // retried or someone copied it; we cannot tell which, so the whole
        // family goes and both parties must sign in again.
        revoke_family(db, family, now);
        tx.commit();
        Problem p = unauthorized("This refresh token was already used; the session has been revoked for safety. Sign in again.");
        p.error_code = "refresh_token_reused";
        return p;
    }
    if (expires_at <= now) return unauthorized("The refresh token has expired. Sign in again.");
    db.write("UPDATE tokens SET used_at = ? WHERE hash = ?", now, token_hash(refresh_token));
    TokenPair p = issue_pair(db, family, user_id, now);
    tx.commit();
    return p;
}

bool end_session(Db& db, const std::string& access_token, int64_t now) {
    // The read ends before the write: a write on a connection whose read
    // is still open fails at once (SQLITE_BUSY_SNAPSHOT) when another
    // connection committed in between, whatever the busy timeout.
    std::string family;
    {
        Stmt st(db, "SELECT family_id FROM tokens WHERE hash = ? AND kind = 'access'");
        st.bind(1, token_hash(access_token));
        if (!st.step()) return false;
        family = st.text(0);
    }
    revoke_family(db, family, now);
    return true;
}

int end_user_sessions(Db& db, const std::string& user_id, const std::string& keep, int64_t now) {
    return db.write("UPDATE token_families SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"
                    " AND id NOT IN (SELECT family_id FROM tokens WHERE hash = ? AND kind = 'access')",
                    now, user_id, token_hash(keep));
}

std::optional<std::string> user_for_access_token(Db& db, const std::string& token, int64_t now) {
    Stmt st(db,
            "SELECT t.user_id FROM tokens t JOIN token_families f ON f.id = t.family_id"
            " WHERE t.hash = ? AND t.kind = 'access' AND t.expires_at > ? AND f.revoked_at IS NULL");
    st.bind_all(token_hash(token), now);
    if (!st.step()) return std::nullopt;
    return st.text(0);
}

std::pair<ApiKey, std::string> create_api_key(Db& db, const std::string& user_id,
                                              const std::optional<std::string>& org_id, const std::string& name,
                                              int64_t now) {
    std::string key = std::string(kApiKeyPrefix) + crypto::random_token();
    ApiKey k;
    k.id = crypto::random_id("key");
    k.name = name;
    k.prefix = key.substr(0, 8);
    k.org_id = org_id;
    k.created_at = now;
    db.write("INSERT INTO api_keys (id, org_id, user_id, name, hash, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
             k.id, org_id, user_id, name, token_hash(key), k.prefix, now);
    return {k, key};
}

std::vector<ApiKey> list_api_keys(Db& db, const std::string& user_id) {
    Stmt st(db,
            "SELECT id, name, prefix, org_id, created_at, last_used_at, revoked_at FROM api_keys"
            " WHERE user_id = ? ORDER BY created_at, id");
    st.bind(1, user_id);
    std::vector<ApiKey> out;
    while (st.step()) {
        ApiKey k{st.text(0), st.text(1), st.text(2), st.opt_text(3), st.i64(4), {}, {}};
        if (!st.is_null(5)) k.last_used_at = st.i64(5);
        if (!st.is_null(6)) k.revoked_at = st.i64(6);
        out.push_back(k);
    }
    return out;
}

bool revoke_api_key(Db& db, const std::string& user_id, const std::string& key_id, int64_t now) {
    return db.write("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL", now,
                    key_id, user_id) > 0;
}

std::optional<ApiKeyOwner> owner_of_api_key(Db& db, const std::string& key, int64_t now) {
    Stmt st(db, "SELECT user_id, id, org_id FROM api_keys WHERE hash = ? AND revoked_at IS NULL");
    st.bind(1, token_hash(key));
    if (!st.step()) return std::nullopt;
    ApiKeyOwner o{st.text(0), st.text(1), st.opt_text(2)};
    db.write("UPDATE api_keys SET last_used_at = ? WHERE id = ?", now, o.key_id);
    return o;
}

}  // namespace onramp::auth
