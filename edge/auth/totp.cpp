#include "edge/auth/totp.h"

#include "edge/connectors/wire.h"
#include "edge/crypto/digest.h"

namespace onramp::auth {

int64_t totp_step(int64_t now) { return now / kTotpStepSeconds; }

std::string hotp(std::string_view key, uint64_t counter, int digits) {
    std::string message(8, '\0');
    for (int i = 7; i >= 0; --i, counter >>= 8) message[size_t(i)] = char(counter & 0xff);
    std::string mac = crypto::hmac_sha1(key, message);
    int offset = uint8_t(mac[19]) & 0x0f;
    uint32_t binary = (uint32_t(uint8_t(mac[size_t(offset)])) & 0x7f) << 24 |
                      uint32_t(uint8_t(mac[size_t(offset) + 1])) << 16 |
                      uint32_t(uint8_t(mac[size_t(offset) + 2])) << 8 | uint32_t(uint8_t(mac[size_t(offset) + 3]));
    uint32_t modulus = 1;
    for (int i = 0; i < digits; ++i) modulus *= 10;
    std::string out = std::to_string(binary % modulus);
    return std::string(size_t(digits) - out.size(), '0') + out;
}

int64_t totp_matching_step(std::string_view key, std::string_view code, int64_t now) {
    if (code.size() != size_t(kTotpDigits)) return -1;
    int64_t found = -1;
    for (int64_t step = totp_step(now) - 1; step <= totp_step(now) + 1; ++step)
        if (crypto::constant_time_equal(hotp(key, uint64_t(step)), code) && found < 0) found = step;
    return found;
}

std::string otpauth_uri(const std::string& issuer, const std::string& account, const std::string& secret_base32) {
    using connectors::wire::url_encode;
    return "otpauth://totp/" + url_encode(issuer) + ":" + url_encode(account) + "?secret=" + secret_base32 +
           "&issuer=" + url_encode(issuer) + "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
           "&period=" + std::to_string(kTotpStepSeconds);
}

}  // namespace onramp::auth
