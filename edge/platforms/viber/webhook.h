// Viber's webhook scheme: X-Viber-Content-Signature, an HMAC-SHA256 of the
// body keyed with the bot's auth token. The rest of the platform is in this
// folder (module.cpp); its wire facts and sources are in
// docs/platforms/viber.md.
#pragma once

#include <string>
#include <string_view>

#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// The header Viber signs every callback with
// (https://developers.viber.com/docs/api/rest-bot-api/#callbacks).
inline constexpr std::string_view kViberSignatureHeader = "X-Viber-Content-Signature";

// The signature Viber sends for `body` under `auth_token`: lowercase hex
// HMAC-SHA256.
std::string sign_viber(std::string_view auth_token, std::string_view body);

// A callback's "event" ("message", "subscribed", "webhook", ...); "" when
// the body is not a JSON object with a string event.
std::string viber_event(std::string_view body);

}  // namespace onramp::webhooks

namespace onramp::platforms::viber {

// The "viber" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

}  // namespace onramp::platforms::viber
