// Stripe's published webhook signature vector and a Stripe-Signature
// signer, shared by the tests that sign or verify a Stripe delivery (the
// verifier, the webhook endpoint, the webhook-verify command).
//
// The vector is stripe-dotnet's (src/StripeTests/Services/Events/
// EventUtilityTest.cs, fixture src/StripeTests/Resources/
// event_test_signature.json). The signer computes its HMAC with OpenSSL
// through webhook_test_support.h, never with edge/platforms/stripe/webhook.h,
// so a bug in the code under test cannot also hide in the expectation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "edge/webhooks/webhook_test_support.h"

namespace webhook_test {

namespace stripe_vector {

inline constexpr int64_t kTime = 1533204620;
inline constexpr const char* kSecret = "webhook_secret";
inline constexpr const char* kHeader =
    "t=1533204620,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7,"
    "v0=63f3a72374a733066c4be69ed7f8e5ac85c22c9f0a6a612ab9a025a9e4ee7eef";
// event_test_signature.json byte for byte (LF line ends, trailing newline).
inline constexpr const char* kBody = R"({
  "id": "evt_123",
  "object": "event",
  "account": "acct_123",
  "api_version": "2017-05-25",
  "created": 1533204620,
  "data": {
    "object": {
      "id": "cus_123",
      "object": "customer",
      "created": 123456789,
      "email": "test@stripe.com",
      "livemode": false,
      "metadata": {}
    }
  },
  "livemode": false,
  "pending_webhooks": 1,
  "request": {
    "id": "req_123",
    "idempotency_key": "idempotency-key-123"
  },
  "type": "customer.created"
}
)";

}  // namespace stripe_vector

// The Stripe-Signature value a sender with `key` puts on `body` at Unix
// time `t`: "t=<t>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>".
inline std::string stripe_signature(std::string_view key, int64_t t, std::string_view body) {
    return "t=" + std::to_string(t) + ",v1=" + hmac_sha256_hex(key, std::to_string(t) + "." + std::string(body));
}

}  // namespace webhook_test
