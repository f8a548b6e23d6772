// What every platform's connector (edge/platforms/<id>/connector.cpp)
// shares. Callers use find_platform() (connector.h).
#pragma once

#include "edge/connectors/connector.h"

namespace onramp::connectors {

// The catalog entry for `id`; the catalog is the single list of platforms,
// so a missing entry is a programming error caught by the registry test.
const Connector& catalog_entry(std::string_view id);

}  // namespace onramp::connectors
