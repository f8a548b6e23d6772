// The sending side of the schemes that are not platforms: what a Standard
// Webhooks sender computes before they POST a delivery (each
// platform's signer is in its folder, edge/platforms/<id>/webhook.h; every
// scheme's Scheme::sign signs a whole Delivery). The mock platform server
// uses these to send signed deliveries, and the benchmark to generate load.
// verify.h is the receiving side; tests check both against the senders'
// published vectors, never one against the other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace onramp::webhooks {

// svix-signature / webhook-signature value "v1,<base64>" for a "whsec_<base64>"
// secret; nullopt if the secret is not valid base64.
std::optional<std::string> sign_standard_webhooks(std::string_view whsec_secret,
                                                  std::string_view id, int64_t timestamp,
                                                  std::string_view body);
// Same with raw key bytes (BigCommerce: the app's client secret as is).
std::string sign_standard_webhooks_raw(std::string_view key, std::string_view id, int64_t timestamp,
                                       std::string_view body);

}  // namespace onramp::webhooks
