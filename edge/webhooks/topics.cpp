// Sync actions from topics: the dispatch to each scheme's classify() and
// the helpers the schemes share (topics.h).
#include "edge/webhooks/topics.h"

#include <nlohmann/json.hpp>

#include "edge/webhooks/scheme.h"
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

}  // namespace

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

Action classify(const std::string& platform, const std::string& topic, const std::string& body) {
    const Scheme* scheme = find_scheme(platform);
    if (!scheme || !scheme->classify || scheme->name != platform)
        return ignored(topic.empty() ? "delivery has no topic" : "topic " + topic + " is not synced");
    auto parsed = parse_json(body);
    return scheme->classify(topic, parsed ? *parsed : json::object());
}

std::string topic_from_body(const std::string& scheme, const std::string& body, const std::string& content_type) {
    const Scheme* s = find_scheme(scheme);
    return s && s->topic_from_body ? s->topic_from_body(body, content_type) : std::string();
}

}  // namespace onramp::webhooks
