// Registering this deployment's webhook URL on a platform, for the
// platforms with a webhook API (docs/platforms/<id>.md):
//
//   bigcommerce  POST/PUT/DELETE /stores/{hash}/v3/hooks        secret: our random value in the hook's
//                                                              "headers" {"X-Onramp-Webhook-Secret": ...}
//   shopify      POST/PUT/DELETE /admin/api/{v}/webhooks.json   secret: the app's client secret, which
//                                                              the operator sets first (Shopify signs with it)
//   woocommerce  POST/PUT/DELETE /wp-json/wc/v3/webhooks        secret: our random value in "secret"
//
// Idempotent: the platform's hooks are listed first; a hook for the same
// topic and destination is updated (so a rotated secret reaches the
// platform), a missing one is created, and nothing is created twice. Hooks
// addressed to this deployment for a connection that no longer exists are
// deleted on the way. The outcome (registered, or the platform's refusal)
// is kept on the endpoint. When this runs by itself: automatic.h.
// Elsewhere (Stripe, Twilio, CallRail, Chatwoot, Clerk, custom senders)
// manual_steps() tells the operator what to paste where.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "edge/app.h"
#include "edge/store/connections.h"
#include "edge/webhooks/endpoint.h"

namespace onramp::webhooks {

bool supports_registration(const std::string& platform);
// The topics Onramp registers: what the worker applies (topics.h).
std::vector<std::string> registration_topics(const std::string& platform);

// Registers (or updates) the hooks; generates the secret first where Onramp
// may choose it. 422 when the platform has no webhook API or Shopify's app
// secret is not set; 502 when the platform refused (its message included).
Result<Endpoint> register_hooks(App& app, const store::Connection& conn);
// Deletes the hooks recorded as ours; a hook already gone counts as removed.
// The endpoint is then "removed": automatic registration leaves it alone.
Result<Endpoint> unregister_hooks(App& app, const store::Connection& conn);

// Steps for the operator, with the URL filled in.
nlohmann::json manual_steps(const std::string& platform, const Scheme& scheme, const std::string& url);

}  // namespace onramp::webhooks
