// Helpers for the webhook verifier tests. Expected signatures are computed
// here with OpenSSL directly — not with edge/crypto and never with
// edge/webhooks/sign.h — so a bug in the code under test cannot also hide in
// the expectation.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "edge/webhooks/verify.h"

namespace webhook_test {

inline std::string mac(const EVP_MD* md, std::string_view key, std::string_view msg) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(md, key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
         msg.size(), out, &len);
    return std::string(reinterpret_cast<char*>(out), len);
}

inline std::string b64(std::string_view raw) {
    std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(raw.data()), int(raw.size()));
    out.resize(size_t(n));
    return out;
}

inline std::string unb64(std::string_view text) {
    std::string out(3 * (text.size() / 4) + 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
    size_t pad = 0;
    while (pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
    out.resize(size_t(n) - pad);
    return out;
}

inline std::string hex(std::string_view raw) {
    std::string out;
    char buf[3];
    for (unsigned char c : raw) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        out += buf;
    }
    return out;
}

inline std::string hmac_sha256_b64(std::string_view key, std::string_view msg) {
    return b64(mac(EVP_sha256(), key, msg));
}
inline std::string hmac_sha256_hex(std::string_view key, std::string_view msg) {
    return hex(mac(EVP_sha256(), key, msg));
}
inline std::string hmac_sha1_b64(std::string_view key, std::string_view msg) {
    return b64(mac(EVP_sha1(), key, msg));
}

inline onramp::webhooks::Delivery delivery(
    std::string body, std::initializer_list<std::pair<std::string, std::string>> headers,
    std::string url = {}) {
    onramp::webhooks::Delivery d;
    d.body = std::move(body);
    d.url = std::move(url);
    for (const auto& h : headers) d.headers.emplace(h.first, h.second);
    return d;
}

inline onramp::webhooks::Secrets secrets(std::initializer_list<std::string> keys) {
    onramp::webhooks::Secrets s;
    s.keys = keys;
    return s;
}

}  // namespace webhook_test
