#include "edge/crypto/random.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "edge/crypto/encoding.h"

namespace onramp::crypto {

namespace {

void fill(unsigned char* out, size_t n) {
    if (RAND_bytes(out, int(n)) != 1) {
        // No safe way to continue: a predictable key or token is worse than a crash.
        std::fputs("fatal: the system random number generator failed\n", stderr);
        std::abort();
    }
}

// Small asks are served from a per-thread block of the CSPRNG's output:
// each RAND_bytes call costs about as much as 256 bytes of output (OpenSSL
// 3 finds the thread's generator, locks and reseeds it per call), and ids
// are asked for on every request and every stored webhook. Only asks of up
// to 16 bytes (ids, salts) are served so; keys and tokens come straight
// from RAND_bytes. A byte is handed out once and wiped. The block belongs
// to the process that drew it: a forked child draws its own, never its
// parent's bytes again.
struct Reserve {
    unsigned char bytes[512];
    size_t left = 0;
    pid_t owner = 0;
};

constexpr size_t kFromReserveMax = 16;

}  // namespace

std::string random_bytes(size_t n) {
    std::string out(n, '\0');
    auto* dst = reinterpret_cast<unsigned char*>(out.data());
    if (n > kFromReserveMax) {
        fill(dst, n);
        return out;
    }
    thread_local Reserve r;
    pid_t pid = getpid();
    if (r.owner != pid || r.left < n) {
        fill(r.bytes, sizeof r.bytes);
        r.left = sizeof r.bytes;
        r.owner = pid;
    }
    unsigned char* src = r.bytes + (sizeof r.bytes - r.left);
    std::memcpy(dst, src, n);
    std::memset(src, 0, n);
    r.left -= n;
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
