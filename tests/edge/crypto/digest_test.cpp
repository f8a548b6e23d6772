// Specification of edge/crypto/digest.h: hashes and MACs against published
// test vectors (FIPS 180-2's "abc", RFC 4231 and RFC 2202 test case 2),
// including calls that reuse a thread's contexts with another key.
#include "edge/crypto/digest.h"

#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "edge/crypto/encoding.h"

using namespace onramp::crypto;

TEST_CASE("SHA-256 and SHA-1 of \"abc\" are FIPS 180-2's values") {
    CHECK(hex_encode(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hex_encode(sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(hex_encode(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("HMACs match RFC 4231 and RFC 2202, whatever key the thread used before") {
    const std::string jefe_256 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    const std::string empty_256 = "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
    CHECK(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) == jefe_256);
    // An empty key right after another key is the empty key, not the last one.
    CHECK(hex_encode(hmac_sha256("", "")) == empty_256);
    CHECK(hex_encode(hmac_sha256(std::string_view(), "")) == empty_256);
    CHECK(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) == jefe_256);
    CHECK(hex_encode(hmac_sha1("Jefe", "what do ya want for nothing?")) ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    // A key longer than the block is hashed first (RFC 4231 test case 6).
    CHECK(hex_encode(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("each thread computes the same MAC") {
    std::string results[4];
    std::thread threads[4];
    for (int i = 0; i < 4; ++i)
        threads[i] = std::thread([&results, i] {
            for (int n = 0; n < 100; ++n) results[i] = hex_encode(hmac_sha256("key-" + std::to_string(n % 3), "body"));
        });
    for (auto& t : threads) t.join();
    for (const std::string& r : results) CHECK(r == hex_encode(hmac_sha256("key-0", "body")));
}
