// Svix / Clerk ("clerk") and Standard Webhooks ("standard") verification.
// Vectors from svix/svix-webhooks (rust/src/webhooks.rs test_sign); edge
// cases from the Rust and Python test suites.
#include <doctest/doctest.h>

#include "edge/webhooks/verify.h"
#include "edge/webhooks/webhook_test_support.h"

using namespace onramp::webhooks;
using namespace webhook_test;

namespace {

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kTs = 1614265330;
constexpr const char* kBody = R"({"test": 2432232314})";
constexpr const char* kSig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

Delivery svix(std::string body, std::string sig, std::string id = kId,
              std::string ts = std::to_string(kTs)) {
    return delivery(std::move(body), {{"svix-id", std::move(id)},
                                      {"svix-timestamp", std::move(ts)},
                                      {"svix-signature", std::move(sig)}});
}

Delivery unbranded(std::string body, std::string sig, std::string id = kId,
                   std::string ts = std::to_string(kTs)) {
    return delivery(std::move(body), {{"webhook-id", std::move(id)},
                                      {"webhook-timestamp", std::move(ts)},
                                      {"webhook-signature", std::move(sig)}});
}

// Expected "v1,..." computed here with the key base64-decoded independently.
std::string v1(std::string_view whsec, std::string_view id, int64_t ts, std::string_view body) {
    std::string key = unb64(whsec.substr(6));
    return "v1," + hmac_sha256_b64(
                       key, std::string(id) + "." + std::to_string(ts) + "." + std::string(body));
}

}  // namespace

TEST_CASE("webhook clerk: published Svix vector verifies") {
    auto v = verify("clerk", svix(kBody, kSig), secrets({kSecret}), kTs);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == kId);
}

TEST_CASE("webhook standard: published vector verifies under webhook-* names") {
    auto v = verify("standard", unbranded(kBody, kSig), secrets({kSecret}), kTs);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == kId);
}

TEST_CASE("webhook clerk/standard: either header family is accepted, as the libraries do") {
    CHECK(verify("clerk", unbranded(kBody, kSig), secrets({kSecret}), kTs).valid);
    CHECK(verify("standard", svix(kBody, kSig), secrets({kSecret}), kTs).valid);
}

TEST_CASE("webhook clerk: Rust test_sign vector verifies") {
    std::string body = R"({"email":"test@example.com","username":"test_user"})";
    auto d = svix(body, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
                  "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", "1649367553");
    auto v =
        verify("clerk", d, secrets({"whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"}), 1649367553);
    CHECK_MESSAGE(v.valid, v.reason);
}

TEST_CASE("webhook clerk: event type becomes the topic") {
    std::string body = R"({"data":{"id":"user_1"},"object":"event","type":"user.created"})";
    auto v = verify("clerk", svix(body, v1(kSecret, "msg_1", kTs, body), "msg_1"),
                    secrets({kSecret}), kTs);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.topic == "user.created");
}

TEST_CASE("webhook clerk: any v1 among several space-separated entries verifies") {
    std::string multi = std::string("v1,tFtCZ5RDCPxzWQRWXWPgrCgE2frDBe9gjpbWQxnVfsQ= ") +
                        "v1,Mm7xgUVICxZfQ3bgf0h0Dof65L/IFx+PnZvnDWPCX6Q= " + kSig +
                        " v1,9DfC1c3eeOrXB6w/5dIDydLNQaEyww5KalE5jLBZucE=";
    CHECK(verify("clerk", svix(kBody, multi), secrets({kSecret}), kTs).valid);
    std::string none =
        "v1,tFtCZ5RDCPxzWQRWXWPgrCgE2frDBe9gjpbWQxnVfsQ= "
        "v1,9DfC1c3eeOrXB6w/5dIDydLNQaEyww5KalE5jLBZucE=";
    CHECK(verify("clerk", svix(kBody, none), secrets({kSecret}), kTs).failure ==
          Failure::mismatch);
}

