// BigCommerce webhook verification: the secret custom header set at
// registration, plus the Standard Webhooks signature keyed with the raw
// client secret when a delivery carries one (docs/platforms/bigcommerce.md).
#include <doctest/doctest.h>

#include "edge/platforms/bigcommerce/webhook.h"
#include "edge/webhooks/topics.h"
#include "edge/webhooks/webhook_test_support.h"

using namespace onramp::webhooks;
using namespace webhook_test;

namespace {

constexpr const char* kHeaderSecret = "r4nd0m-h3ader-secret";
constexpr const char* kClientSecret = "bc-client-secret-0123456789";
constexpr int64_t kTs = 1700000000;
constexpr const char* kBody =
    R"({"scope":"store/order/created","store_id":"1025646","data":{"type":"order","id":250},)"
    R"("hash":"dd70c0976e06b67aaf671e73f49dcb79230ebf9d","created_at":1561479335,"producer":"stores/abc123"})";

Delivery bc(std::string body, std::string header_secret) {
    return delivery(std::move(body), {{"content-type", "application/json"},
                                      {"x-onramp-webhook-secret", std::move(header_secret)}});
}

Delivery bc_signed(std::string body, std::string key, int64_t ts = kTs, std::string id = "wh_1") {
    auto d = bc(body, kHeaderSecret);
    std::string sig = hmac_sha256_b64(key, id + "." + std::to_string(ts) + "." + body);
    d.headers.emplace("webhook-id", id);
    d.headers.emplace("webhook-timestamp", std::to_string(ts));
    d.headers.emplace("webhook-signature", "v1," + sig);
    return d;
}

Secrets both() {
    Secrets s = secrets({kHeaderSecret});
    s.bigcommerce_client_secrets = {kClientSecret};
    return s;
}

}  // namespace

TEST_CASE("webhook bigcommerce: registered header secret verifies; hash and scope are read") {
    auto v = verify("bigcommerce", bc(kBody, kHeaderSecret), secrets({kHeaderSecret}), kTs);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "dd70c0976e06b67aaf671e73f49dcb79230ebf9d");
    CHECK(v.topic == "store/order/created");
}

TEST_CASE("webhook bigcommerce: wrong header secret is a mismatch") {
    for (const char* wrong : {"r4nd0m-h3ader-secreT", "r4nd0m-h3ader-secret ", "", "x"}) {
        CAPTURE(wrong);
        auto v = verify("bigcommerce", bc(kBody, wrong), secrets({kHeaderSecret}), kTs);
        CHECK(v.failure == Failure::mismatch);
    }
}

TEST_CASE("webhook bigcommerce: missing header secret is named, even when signed") {
    auto d = bc_signed(kBody, kClientSecret);
    d.headers.erase(std::string(kBigCommerceSecretHeader));
    auto v = verify("bigcommerce", d, both(), kTs);
    CHECK(v.failure == Failure::missing_header);
    CHECK(v.reason.find("X-Onramp-Webhook-Secret") != std::string::npos);
}

TEST_CASE("webhook bigcommerce: previous header secret verifies during rotation") {
    auto v = verify("bigcommerce", bc(kBody, kHeaderSecret),
                    secrets({"new-header-secret", kHeaderSecret}), kTs);
    CHECK_MESSAGE(v.valid, v.reason);
}

TEST_CASE("webhook bigcommerce: header name is case-insensitive") {
    auto d = delivery(kBody, {{"X-ONRAMP-WEBHOOK-SECRET", kHeaderSecret}});
    CHECK(verify("bigcommerce", d, secrets({kHeaderSecret}), kTs).valid);
}

TEST_CASE("webhook bigcommerce: Standard Webhooks signature with the raw client secret verifies") {
    auto v = verify("bigcommerce", bc_signed(kBody, kClientSecret), both(), kTs + 10);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "wh_1");
    CHECK(v.topic == "store/order/created");
}

TEST_CASE("webhook bigcommerce: a present signature must verify when a client secret is set") {
    // Tampered body: header secret fine, signature not.
    auto d = bc_signed(kBody, kClientSecret);
    d.body += " ";
    CHECK(verify("bigcommerce", d, both(), kTs).failure == Failure::mismatch);
    // Wrong client secret.
    CHECK(verify("bigcommerce", bc_signed(kBody, "other"), both(), kTs).failure ==
          Failure::mismatch);
    // Key confusion: treating the client secret as a base64 whsec_ key (what
    // the standardwebhooks library does with its argument) is not what
    // BigCommerce signs with.
    Secrets b64ish = secrets({kHeaderSecret});
    b64ish.bigcommerce_client_secrets = {"abcdEFGH1234abcdEFGH1234"};
    CHECK(verify("bigcommerce", bc_signed(kBody, unb64("abcdEFGH1234abcdEFGH1234")), b64ish,
                 kTs)
              .failure == Failure::mismatch);
    CHECK(verify("bigcommerce", bc_signed(kBody, "abcdEFGH1234abcdEFGH1234"), b64ish, kTs)
              .valid);
    // Replay outside the window.
    auto stale = verify("bigcommerce", bc_signed(kBody, kClientSecret), both(), kTs + 301);
    CHECK(stale.failure == Failure::timestamp);
    // Signature header present, id missing.
    auto partial = bc_signed(kBody, kClientSecret);
    partial.headers.erase("webhook-id");
    CHECK(verify("bigcommerce", partial, both(), kTs).failure == Failure::missing_header);
}

TEST_CASE("webhook bigcommerce: previous client secret verifies the signature during rotation") {
    Secrets s = both();
    s.bigcommerce_client_secrets = {"new-client-secret", kClientSecret};
    CHECK(verify("bigcommerce", bc_signed(kBody, kClientSecret), s, kTs).valid);
}

TEST_CASE("webhook bigcommerce: without a client secret the header secret decides") {
    auto v = verify("bigcommerce", bc_signed(kBody, "unknowable"), secrets({kHeaderSecret}),
                    kTs);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "dd70c0976e06b67aaf671e73f49dcb79230ebf9d");
}

TEST_CASE("webhook bigcommerce: no header secret configured rejects, client secret or not") {
    Secrets s;
    s.bigcommerce_client_secrets = {kClientSecret};
    CHECK(verify("bigcommerce", bc_signed(kBody, kClientSecret), s, kTs).failure ==
          Failure::no_secret);
}

// What a verified delivery asks the sync worker to do (topics.h).
TEST_CASE("BigCommerce scopes: products, variants (skus), inventory, orders, deletes") {
    Action a = classify("bigcommerce", "store/product/updated", R"({"data":{"type":"product","id":12}})");
    CHECK(a.kind == Action::refetch);
    CHECK(a.resource == onramp::connectors::Resource::products);
    CHECK(a.object_id == "12");
    a = classify("bigcommerce", "store/product/deleted", R"({"data":{"type":"product","id":12}})");
    CHECK(a.kind == Action::remove);
    CHECK(a.object_id == "12");
    a = classify("bigcommerce", "store/sku/updated", R"({"data":{"type":"sku","id":90,"sku":{"product_id":12}}})");
    CHECK(a.kind == Action::refetch);
    CHECK(a.object_id == "12");
    a = classify("bigcommerce", "store/sku/inventory/updated",
                 R"({"data":{"type":"sku","id":90,"inventory":{"product_id":"13","value":4}}})");
    CHECK(a.object_id == "13");
    a = classify("bigcommerce", "store/order/statusUpdated", R"({"data":{"type":"order","id":250}})");
    CHECK(a.kind == Action::refetch);
    CHECK(a.resource == onramp::connectors::Resource::orders);
    CHECK(a.object_id == "250");
}
