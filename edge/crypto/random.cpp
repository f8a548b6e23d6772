#include "edge/crypto/random.h"

#include <openssl/rand.h>

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

std::string random_token() { return base64url_encode(random_bytes(32)); }

std::string random_id(const std::string& prefix) { return prefix + "_" + hex_encode(random_bytes(16)); }

}  // namespace onramp::crypto
