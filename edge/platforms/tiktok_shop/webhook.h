// TikTok Shop's webhook scheme: the Authorization header carries the hex
// HMAC-SHA256 of the app key followed by the raw body, keyed with the app
// secret. The rest of the platform is in this folder (module.cpp); its wire
// facts and sources are in docs/platforms/tiktok_shop.md.
#pragma once

#include <string>
#include <string_view>

#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// The signature TikTok Shop sends for `body`: lowercase hex
// HMAC-SHA256(app_secret, app_key + body).
std::string sign_tiktok_shop(std::string_view app_secret, std::string_view app_key, std::string_view body);

// A notification's event name from its numeric "type"
// ("ORDER_STATUS_CHANGE" for 1, "type_<n>" for a type Onramp does not
// name); "" when the body has no integer type.
std::string tiktok_shop_topic(std::string_view body);

}  // namespace onramp::webhooks

namespace onramp::platforms::tiktok_shop {

// The "tiktok_shop" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

}  // namespace onramp::platforms::tiktok_shop
