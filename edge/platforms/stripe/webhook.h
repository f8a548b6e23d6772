// Stripe's webhook scheme: the Stripe-Signature header, an HMAC over
// "<t>.<body>" keyed with the endpoint's whole whsec_ secret.
// The rest of the platform is in this folder; its wire facts and sources
// are in docs/platforms/stripe.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// Stripe-Signature value: "t=<timestamp>,v1=<hex HMAC-SHA256(secret, "t.body")>";
// the whsec_ secret is used as-is
// (https://stripe.com/docs/webhooks#verify-manually).
std::string sign_stripe(std::string_view secret, int64_t timestamp, std::string_view body);

}  // namespace onramp::webhooks

namespace onramp::platforms::stripe {

// The "stripe" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

}  // namespace onramp::platforms::stripe
