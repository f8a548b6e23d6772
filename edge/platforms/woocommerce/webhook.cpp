// WooCommerce: X-WC-Webhook-Signature =
//   base64(HMAC-SHA256(wp_specialchars_decode(secret, ENT_QUOTES), raw body)).
//
// Follows woocommerce plugins/woocommerce/includes/class-wc-webhook.php,
// generate_signature() and deliver_ping(). The hash algorithm is filterable
// in WooCommerce (woocommerce_webhook_hash_algorithm); the default sha256 is
// the only one accepted here. No timestamp is signed: replay protection is
// de-duplication on X-WC-Webhook-Delivery-ID by the inbox.
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/woocommerce/webhook.h"
#include "edge/webhooks/internal.h"

namespace onramp::webhooks::detail {

namespace {

constexpr std::string_view kSignature = "X-WC-Webhook-Signature";

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// Length of the entity at the start of `s` (which begins with '&') that
// wp_specialchars_decode() translates, and the character it becomes; 0 if
// none. WordPress first folds the numeric spellings with leading zeros
// (/&#0*39;/, /&#x0*27;/i, ...) and then strtr()s the canonical forms once,
// left to right; this single scan does the same and, like strtr, never
// decodes its own output twice ("&amp;lt;" becomes "&lt;").
size_t entity_at(std::string_view s, char* out) {
    static constexpr struct {
        std::string_view name;
        char c;
    } kNamed[] = {{"&quot;", '"'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}};
    for (const auto& e : kNamed)
        if (starts_with(s, e.name)) {
            *out = e.c;
            return e.name.size();
        }
    if (!starts_with(s, "&#")) return 0;
    size_t i = 2;
    bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    while (i < s.size() && s[i] == '0') ++i;
    static constexpr struct {
        std::string_view digits;
        char c;
    } kDec[] = {{"39;", '\''}, {"34;", '"'}, {"60;", '<'}, {"62;", '>'}, {"38;", '&'}};
    static constexpr struct {
        std::string_view digits;
        char c;
    } kHex[] = {{"27;", '\''}, {"22;", '"'}, {"26;", '&'}};
    std::string_view rest = s.substr(i);
    if (hex) {
        for (const auto& e : kHex)
            if (starts_with(rest, e.digits)) {
                *out = e.c;
                return i + e.digits.size();
            }
    } else {
        for (const auto& e : kDec)
            if (starts_with(rest, e.digits)) {
                *out = e.c;
                return i + e.digits.size();
            }
    }
    return 0;
}

// The creation/activation ping: body exactly "webhook_id=<digits>", form
// encoded (WordPress posts a string body as application/x-www-form-urlencoded)
// or without a content type, and no signature header.
std::optional<std::string> ping_webhook_id(const Delivery& d) {
    if (has_header(d.headers, kSignature)) return std::nullopt;
    std::string type = media_type(d);
    if (!type.empty() && type != "application/x-www-form-urlencoded") return std::nullopt;
    constexpr std::string_view prefix = "webhook_id=";
    if (!starts_with(d.body, prefix)) return std::nullopt;
    std::string_view id = std::string_view(d.body).substr(prefix.size());
    if (!parse_unix_seconds(id)) return std::nullopt;  // 1..18 digits
    return std::string(id);
}

}  // namespace

std::string wp_specialchars_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        char c = 0;
        size_t n = text[i] == '&' ? entity_at(text.substr(i), &c) : 0;
        if (n) {
            out += c;
            i += n;
        } else {
            out += text[i++];
        }
    }
    return out;
}

Verdict verify_woocommerce(const Delivery& d, const Secrets& secrets, int64_t /*now*/) {
    if (auto id = ping_webhook_id(d)) {
        Verdict v = fail(Failure::ping, "WooCommerce creation ping (webhook_id=" + *id +
                                            "): not a delivery; answer 200 and store nothing");
        v.ping = true;
        return v;
    }

    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();

    Verdict error;
    auto header = single_header(d.headers, kSignature, &error);
    if (!header) return error;
    auto mac = crypto::base64_decode(*header);
    if (!mac) return fail(Failure::bad_encoding, "bad base64 in " + std::string(kSignature));
    if (mac->size() != 32)
        return fail(Failure::bad_encoding, std::string(kSignature) + " decodes to " +
                                               std::to_string(mac->size()) +
                                               " bytes; HMAC-SHA256 has 32");

    for (auto key : keys) {
        if (crypto::constant_time_equal(crypto::hmac_sha256(wp_specialchars_decode(key), d.body),
                                        *mac))
            return accept(header_or_empty(d.headers, "X-WC-Webhook-Delivery-ID"),
                          header_or_empty(d.headers, "X-WC-Webhook-Topic"));
    }
    return fail(Failure::mismatch, "signature mismatch: " + std::string(kSignature) +
                                       " is not the HMAC of this body under the webhook secret");
}

}  // namespace onramp::webhooks::detail

namespace onramp::webhooks {

std::string sign_woocommerce(std::string_view secret, std::string_view body) {
    return crypto::base64_encode(crypto::hmac_sha256(detail::wp_specialchars_decode(secret), body));
}

}  // namespace onramp::webhooks

namespace onramp::platforms::woocommerce {

using namespace webhooks;

const Scheme& scheme() {
    static const Scheme s{
        .name = "woocommerce",
        .verify = detail::verify_woocommerce,
        .sign = [](Delivery& d, const Secrets& s, int64_t) {
            detail::set_header(d, "X-WC-Webhook-Signature", sign_woocommerce(s.keys.front(), d.body));
        },
        // Entities, which WooCommerce decodes before signing.
        .example_secrets = [](bool) { return Secrets{.keys = {"wc&amp;example&#039;s secret"}}; },
        .accepts_form = true,  // the creation ping is a form
        .secret_generated = true,
        .classify = [](const std::string& topic, const nlohmann::json& doc) {
            return resource_topic(topic, doc, "product", "order", '.', ".deleted");
        },
        .manual_steps = [](const std::string& url) {
            return nlohmann::json::array(
                {"WooCommerce > Settings > Advanced > Webhooks: add a webhook for each product and order event "
                 "with delivery URL " + url + ".",
                 "Give it the secret Onramp generated (PUT .../webhooks/secret shows it once)."});
        },
    };
    return s;
}

}  // namespace onramp::platforms::woocommerce
