#include "edge/auth/passwords.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <vector>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"

namespace onramp::auth {

namespace {

constexpr int kR = 8, kP = 1, kKeyLen = 32;

std::string derive(const std::string& password, const std::string& salt, int log2_n, int r, int p) {
    std::string out(kKeyLen, '\0');
    uint64_t n = uint64_t(1) << log2_n;
    // maxmem: enough for 128 * N * r bytes plus slack.
    uint64_t maxmem = 128 * n * uint64_t(r) + (uint64_t(1) << 20);
    if (!EVP_PBE_scrypt(password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                        salt.size(), n, uint64_t(r), uint64_t(p), maxmem,
                        reinterpret_cast<unsigned char*>(out.data()), out.size()))
        return {};
    return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    size_t i = 0, j;
    while ((j = s.find(sep, i)) != std::string::npos) {
        parts.push_back(s.substr(i, j - i));
        i = j + 1;
    }
    parts.push_back(s.substr(i));
    return parts;
}

}  // namespace

std::string hash_password(const std::string& password, int log2_n) {
    std::string salt = crypto::random_bytes(16);
    std::string key = derive(password, salt, log2_n, kR, kP);
    return "scrypt$" + std::to_string(log2_n) + "$" + std::to_string(kR) + "$" + std::to_string(kP) + "$" +
           crypto::base64_encode(salt) + "$" + crypto::base64_encode(key);
}

bool verify_password(const std::string& password, const std::string& stored) {
    auto parts = split(stored, '$');
    if (parts.size() != 6 || parts[0] != "scrypt") return false;
    int log2_n = std::atoi(parts[1].c_str()), r = std::atoi(parts[2].c_str()), p = std::atoi(parts[3].c_str());
    if (log2_n < 1 || log2_n > 22 || r < 1 || r > 32 || p < 1 || p > 16) return false;
    auto salt = crypto::base64_decode(parts[4]);
    auto want = crypto::base64_decode(parts[5]);
    if (!salt || !want) return false;
    std::string got = derive(password, *salt, log2_n, r, p);
    return !got.empty() && crypto::constant_time_equal(got, *want);
}

std::string generate_password() {
    // base64url of 15 random bytes: 20 characters, 120 bits.
    return crypto::base64url_encode(crypto::random_bytes(15));
}

}  // namespace onramp::auth
