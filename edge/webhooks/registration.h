// Registering this deployment's webhook URL on a platform, for the
// platforms with a webhook API (docs/platforms/<id>.md):
//
// each platform's API is a HookApi in its module (edge/platforms/<id>/module.cpp;
// BigCommerce, Shopify and WooCommerce have one; Meta has a subscription,
// HookApi::subscription).
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

// A platform's webhook registration API, declared in its folder's
// module.cpp (Module::hooks): where its hooks are listed, created and
// changed, and how their JSON is shaped.
struct HookApi {
    std::vector<std::string> topics;  // registered: what the worker applies (topics.h)
    // Paths may name a connection credential as {field} ("/{page_id}/..."):
    // its value, encoded as one path segment, replaces it.
    std::string list_path;            // GET: the hooks this app made
    std::string create_path;          // POST: a new hook
    std::string (*hook_path)(const std::string& safe_id) = nullptr;  // PUT / DELETE one hook
    std::string list_member;          // the array in the list answer; "" when it is the answer
    std::string created_member;       // the hook in the create answer; "" when it is the answer
    std::string topic_key, destination_key;
    nlohmann::json (*body)(const std::string& topic, const std::string& url, const std::string& secret) = nullptr;
    // The secret belongs to each hook, so an update sends it again; false:
    // the platform signs with the app's secret and an existing hook is kept.
    bool secret_per_hook = true;
    // The credential field holding the address a client typed (WooCommerce's
    // site_url): calls to it get the SSRF guard. "" for a fixed API host.
    std::string typed_host_field;
    // The account subscribes the app as a whole instead of holding hook
    // objects (Meta: /{page-id}/subscribed_apps, whose POST replaces the
    // fields): registering POSTs body() for every topic, comma-separated,
    // to create_path; removing DELETEs create_path. Nothing is listed.
    bool subscription = false;
};

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
