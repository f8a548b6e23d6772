// Shopify's webhook scheme: verifying and signing X-Shopify-Hmac-Sha256.
// The rest of the platform is in this folder (module.cpp); its wire facts
// and sources are in docs/platforms/shopify.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// X-Shopify-Hmac-Sha256 value: base64(HMAC-SHA256(client_secret, body)).
std::string sign_shopify(std::string_view client_secret, std::string_view body);

}  // namespace onramp::webhooks

namespace onramp::platforms::shopify {

// The "shopify" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

}  // namespace onramp::platforms::shopify
