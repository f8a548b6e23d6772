// AES-256-GCM through OpenSSL's EVP interface; see aead.h for the contract.
#include "edge/crypto/aead.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace onramp::crypto {

namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

void check_sizes(std::string_view key, std::string_view nonce) {
    if (key.size() != kAeadKeySize) throw std::invalid_argument("aead: key must be 32 bytes");
    if (nonce.size() != kAeadNonceSize) throw std::invalid_argument("aead: nonce must be 12 bytes");
}

// Creates a context keyed for one direction. 12 bytes is GCM's default IV
// length, so no EVP_CTRL_GCM_SET_IVLEN is needed.
CipherCtx make_ctx(std::string_view key, std::string_view nonce, bool encrypt) {
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx) throw std::bad_alloc();
    int ok = encrypt ? EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce))
                     : EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce));
    if (ok != 1) throw std::runtime_error("aead: cipher initialisation failed");
    return ctx;
}

}  // namespace

std::string aead_seal(std::string_view key, std::string_view nonce, std::string_view plaintext,
                      std::string_view aad) {
    check_sizes(key, nonce);
    CipherCtx ctx = make_ctx(key, nonce, true);
    int len = 0;
    if (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), int(aad.size())) != 1)
        throw std::runtime_error("aead: AAD rejected");
    // GCM is a stream mode: the ciphertext is exactly as long as the plaintext.
    std::string out(plaintext.size() + kAeadTagSize, '\0');
    if (EVP_EncryptUpdate(ctx.get(), bytes(out), &len, bytes(plaintext), int(plaintext.size())) != 1)
        throw std::runtime_error("aead: encryption failed");
    int tail = 0;
    if (EVP_EncryptFinal_ex(ctx.get(), bytes(out) + len, &tail) != 1)
        throw std::runtime_error("aead: encryption failed");
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, int(kAeadTagSize),
                            bytes(out) + plaintext.size()) != 1)
        throw std::runtime_error("aead: tag unavailable");
    return out;
}

std::optional<std::string> aead_open(std::string_view key, std::string_view nonce,
                                     std::string_view sealed, std::string_view aad) {
    check_sizes(key, nonce);
    if (sealed.size() < kAeadTagSize) return std::nullopt;
    std::string_view body = sealed.substr(0, sealed.size() - kAeadTagSize);
    std::string tag(sealed.substr(body.size()));
    CipherCtx ctx = make_ctx(key, nonce, false);
    int len = 0;
    if (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), int(aad.size())) != 1)
        return std::nullopt;
    std::string out(body.size(), '\0');
    if (EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(body), int(body.size())) != 1) {
        wipe(out);
        return std::nullopt;
    }
    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, int(kAeadTagSize), bytes(tag));
    int tail = 0;
    // Security: EVP_DecryptUpdate has already written unauthenticated
    // plaintext into `out`; if the tag fails it must not escape this function.
    if (EVP_DecryptFinal_ex(ctx.get(), bytes(out) + len, &tail) != 1) {
        wipe(out);
        return std::nullopt;
    }
    return out;
}

void wipe(std::string& s) {
    // capacity(), not size(): a string that shrank still holds the old bytes.
    OPENSSL_cleanse(s.data(), s.capacity());
    s.clear();
}

}  // namespace onramp::crypto