TEST_CASE("webhook clerk: partial and non-v1 signatures do not verify") {
    auto s = secrets({kSecret});
    CHECK(verify("clerk", svix(kBody, "v1,"), s, kTs).failure == Failure::bad_encoding);
    CHECK(verify("clerk", svix(kBody, "v1,g0hM9SsE"), s, kTs).failure ==
          Failure::bad_encoding);
    CHECK(verify("clerk", svix(kBody, "v1,!!!!"), s, kTs).failure == Failure::bad_encoding);
    // The right MAC under another version label is not accepted.
    CHECK(
        verify("clerk", svix(kBody, "v2" + std::string(kSig).substr(2)), s, kTs).failure ==
        Failure::malformed);
    CHECK(verify("clerk", svix(kBody, std::string(kSig).substr(3)), s, kTs).failure ==
          Failure::malformed);
}

TEST_CASE("webhook clerk: timestamps beyond 300 s in the past or future are rejected") {
    auto s = secrets({kSecret});
    CHECK(verify("clerk", svix(kBody, kSig), s, kTs + 300).valid);
    CHECK(verify("clerk", svix(kBody, kSig), s, kTs - 300).valid);
    auto old = verify("clerk", svix(kBody, kSig), s, kTs + 301);
    CHECK(old.failure == Failure::timestamp);
    CHECK(old.reason.find("301 s in the past") != std::string::npos);
    auto future = verify("clerk", svix(kBody, kSig), s, kTs - 301);
    CHECK(future.failure == Failure::timestamp);
    CHECK(future.reason.find("301 s in the future") != std::string::npos);
}

TEST_CASE("webhook clerk: a timestamp changed after signing is a mismatch") {
    auto d = svix(kBody, kSig, kId, std::to_string(kTs + 1));
    CHECK(verify("clerk", d, secrets({kSecret}), kTs).failure == Failure::mismatch);
}

TEST_CASE("webhook clerk: non-integer timestamps are rejected") {
    for (const char* ts : {"1614265330.0", "abc", "-1", " 1614265330", "+1614265330", ""}) {
        CAPTURE(ts);
        auto v = verify("clerk", svix(kBody, kSig, kId, ts), secrets({kSecret}), kTs);
        CHECK(v.failure == Failure::malformed);
    }
}

TEST_CASE("webhook clerk: tampered body, id or secret is a mismatch") {
    auto s = secrets({kSecret});
    CHECK(verify("clerk", svix(R"({"test": 2432232315})", kSig), s, kTs).failure ==
          Failure::mismatch);
    CHECK(verify("clerk", svix(kBody, kSig, "msg_other"), s, kTs).failure ==
          Failure::mismatch);
    CHECK(verify("clerk", svix(kBody, kSig),
                 secrets({"whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"}), kTs)
              .failure == Failure::mismatch);
}

TEST_CASE("webhook clerk: the whsec_ prefix is optional") {
    CHECK(verify("clerk", svix(kBody, kSig), secrets({"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}),
                 kTs)
              .valid);
}

TEST_CASE("webhook clerk: a secret that is not base64 is a configuration error") {
    auto v = verify("clerk", svix(kBody, kSig), secrets({"whsec_not*base64"}), kTs);
    CHECK(v.failure == Failure::bad_secret);
    CHECK(verify("clerk", svix(kBody, kSig), secrets({}), kTs).failure ==
          Failure::no_secret);
}

TEST_CASE("webhook clerk: each missing header is named") {
    for (const char* name : {"svix-id", "svix-timestamp", "svix-signature"}) {
        CAPTURE(name);
        auto d = svix(kBody, kSig);
        d.headers.erase(name);
        auto v = verify("clerk", d, secrets({kSecret}), kTs);
        CHECK(v.failure == Failure::missing_header);
        CHECK(v.reason == std::string("missing header ") + name);
    }
    auto v = verify("standard", delivery(kBody, {}), secrets({kSecret}), kTs);
    CHECK(v.reason == "missing header webhook-id");
}

TEST_CASE("webhook clerk: previous secret verifies during rotation") {
    auto v = verify("clerk", svix(kBody, kSig),
                    secrets({"whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", kSecret}), kTs);
    CHECK_MESSAGE(v.valid, v.reason);
}

TEST_CASE("webhook clerk: header names are case-insensitive") {
    auto d = delivery(
        kBody,
        {{"Svix-Id", kId}, {"SVIX-TIMESTAMP", std::to_string(kTs)}, {"Svix-Signature", kSig}});
    CHECK(verify("clerk", d, secrets({kSecret}), kTs).valid);
}
