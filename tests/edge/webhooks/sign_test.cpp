// The signers of the schemes that are not platforms (edge/webhooks/sign.h)
// against the senders' published vectors; each platform's signer is tested
// in tests/edge/platforms/<id>_webhook_test.cpp. Signers never produce the
// inputs of the verifier tests.
#include "edge/webhooks/sign.h"

#include <doctest/doctest.h>

#include "edge/webhooks/webhook_test_support.h"

using namespace onramp::webhooks;
using namespace webhook_test;

TEST_CASE("webhook sign: Standard Webhooks published vectors") {
    CHECK(sign_standard_webhooks(
              "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
              R"({"test": 2432232314})") == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    CHECK(sign_standard_webhooks("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
                                 "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1649367553,
                                 R"({"email":"test@example.com","username":"test_user"})") ==
          "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=");
    CHECK_FALSE(sign_standard_webhooks("whsec_not*base64", "id", 1, "{}").has_value());
    CHECK(sign_standard_webhooks_raw("raw-client-secret", "wh_1", 1700000000, "{}") ==
          "v1," + hmac_sha256_b64("raw-client-secret", "wh_1.1700000000.{}"));
}

