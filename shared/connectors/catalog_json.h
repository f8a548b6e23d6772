// The connector catalog as JSON, the body of GET /api/v1/connectors. Every
// key is always present (null when a value is absent), so a client can read
// the shape without guessing:
//
// {
//   "categories": [{"id": "commerce", "label": "Commerce"}, ...],
//   "connectors": [
//     {
//       "id": "bigcommerce", "name": "BigCommerce", "category": "commerce",
//       "description": "Import products, ...",
//       "docs_url": "https://developer.bigcommerce.com/...",
//       "api_base": "https://api.bigcommerce.com/stores/{store_hash}",
//       "capabilities": ["test", "sync_products", "sync_orders", "webhooks"],
//       "oauth_install_when": null,            // or {"field": "auth_type", "value": "oauth2"}
//       "rate_limit": {"requests": 150, "window_seconds": 30},
//       "scopes": [{"name": "store_v2_products_read_only", "label": "Products: read-only",
//                   "purpose": "to import ...", "satisfied_by": ["store_v2_products"],
//                   "required": true,          // false: the connection works without it,
//                   "feature": null}],         // and then "orders will not sync"
//       "fields": [
//         {
//           "name": "store_hash", "label": "Store hash",
//           "input": "text",                   // text|password|url|select|number|phone|email|textarea
//           "required": true,                  // whenever visible
//           "sensitive": false,                // true: masked, stored in the vault
//           "validation": {"rule": "store_hash", "prefix": "", "min_length": 5, "max_length": 12},
//           "options": [],                     // [{"value": "na", "label": "North America ..."}] for selects
//           "default": null,                   // or "wc/v3"
//           "placeholder": "abc123",
//           "help": "In your BigCommerce control panel ...",
//           "visible_when": null,              // or {"field": "auth_type", "value": "api_key"}
//           "required_when": null,             // the same condition when required
//           "aliases": ["bigcommerce_store_hash", "storeHash"]
//         }
//       ]
//     }
//   ]
// }
//
// "validation.rule" names a connectors::Check (catalog.h documents each);
// the browser does not interpret it — it runs the same validator compiled to
// WASM — but other clients can show the shape of a value from it.
#pragma once

#include <nlohmann/json.hpp>

#include "shared/connectors/catalog.h"

namespace onramp::connectors {

void to_json(nlohmann::json& j, const Field& field);
void to_json(nlohmann::json& j, const Connector& connector);

// {"categories": [...], "connectors": [...]} for the whole catalog.
nlohmann::json catalog_json();

}  // namespace onramp::connectors
