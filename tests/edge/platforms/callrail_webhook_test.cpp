// CallRail webhook verification (scheme unconfirmed, so configurable):
// defaults header "Signature", HMAC-SHA1, base64 over the raw body.
#include <doctest/doctest.h>

#include "edge/webhooks/verify.h"
#include "edge/platforms/callrail/webhook.h"
#include "edge/webhooks/webhook_test_support.h"

using namespace onramp::webhooks;
using namespace webhook_test;

namespace {

constexpr const char* kToken = "company-signing-token";
constexpr const char* kBody =
    R"({"resource_id":"CAL8154748ae6bd4e278a7cddd38a662f4f","answered":true})";

Delivery callrail(std::string body, std::string header, std::string value) {
    return delivery(std::move(body), {{std::move(header), std::move(value)}});
}

}  // namespace

TEST_CASE("webhook callrail: default scheme verifies (Signature, HMAC-SHA1, base64)") {
    auto v = verify("callrail", callrail(kBody, "Signature", hmac_sha1_b64(kToken, kBody)),
                    secrets({kToken}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
}

TEST_CASE("webhook callrail: configured header, SHA-256 and hex verify") {
    Secrets s = secrets({kToken});
    s.callrail = {"X-CallRail-Signature", MacAlgorithm::sha256, SignatureEncoding::hex};
    auto d = callrail(kBody, "x-callrail-signature", hmac_sha256_hex(kToken, kBody));
    auto v = verify("callrail", d, s, 0);
    CHECK_MESSAGE(v.valid, v.reason);
    // The default header is then not consulted.
    CHECK(verify("callrail", callrail(kBody, "Signature", hmac_sha256_hex(kToken, kBody)),
                 s, 0)
              .failure == Failure::missing_header);
}

TEST_CASE("webhook callrail: tampered body and wrong token are mismatches") {
    std::string sig = hmac_sha1_b64(kToken, kBody);
    CHECK(verify("callrail", callrail(std::string(kBody) + "\n", "Signature", sig),
                 secrets({kToken}), 0)
              .failure == Failure::mismatch);
    CHECK(verify("callrail", callrail(kBody, "Signature", sig), secrets({"other"}), 0)
              .failure == Failure::mismatch);
}

TEST_CASE("webhook callrail: missing header, bad encoding, wrong algorithm length") {
    CHECK(
        verify("callrail", callrail(kBody, "X-Other", "x"), secrets({kToken}), 0).reason ==
        "missing header Signature");
    CHECK(verify("callrail", callrail(kBody, "Signature", "***"), secrets({kToken}), 0)
              .failure == Failure::bad_encoding);
    // A SHA-256 MAC where SHA-1 is configured: says so instead of "mismatch".
    auto v =
        verify("callrail", callrail(kBody, "Signature", hmac_sha256_b64(kToken, kBody)),
               secrets({kToken}), 0);
    CHECK(v.failure == Failure::bad_encoding);
    CHECK(v.reason.find("algorithm") != std::string::npos);
    Secrets hex = secrets({kToken});
    hex.callrail.encoding = SignatureEncoding::hex;
    CHECK(verify("callrail", callrail(kBody, "Signature", "zz"), hex, 0).failure ==
          Failure::bad_encoding);
}

TEST_CASE("webhook callrail: previous token verifies during rotation; header case-insensitive") {
    auto v = verify("callrail", callrail(kBody, "SIGNATURE", hmac_sha1_b64(kToken, kBody)),
                    secrets({"new-token", kToken}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(verify("callrail", callrail(kBody, "Signature", "x"), secrets({}), 0).failure ==
          Failure::no_secret);
}

// The signer, which the mock and the fuzzer use, against the same vectors.
TEST_CASE("webhook sign: CallRail matches OpenSSL") {
    CHECK(sign_callrail("tok", "{}") == hmac_sha1_b64("tok", "{}"));
    CHECK(sign_callrail("tok", "{}", {"Signature", MacAlgorithm::sha256, SignatureEncoding::hex}) ==
          hmac_sha256_hex("tok", "{}"));
}
