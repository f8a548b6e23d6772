// The sending side of each webhook scheme: what a platform computes before it
// POSTs a delivery. The mock platform server uses these to send signed
// deliveries, and the benchmark to generate load. verify.h is the receiving
// side; tests check both against the platforms' published vectors, never one
// against the other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edge/webhooks/verify.h"

namespace onramp::webhooks {

// X-Shopify-Hmac-Sha256 value: base64(HMAC-SHA256(client_secret, body)).
std::string sign_shopify(std::string_view client_secret, std::string_view body);

// X-WC-Webhook-Signature value: base64(HMAC-SHA256(wp_specialchars_decode(secret), body)).
std::string sign_woocommerce(std::string_view secret, std::string_view body);

// Stripe-Signature value: "t=<timestamp>,v1=<hex HMAC-SHA256(secret, "t.body")>";
// the whsec_ secret is used as-is.
std::string sign_stripe(std::string_view secret, int64_t timestamp, std::string_view body);

// X-Twilio-Signature value for a form POST (params decoded, any order) or,
// with no params, for a GET or a JSON POST whose URL already carries
// bodySHA256 (see twilio_url_with_body_hash).
std::string sign_twilio(std::string_view auth_token, std::string_view url,
                        const std::vector<std::pair<std::string, std::string>>& params = {});
// `url` with "bodySHA256=<hex sha256(body)>" appended to its query, as Twilio
// does for JSON bodies.
std::string twilio_url_with_body_hash(std::string_view url, std::string_view body);

// svix-signature / webhook-signature value "v1,<base64>" for a "whsec_<base64>"
// secret; nullopt if the secret is not valid base64.
std::optional<std::string> sign_standard_webhooks(std::string_view whsec_secret,
                                                  std::string_view id, int64_t timestamp,
                                                  std::string_view body);
// Same with raw key bytes (BigCommerce: the app's client secret as is).
std::string sign_standard_webhooks_raw(std::string_view key, std::string_view id, int64_t timestamp,
                                       std::string_view body);

// The CallRail signature header value under the given options.
std::string sign_callrail(std::string_view token, std::string_view body,
                          const CallRailOptions& options = {});

// X-Chatwoot-Signature value: "sha256=<hex HMAC-SHA256(secret, "ts.body")>".
std::string sign_chatwoot(std::string_view secret, int64_t timestamp, std::string_view body);

}  // namespace onramp::webhooks
