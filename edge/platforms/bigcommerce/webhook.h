// BigCommerce's webhook scheme: the custom secret header Onramp registers and,
// when present, the Standard Webhooks signature.
// The rest of the platform is in this folder (module.cpp); its wire facts
// and sources are in docs/platforms/bigcommerce.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// BigCommerce echoes the custom `headers` object given at registration on
// every callback; Onramp registers this header with a random secret value.
// A name of our own (not Authorization) because proxies consume, rewrite or
// log Authorization, and it cannot collide with BigCommerce's own headers.
inline constexpr std::string_view kBigCommerceSecretHeader = "X-Onramp-Webhook-Secret";

}  // namespace onramp::webhooks

namespace onramp::platforms::bigcommerce {

// The "bigcommerce" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

}  // namespace onramp::platforms::bigcommerce
