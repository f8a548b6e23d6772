// Viber (https://developers.viber.com/docs/api/rest-bot-api/#callbacks):
// every callback is a POST of one JSON object whose "event" says what
// happened, signed in X-Viber-Content-Signature with the lowercase hex
// HMAC-SHA256 of the raw body, keyed with the bot's auth token. Nothing
// dates the signature, so replays are caught only by the inbox's
// de-duplication on message_token, which every callback carries.
//
// The key is the auth token the connection already holds
// (Scheme::credential_secret): Viber chooses no other secret, and the
// verifier must know the key before set_webhook is called, because Viber
// checks the URL at once with an "event":"webhook" callback and keeps the
// webhook only when it gets 200
// (https://developers.viber.com/docs/api/rest-bot-api/#setting-a-webhook).
// That callback is answered as a ping (edge/webhooks/verify.h): 200, stored
// nothing. Unlike WooCommerce's unsigned ping it is signed, so it is
// checked like any other callback first.
//
// Security: the signature is compared in constant time with the one each
// configured key gives; a missing, repeated, malformed or different header
// is refused, and without a key nothing is accepted.
#include <nlohmann/json.hpp>

#include <optional>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/viber/webhook.h"
#include "edge/webhooks/internal.h"
#include "shared/json.h"

namespace onramp::webhooks {

std::string sign_viber(std::string_view auth_token, std::string_view body) {
    return crypto::hex_encode(crypto::hmac_sha256(auth_token, body));
}

std::string viber_event(std::string_view body) {
    // Read through the bounded entry point, as every body from outside is
    // (shared/json.h).
    auto doc = parse_json(body);
    if (!doc || !doc->is_object()) return "";
    auto it = doc->find("event");
    if (it == doc->end() || !it->is_string()) return "";
    return it->get<std::string>();
}

}  // namespace onramp::webhooks

namespace onramp::webhooks::detail {

namespace {

// 64 hex digits, the size of a SHA-256 MAC. Viber sends lowercase; the
// case is folded because either spells the same MAC.
std::optional<std::string> lowercase_hex_sha256(std::string_view text) {
    if (text.size() != 64) return std::nullopt;
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'F') c = char(c - 'A' + 'a');
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        if (!hex) return std::nullopt;
    }
    return out;
}

}  // namespace

Verdict verify_viber(const Delivery& d, const Secrets& secrets, int64_t) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();

    Verdict error;
    auto header = single_header(d.headers, kViberSignatureHeader, &error);
    if (!header) return error;
    auto received = lowercase_hex_sha256(*header);
    if (!received)
        return fail(Failure::bad_encoding,
                    std::string(kViberSignatureHeader) + " is not 64 hex digits: " + quoted(*header));

    bool matched = false;
    for (auto key : keys) matched = crypto::constant_time_equal(*received, sign_viber(key, d.body)) || matched;
    if (!matched)
        return fail(Failure::mismatch,
                    std::string(kViberSignatureHeader) + " does not match this body under the bot's auth token");

    std::string event = viber_event(d.body);
    if (event == "webhook") {
        Verdict v = fail(Failure::ping, "Viber's set_webhook check (event \"webhook\"): not a delivery; answer 200 "
                                        "and store nothing");
        v.ping = true;
        return v;
    }
    return accept(json_member(d.body, "message_token"), event);
}

}  // namespace onramp::webhooks::detail

namespace onramp::platforms::viber {

using namespace webhooks;

const Scheme& scheme() {
    static const Scheme s{
        .name = "viber",
        .verify = detail::verify_viber,
        .sign = [](Delivery& d, const Secrets& s, int64_t) {
            detail::set_header(d, kViberSignatureHeader, sign_viber(s.keys.front(), d.body));
        },
        .example_secrets = [](bool variant) {
            // Tokens in the shape the vendor docs show, the variant longer.
            return Secrets{.keys = {variant ? "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f-0f6e3c1f2a3b4c5d"
                                            : "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f"}};
        },
        // The key is the bot's auth token, which Viber issues; Onramp cannot
        // choose it.
        .secret_generated = false,
        .credential_secret = "auth_token",
        .topic_from_body = [](const std::string& body, const std::string&) { return viber_event(body); },
        .classify = [](const std::string& topic, const nlohmann::json&) {
            return ignored(topic.empty() ? "callback has no event"
                                         : "Viber " + topic + " callbacks are kept in the inbox; nothing is synced");
        },
        .manual_steps = [](const std::string& url) {
            return nlohmann::json::array(
                {"Viber signs with the bot's auth token, which Onramp already holds; there is no secret to set.",
                 "POST https://chatapi.viber.com/pa/set_webhook with the header X-Viber-Auth-Token: <your auth "
                 "token> and the JSON body {\"url\": \"" + url + "\"} "
                 "(https://developers.viber.com/docs/api/rest-bot-api/#setting-a-webhook). Viber checks the URL "
                 "at once; Onramp answers that check.",
                 "The answer must have \"status\": 0. To stop the callbacks, call set_webhook with \"url\": \"\"."});
        },
    };
    return s;
}

}  // namespace onramp::platforms::viber
