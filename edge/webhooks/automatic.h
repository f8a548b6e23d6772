// Webhook registration that follows a connection's life by itself. The
// connection service (edge/connections/service.h) calls it after a
// connection is made or its credentials change and before one is deleted,
// so every way of connecting (the REST API, the onboarding flows, OAuth
// install, the operator's client creation) behaves the same:
//
//   made, rotated,   the topics are registered (idempotently, registration.h)
//   secret set       when nothing they need is missing:
//                      - the platform has a webhook API (BigCommerce, Shopify,
//                        WooCommerce; elsewhere "manual": the steps are shown)
//                      - a public URL the platform can reach: one on loopback
//                        only for a platform on loopback (the mock platforms of
//                        a demo), one on a private network only for a platform
//                        that is not on the public internet
//                      - Shopify: the app's client secret is set, since Shopify
//                        signs deliveries with it and Onramp cannot choose it
//                    otherwise the registration is "pending" with the reason.
//                    A platform's refusal is kept ("failed", with its words)
//                    and audited; the connection stands either way, and
//                    POST .../webhooks/registration tries again. Hooks an
//                    operator removed stay removed until registered by hand.
//   deleting         the hooks recorded as ours are deleted, best effort: a
//                    platform's error is audited and the deletion goes on.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "edge/app.h"
#include "edge/auth/principal.h"
#include "edge/http/message.h"
#include "edge/store/connections.h"
#include "edge/webhooks/endpoint.h"

namespace onramp::webhooks {

// What an automatic registration did.
struct Automatic {
    std::string state;   // registered | pending | failed | removed | manual
    std::string reason;  // pending, failed, removed, manual: why, in words for the operator
    size_t hooks = 0;    // registered: how many
};
nlohmann::json to_json(const Automatic& a);

// Every reason registration gives but a platform's refusal (whose words
// are the platform's): fixed sentences with "{platform}" and "{public_url}"
// where the connection's platform id and the server's public URL go. The
// web client finds them by these templates in its tables (web/i18n/i18n.h,
// tr_edge), and tests/edge/webhooks/texts_test.cpp checks the tables have
// each one.
std::vector<std::string> registration_reasons();

// Why the hooks cannot be registered by themselves now; nullopt when they
// can. Reads no platform.
std::optional<std::string> missing_prerequisite(App& app, store::Db& db, const store::Connection& conn,
                                                const std::optional<Endpoint>& e);

// Registers where nothing is missing and records the outcome. Never fails
// the caller: the outcome says what happened.
Automatic register_automatically(App& app, const store::Connection& conn, const auth::Principal* who,
                                 const http::Request* req);

// Deletes the hooks recorded as ours before the connection goes; audits a
// refusal. Call while the connection's credentials are still in the vault.
void unregister_before_delete(App& app, const store::Connection& conn, const auth::Principal* who,
                              const http::Request* req);

// The registration's state for the webhooks view:
// {"automatic", "state" (registered | pending | failed | removed |
// not_registered | manual), "reason", "attempted_at"}.
nlohmann::json registration_json(App& app, store::Db& db, const store::Connection& conn,
                                 const std::optional<Endpoint>& e);

// Shopify signs an app's deliveries with the app's client secret, so a
// store installed through this server's app has its webhook secret
// already: it is set (audited), and the hooks that waited for it are
// registered. The Shopify OAuth callback calls it.
void adopt_shopify_app_secret(App& app, const store::Connection& conn, const std::string& client_secret,
                              const auth::Principal* who, const http::Request* req);

}  // namespace onramp::webhooks
