// Hashes and MACs over byte strings (OpenSSL EVP). Results are raw bytes;
// encode them with edge/crypto/encoding.h.
#pragma once

#include <string>
#include <string_view>

namespace onramp::crypto {

std::string sha256(std::string_view data);
std::string sha1(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);
std::string hmac_sha1(std::string_view key, std::string_view data);

// SHA-256 of data that arrives in pieces (a file streamed in chunks), so
// that a large file is hashed without being held in memory.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view data);
    std::string finish();  // the raw digest; call once

private:
    void* ctx_;  // EVP_MD_CTX
};

// Compares in time that depends only on the lengths, never on where the
// first differing byte is: a timing oracle would let an attacker forge a
// signature or token one byte at a time.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace onramp::crypto
