// CallRail's webhook scheme: a MAC of the body under the company's signing token.
// The rest of the platform is in this folder (module.cpp); its wire facts
// and sources are in docs/platforms/callrail.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// The CallRail signature header value under the given options.
std::string sign_callrail(std::string_view token, std::string_view body,
                          const CallRailOptions& options = {});

}  // namespace onramp::webhooks

namespace onramp::platforms::callrail {

// The "callrail" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

}  // namespace onramp::platforms::callrail
