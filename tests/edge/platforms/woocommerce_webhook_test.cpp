// WooCommerce webhook verification: X-WC-Webhook-Signature, the secret's
// wp_specialchars_decode(), and the unsigned creation ping
// (woocommerce includes/class-wc-webhook.php).
#include <doctest/doctest.h>

#include "edge/webhooks/verify.h"
#include "edge/platforms/woocommerce/webhook.h"
#include "edge/webhooks/topics.h"
#include "edge/webhooks/webhook_test_support.h"

using namespace onramp::webhooks;
using namespace webhook_test;

namespace {

constexpr const char* kSecret = "wc-secret-7Hq";
constexpr const char* kBody = R"({"id":720,"status":"processing","total":"29.35"})";

Delivery woo(std::string body, std::string signature) {
    return delivery(std::move(body), {{"Content-Type", "application/json"},
                                      {"X-WC-Webhook-Source", "https://shop.example/"},
                                      {"X-WC-Webhook-Topic", "order.updated"},
                                      {"X-WC-Webhook-Resource", "order"},
                                      {"X-WC-Webhook-Event", "updated"},
                                      {"X-WC-Webhook-Signature", std::move(signature)},
                                      {"X-WC-Webhook-ID", "12"},
                                      {"X-WC-Webhook-Delivery-ID", "9f1c0e"}});
}

}  // namespace

TEST_CASE("webhook woocommerce: valid signature yields delivery id and topic") {
    auto v = verify("woocommerce", woo(kBody, hmac_sha256_b64(kSecret, kBody)),
                    secrets({kSecret}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "9f1c0e");
    CHECK(v.topic == "order.updated");
    CHECK_FALSE(v.ping);
}

TEST_CASE("webhook woocommerce: tampered body and wrong secret are mismatches") {
    std::string sig = hmac_sha256_b64(kSecret, kBody);
    CHECK(verify("woocommerce", woo(std::string(kBody) + " ", sig), secrets({kSecret}), 0)
              .failure == Failure::mismatch);
    CHECK(verify("woocommerce", woo(kBody, sig), secrets({"other"}), 0).failure ==
          Failure::mismatch);
}

TEST_CASE("webhook woocommerce: missing signature header on a JSON delivery") {
    auto d = woo(kBody, "x");
    d.headers.erase("X-WC-Webhook-Signature");
    auto v = verify("woocommerce", d, secrets({kSecret}), 0);
    CHECK(v.failure == Failure::missing_header);
    CHECK(v.reason == "missing header X-WC-Webhook-Signature");
    CHECK_FALSE(v.ping);
}

TEST_CASE("webhook woocommerce: bad base64 is bad encoding") {
    auto v = verify("woocommerce", woo(kBody, "@@@@"), secrets({kSecret}), 0);
    CHECK(v.failure == Failure::bad_encoding);
}

TEST_CASE("webhook woocommerce: previous secret verifies during rotation") {
    auto v = verify("woocommerce", woo(kBody, hmac_sha256_b64(kSecret, kBody)),
                    secrets({"new-secret", kSecret}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
}

TEST_CASE("webhook woocommerce: header names are case-insensitive") {
    auto d = delivery(kBody, {{"x-wc-webhook-signature", hmac_sha256_b64(kSecret, kBody)},
                              {"x-wc-webhook-topic", "order.updated"}});
    auto v = verify("woocommerce", d, secrets({kSecret}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.topic == "order.updated");
}

TEST_CASE("webhook woocommerce: the secret is HTML-entity decoded as WordPress does") {
    // generate_signature() keys the HMAC with wp_specialchars_decode($secret, ENT_QUOTES).
    struct Case {
        const char* configured;
        const char* key;
    } cases[] = {
        {"a&amp;b", "a&b"},
        {"q&quot;x&#039;y", "q\"x'y"},
        {"&lt;&gt;", "<>"},
        {"&#x27;&#X27;&#0039;", "'''"},
        {"&#038;&#x26;", "&&"},
        {"&amp;lt;", "&lt;"},
        {"&copy;&#40;", "&copy;&#40;"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.configured);
        auto v = verify("woocommerce", woo(kBody, hmac_sha256_b64(c.key, kBody)),
                        secrets({c.configured}), 0);
        CHECK_MESSAGE(v.valid, v.reason);
    }
}

TEST_CASE("webhook woocommerce: an empty secret never verifies, even the published vector") {
    // WooCommerce's own test signs 'secret' with key '': the signature is real,
    // but an empty key is known to everyone.
    auto d = woo("secret", "GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=");
    CHECK(verify("woocommerce", d, secrets({""}), 0).failure == Failure::no_secret);
}

TEST_CASE("webhook woocommerce: creation ping is flagged, not valid, not a delivery") {
    auto d =
        delivery("webhook_id=42", {{"Content-Type", "application/x-www-form-urlencoded"},
                                   {"User-Agent", "WooCommerce/8.0 Hookshot (WordPress/6.4)"}});
    auto v = verify("woocommerce", d, secrets({kSecret}), 0);
    CHECK_FALSE(v.valid);
    CHECK(v.ping);
    CHECK(v.failure == Failure::ping);
    CHECK(v.reason.find("webhook_id=42") != std::string::npos);

    // Recognised before the secret check: a hook is pinged as soon as it is created.
    CHECK(verify("woocommerce", d, secrets({}), 0).ping);
    // Without any content type too.
    CHECK(verify("woocommerce", delivery("webhook_id=7", {}), secrets({kSecret}), 0).ping);
}

TEST_CASE("webhook woocommerce: near-pings are ordinary unsigned deliveries") {
    auto form = [](std::string body) {
        return delivery(std::move(body), {{"Content-Type", "application/x-www-form-urlencoded"}});
    };
    for (const char* body : {"webhook_id=42&x=1", "webhook_id=", "webhook_id=4a", "id=42"}) {
        CAPTURE(body);
        auto v = verify("woocommerce", form(body), secrets({kSecret}), 0);
        CHECK_FALSE(v.ping);
        CHECK(v.failure == Failure::missing_header);
    }
    auto json = delivery("webhook_id=42", {{"Content-Type", "application/json"}});
    CHECK_FALSE(verify("woocommerce", json, secrets({kSecret}), 0).ping);
    // A signed body that happens to look like a ping is verified, not waved through.
    auto signed_ping = form("webhook_id=42");
    signed_ping.headers.emplace("X-WC-Webhook-Signature",
                                hmac_sha256_b64("other", "webhook_id=42"));
    auto v = verify("woocommerce", signed_ping, secrets({kSecret}), 0);
    CHECK_FALSE(v.ping);
    CHECK(v.failure == Failure::mismatch);
}

// The signer, which the mock and the fuzzer use, against the same vectors.
TEST_CASE("webhook sign: WooCommerce published vector and entity-decoded secret") {
    CHECK(sign_woocommerce("", "secret") == "GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=");
    CHECK(sign_woocommerce("a&amp;b", "{}") == hmac_sha256_b64("a&b", "{}"));
}

// What a verified delivery asks the sync worker to do (topics.h).
TEST_CASE("WooCommerce topics: products and orders refetched, deletes removed") {
    CHECK(classify("woocommerce", "product.deleted", R"({"id":17})").kind == Action::remove);
    Action a = classify("woocommerce", "order.updated", R"({"id":"18"})");
    CHECK(a.kind == Action::refetch);
    CHECK(a.resource == onramp::connectors::Resource::orders);
    CHECK(a.object_id == "18");
}
