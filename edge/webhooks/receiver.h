// The receiving door: POST /webhooks/{platform}/{connection_id}, the
// one-URL POST /api/webhooks/bigcommerce, a platform app's one URL
// /webhooks/{platform} (platforms::AppWebhooks), and the GET a scheme with a
// subscription handshake (Scheme::handshake) is checked with. The most exposed endpoint of the
// server, so every step refuses rather than guesses:
//
//   unknown platform or connection, or a platform that is not the
//   connection's scheme                        404, counted, nothing stored
//   a content type the scheme never sends      415, counted, nothing stored
//   no secret configured, forged, truncated,
//   re-signed, stale timestamp                 401, counted, nothing stored
//   WooCommerce creation ping                  200, nothing stored
//   verified                                   committed to the inbox, then 200
//   verified duplicate                         200, not stored or processed again
//   inbox write failed                         503: not acknowledged, the platform retries
//
// Verification runs on the raw body bytes and, for URL-signed schemes
// (Twilio), on Config::public_url plus the request target as received:
// behind a reverse proxy the URL the platform signed is not the one the
// edge sees.
#pragma once

#include <string>

#include "edge/app.h"
#include "edge/http/message.h"
#include "edge/webhooks/inbox.h"
#include "edge/webhooks/targets.h"
#include "shared/result.h"

namespace onramp::webhooks {

// A verified delivery's answer is deferred (http::deferred): it comes once
// the inbox's commit holding it is durable, without a thread waiting.
Result<http::Response> receive(App& app, Inbox& inbox, Targets& targets, const std::string& platform,
                               const std::string& connection_id, const http::Request& req);

// GET /webhooks/{platform}/{connection_id}: the sender checking the URL
// before it delivers. The scheme's handshake answers it in text/plain;
// a scheme without one, or a connection of another scheme, is 404 as for a
// POST; a refused check is the scheme's problem (e.g. 403). Stores nothing.
Result<http::Response> answer_handshake(App& app, Inbox& inbox, Targets& targets, const std::string& platform,
                                        const std::string& connection_id, const http::Request& req);

// POST /api/webhooks/bigcommerce: BigCommerce deliveries to one URL for every organization,
// routed by the "org_id" member the merchant added to the payload. The
// org's BigCommerce connection whose store hash matches the payload's
// "producer" ("stores/{hash}") takes it; with one connection, that one.
Result<http::Response> receive_bigcommerce_by_org(App& app, Inbox& inbox, Targets& targets, const http::Request& req);

// POST /webhooks/{platform}: a delivery to the platform app's one URL
// (platforms::AppWebhooks), checked with the app's secrets as received.
// Each account's part goes to every connection whose account field names
// that account, in whichever organization (each proved the account when it
// connected); a part for no connection is counted ("unrouted", connection
// "") and acknowledged, so the platform does not retry it. 404 when the
// platform has no such URL or no app is configured, 415 and 401 as for
// receive(); answered once every part is durable.
Result<http::Response> receive_for_app(App& app, Inbox& inbox, Targets& targets, const std::string& platform,
                                       const http::Request& req);

// GET /webhooks/{platform}: the handshake of that URL, against the app's
// handshake token.
Result<http::Response> answer_app_handshake(App& app, Inbox& inbox, const std::string& platform,
                                            const http::Request& req);

}  // namespace onramp::webhooks
