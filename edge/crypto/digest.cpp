#include "edge/crypto/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

namespace onramp::crypto {

namespace {

// OpenSSL 3 looks an algorithm up by name on each implicit use (EVP_sha256()
// inside EVP_Digest, HMAC()), and a one-shot HMAC() also allocates, sets up
// and frees a context per call: for a 1 KB webhook body that was most of
// the time its signature check took. The algorithms are fetched once
// (https://www.openssl.org/docs/man3.0/man7/crypto.html, "Performance")
// and each thread keeps its contexts between calls.
struct Algorithms {
    EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD* sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
};

const Algorithms& algorithms() {
    static const Algorithms a;
    return a;
}

EVP_MAC_CTX* new_hmac(const char* digest) {
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(algorithms().hmac);
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", const_cast<char*>(digest), 0),
                           OSSL_PARAM_construct_end()};
    EVP_MAC_CTX_set_params(ctx, params);
    return ctx;
}

struct ThreadContexts {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_MAC_CTX* hmac_sha256 = new_hmac("SHA256");
    EVP_MAC_CTX* hmac_sha1 = new_hmac("SHA1");
    ~ThreadContexts() {
        EVP_MD_CTX_free(md);
        EVP_MAC_CTX_free(hmac_sha256);
        EVP_MAC_CTX_free(hmac_sha1);
    }
};

ThreadContexts& contexts() {
    thread_local ThreadContexts c;
    return c;
}

std::string digest(const EVP_MD* md, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD_CTX* ctx = contexts().md;
    EVP_DigestInit_ex2(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, data.data(), data.size());
    EVP_DigestFinal_ex(ctx, out, &len);
    return std::string(reinterpret_cast<char*>(out), len);
}

std::string mac(EVP_MAC_CTX* ctx, std::string_view key, std::string_view data) {
    // A null key would make EVP_MAC_init keep the context's previous key
    // (the last caller's secret): an empty key is passed as a real pointer.
    static const unsigned char no_key = 0;
    const unsigned char* k = key.empty() ? &no_key : reinterpret_cast<const unsigned char*>(key.data());
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t len = 0;
    EVP_MAC_init(ctx, k, key.size(), nullptr);
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    EVP_MAC_final(ctx, out, &len, sizeof out);
    return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace

std::string sha256(std::string_view data) { return digest(algorithms().sha256, data); }
std::string sha1(std::string_view data) { return digest(algorithms().sha1, data); }
std::string hmac_sha256(std::string_view key, std::string_view data) {
    return mac(contexts().hmac_sha256, key, data);
}
std::string hmac_sha1(std::string_view key, std::string_view data) { return mac(contexts().hmac_sha1, key, data); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr);
}
Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Sha256::update(std::string_view data) {
    EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}
std::string Sha256::finish() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out, &len);
    return std::string(reinterpret_cast<char*>(out), len);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace onramp::crypto
