#include "edge/webhooks/topics.h"

#include <nlohmann/json.hpp>

#include "edge/webhooks/internal.h"
#include "shared/json.h"

namespace onramp::webhooks {

namespace {

using connectors::Resource;
using nlohmann::json;

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A JSON id (string or integer) as text; "" otherwise.
std::string id_text(const json& j) {
    if (j.is_string()) return j.get<std::string>();
    if (j.is_number_integer()) return j.dump();
    return {};
}

std::string id_at(const json& doc, std::initializer_list<const char*> path) {
    const json* at = &doc;
    for (const char* key : path) {
        if (!at->is_object()) return {};
        auto it = at->find(key);
        if (it == at->end()) return {};
        at = &*it;
    }
    return id_text(*at);
}

Action ignored(std::string why) {
    Action a;
    a.why = std::move(why);
    return a;
}

Action act(Action::Kind kind, Resource resource, std::string id, const std::string& topic) {
    if (id.empty()) return ignored("topic " + topic + " carries no object id");
    Action a;
    a.kind = kind;
    a.resource = resource;
    a.object_id = std::move(id);
    return a;
}

Action bigcommerce(const std::string& topic, const json& doc) {
    if (topic == "store/product/deleted") return act(Action::remove, Resource::products, id_at(doc, {"data", "id"}), topic);
    if (starts_with(topic, "store/product/")) {
        std::string id = id_at(doc, {"data", "inventory", "product_id"});
        if (id.empty()) id = id_at(doc, {"data", "id"});
        return act(Action::refetch, Resource::products, id, topic);
    }
    if (starts_with(topic, "store/sku/")) {
        std::string id = id_at(doc, {"data", "sku", "product_id"});
        if (id.empty()) id = id_at(doc, {"data", "inventory", "product_id"});
        return act(Action::refetch, Resource::products, id, topic);
    }
    if (starts_with(topic, "store/order/")) return act(Action::refetch, Resource::orders, id_at(doc, {"data", "id"}), topic);
    return ignored("topic " + topic + " is not synced");
}

// Shopify "products/delete", WooCommerce "product.deleted": same idea,
// different spelling.
Action resource_topic(const std::string& topic, const json& doc, std::string_view product, std::string_view order,
                      char sep, std::string_view deleted) {
    std::string id = id_at(doc, {"id"});
    std::string p = std::string(product) + sep, o = std::string(order) + sep;
    if (starts_with(topic, p))
        return act(ends_with(topic, deleted) ? Action::remove : Action::refetch, Resource::products, id, topic);
    if (starts_with(topic, o))
        return act(ends_with(topic, deleted) ? Action::remove : Action::refetch, Resource::orders, id, topic);
    return ignored("topic " + topic + " is not synced");
}

}  // namespace

Action classify(const std::string& platform, const std::string& topic, const std::string& body) {
    auto parsed = parse_json(body);
    json doc = parsed ? std::move(*parsed) : json::object();
    if (platform == "bigcommerce") return bigcommerce(topic, doc);
    if (platform == "shopify") return resource_topic(topic, doc, "products", "orders", '/', "/delete");
    if (platform == "woocommerce") return resource_topic(topic, doc, "product", "order", '.', ".deleted");
    if (platform == "callrail") {
        std::string id = id_at(doc, {"resource_id"});
        if (id.empty()) id = id_at(doc, {"id"});
        return act(Action::refetch, Resource::calls, id, topic.empty() ? "call" : topic);
    }
    if (platform == "chatwoot" && (topic == "contact_created" || topic == "contact_updated"))
        return act(Action::refetch, Resource::contacts, id_at(doc, {"id"}), topic);
    return ignored(topic.empty() ? "delivery has no topic" : "topic " + topic + " is not synced");
}

std::string topic_from_body(const std::string& scheme, const std::string& body, const std::string& content_type) {
    if (scheme == "clerk" || scheme == "standard" || scheme == "stripe") return detail::json_member(body, "type");
    if (scheme == "chatwoot") return detail::json_member(body, "event");
    if (scheme == "callrail") return "call";
    if (scheme == "twilio" && content_type.find("x-www-form-urlencoded") != std::string::npos) {
        for (const auto& [k, v] : detail::parse_form(body))
            if (k == "CallStatus" && !detail::token_or_empty(v).empty()) return "call." + v;
        return "twilio";
    }
    return {};
}

}  // namespace onramp::webhooks
