// Sessions: short-lived access tokens and rotating refresh tokens, plus API
// keys for server-to-server callers.
//
// Tokens are 256-bit random strings; only their SHA-256 is stored, so a copy
// of the database does not let anyone sign in. Each sign-in starts a token
// family. Refreshing uses up the refresh token and issues a new pair in the
// same family; presenting a used refresh token again means two parties hold
// it (one of them a thief), so the whole family is revoked (OAuth 2.0
// Security BCP, RFC 9700 §4.14 "refresh token rotation").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edge/store/db.h"
#include "shared/result.h"

namespace onramp::auth {

constexpr int64_t kAccessTokenSeconds = 15 * 60;
constexpr int64_t kRefreshTokenSeconds = 30 * 24 * 3600;

struct TokenPair {
    std::string access_token;
    std::string refresh_token;
    int64_t expires_in = kAccessTokenSeconds;
    std::string user_id;
};

std::string token_hash(const std::string& token);

TokenPair start_session(store::Db& db, const std::string& user_id, int64_t now);
// 401 for unknown, expired or revoked tokens; a reused token also revokes
// its family (and says so in the problem detail).
Result<TokenPair> refresh_session(store::Db& db, const std::string& refresh_token, int64_t now);
// Revokes the family of the given access token. False when unknown.
bool end_session(store::Db& db, const std::string& access_token, int64_t now);
// Revokes every session (token family) of the user but the one `keep`
// (an access token) belongs to; "" keeps none. Returns how many ended.
// A changed password ends the sessions the old one opened.
int end_user_sessions(store::Db& db, const std::string& user_id, const std::string& keep, int64_t now);
// The user id behind a live access token.
std::optional<std::string> user_for_access_token(store::Db& db, const std::string& token, int64_t now);

struct ApiKey {
    std::string id, name, prefix;
    std::optional<std::string> org_id;
    int64_t created_at = 0;
    std::optional<int64_t> last_used_at, revoked_at;
};

// API keys look like "onr_<43 base64url chars>" so that a leaked one is easy
// to recognise (secret scanners) and to tell apart from a session token.
constexpr const char* kApiKeyPrefix = "onr_";

// Returns the key record and, once, the key itself.
std::pair<ApiKey, std::string> create_api_key(store::Db& db, const std::string& user_id,
                                              const std::optional<std::string>& org_id, const std::string& name,
                                              int64_t now);
std::vector<ApiKey> list_api_keys(store::Db& db, const std::string& user_id);
bool revoke_api_key(store::Db& db, const std::string& user_id, const std::string& key_id, int64_t now);
// The (user id, key id, org restriction) behind a live key.
struct ApiKeyOwner {
    std::string user_id, key_id;
    std::optional<std::string> org_id;
};
std::optional<ApiKeyOwner> owner_of_api_key(store::Db& db, const std::string& key, int64_t now);

}  // namespace onramp::auth
