// The signers (edge/webhooks/sign.h and each platform's webhook.h) against
// the senders' published vectors, or against OpenSSL where no vendor vector
// exists. They are never used to produce inputs for the verifier tests.
#include "edge/webhooks/sign.h"

#include "edge/platforms/callrail/webhook.h"
#include "edge/platforms/chatwoot/webhook.h"
#include "edge/platforms/shopify/webhook.h"
#include "edge/platforms/twilio/webhook.h"
#include "edge/platforms/woocommerce/webhook.h"

#include <doctest/doctest.h>

#include "edge/webhooks/webhook_test_support.h"

using namespace onramp::webhooks;
using namespace webhook_test;

TEST_CASE("webhook sign: Shopify published vector") {
    CHECK(sign_shopify("test_secret_key", R"({"foo": "bar"})") ==
          "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=");
}

TEST_CASE("webhook sign: WooCommerce published vector and entity-decoded secret") {
    CHECK(sign_woocommerce("", "secret") == "GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=");
    CHECK(sign_woocommerce("a&amp;b", "{}") == hmac_sha256_b64("a&b", "{}"));
}

TEST_CASE("webhook sign: Stripe dotnet vector") {
    std::string fixture = R"({
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
    CHECK(sign_stripe("webhook_secret", 1533204620, fixture) ==
          "t=1533204620,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7");
}

TEST_CASE("webhook sign: Twilio SDK vectors") {
    std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    CHECK(sign_twilio("12345", url,
                      {{"To", "+18005551212"},
                       {"CallSid", "CA1234567890ABCDE"},
                       {"Caller", "+14158675309"},
                       {"Digits", "1234"},
                       {"From", "+14158675309"}}) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    CHECK(sign_twilio("12345", url,
                      {{"MessagingBinding.Address", "+1415xxxxxxx"},
                       {"MessagingBinding.Address", "+1325xxxxxxx"}}) ==
          "83O6e2vORAoJHUNzJjDWN1jz+BA=");
    std::string body = R"({"property": "value", "boolean": true})";
    std::string hashed = twilio_url_with_body_hash(url, body);
    CHECK(hashed ==
          url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620");
    CHECK(sign_twilio("12345", hashed) == "a9nBmqA0ju/hNViExpshrM61xv4=");
    CHECK(twilio_url_with_body_hash("https://mycompany.com/myapp.php", body) ==
          "https://mycompany.com/myapp.php?bodySHA256="
          "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620");
}

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

TEST_CASE("webhook sign: CallRail and Chatwoot match OpenSSL") {
    CHECK(sign_callrail("tok", "{}") == hmac_sha1_b64("tok", "{}"));
    CHECK(sign_callrail("tok", "{}", {"Signature", MacAlgorithm::sha256, SignatureEncoding::hex}) ==
          hmac_sha256_hex("tok", "{}"));
    CHECK(sign_chatwoot("cw", 1718000000, "{}") ==
          "sha256=" + hmac_sha256_hex("cw", "1718000000.{}"));
}

TEST_CASE("webhook sign: Twilio normalises the URL as twilio-node does before signing") {
    CHECK(twilio_normalize_url("https://example.com/path?test=param'WithQuote") ==
          "https://example.com/path?test=param%27WithQuote");
    CHECK(twilio_normalize_url("https://example.com/a b?x=\"y\"#frag'") == "https://example.com/a%20b?x=%22y%22#frag'");
    CHECK(twilio_normalize_url("https://example.com/path?test=param%27WithQuote") ==
          "https://example.com/path?test=param%27WithQuote");
    CHECK(sign_twilio("s3cr3t", "https://example.com/path?test=param'WithQuote") ==
          hmac_sha1_b64("s3cr3t", "https://example.com/path?test=param%27WithQuote"));
}
