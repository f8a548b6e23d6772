// Byte-string encodings used on the wire: base64 (RFC 4648 §4), base64url
// without padding (§5), base32 (§6), lowercase hex. Decoders return nullopt on any
// character outside the alphabet instead of skipping it, because a signature
// header with stray bytes must not verify.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace onramp::crypto {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);
std::string base64url_encode(std::string_view bytes);  // no padding
std::optional<std::string> base64url_decode(std::string_view text);
// Base32 (RFC 4648 §6) without padding: how authenticator apps take a
// TOTP secret. The decoder ignores case, spaces and padding (people type
// it) and refuses any other character outside the alphabet.
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);
std::string hex_encode(std::string_view bytes);
std::optional<std::string> hex_decode(std::string_view text);

}  // namespace onramp::crypto
