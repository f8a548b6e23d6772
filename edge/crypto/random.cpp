#include "edge/crypto/random.h"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "edge/crypto/encoding.h"

namespace onramp::crypto {

std::string random_bytes(size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), int(n)) != 1) {
        // No safe way to continue: a predictable key or token is worse than a crash.
        std::fputs("fatal: the system random number generator failed\n", stderr);
        std::abort();
    }
    return out;
}

std::string time_ordered_id(const std::string& prefix) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    std::string bytes(7, '\0');
    for (int i = 6; i >= 0; --i, us >>= 8) bytes[size_t(i)] = char(us & 0xff);
    return prefix + "_" + hex_encode(bytes + random_bytes(9));
}

std::string random_token() { return base64url_encode(random_bytes(32)); }

std::string random_id(const std::string& prefix) { return prefix + "_" + hex_encode(random_bytes(16)); }

}  // namespace onramp::crypto
