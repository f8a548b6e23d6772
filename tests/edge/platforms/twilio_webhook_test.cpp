// Twilio webhook verification: X-Twilio-Signature over URL + sorted params,
// or URL with bodySHA256 for JSON. Vectors (token "12345") from
// twilio-node spec/validation.spec.js and twilio-python
// tests/unit/test_request_validator.py.
#include <doctest/doctest.h>

#include "edge/webhooks/verify.h"
#include "edge/platforms/twilio/webhook.h"
#include "edge/webhooks/topics.h"
#include "edge/webhooks/webhook_test_support.h"

using namespace onramp::webhooks;
using namespace webhook_test;

namespace {

constexpr const char* kToken = "12345";
constexpr const char* kUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
// defaultParams of the SDK tests, form-encoded ('+' written as %2B).
constexpr const char* kForm =
    "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%"
    "2B18005551212";
constexpr const char* kSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
constexpr const char* kJson = R"({"property": "value", "boolean": true})";
constexpr const char* kJsonHash =
    "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

Delivery form(std::string url, std::string body, std::string signature) {
    return delivery(std::move(body),
                    {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"X-Twilio-Signature", std::move(signature)},
                     {"I-Twilio-Idempotency-Token", "c0ffee-1"}},
                    std::move(url));
}

Delivery json(std::string url, std::string body, std::string signature) {
    return delivery(
        std::move(body),
        {{"Content-Type", "application/json"}, {"X-Twilio-Signature", std::move(signature)}},
        std::move(url));
}

Verdict check(const Delivery& d) { return verify("twilio", d, secrets({kToken}), 0); }

}  // namespace

TEST_CASE("webhook twilio: SDK vector verifies a form POST") {
    auto v = check(form(kUrl, kForm, kSignature));
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "c0ffee-1");
}

TEST_CASE("webhook twilio: parameter order in the body does not matter") {
    std::string shuffled =
        "To=%2B18005551212&From=%2B14158675309&Digits=1234&Caller=%2B14158675309&CallSid="
        "CA1234567890ABCDE";
    CHECK(check(form(kUrl, shuffled, kSignature)).valid);
}

TEST_CASE("webhook twilio: URL port variants the SDKs try") {
    // https with a port: validated with the port stripped.
    CHECK(check(form("https://mycompany.com:1234/myapp.php?foo=1&bar=2", kForm, kSignature)).valid);
    // http with port 1234, signed with that port.
    CHECK(check(form("http://mycompany.com:1234/myapp.php?foo=1&bar=2", kForm,
                     "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="))
              .valid);
    // No port given, signed with the default port added.
    CHECK(check(form(kUrl, kForm, "kvajT1Ptam85bY51eRf/AJRuM3w=")).valid);
    CHECK(check(form("http://mycompany.com/myapp.php?foo=1&bar=2", kForm,
                     "0ZXoZLH/DfblKGATFgpif+LLRf4="))
              .valid);
}

TEST_CASE("webhook twilio: URLs with credentials keep them") {
    std::string creds = "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2";
    CHECK(check(form(creds, kForm, "CukzLTc1tT5dXEDIHm/tKBanW10=")).valid);
    CHECK(check(form(creds, kForm, "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=")).valid);  // with :443
    CHECK(check(form("https://user@mycompany.com/myapp.php?foo=1&bar=2", kForm,
                     "2YRLlVAflCqxaNicjMpJcSTgzSs="))
              .valid);
}

TEST_CASE("webhook twilio: special characters in the URL are signed as given") {
    std::string url = std::string(kUrl) + "&Body=It's+amazing";
    CHECK(check(form(url, kForm, "dsq4Ehbj6cs+KdTkpF5sSSplOWw=")).valid);
}

TEST_CASE("webhook twilio: repeated parameter names sign every value, sorted") {
    std::string both =
        "MessagingBinding.Address=%2B1325xxxxxxx&MessagingBinding.Address=%2B1415xxxxxxx";
    std::string reversed =
        "MessagingBinding.Address=%2B1415xxxxxxx&MessagingBinding.Address=%2B1325xxxxxxx";
    CHECK(check(form(kUrl, both, "83O6e2vORAoJHUNzJjDWN1jz+BA=")).valid);
    CHECK(check(form(kUrl, reversed, "83O6e2vORAoJHUNzJjDWN1jz+BA=")).valid);
    // twilio-python MultiDict case and twilio-node duplicate-value case share a signature.
    CHECK(check(form(kUrl, "Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234",
                     "IK+Dwps556ElfBT0I3Rgjkr1wJU="))
              .valid);
    CHECK(check(form(kUrl, "Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234",
                     "IK+Dwps556ElfBT0I3Rgjkr1wJU="))
              .valid);
}

TEST_CASE("webhook twilio: form values are percent- and plus-decoded before signing") {
    std::string url = "https://hooks.example/twilio/sms";
    std::string body = "From=%2B15551234567&Body=Hello+World%21+%E2%9C%93&Empty=&Bare";
    std::string signed_text =
        url + "Bare" + "BodyHello World! \xE2\x9C\x93" + "Empty" + "From+15551234567";
    CHECK(check(form(url, body, hmac_sha1_b64(kToken, signed_text))).valid);
}

TEST_CASE("webhook twilio: JSON body with bodySHA256 (SDK vectors)") {
    std::string url = std::string(kUrl) + "&bodySHA256=" + kJsonHash;
    auto v = check(json(url, kJson, "a9nBmqA0ju/hNViExpshrM61xv4="));
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(check(json("https://mycompany.com/myapp.php?bodySHA256=" + std::string(kJsonHash), kJson,
                     "y77kIzt2vzLz71DgmJGsen2scGs="))
              .valid);
    std::string empty_url =
        std::string(kUrl) +
        "&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    CHECK(check(json(empty_url, "{}", "Ldidvp12m26NI7eqEvxnEpkd9Hc=")).valid);
}

