// libFuzzer target: a webhook delivery, checked by the server's verifier.
//
// Input layout (tests/fuzz/webhooks/ has one seed per platform):
//
//   byte 0     the platform: ('a' + i) picks webhooks::kPlatforms[i % 9], so
//              a shopify, b woocommerce, c stripe, d twilio, e clerk,
//              f standard, g bigcommerce, h callrail, i chatwoot
//   byte 1     flags, its low four bits ('0'..'9', ':'..'?'):
//                1  sign the delivery validly (edge/webhooks/sign.h) after
//                   parsing it, replacing any signature headers it carries,
//                   so fuzzing gets past the MAC into what follows it
//                2  the secret is the second key, as during a rotation
//                4  sign with a timestamp 1000 s in the past
//                8  the other configuration: CallRail's MAC is HMAC-SHA256
//                   in hex, BigCommerce has an app client secret (its
//                   Standard Webhooks signature is checked), Twilio's
//                   request is a GET
//   then       "Name: value" header lines, an empty line, the URL on one
//              line, and the body (the rest, byte for byte)
//
// The secrets are fixed; the clock is fixed. A valid delivery's body is then
// read as the receiver and the worker read it (topic, action).
//
// Besides the sanitizers, the target checks:
//   - a delivery this target signed is never a signature mismatch or a bad
//     encoding (the signer and the verifier agree; Twilio, whose verifier
//     reads the URL's query and the method, is left out of this check);
//   - the verdict's reason, delivery id and topic serialise as JSON, since
//     the reason is the 401's detail and the others are listed by
//     GET .../webhooks.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "edge/webhooks/internal.h"
#include "edge/webhooks/sign.h"
#include "edge/webhooks/topics.h"
#include "edge/webhooks/verify.h"

