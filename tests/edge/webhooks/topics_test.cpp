// Specification of classify(): which deliveries refetch, remove or are
// ignored, and which object id each names, per platform.
#include <doctest/doctest.h>

#include "edge/webhooks/topics.h"

using onramp::webhooks::Action;
using onramp::webhooks::classify;

TEST_SUITE("webhooks.topics") {

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
    CHECK(topic_from_body("stripe", R"({"type":"customer.updated"})", "application/json") == "customer.updated");
    CHECK(topic_from_body("no-such-scheme", R"({"type":"x"})", "application/json").empty());
}

}  // TEST_SUITE
