// AES-256-GCM (NIST SP 800-38D) over byte strings, through OpenSSL EVP: the
// one authenticated cipher of the credential vault. A sealed message is
// ciphertext followed by the 16-byte tag; opening checks the tag over the
// ciphertext and the additional authenticated data (AAD) before anything
// is returned.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace onramp::crypto {

constexpr size_t kAeadKeySize = 32;    // AES-256
constexpr size_t kAeadNonceSize = 12;  // 96 bits: GCM's native IV length
constexpr size_t kAeadTagSize = 16;    // full-length tag; truncated tags weaken forgery bounds

// Returns ciphertext || tag. The caller must never reuse a (key, nonce)
// pair: GCM with a repeated nonce leaks the XOR of plaintexts and lets an
// attacker forge tags. Throws std::invalid_argument on a key or nonce of
// the wrong size (a programming error, never a data error).
std::string aead_seal(std::string_view key, std::string_view nonce, std::string_view plaintext,
                      std::string_view aad);

// Returns the plaintext, or nullopt when the tag does not verify: the
// ciphertext, tag, nonce or AAD was altered, or the key is wrong. Those
// cases are deliberately indistinguishable. Nothing decrypted from a
// message that fails is ever returned (the buffer is wiped first).
std::optional<std::string> aead_open(std::string_view key, std::string_view nonce,
                                     std::string_view sealed, std::string_view aad);

// Overwrites a buffer that held key material or a plaintext secret, in a
// way the optimiser may not drop (OPENSSL_cleanse), then empties it.
void wipe(std::string& s);

}  // namespace onramp::crypto
