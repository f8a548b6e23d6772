// The platform implementations, one per file, gathered by registry.cpp.
// Internal to edge/connectors: callers use find_platform() (connector.h).
#pragma once

#include "edge/connectors/connector.h"

namespace onramp::connectors {

const Platform& bigcommerce_platform();
const Platform& shopify_platform();
const Platform& woocommerce_platform();
const Platform& amazon_platform();
const Platform& callrail_platform();
const Platform& twilio_platform();
const Platform& chatwoot_platform();
const Platform& custom_crm_platform();

// The catalog entry for `id`; the catalog is the single list of platforms,
// so a missing entry is a programming error caught by the registry test.
const Connector& catalog_entry(std::string_view id);

}  // namespace onramp::connectors