TEST_CASE("webhook twilio: JSON body that does not match bodySHA256 is a mismatch") {
    std::string url = std::string(kUrl) + "&bodySHA256=" + kJsonHash;
    auto v = check(
        json(url, R"({"property": "value", "boolean": false})", "a9nBmqA0ju/hNViExpshrM61xv4="));
    CHECK(v.failure == Failure::mismatch);
    CHECK(v.reason.find("bodySHA256") != std::string::npos);
}

TEST_CASE("webhook twilio: JSON body without bodySHA256 is rejected") {
    auto v = check(json(kUrl, kJson, kSignature));
    CHECK(v.failure == Failure::malformed);
}

TEST_CASE("webhook twilio: tampered parameter, URL or token is a mismatch") {
    std::string tampered = std::string(kForm).replace(std::string(kForm).find("1234&"), 4, "9999");
    CHECK(check(form(kUrl, tampered, kSignature)).failure == Failure::mismatch);
    CHECK(check(form(std::string(kUrl) + "&somethingUnexpected=true", kForm, kSignature)).failure ==
          Failure::mismatch);
    CHECK(verify("twilio", form(kUrl, kForm, kSignature), secrets({"54321"}), 0).failure ==
          Failure::mismatch);
}

TEST_CASE("webhook twilio: missing header, bad base64, missing URL") {
    auto d = form(kUrl, kForm, kSignature);
    d.headers.erase("X-Twilio-Signature");
    CHECK(check(d).failure == Failure::missing_header);
    CHECK(check(form(kUrl, kForm, "WRONG_SIGNATURE")).failure == Failure::bad_encoding);
    CHECK(check(form(kUrl, kForm, "%%%")).failure == Failure::bad_encoding);
    auto no_url = check(form("", kForm, kSignature));
    CHECK(no_url.failure == Failure::malformed);
    CHECK(no_url.reason.find("public URL") != std::string::npos);
    CHECK(check(form("/myapp.php?foo=1&bar=2", kForm, kSignature)).failure == Failure::malformed);
}

TEST_CASE("webhook twilio: secondary auth token verifies during rotation") {
    auto v =
        verify("twilio", form(kUrl, kForm, kSignature), secrets({"new-token", kToken}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
}

TEST_CASE("webhook twilio: header names are case-insensitive") {
    auto d = delivery(kForm,
                      {{"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
                       {"x-twilio-signature", kSignature}},
                      kUrl);
    CHECK(check(d).valid);
}

TEST_CASE("webhook twilio: GET requests sign the URL alone") {
    std::string url = "https://hooks.example/status?CallSid=CA1&CallStatus=completed";
    auto d = delivery("", {{"X-Twilio-Signature", hmac_sha1_b64(kToken, url)}}, url);
    d.method = "GET";
    CHECK(check(d).valid);
}

// twilio-node spec/unit/webhooks/webhooks.spec.js: with token "s3cr3t", a
// signature made for ".../path?test=param'WithQuote" validates at the same
// URL with the quote escaped, and the other way round, because twilio-node
// parses the URL (the quote becomes %27) before signing.
TEST_CASE("webhook twilio: a quote in the query signs as %27, as twilio-node's URL parser writes it") {
    const std::string quoted = "https://example.com/path?test=param'WithQuote";
    const std::string escaped = "https://example.com/path?test=param%27WithQuote";
    std::string node_signature = hmac_sha1_b64("s3cr3t", escaped);
    for (const std::string& url : {quoted, escaped}) {
        Delivery d = delivery("", {{"X-Twilio-Signature", node_signature}}, url);
        d.method = "GET";
        CAPTURE(url);
        CHECK(verify("twilio", d, secrets({"s3cr3t"}), 0).valid);
    }
    Delivery other = delivery("", {{"X-Twilio-Signature", node_signature}}, escaped + "2");
    other.method = "GET";
    CHECK(verify("twilio", other, secrets({"s3cr3t"}), 0).failure == Failure::mismatch);
}

// The signer, which the mock and the fuzzer use, against the same vectors.
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

TEST_CASE("webhook sign: Twilio normalises the URL as twilio-node does before signing") {
    CHECK(twilio_normalize_url("https://example.com/path?test=param'WithQuote") ==
          "https://example.com/path?test=param%27WithQuote");
    CHECK(twilio_normalize_url("https://example.com/a b?x=\"y\"#frag'") == "https://example.com/a%20b?x=%22y%22#frag'");
    CHECK(twilio_normalize_url("https://example.com/path?test=param%27WithQuote") ==
          "https://example.com/path?test=param%27WithQuote");
    CHECK(sign_twilio("s3cr3t", "https://example.com/path?test=param'WithQuote") ==
          hmac_sha1_b64("s3cr3t", "https://example.com/path?test=param%27WithQuote"));
}

// What a verified delivery asks the sync worker to do (topics.h).
TEST_CASE("Twilio's topic is the form's CallStatus as call.<status>") {
    using onramp::webhooks::topic_from_body;
    CHECK(topic_from_body("twilio", "CallSid=CA1&CallStatus=ringing", "application/x-www-form-urlencoded") ==
          "call.ringing");
    // A status that is not a token is no topic: it would be stored and listed as JSON.
    CHECK(topic_from_body("twilio", "CallSid=CA1&CallStatus=ring%A4ing", "application/x-www-form-urlencoded") ==
          "twilio");
}