namespace {

using namespace onramp::webhooks;

constexpr int64_t kNow = 1700000000;
constexpr int64_t kStale = kNow - 1000;

enum Flag : unsigned { sign = 1, rotated = 2, stale = 4, alternative = 8 };

[[noreturn]] void broken(Platform p, const std::string& what) {
    std::fprintf(stderr, "fuzz webhooks: %s: %s\n", std::string(platform_name(p)).c_str(), what.c_str());
    std::abort();
}

std::string_view next_line(std::string_view* rest) {
    size_t nl = rest->find('\n');
    std::string_view line = rest->substr(0, nl);
    rest->remove_prefix(nl == std::string_view::npos ? rest->size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

// Headers, URL and body out of the text after the two leading bytes.
Delivery parse_delivery(std::string_view text) {
    Delivery d;
    while (!text.empty()) {
        std::string_view line = next_line(&text);
        if (line.empty()) break;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        d.headers.emplace(std::string(line.substr(0, colon)), std::string(value));
    }
    d.url = std::string(next_line(&text));
    d.body = std::string(text);
    return d;
}

struct Config {
    std::string secret;  // the one every signature is made with
    Secrets secrets;
};

Config config_for(Platform p, unsigned flags) {
    Config c;
    switch (p) {
        case Platform::shopify: c.secret = "shpss_fuzz_client_secret"; break;
        // Entities, which WooCommerce decodes before signing.
        case Platform::woocommerce: c.secret = "wc&amp;fuzz&#039;s secret"; break;
        case Platform::stripe: c.secret = "whsec_fuzz_stripe_secret"; break;
        case Platform::twilio: c.secret = "12345"; break;
        case Platform::clerk:
        case Platform::standard: c.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"; break;
        case Platform::bigcommerce: c.secret = "onramp-header-secret"; break;
        case Platform::callrail: c.secret = "callrail-signing-token"; break;
        case Platform::chatwoot: c.secret = "chatwoot-webhook-secret"; break;
    }
    if (flags & rotated) c.secrets.keys.push_back("the-previous-secret");
    c.secrets.keys.push_back(c.secret);
    if (flags & alternative) {
        c.secrets.callrail.algorithm = MacAlgorithm::sha256;
        c.secrets.callrail.encoding = SignatureEncoding::hex;
        c.secrets.bigcommerce_client_secrets.push_back("bigcommerce-app-client-secret");
    }
    return c;
}

void set_header(Delivery& d, std::string_view name, std::string value) {
    d.headers.erase(std::string(name));
    d.headers.emplace(std::string(name), std::move(value));
}

std::string first_or(const Delivery& d, std::string_view name, const char* fallback) {
    auto it = d.headers.find(name);
    return it == d.headers.end() ? fallback : it->second;
}

void sign_standard(Delivery& d, std::string_view prefix, const std::string& signature_of_id_ts, int64_t ts,
                   const std::string& id) {
    set_header(d, std::string(prefix) + "-id", id);
    set_header(d, std::string(prefix) + "-timestamp", std::to_string(ts));
    set_header(d, std::string(prefix) + "-signature", signature_of_id_ts);
}

// Signs `d` as the platform would, over what the fuzzer made of it.
void sign_delivery(Platform p, const Config& c, int64_t ts, Delivery& d) {
    switch (p) {
        case Platform::shopify: set_header(d, "X-Shopify-Hmac-Sha256", sign_shopify(c.secret, d.body)); break;
        case Platform::woocommerce:
            set_header(d, "X-WC-Webhook-Signature", sign_woocommerce(c.secret, d.body));
            break;
        case Platform::stripe: set_header(d, "Stripe-Signature", sign_stripe(c.secret, ts, d.body)); break;
        case Platform::twilio:
            if (detail::media_type(d) == "application/x-www-form-urlencoded") {
                set_header(d, "X-Twilio-Signature", sign_twilio(c.secret, d.url, detail::parse_form(d.body)));
            } else {
                d.url = twilio_url_with_body_hash(d.url, d.body);
                set_header(d, "X-Twilio-Signature", sign_twilio(c.secret, d.url));
            }
            break;
        case Platform::clerk:
        case Platform::standard: {
            std::string_view prefix = p == Platform::clerk ? "svix" : "webhook";
            std::string id = first_or(d, std::string(prefix) + "-id", "msg_fuzz");
            sign_standard(d, prefix, sign_standard_webhooks(c.secret, id, ts, d.body).value(), ts, id);
            break;
        }
        case Platform::bigcommerce:
            set_header(d, kBigCommerceSecretHeader, c.secret);
            if (!c.secrets.bigcommerce_client_secrets.empty()) {
                std::string id = first_or(d, "webhook-id", "bc_fuzz");
                const std::string& key = c.secrets.bigcommerce_client_secrets.front();
                sign_standard(d, "webhook", sign_standard_webhooks_raw(key, id, ts, d.body), ts, id);
            }
            break;
        case Platform::callrail:
            set_header(d, c.secrets.callrail.header, sign_callrail(c.secret, d.body, c.secrets.callrail));
            break;
        case Platform::chatwoot:
            set_header(d, "X-Chatwoot-Timestamp", std::to_string(ts));
            set_header(d, "X-Chatwoot-Signature", sign_chatwoot(c.secret, ts, d.body));
            break;
    }
}

void expect_json_text(Platform p, const char* what, const std::string& text) {
    try {
        (void)nlohmann::json(text).dump();
    } catch (const nlohmann::json::exception& e) {
        broken(p, std::string("the verdict's ") + what + " does not serialise as JSON: " + e.what());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    Platform platform = kPlatforms[uint8_t(data[0] - 'a') % kPlatforms.size()];
    unsigned flags = data[1] & 0x0Fu;
    Delivery d = parse_delivery(std::string_view(reinterpret_cast<const char*>(data) + 2, size - 2));
    if (platform == Platform::twilio && (flags & alternative)) d.method = "GET";

    Config c = config_for(platform, flags);
    if (flags & sign) sign_delivery(platform, c, (flags & stale) ? kStale : kNow, d);

    Verdict v = verify(platform, d, c.secrets, kNow);
    expect_json_text(platform, "reason", v.reason);
    if ((flags & sign) && platform != Platform::twilio &&
        (v.failure == Failure::mismatch || v.failure == Failure::bad_encoding))
        broken(platform, "a delivery signed by sign.h fails verification: " + v.reason);
    if (!v.valid) return 0;

    // What the receiver stores and the worker does with a verified delivery.
    std::string scheme(platform_name(platform));
    std::string topic = v.topic.empty() ? topic_from_body(scheme, d.body, detail::media_type(d)) : v.topic;
    expect_json_text(platform, "delivery id", v.delivery_id);
    expect_json_text(platform, "topic", topic);
    Action a = classify(scheme, topic, d.body);
    expect_json_text(platform, "action's reason", a.why);
    return 0;
}
