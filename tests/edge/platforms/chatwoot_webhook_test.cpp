// Chatwoot webhook verification: X-Chatwoot-Signature: sha256=<hex> over
// "{X-Chatwoot-Timestamp}.{body}", ±300 s.
#include <doctest/doctest.h>

#include "edge/webhooks/verify.h"
#include "edge/platforms/chatwoot/webhook.h"
#include "edge/webhooks/topics.h"
#include "edge/webhooks/webhook_test_support.h"

using namespace onramp::webhooks;
using namespace webhook_test;

namespace {

constexpr const char* kSecret = "cw-webhook-secret";
constexpr int64_t kTs = 1718000000;
constexpr const char* kBody = R"({"event":"message_created","id":42,"content":"hi"})";

Delivery chatwoot(std::string body, std::string signature, std::string ts = std::to_string(kTs)) {
    return delivery(std::move(body), {{"X-Chatwoot-Signature", std::move(signature)},
                                      {"X-Chatwoot-Timestamp", std::move(ts)},
                                      {"X-Chatwoot-Delivery", "5d0c-uuid"}});
}

std::string sig(std::string_view key, int64_t ts, std::string_view body) {
    return "sha256=" + hmac_sha256_hex(key, std::to_string(ts) + "." + std::string(body));
}

}  // namespace

TEST_CASE("webhook chatwoot: valid signature yields delivery id and event") {
    auto v = verify("chatwoot", chatwoot(kBody, sig(kSecret, kTs, kBody)),
                    secrets({kSecret}), kTs + 5);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "5d0c-uuid");
    CHECK(v.topic == "message_created");
}

TEST_CASE("webhook chatwoot: tampered body, timestamp or secret is a mismatch") {
    std::string s = sig(kSecret, kTs, kBody);
    CHECK(verify("chatwoot", chatwoot(std::string(kBody) + " ", s), secrets({kSecret}), kTs)
              .failure == Failure::mismatch);
    CHECK(verify("chatwoot", chatwoot(kBody, s, std::to_string(kTs + 1)),
                 secrets({kSecret}), kTs)
              .failure == Failure::mismatch);
    CHECK(verify("chatwoot", chatwoot(kBody, s), secrets({"other"}), kTs).failure ==
          Failure::mismatch);
}

TEST_CASE("webhook chatwoot: outside 300 s either way is rejected") {
    std::string s = sig(kSecret, kTs, kBody);
    auto sec = secrets({kSecret});
    CHECK(verify("chatwoot", chatwoot(kBody, s), sec, kTs + 300).valid);
    CHECK(verify("chatwoot", chatwoot(kBody, s), sec, kTs - 300).valid);
    CHECK(verify("chatwoot", chatwoot(kBody, s), sec, kTs + 301).failure ==
          Failure::timestamp);
    CHECK(verify("chatwoot", chatwoot(kBody, s), sec, kTs - 301).failure ==
          Failure::timestamp);
}

TEST_CASE("webhook chatwoot: missing headers, prefix and encoding") {
    auto no_sig = chatwoot(kBody, "x");
    no_sig.headers.erase("X-Chatwoot-Signature");
    CHECK(verify("chatwoot", no_sig, secrets({kSecret}), kTs).reason ==
          "missing header X-Chatwoot-Signature");
    auto no_ts = chatwoot(kBody, sig(kSecret, kTs, kBody));
    no_ts.headers.erase("X-Chatwoot-Timestamp");
    CHECK(verify("chatwoot", no_ts, secrets({kSecret}), kTs).reason ==
          "missing header X-Chatwoot-Timestamp");
    std::string bare = sig(kSecret, kTs, kBody).substr(7);
    CHECK(verify("chatwoot", chatwoot(kBody, bare), secrets({kSecret}), kTs).failure ==
          Failure::malformed);
    CHECK(verify("chatwoot", chatwoot(kBody, "sha256=xyz"), secrets({kSecret}), kTs)
              .failure == Failure::bad_encoding);
    CHECK(verify("chatwoot", chatwoot(kBody, sig(kSecret, kTs, kBody), "17e8"),
                 secrets({kSecret}), kTs)
              .failure == Failure::malformed);
}

TEST_CASE("webhook chatwoot: previous secret verifies during rotation; names case-insensitive") {
    auto d = delivery(kBody, {{"x-chatwoot-signature", sig(kSecret, kTs, kBody)},
                              {"x-chatwoot-timestamp", std::to_string(kTs)}});
    auto v = verify("chatwoot", d, secrets({"new", kSecret}), kTs);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(verify("chatwoot", d, secrets({}), kTs).failure == Failure::no_secret);
}

// The signer, which the mock and the fuzzer use, against the same vectors.
TEST_CASE("webhook sign: Chatwoot matches OpenSSL") {
    CHECK(sign_chatwoot("cw", 1718000000, "{}") ==
          "sha256=" + hmac_sha256_hex("cw", "1718000000.{}"));
}

// What a verified delivery asks the sync worker to do (topics.h).
TEST_CASE("Chatwoot's topic is the body's event, and contact events refetch the contact") {
    CHECK(topic_from_body("chatwoot", R"({"event":"contact_created"})", "application/json") == "contact_created");
    Action a = classify("chatwoot", "contact_updated", R"({"id":42})");
    CHECK(a.kind == Action::refetch);
    CHECK(a.resource == onramp::connectors::Resource::contacts);
    CHECK(a.object_id == "42");
    CHECK(classify("chatwoot", "conversation_created", R"({"id":42})").kind == Action::ignore);
}
