// Specification of the TOTP function against RFC 6238's published test
// vectors (Appendix B, HMAC-SHA-1, secret "12345678901234567890"), of
// base32 against RFC 4648's (section 10), and of the ±1 step window.
#include <doctest/doctest.h>

#include "edge/auth/totp.h"
#include "edge/crypto/encoding.h"

using namespace onramp;

TEST_SUITE("auth.totp") {

TEST_CASE("TOTP gives RFC 6238's SHA-1 test vectors") {
    const std::string key = "12345678901234567890";
    struct Vector {
        int64_t time;
        const char* code;
    };
    const Vector vectors[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
                              {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
    for (const Vector& v : vectors) {
        CAPTURE(v.time);
        CHECK(auth::hotp(key, uint64_t(auth::totp_step(v.time)), 8) == v.code);
        // Six digits are the last six of the eight (the same number mod 10^6).
        CHECK(auth::hotp(key, uint64_t(auth::totp_step(v.time))) == std::string(v.code).substr(2));
    }
}

TEST_CASE("a code matches within one step either side, and no further") {
    const std::string key = "12345678901234567890";
    int64_t now = 1111111111;
    std::string code = auth::hotp(key, uint64_t(auth::totp_step(now)));
    CHECK(auth::totp_matching_step(key, code, now) == auth::totp_step(now));
    CHECK(auth::totp_matching_step(key, code, now + 30) == auth::totp_step(now));
    CHECK(auth::totp_matching_step(key, code, now - 30) == auth::totp_step(now));
    CHECK(auth::totp_matching_step(key, code, now + 60) == -1);
    CHECK(auth::totp_matching_step(key, code, now - 60) == -1);
    CHECK(auth::totp_matching_step(key, "12345", now) == -1);
    CHECK(auth::totp_matching_step(key, code + "0", now) == -1);
}

TEST_CASE("base32 gives RFC 4648's test vectors and reads what people type") {
    const std::pair<const char*, const char*> vectors[] = {{"", ""},           {"f", "MY"},
                                                           {"fo", "MZXQ"},     {"foo", "MZXW6"},
                                                           {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"},
                                                           {"foobar", "MZXW6YTBOI"}};
    for (const auto& [plain, encoded] : vectors) {
        CHECK(crypto::base32_encode(plain) == encoded);
        CHECK(crypto::base32_decode(encoded) == std::optional<std::string>(plain));
    }
    CHECK(crypto::base32_decode("mzxw 6ytb oi======") == std::optional<std::string>("foobar"));
    CHECK_FALSE(crypto::base32_decode("MZXW1"));  // 1 is not in the alphabet
}

TEST_CASE("the otpauth URI names the issuer, the account and the parameters") {
    CHECK(auth::otpauth_uri("Onramp", "ann@acme.test", "JBSWY3DPEHPK3PXP") ==
          "otpauth://totp/Onramp:ann%40acme.test?secret=JBSWY3DPEHPK3PXP&issuer=Onramp&algorithm=SHA1&digits=6"
          "&period=30");
}

}
