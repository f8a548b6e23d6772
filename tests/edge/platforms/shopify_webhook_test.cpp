// Shopify webhook verification: X-Shopify-Hmac-Sha256 over the raw body.
// Vector from Shopify/shopify-api-js lib/webhooks/__tests__/validate.test.ts.
#include <doctest/doctest.h>

#include "edge/webhooks/scheme.h"
#include "edge/platforms/shopify/webhook.h"
#include "edge/webhooks/topics.h"
#include "edge/webhooks/webhook_test_support.h"

using namespace onramp::webhooks;
using namespace webhook_test;

namespace {

constexpr const char* kSecret = "test_secret_key";
constexpr const char* kBody = R"({"foo": "bar"})";
constexpr const char* kHmac = "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=";

Delivery shopify(std::string body, std::string hmac) {
    return delivery(std::move(body), {{"X-Shopify-Hmac-Sha256", std::move(hmac)},
                                      {"X-Shopify-Topic", "products/create"},
                                      {"X-Shopify-Shop-Domain", "shop1.myshopify.io"},
                                      {"X-Shopify-API-Version", "2024-04"},
                                      {"X-Shopify-Webhook-Id", "b1234-eefgh"}});
}

}  // namespace

TEST_CASE("webhook shopify: published vector verifies and yields id and topic") {
    auto v = verify("shopify", shopify(kBody, kHmac), secrets({kSecret}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.failure == Failure::none);
    CHECK(v.delivery_id == "b1234-eefgh");
    CHECK(v.topic == "products/create");
}

TEST_CASE("webhook shopify: an id or topic that is not a visible-ASCII token is dropped, the delivery still valid") {
    // Neither header is covered by the HMAC, so whoever replays a captured
    // delivery chooses them; the verdict's id and topic are stored and
    // listed as JSON, which bytes that are not UTF-8 would break.
    auto d = shopify(kBody, kHmac);
    d.headers.erase("X-Shopify-Webhook-Id");
    d.headers.emplace("X-Shopify-Webhook-Id", "b1234-\xA4");
    d.headers.erase("X-Shopify-Topic");
    d.headers.emplace("X-Shopify-Topic", "products create");
    auto v = verify("shopify", d, secrets({kSecret}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "");
    CHECK(v.topic == "");

    d.headers.erase("X-Shopify-Webhook-Id");
    d.headers.emplace("X-Shopify-Webhook-Id", std::string(201, 'a'));
    CHECK(verify("shopify", d, secrets({kSecret}), 0).delivery_id == "");
}

TEST_CASE("webhook shopify: independently computed HMAC verifies by platform name") {
    std::string body = R"({"id":1,"title":"Hat"})";
    auto v = verify("shopify", shopify(body, hmac_sha256_b64("shpss_abc", body)),
                    secrets({"shpss_abc"}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
}

TEST_CASE("webhook shopify: tampered body is a mismatch") {
    auto v = verify("shopify", shopify(R"({"foo": "baz"})", kHmac), secrets({kSecret}), 0);
    CHECK_FALSE(v.valid);
    CHECK(v.failure == Failure::mismatch);
    CHECK(v.reason.find("signature mismatch") != std::string::npos);
}

TEST_CASE("webhook shopify: wrong secret is a mismatch") {
    auto v = verify("shopify", shopify(kBody, kHmac), secrets({"other_secret"}), 0);
    CHECK(v.failure == Failure::mismatch);
}

TEST_CASE("webhook shopify: missing HMAC header is named") {
    auto d = shopify(kBody, kHmac);
    d.headers.erase("X-Shopify-Hmac-Sha256");
    auto v = verify("shopify", d, secrets({kSecret}), 0);
    CHECK(v.failure == Failure::missing_header);
    CHECK(v.reason == "missing header X-Shopify-Hmac-Sha256");
}

TEST_CASE("webhook shopify: the SDK's other required headers are required") {
    auto d = shopify(kBody, kHmac);
    d.headers.erase("X-Shopify-Topic");
    d.headers.erase("X-Shopify-Webhook-Id");
    auto v = verify("shopify", d, secrets({kSecret}), 0);
    CHECK(v.failure == Failure::missing_header);
    CHECK(v.reason.find("X-Shopify-Topic, X-Shopify-Webhook-Id") != std::string::npos);
}

TEST_CASE("webhook shopify: bad base64 and wrong MAC length are bad encoding") {
    auto v = verify("shopify", shopify(kBody, "not*base64!"), secrets({kSecret}), 0);
    CHECK(v.failure == Failure::bad_encoding);
    CHECK(v.reason.find("bad base64 in X-Shopify-Hmac-Sha256") != std::string::npos);

    auto shortmac =
        verify("shopify", shopify(kBody, b64("0123456789abcdef")), secrets({kSecret}), 0);
    CHECK(shortmac.failure == Failure::bad_encoding);
}

TEST_CASE("webhook shopify: empty body is rejected as the SDK does") {
    auto v =
        verify("shopify", shopify("", hmac_sha256_b64(kSecret, "")), secrets({kSecret}), 0);
    CHECK(v.failure == Failure::malformed);
}

TEST_CASE("webhook shopify: previous secret still verifies during rotation") {
    auto v = verify("shopify", shopify(kBody, kHmac), secrets({"new_secret", kSecret}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
}

TEST_CASE("webhook shopify: header names are case-insensitive") {
    auto d = delivery(kBody, {{"x-shopify-hmac-sha256", kHmac},
                              {"x-shopify-topic", "products/create"},
                              {"X-SHOPIFY-SHOP-DOMAIN", "shop1.myshopify.io"},
                              {"x-shopify-api-version", "2024-04"},
                              {"x-shopify-webhook-id", "b1234-eefgh"}});
    auto v = verify("shopify", d, secrets({kSecret}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.topic == "products/create");
}

TEST_CASE("webhook shopify: no secret configured rejects, even an empty string") {
    CHECK(verify("shopify", shopify(kBody, kHmac), secrets({}), 0).failure ==
          Failure::no_secret);
    auto v = verify("shopify", shopify("x", hmac_sha256_b64("", "x")), secrets({""}), 0);
    CHECK(v.failure == Failure::no_secret);
    CHECK(v.reason.find("never skipped") != std::string::npos);
}

TEST_CASE("webhook shopify: a repeated signature header is rejected") {
    auto d = shopify(kBody, kHmac);
    d.headers.emplace("X-Shopify-Hmac-Sha256", kHmac);
    CHECK(verify("shopify", d, secrets({kSecret}), 0).failure == Failure::malformed);
}

TEST_CASE("webhook: unknown scheme name is its own failure") {
    auto v = verify("amazon", shopify(kBody, kHmac), secrets({kSecret}), 0);
    CHECK_FALSE(v.valid);
    CHECK(v.failure == Failure::unknown_scheme);
    CHECK(v.reason.find("amazon") != std::string::npos);
}

TEST_CASE("webhook: every scheme is found by its name, and names are case-sensitive") {
    for (const Scheme* s : schemes()) CHECK(find_scheme(s->name) == s);
    CHECK(find_scheme("Shopify") == nullptr);
}

// The signer, which the mock and the fuzzer use, against the same vectors.
TEST_CASE("webhook sign: Shopify published vector") {
    CHECK(sign_shopify("test_secret_key", R"({"foo": "bar"})") ==
          "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=");
}

// What a verified delivery asks the sync worker to do (topics.h).
TEST_CASE("Shopify topics: products and orders refetched, deletes removed") {
    Action a = classify("shopify", "products/update", R"({"id":7000000001})");
    CHECK(a.kind == Action::refetch);
    CHECK(a.object_id == "7000000001");
    CHECK(classify("shopify", "products/delete", R"({"id":7})").kind == Action::remove);
    CHECK(classify("shopify", "orders/paid", R"({"id":7})").resource == onramp::connectors::Resource::orders);
}
