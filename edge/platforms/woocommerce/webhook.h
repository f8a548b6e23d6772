// WooCommerce's webhook scheme: verifying and signing X-WC-Webhook-Signature.
// The rest of the platform is in this folder (module.cpp); its wire facts
// and sources are in docs/platforms/woocommerce.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// X-WC-Webhook-Signature value: base64(HMAC-SHA256(wp_specialchars_decode(secret), body)).
std::string sign_woocommerce(std::string_view secret, std::string_view body);

namespace detail {
// WooCommerce signs with wp_specialchars_decode($secret, ENT_QUOTES); the
// signer needs the same transformation as the verifier.
std::string wp_specialchars_decode(std::string_view text);
}  // namespace detail

}  // namespace onramp::webhooks

namespace onramp::platforms::woocommerce {

// The "woocommerce" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

}  // namespace onramp::platforms::woocommerce
