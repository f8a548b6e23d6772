// The edge's route table: every endpoint is registered here, by area.
// Each area's handlers live in their own file (auth.cpp, orgs.cpp, ...).
#pragma once

#include "edge/app.h"
#include "edge/http/router.h"
#include "edge/store/connections.h"

namespace onramp::api {

// Builds the router with all routes and the hooks (authentication,
// idempotency, web client files) bound to `app`.
void install(http::Router& router, App& app);

// Adapts `Result<Response> fn(App&, const Call&)` to a route handler.
inline http::Handler with_app(App& app, Result<http::Response> (*fn)(App&, const http::Call&)) {
    return [&app, fn](const http::Call& c) { return fn(app, c); };
}

// The org named by the {org_id} path parameter, when the caller may see it.
// Security: another tenant's org answers 404, exactly like a missing one,
// so ids cannot be probed for existence.
Result<std::string> readable_org(const http::Call& c);
// As readable_org, and the caller must be able to manage it (403 if not).
Result<std::string> managed_org(const http::Call& c);
// Whether the caller may see this connection of an org they can read: not
// another user's per-user integration, nor, for an onboarding link's
// session, another platform than the link's (Principal::platforms). Every
// route on an existing connection asks this, through visible_connection or
// directly where the connection is not named by the path.
bool sees_connection(const auth::Principal& who, const store::Connection& conn);
// The connection named by the {id} path parameter in the {org_id} org, when
// the caller may see it (manage: and change it). Another tenant's, another
// user's per-user integration, or one of a platform the caller's onboarding
// link does not include, is 404 like a missing one.
Result<store::Connection> visible_connection(App& app, const http::Call& c, bool manage);
// A whole number from 1 to max in the query parameter `name`, `fallback`
// when absent; otherwise a 422 naming it.
Result<int> page_param(const http::Call& c, const char* name, int fallback, int max);
// The caller of a route a browser's EventSource calls, which cannot send an
// Authorization header: the request's principal, else the one named by its
// ?access_token= (kept in `holder`). 401 when there is neither.
Result<const auth::Principal*> stream_caller(App& app, const http::Call& c, std::optional<auth::Principal>& holder);
// The principal for a bearer token (a session access token or an API key),
// for the one route that takes it outside the Authorization header.
Result<std::optional<auth::Principal>> authenticate_bearer(App& app, const http::Request& req,
                                                           const std::string& token);

void add_health_routes(http::Router& r, App& app);
void add_auth_routes(http::Router& r, App& app);
void add_org_routes(http::Router& r, App& app);
void add_audit_routes(http::Router& r, App& app);
// GET /api/v1/connectors, POST /api/v1/connectors/{platform}/test,
// GET /api/v1/demo/credentials (demo mode only).
void add_connector_routes(http::Router& r, App& app);
void add_document_routes(http::Router& r, App& app);
void add_connection_routes(http::Router& r, App& app);
// POST /webhooks/{platform}/{connection_id}, POST /api/webhooks/bigcommerce,
// and .../connections/{id}/webhooks (secret, registration, deliveries, replay).
void add_webhook_routes(http::Router& r, App& app);
// /api/v1/onboarding: the phased onboarding (but documents).
void add_onboarding_routes(http::Router& r, App& app);
// /api/v1/onboarding/invite-user, invited-users; /api/v1/invitations/*.
void add_invitation_routes(http::Router& r, App& app);
// /api/v1/orgs/{org_id}/onboarding-links; /api/v1/onboarding-links/exchange.
void add_onboarding_link_routes(http::Router& r, App& app);
// .../connections/{id}/sync (status, manual trigger, server-sent events).
void add_sync_routes(http::Router& r, App& app);
// GET /api/v1/orgs/{org_id}/products and .../records: synced rows.
void add_record_routes(http::Router& r, App& app);
// ANY /api/v1/proxy/{connection_id}/{*rest}: the credential proxy.
void add_proxy_routes(http::Router& r, App& app);
// GET /api/v1/operator/vault: master key status (operators only).
void add_vault_status_routes(http::Router& r, App& app);
// /api/v1/branding, /api/v1/orgs/{org_id}/branding, /api/v1/onboarding/branding.
void add_branding_routes(http::Router& r, App& app);
// GET /api/v1/operator/mail: the outgoing-mail queue (operators only).
void add_mail_routes(http::Router& r, App& app);
// /api/v1/orgs/{org_id}/event-endpoints, /api/v1/event-endpoints (operators),
// GET /api/v1/orgs/{org_id}/events: events out (edge/events/).
void add_event_routes(http::Router& r, App& app);

// /api/superadmin (operators): platforms, test, client creation, sync history.
void add_superadmin_routes(http::Router& r, App& app);
// /api/dashboard/integrations, a user's own CRM integrations.
void add_integration_routes(http::Router& r, App& app);
// POST /api/onboarding/bigcommerce (operators): one-call onboarding.
void add_onboarding_bigcommerce_routes(http::Router& r, App& app);
// OAuth install: POST /api/v1/orgs/{org_id}/oauth/{platform}/start, GET /oauth/{platform}/callback.
void add_oauth_routes(http::Router& r, App& app);

}  // namespace onramp::api
