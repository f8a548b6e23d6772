// Chatwoot's webhook scheme: verifying and signing X-Chatwoot-Signature.
// The rest of the platform is in this folder (module.cpp); its wire facts
// and sources are in docs/platforms/chatwoot.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// X-Chatwoot-Signature value: "sha256=<hex HMAC-SHA256(secret, "ts.body")>".
std::string sign_chatwoot(std::string_view secret, int64_t timestamp, std::string_view body);

}  // namespace onramp::webhooks

namespace onramp::platforms::chatwoot {

// The "chatwoot" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

}  // namespace onramp::platforms::chatwoot
