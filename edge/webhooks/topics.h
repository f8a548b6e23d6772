// What a stored delivery asks the worker to do, decided from its platform,
// topic and body alone (pure, no I/O):
//
//   platform     topic                                   action
//   bigcommerce  store/product/{created,updated}          refetch product data.id
//                store/product/inventory/...             refetch product (data.inventory.product_id or data.id)
//                store/sku/... (variants)                refetch product data.sku.product_id / data.inventory.product_id
//                store/product/deleted                   remove product data.id
//                store/order/...                         refetch order data.id
//   shopify      products/{create,update}                refetch product id
//                products/delete                         remove product id
//                orders/...                              refetch order id (orders/delete removes)
//   woocommerce  product.{created,updated,restored}      refetch product id
//                product.deleted                         remove product id
//                order.* likewise
//   callrail     any topic with a call id                refetch call resource_id / id
//   chatwoot     contact_created, contact_updated        refetch contact id
//   anything else                                        ignored (kept in the inbox)
//
// Updates are refetched rather than applied from the payload: payloads are
// thin (BigCommerce sends only ids) or may arrive out of order, and the
// platform's current object is right whatever order deliveries came in.
#pragma once

#include <optional>
#include <string>

#include "edge/connectors/connector.h"

namespace onramp::webhooks {

struct Action {
    enum Kind { refetch, remove, ignore };
    Kind kind = ignore;
    connectors::Resource resource = connectors::Resource::products;
    std::string object_id;
    std::string why;  // for ignore: the reason shown with the delivery
};

Action classify(const std::string& platform, const std::string& topic, const std::string& body);

// The event name when the verifier found none in a header: the body's
// "type" (Svix/Clerk/Standard Webhooks), "event" (Chatwoot), Twilio's
// "CallStatus" as "call.<status>", "call" for CallRail.
std::string topic_from_body(const std::string& scheme, const std::string& body, const std::string& content_type);

}  // namespace onramp::webhooks
