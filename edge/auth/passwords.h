// Password hashing with scrypt (RFC 7914) through OpenSSL's EVP_PBE_scrypt.
// The stored form names its parameters, "scrypt$<log2 N>$<r>$<p>$<salt>$<hash>"
// (base64), so the cost can be raised later without invalidating old hashes.
#pragma once

#include <cstddef>
#include <string>

namespace onramp::auth {

// The one password policy: at least 8 characters (every route that sets a
// password checks this; the length cap is each route's body limit).
constexpr size_t kMinPasswordLength = 8;

std::string hash_password(const std::string& password, int log2_n = 15);
// Constant-time comparison of the derived key; false for malformed stored values.
bool verify_password(const std::string& password, const std::string& stored);
// A random password for generated accounts (create-admin): 20 characters.
std::string generate_password();

}  // namespace onramp::auth
