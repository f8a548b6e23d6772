// TikTok Shop (Partner Center documentation, "Webhooks", partner.tiktokshop.com/docv2):
// every notification is a POST of one JSON object {"type", "tts_notification_id",
// "shop_id", "timestamp", "data"}, whose Authorization header (no scheme
// word before it) is the lowercase hex HMAC-SHA256 of the app key followed
// by the raw body, keyed with the app secret.
//
// The keys are the connection's own credentials: the app secret from the
// vault (Scheme::credential_secret) and the app key from its settings
// (Scheme::signed_credential); the app signs, so there is no other secret
// to paste. The body's timestamp is covered by the MAC, but TikTok Shop
// documents no window for retries, so it is not held against a delivery;
// replays are caught by the inbox's de-duplication on tts_notification_id.
//
// Types Onramp names (the rest are kept in the inbox as "type_<n>"):
//   1  ORDER_STATUS_CHANGE      data.order_id    the order is refetched
//   5  PRODUCT_STATUS_CHANGE    data.product_id  the product is refetched
//   6  SELLER_DEAUTHORIZATION                    kept; nothing to sync
//
// Security: the signature is compared in constant time with the one each
// configured key gives; a missing, repeated, malformed or different header
// is refused, and without an app secret or app key nothing is accepted.
#include <nlohmann/json.hpp>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/tiktok_shop/webhook.h"
#include "edge/webhooks/internal.h"
#include "shared/json.h"

namespace onramp::webhooks {

namespace {

constexpr std::string_view kHeader = "Authorization";

}  // namespace

std::string sign_tiktok_shop(std::string_view app_secret, std::string_view app_key, std::string_view body) {
    std::string message(app_key);
    message += body;
    return crypto::hex_encode(crypto::hmac_sha256(app_secret, message));
}

std::string tiktok_shop_topic(std::string_view body) {
    // Read through the bounded entry point, as every body from outside is
    // (shared/json.h).
    auto doc = parse_json(body);
    if (!doc || !doc->is_object()) return "";
    auto it = doc->find("type");
    if (it == doc->end() || !it->is_number_integer()) return "";
    switch (it->get<int64_t>()) {
    case 1: return "ORDER_STATUS_CHANGE";
    case 5: return "PRODUCT_STATUS_CHANGE";
    case 6: return "SELLER_DEAUTHORIZATION";
    default: return "type_" + std::to_string(it->get<int64_t>());
    }
}

}  // namespace onramp::webhooks

namespace onramp::webhooks::detail {

Verdict verify_tiktok_shop(const Delivery& d, const Secrets& secrets, int64_t) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();
    if (secrets.signed_credential.empty())
        return fail(Failure::bad_secret, "no app key: TikTok Shop signs the app key with the body");

    Verdict error;
    auto header = single_header(d.headers, kHeader, &error);
    if (!header) return error;
    // Hex in either case spells the same MAC: compared as the 32 bytes.
    auto received = crypto::hex_decode(*header);
    if (!received || received->size() != 32)
        return fail(Failure::bad_encoding, std::string(kHeader) + " is not 64 hex digits: " + quoted(*header));

    std::string message(secrets.signed_credential);
    message += d.body;
    bool matched = false;
    for (auto key : keys) matched = crypto::constant_time_equal(*received, crypto::hmac_sha256(key, message)) || matched;
    if (!matched)
        return fail(Failure::mismatch,
                    std::string(kHeader) + " does not match the app key and this body under the app secret");
    return accept(json_member(d.body, "tts_notification_id"), tiktok_shop_topic(d.body));
}

}  // namespace onramp::webhooks::detail

namespace onramp::platforms::tiktok_shop {

using namespace webhooks;

const Scheme& scheme() {
    static const Scheme s{
        .name = "tiktok_shop",
        .verify = detail::verify_tiktok_shop,
        .sign = [](Delivery& d, const Secrets& s, int64_t) {
            detail::set_header(d, "Authorization", sign_tiktok_shop(s.keys.front(), s.signed_credential, d.body));
        },
        .example_secrets = [](bool variant) {
            Secrets out;
            out.keys = {variant ? "4ebc9d5e0f1a2b3c4d5e6f708192a3b4c5d6e7f8" : "e59af819cc0d4f2a9b17"};
            out.signed_credential = variant ? "6a1b2c3d4e5f6" : "68xu9ks5p4i8";
            return out;
        },
        // The app secret is TikTok Shop's; Onramp cannot choose it.
        .secret_generated = false,
        .credential_secret = "app_secret",
        .signed_credential = "app_key",
        .topic_from_body = [](const std::string& body, const std::string&) { return tiktok_shop_topic(body); },
        .classify = [](const std::string& topic, const nlohmann::json& doc) {
            if (topic == "ORDER_STATUS_CHANGE")
                return act(Action::refetch, connectors::Resource::orders, id_at(doc, {"data", "order_id"}), topic);
            if (topic == "PRODUCT_STATUS_CHANGE")
                return act(Action::refetch, connectors::Resource::products, id_at(doc, {"data", "product_id"}), topic);
            return ignored(topic.empty() ? "notification has no type"
                                         : "TikTok Shop " + topic + " notifications are kept in the inbox; nothing "
                                                                    "is synced");
        },
        .manual_steps = [](const std::string& url) {
            return nlohmann::json::array(
                {"TikTok Shop signs with your app's secret and key, which Onramp already holds; there is no "
                 "secret to set.",
                 "In Partner Center open App & Service, choose your app, then Manage webhooks, and set " + url +
                     " for the events Order status change and Product status change.",
                 "Or, per shop, call Update Shop Webhook (/event/202309/webhooks) with {\"address\": \"" + url +
                     "\", \"event_type\": \"ORDER_STATUS_CHANGE\"}, and once more for PRODUCT_STATUS_CHANGE."});
        },
    };
    return s;
}

}  // namespace onramp::platforms::tiktok_shop
