// Specification of edge/crypto/aead.h: AES-256-GCM seal/open.
#include "edge/crypto/aead.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "edge/crypto/encoding.h"

using namespace onramp::crypto;

namespace {

std::string unhex(std::string_view text) {
    auto bytes = hex_decode(text);
    REQUIRE_MESSAGE(bytes.has_value(), "bad hex in test data: " << text);
    return *bytes;
}

std::string flip(std::string s, size_t i) {
    s[i] = char(s[i] ^ 0x01);
    return s;
}

}  // namespace

// Test cases 13, 14 and 16 of McGrew & Viega, "The Galois/Counter Mode of
// Operation (GCM)", the vectors NIST SP 800-38D was validated against.
TEST_CASE("aead: seal matches the published AES-256-GCM test vectors") {
    std::string zero_key(32, '\0'), zero_nonce(12, '\0');
    CHECK(hex_encode(aead_seal(zero_key, zero_nonce, "", "")) == "530f8afbc74536b9a963b4f1c4cb738b");
    CHECK(hex_encode(aead_seal(zero_key, zero_nonce, std::string(16, '\0'), "")) ==
          "cea7403d4d606b6e074ec5d3baf39d18"
          "d0d1c8a799996bf0265b98b5d48ab919");

    std::string key = unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    std::string nonce = unhex("cafebabefacedbaddecaf888");
    std::string plaintext = unhex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    std::string aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    std::string sealed = aead_seal(key, nonce, plaintext, aad);
    CHECK(hex_encode(sealed) ==
          "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
          "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
          "76fc6ece0f4e1768cddf8853bb2d551b");
    auto opened = aead_open(key, nonce, sealed, aad);
    REQUIRE_MESSAGE(opened.has_value(), "the published vector did not open");
    CHECK(*opened == plaintext);
}

TEST_CASE("aead: open returns what seal sealed") {
    std::string key(32, 'k'), nonce(12, 'n');
    for (std::string plaintext : {std::string(), std::string("x"), std::string(1000, 'p')}) {
        for (std::string aad : {std::string(), std::string("context")}) {
            std::string sealed = aead_seal(key, nonce, plaintext, aad);
            CHECK_MESSAGE(sealed.size() == plaintext.size() + kAeadTagSize, "sealed size for " << plaintext.size());
            auto opened = aead_open(key, nonce, sealed, aad);
            REQUIRE_MESSAGE(opened.has_value(), "round trip failed for size " << plaintext.size());
            CHECK(*opened == plaintext);
        }
    }
}

TEST_CASE("aead: any altered byte of message or context fails to open") {
    std::string key(32, 'k'), nonce(12, 'n'), aad = "org|connection|field";
    std::string sealed = aead_seal(key, nonce, "sk_live_0123456789", aad);
    for (size_t i = 0; i < sealed.size(); ++i) {
        CHECK_MESSAGE(!aead_open(key, nonce, flip(sealed, i), aad), "flipped sealed byte " << i << " still opened");
    }
    for (size_t i = 0; i < nonce.size(); ++i) {
        CHECK_MESSAGE(!aead_open(key, flip(nonce, i), sealed, aad), "flipped nonce byte " << i << " still opened");
    }
    for (size_t i = 0; i < aad.size(); ++i) {
        CHECK_MESSAGE(!aead_open(key, nonce, sealed, flip(aad, i)), "flipped AAD byte " << i << " still opened");
    }
    CHECK_MESSAGE(!aead_open(flip(key, 31), nonce, sealed, aad), "another key opened it");
    CHECK_MESSAGE(!aead_open(key, nonce, sealed, ""), "an empty AAD opened it");
    CHECK_MESSAGE(!aead_open(key, nonce, sealed.substr(0, sealed.size() - 1), aad), "a truncated tag opened it");
    CHECK_MESSAGE(!aead_open(key, nonce, sealed.substr(0, kAeadTagSize - 1), aad), "a ciphertext shorter than a tag opened");
}

TEST_CASE("aead: a key or nonce of the wrong size is a programming error") {
    CHECK_THROWS_AS(aead_seal(std::string(16, 'k'), std::string(12, 'n'), "p", ""), std::invalid_argument);
    CHECK_THROWS_AS(aead_seal(std::string(32, 'k'), std::string(16, 'n'), "p", ""), std::invalid_argument);
    CHECK_THROWS_AS(aead_open(std::string(31, 'k'), std::string(12, 'n'), std::string(20, 'c'), ""),
                    std::invalid_argument);
}

TEST_CASE("aead: wipe zeroes and empties a buffer") {
    std::string secret = "a secret long enough to live on the heap";
    const char* data = secret.data();
    size_t capacity = secret.capacity();
    wipe(secret);
    CHECK(secret.empty());
    CHECK_MESSAGE(secret.data() == data, "wipe must not reallocate, or the old bytes would survive elsewhere");
    CHECK_MESSAGE(std::string(data, capacity).find_first_not_of('\0') == std::string::npos,
                  "wipe left non-zero bytes");
}
