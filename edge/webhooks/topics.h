// What a stored delivery asks the worker to do, decided from its platform,
// topic and body alone (pure, no I/O). Each platform's scheme says it for
// its own topics (Scheme::classify, in edge/platforms/<id>/webhook.cpp; the
// table of topics and actions is in docs/platforms/<id>.md); a topic no
// scheme claims is ignored and kept in the inbox.
//
// Updates are refetched rather than applied from the payload: payloads are
// thin (BigCommerce sends only ids) or may arrive out of order, and the
// platform's current object is right whatever order deliveries came in.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "edge/connectors/connector.h"

namespace onramp::webhooks {

struct Action {
    enum Kind { refetch, remove, ignore };
    Kind kind = ignore;
    connectors::Resource resource = connectors::Resource::products;
    std::string object_id;
    std::string why;  // for ignore: the reason shown with the delivery
};

// By the connection's platform id: its scheme's classify(), else ignore.
Action classify(const std::string& platform, const std::string& topic, const std::string& body);

// The event name when the verifier found none in a header, by scheme name
// (Scheme::topic_from_body); "" when the scheme reads none.
std::string topic_from_body(const std::string& scheme, const std::string& body, const std::string& content_type);

// For the schemes' classify():
// An ignore with its reason.
Action ignored(std::string why);
// `kind` on `resource` `id`; ignored when the topic carried no id.
Action act(Action::Kind kind, connectors::Resource resource, std::string id, const std::string& topic);
// The string or integer id at `path` in `doc`, as text; "" when absent.
std::string id_at(const nlohmann::json& doc, std::initializer_list<const char*> path);
// Topics named "<resource><sep><event>" whose body's "id" is the object
// (Shopify "products/delete", WooCommerce "product.deleted"): products and
// orders refetched, removed when the event ends with `deleted`.
Action resource_topic(const std::string& topic, const nlohmann::json& doc, std::string_view product,
                      std::string_view order, char sep, std::string_view deleted);

}  // namespace onramp::webhooks
