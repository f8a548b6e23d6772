// Telegram's webhook scheme: the X-Telegram-Bot-Api-Secret-Token header.
// The rest of the platform is in this folder (module.cpp); its wire facts
// and sources are in docs/platforms/telegram.md.
#pragma once

#include <string>
#include <string_view>

#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// The header Telegram sends with every update when setWebhook was given a
// secret_token (https://core.telegram.org/bots/api#setwebhook).
inline constexpr std::string_view kTelegramSecretHeader = "X-Telegram-Bot-Api-Secret-Token";

// Whether `secret` is one setWebhook accepts as secret_token: 1 to 256
// characters of A-Z, a-z, 0-9, _ and - (https://core.telegram.org/bots/api#setwebhook).
bool telegram_secret_allowed(std::string_view secret);

// The kind of a Telegram Update ("message", "callback_query", ...): its
// first member other than update_id that is an object; "" when none
// (https://core.telegram.org/bots/api#update).
std::string telegram_update_kind(std::string_view body);

}  // namespace onramp::webhooks

namespace onramp::platforms::telegram {

// The "telegram" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

}  // namespace onramp::platforms::telegram
