// Stripe webhook verification and signing: Stripe-Signature t=,v1= over "t.body".
// Vector from stripe-dotnet src/StripeTests/Services/Events/EventUtilityTest.cs
// (fixture src/StripeTests/Resources/event_test_signature.json); edge cases
// from that file and stripe-python tests/test_webhook.py.
#include <doctest/doctest.h>

#include "edge/platforms/stripe/webhook.h"
#include "edge/support/stripe_vector.h"
#include "edge/webhooks/verify.h"

using namespace onramp::webhooks;
using namespace webhook_test;
using namespace webhook_test::stripe_vector;

namespace {

Delivery stripe(std::string body, std::string header) {
    return delivery(std::move(body), {{"Stripe-Signature", std::move(header)}});
}

}  // namespace

TEST_CASE("webhook stripe: published vector verifies within tolerance") {
    auto v = verify("stripe", stripe(kBody, kHeader), secrets({kSecret}), kTime + 100);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "evt_123");
    CHECK(v.topic == "customer.created");
}

TEST_CASE("webhook stripe: outdated timestamp is rejected (dotnet RejectOutdatedTimestamp)") {
    auto v = verify("stripe", stripe(kBody, kHeader), secrets({kSecret}), kTime + 400);
    CHECK(v.failure == Failure::timestamp);
    CHECK(v.reason.find("timestamp outside tolerance") != std::string::npos);
    CHECK(v.reason.find("400 s in the past") != std::string::npos);
}

TEST_CASE("webhook stripe: tolerance boundary is 300 s inclusive, past only") {
    auto s = secrets({kSecret});
    CHECK(verify("stripe", stripe(kBody, kHeader), s, kTime + 300).valid);
    CHECK(verify("stripe", stripe(kBody, kHeader), s, kTime + 301).failure ==
          Failure::timestamp);
    // As in every Stripe SDK, a timestamp in the future is not rejected.
    CHECK(verify("stripe", stripe(kBody, kHeader), s, kTime - 100000).valid);
    s.tolerance_seconds = 10;
    CHECK(verify("stripe", stripe(kBody, kHeader), s, kTime + 15).failure ==
          Failure::timestamp);
}

TEST_CASE("webhook stripe: tampered body is a mismatch (dotnet RejectIncorrectSignature)") {
    auto v =
        verify("stripe", stripe(std::string(kBody) + "this_changes_the_json", kHeader),
               secrets({kSecret}), kTime);
    CHECK(v.failure == Failure::mismatch);
}

TEST_CASE("webhook stripe: wrong secret is a mismatch, checked before the age") {
    auto v =
        verify("stripe", stripe(kBody, kHeader), secrets({"wrong_secret"}), kTime + 9999);
    CHECK(v.failure == Failure::mismatch);
}

TEST_CASE("webhook stripe: missing header") {
    auto v = verify("stripe", delivery("{}", {}), secrets({kSecret}), kTime);
    CHECK(v.failure == Failure::missing_header);
    CHECK(v.reason == "missing header Stripe-Signature");
}

TEST_CASE("webhook stripe: malformed headers from the SDK tests are rejected") {
    for (const char* h :
         {"t=,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7",
          "t,v1=,v0=", "t,v1=,v0", "t,v1=,", "t,,", ",,", "t", "bad_header",
          "i'm not even a real signature header", "t=+1533204620,v1=00", "t=1533204620.5,v1=00"}) {
        CAPTURE(h);
        auto v = verify("stripe", stripe("{}", h), secrets({kSecret}), kTime);
        CHECK_FALSE(v.valid);
        CHECK(v.failure == Failure::malformed);
    }
}

TEST_CASE("webhook stripe: a malformed t= is quoted in the reason with its odd bytes escaped") {
    auto v = verify("stripe", stripe("{}", "t=15\xA4\"9\n,v1=00"), secrets({kSecret}), kTime);
    CHECK(v.failure == Failure::malformed);
    CHECK(v.reason == "Stripe-Signature t= is not a Unix timestamp: \"15\\xa4\\x22" "9\\x0a\"");

    v = verify("stripe", stripe("{}", "t=" + std::string(100, '7') + "x,v1=00"), secrets({kSecret}), kTime);
    CHECK(v.reason == "Stripe-Signature t= is not a Unix timestamp: \"" + std::string(64, '7') + "...\"");
}

TEST_CASE("webhook stripe: only v0 means no expected scheme") {
    std::string v0 = "t=" + std::to_string(kTime) + ",v0=" + hmac_sha256_hex(kSecret, "x");
    auto v = verify("stripe", stripe("{}", v0), secrets({kSecret}), kTime);
    CHECK(v.failure == Failure::malformed);
    CHECK(v.reason.find("no v1") != std::string::npos);
}

TEST_CASE("webhook stripe: non-hex v1 is bad encoding") {
    auto v = verify("stripe", stripe("{}", "t=1533204620,v1=bad_signature"),
                    secrets({kSecret}), kTime);
    CHECK(v.failure == Failure::bad_encoding);
}

TEST_CASE("webhook stripe: any matching v1 among several verifies") {
    std::string h = stripe_signature(kSecret, kTime, "{}") +
                    ",v1=deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    CHECK(verify("stripe", stripe("{}", h), secrets({kSecret}), kTime).valid);
    std::string first_bad =
        "t=1533204620,v1=bad_signature," + stripe_signature(kSecret, kTime, "{}").substr(13);
    CHECK(verify("stripe", stripe("{}", first_bad), secrets({kSecret}), kTime).valid);
}

TEST_CASE("webhook stripe: the whsec_ secret is used as-is, not base64-decoded") {
    std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    std::string body = R"({"id":"evt_1","type":"invoice.paid"})";
    auto good =
        verify("stripe", stripe(body, stripe_signature(secret, kTime, body)), secrets({secret}), kTime);
    CHECK_MESSAGE(good.valid, good.reason);
    CHECK(good.topic == "invoice.paid");
    // Key confusion with the Svix convention must fail closed.
    std::string decoded_key = unb64("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    auto confused = verify("stripe", stripe(body, stripe_signature(decoded_key, kTime, body)),
                           secrets({secret}), kTime);
    CHECK(confused.failure == Failure::mismatch);
}

TEST_CASE("webhook stripe: previous secret verifies during rotation") {
    auto v = verify("stripe", stripe(kBody, kHeader), secrets({"whsec_new", kSecret}),
                    kTime + 1);
    CHECK_MESSAGE(v.valid, v.reason);
}

TEST_CASE("webhook stripe: header name is case-insensitive") {
    auto d = delivery(kBody, {{"stripe-signature", kHeader}});
    CHECK(verify("stripe", d, secrets({kSecret}), kTime).valid);
}

TEST_CASE("webhook stripe: no secret configured rejects") {
    CHECK(verify("stripe", stripe(kBody, kHeader), secrets({}), kTime).failure ==
          Failure::no_secret);
}

TEST_CASE("webhook sign: Stripe dotnet vector") {
    CHECK(sign_stripe(kSecret, kTime, kBody) ==
          "t=1533204620,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7");
}
