// Specification of classify(): which deliveries refetch, remove or are
// ignored, and which object id each names, per platform.
#include <doctest/doctest.h>

#include "edge/webhooks/topics.h"

using onramp::connectors::Resource;
using onramp::webhooks::Action;
using onramp::webhooks::classify;

TEST_SUITE("webhooks.topics") {

TEST_CASE("BigCommerce scopes: products, variants (skus), inventory, orders, deletes") {
    Action a = classify("bigcommerce", "store/product/updated", R"({"data":{"type":"product","id":12}})");
    CHECK(a.kind == Action::refetch);
    CHECK(a.resource == Resource::products);
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
    CHECK(a.resource == Resource::orders);
    CHECK(a.object_id == "250");
}

TEST_CASE("Shopify and WooCommerce topics") {
    Action a = classify("shopify", "products/update", R"({"id":7000000001})");
    CHECK(a.kind == Action::refetch);
    CHECK(a.object_id == "7000000001");
    CHECK(classify("shopify", "products/delete", R"({"id":7})").kind == Action::remove);
    CHECK(classify("shopify", "orders/paid", R"({"id":7})").resource == Resource::orders);
    CHECK(classify("woocommerce", "product.deleted", R"({"id":17})").kind == Action::remove);
    a = classify("woocommerce", "order.updated", R"({"id":"18"})");
    CHECK(a.kind == Action::refetch);
    CHECK(a.resource == Resource::orders);
    CHECK(a.object_id == "18");
}

TEST_CASE("unknown topics, missing ids and unreadable bodies are ignored with a reason") {
    Action a = classify("shopify", "app/uninstalled", R"({"id":1})");
    CHECK(a.kind == Action::ignore);
    CHECK(a.why.find("app/uninstalled") != std::string::npos);
    CHECK(classify("shopify", "products/update", R"({"title":"no id"})").kind == Action::ignore);
    CHECK(classify("bigcommerce", "store/product/updated", "not json").kind == Action::ignore);
    CHECK(classify("shopify", "products/update", R"({"id":{"nested":1}})").kind == Action::ignore);
    CHECK(classify("stripe", "customer.updated", R"({"id":"evt_1"})").kind == Action::ignore);
    CHECK(classify("amazon_sp_api", "", "{}").kind == Action::ignore);
}

TEST_CASE("topics from the body where no header carries one") {
    using onramp::webhooks::topic_from_body;
    CHECK(topic_from_body("clerk", R"({"type":"user.created"})", "application/json") == "user.created");
    CHECK(topic_from_body("chatwoot", R"({"event":"contact_created"})", "application/json") == "contact_created");
    CHECK(topic_from_body("twilio", "CallSid=CA1&CallStatus=ringing", "application/x-www-form-urlencoded") ==
          "call.ringing");
    // A status that is not a token is no topic: it would be stored and listed as JSON.
    CHECK(topic_from_body("twilio", "CallSid=CA1&CallStatus=ring%A4ing", "application/x-www-form-urlencoded") ==
          "twilio");
}

}  // TEST_SUITE
