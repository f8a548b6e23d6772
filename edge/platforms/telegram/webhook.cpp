// Telegram (https://core.telegram.org/bots/api#setwebhook): every update is
// a POST of one Update as JSON, carrying X-Telegram-Bot-Api-Secret-Token:
// the secret_token given to setWebhook, sent as it is. Nothing signs the
// body and nothing dates it, so the header is the whole proof and replays
// are caught only by the inbox's de-duplication on update_id, which
// Telegram numbers sequentially (https://core.telegram.org/bots/api#update).
//
// Security: the header is compared in constant time with each configured
// secret; a missing, repeated or different header is refused, and without a
// configured secret nothing is accepted (edge/webhooks/verify.h).
#include <nlohmann/json.hpp>

#include "edge/crypto/digest.h"
#include "edge/platforms/telegram/webhook.h"
#include "edge/webhooks/internal.h"
#include "shared/json.h"

namespace onramp::webhooks {

bool telegram_secret_allowed(std::string_view secret) {
    if (secret.empty() || secret.size() > 256) return false;
    for (char c : secret) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::string telegram_update_kind(std::string_view body) {
    // An Update holds update_id and at most one of its optional parts
    // (https://core.telegram.org/bots/api#update), so the order of the
    // members does not matter. Read through the bounded entry point, as
    // every body from outside is (shared/json.h).
    auto doc = parse_json(body);
    if (!doc || !doc->is_object()) return "";
    for (const auto& [key, value] : doc->items())
        if (key != "update_id" && value.is_object()) return key;
    return "";
}

}  // namespace onramp::webhooks

namespace onramp::webhooks::detail {

Verdict verify_telegram(const Delivery& d, const Secrets& secrets, int64_t) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();

    Verdict error;
    auto header = single_header(d.headers, kTelegramSecretHeader, &error);
    if (!header) return error;

    bool matched = false;
    for (auto key : keys) matched = crypto::constant_time_equal(*header, key) || matched;
    if (!matched)
        return fail(Failure::mismatch,
                    std::string(kTelegramSecretHeader) + " does not match the secret token set with setWebhook");
    return accept(json_member(d.body, "update_id"), telegram_update_kind(d.body));
}

}  // namespace onramp::webhooks::detail

namespace onramp::platforms::telegram {

using namespace webhooks;

const Scheme& scheme() {
    static const Scheme s{
        .name = "telegram",
        .verify = detail::verify_telegram,
        .sign = [](Delivery& d, const Secrets& s, int64_t) {
            detail::set_header(d, kTelegramSecretHeader, s.keys.front());
        },
        .example_secrets = [](bool variant) {
            // The variant is the longest secret_token Telegram allows.
            return Secrets{.keys = {variant ? std::string(255, 'a') + "Z" : "telegram_secret-token-0123"}};
        },
        // Onramp's generated secrets are base64url (edge/webhooks/endpoint.cpp),
        // which is the alphabet secret_token allows.
        .secret_generated = true,
        .topic_from_body = [](const std::string& body, const std::string&) { return telegram_update_kind(body); },
        .classify = [](const std::string& topic, const nlohmann::json&) {
            return ignored(topic.empty() ? "update has no kind"
                                         : "Telegram " + topic + " updates are kept in the inbox; nothing is synced");
        },
        .manual_steps = [](const std::string& url) {
            return nlohmann::json::array(
                {"Generate the webhook secret here (PUT .../webhooks/secret with {}).",
                 "Call the Bot API's setWebhook for your bot: https://api.telegram.org/bot<your bot token>/setWebhook "
                 "with url=" + url + " and secret_token=<that secret> (https://core.telegram.org/bots/api#setwebhook).",
                 "Check it with getWebhookInfo; to stop the updates, call deleteWebhook."});
        },
    };
    return s;
}

}  // namespace onramp::platforms::telegram
