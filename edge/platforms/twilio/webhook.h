// Twilio's webhook scheme: verifying and signing X-Twilio-Signature.
// The rest of the platform is in this folder (module.cpp); its wire facts
// and sources are in docs/platforms/twilio.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// X-Twilio-Signature value for a form POST (params decoded, any order) or,
// with no params, for a GET or a JSON POST whose URL already carries
// bodySHA256 (see twilio_url_with_body_hash). The URL is normalised first as
// Twilio's SDKs do (twilio_normalize_url).
std::string sign_twilio(std::string_view auth_token, std::string_view url,
                        const std::vector<std::pair<std::string, std::string>>& params = {});
// `url` as Twilio's SDKs sign it: twilio-node parses it with the WHATWG URL
// parser first, which percent-encodes what a URL may not hold literally —
// in the query ' " < > space, controls and non-ASCII bytes; in the path also
// ` { } — and leaves everything else, existing escapes included, as given.
// So "?q=it's" and "?q=it%27s" sign alike.
std::string twilio_normalize_url(std::string_view url);
// `url` with "bodySHA256=<hex sha256(body)>" appended to its query, as Twilio
// does for JSON bodies.
std::string twilio_url_with_body_hash(std::string_view url, std::string_view body);

namespace detail {
// Twilio's string-to-sign suffix: every parameter as name + value, sorted;
// `distinct_values` signs each repeated (name, value) once (twilio-node).
std::string twilio_params_suffix(std::vector<std::pair<std::string, std::string>> params,
                                 bool distinct_values);
}  // namespace detail

}  // namespace onramp::webhooks

namespace onramp::platforms::twilio {

// The "twilio" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

}  // namespace onramp::platforms::twilio
