// Time-based one-time passwords (RFC 6238, on HOTP, RFC 4226): the codes
// authenticator apps show. HMAC-SHA-1, 30-second steps counted from the
// Unix epoch, 6 digits: the parameters every app assumes when an
// otpauth:// URI names no others.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace onramp::auth {

constexpr int64_t kTotpStepSeconds = 30;
constexpr int kTotpDigits = 6;

// The time step holding Unix second `now` (RFC 6238 §4.2, T0 = 0).
int64_t totp_step(int64_t now);

// HOTP (RFC 4226 §5.3): HMAC-SHA-1 of the 8-byte big-endian counter,
// dynamically truncated, as `digits` decimal digits with leading zeros.
std::string hotp(std::string_view key, uint64_t counter, int digits = kTotpDigits);

// The time step within ±1 of `now`'s whose code is `code`, or -1: a clock
// off by up to 30 seconds, or a code typed as it changed, still counts
// (RFC 6238 §5.2). Compared in constant time.
int64_t totp_matching_step(std::string_view key, std::string_view code, int64_t now);

// otpauth://totp/<issuer>:<account>?secret=...&issuer=... (the Key Uri
// Format authenticator apps scan as a QR code), parameters spelled out.
std::string otpauth_uri(const std::string& issuer, const std::string& account, const std::string& secret_base32);

}  // namespace onramp::auth
