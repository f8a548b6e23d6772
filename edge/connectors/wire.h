// What every platform file needs to speak HTTP to a platform, so each of
// them holds only its own wire protocol:
//
//   send()          one request: SSRF check and address pinning for typed
//                   hosts, the rate budget, bounded retries with backoff and
//                   jitter on 429/5xx/dropped connections (Retry-After
//                   honoured), redirects capped and re-checked hop by hop
//   base_url()      the platform's API origin, or the configured override
//   status_failure  an HTTP status turned into a Failure with a message a
//                   client understands
//   helpers         JSON access, query strings, Link headers, timestamps
//
// Internal to edge/connectors; the public interface is connector.h.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "edge/connectors/connector.h"
#include "edge/http/client.h"

namespace onramp::connectors::wire {

using nlohmann::json;

struct Request {
    std::string step;  // names the Failure if it fails: "fetch_store"
    std::string method = "GET";
    std::string url;
    http::Headers headers;  // Security: treated as credentials; dropped when a redirect leaves the origin
    std::string body;
    std::string content_type;
    // Security: the host came from something a client typed (a store
    // address, a CRM base URL). The SSRF guard applies unless the context
    // allows private addresses; `host_field` names the field for the 422.
    bool typed_host = false;
    std::string host_field;
    // GETs, and POSTs that change nothing (a token exchange), may be
    // retried after a 429, a 5xx or a dropped connection.
    bool retryable = true;
    // Counted against the connection's RateBudget. Token exchanges go to
    // another host with its own limits (api.amazon.com, a CRM's token
    // URL) and are not; their Retry-After is still honoured.
    bool budgeted = true;
    // The operation called, for platforms whose limits are per operation
    // (RateBudget keeps one bucket per operation); null otherwise.
    const OperationLimit* operation = nullptr;
};

// Sends `req` for `platform`. A Failure only when no HTTP answer came back
// (DNS, TLS, timeout, refused address, connection failure) or a wait would
// be longer than the retry policy allows; any status is returned as a
// response for the platform code to read.
Outcome<http::FetchResponse> send(const Platform& platform, CallContext& ctx, const Request& req);
// send(), with the body of the answer it returns handed to `route` as it
// arrives instead of collected (the credential proxy streams it on). The
// route is asked only for that answer, never for a redirect send()
// follows or a 429/5xx it retries; once it has been asked nothing is
// retried, and a transfer that fails later is a Failure.
Outcome<http::FetchResponse> send(const Platform& platform, CallContext& ctx, const Request& req,
                                  const http::BodyRoute& route);

// send(), then a non-2xx status becomes status_failure() with the
// platform's error text. 204 No Content is a success with an empty body.
Outcome<http::FetchResponse> call(const Platform& platform, CallContext& ctx, const Request& req);
// call(), then the body parsed as JSON (null for 204); unreadable JSON is a
// platform_error.
Outcome<json> call_json(const Platform& platform, CallContext& ctx, const Request& req);

// A platform object id for a URL path segment: percent-encoded, so an id
// from a webhook ("../x", "1?a=b") cannot change which resource is asked
// for. "" for an empty id or a dot segment.
std::string path_id(const std::string& id);

// The origin to call for `key` ("bigcommerce", "amazon_lwa", ...): the
// context's override if one is set, with {field} placeholders filled from
// the credentials, else `production`. No trailing slash.
std::string base_url(const CallContext& ctx, std::string_view key, const std::string& production,
                     const Credentials& creds);
bool has_override(const CallContext& ctx, std::string_view key);

// A Failure for a non-2xx status: 401 credential_rejected, 403
// scope_missing, 404 store_not_found, 429 rate_limited (with the budget's
// wait), anything else platform_error. `platform_message` is the
// platform's own error text (shortened here).
Failure status_failure(const Platform& platform, const CallContext& ctx, const std::string& step,
                       const http::FetchResponse& res, const std::string& platform_message);
// A Failure for a 2xx answer that is not what the platform documents.
Failure unreadable(const Platform& platform, const std::string& step, const std::string& what);
// A Failure for a resource the platform does not have ("list_orders").
Failure unsupported_resource(const Platform& platform, Resource r);
// A Failure (404) for an id that cannot be one of the platform's, before
// any call: `form` says what its ids are ("numbers").
Failure not_an_id(const Platform& platform, const std::string& id, std::string_view form);
// The client-facing sentence for a cause.
std::string default_message(Cause cause, std::string_view platform_name, const std::string& host);

// The catalog labels of these scope names, joined for a sentence:
// "Products: read-only, Orders: read-only".
std::string scope_labels(const Connector& entry, const std::vector<std::string>& names);
// Granted scopes satisfy a required one directly or through a broader
// scope (catalog Scope::satisfied_by). Returns the required ones missing.
std::vector<std::string> missing_scopes(const Connector& entry, const std::vector<std::string>& granted);
// The required scopes into v.required_scopes; of `missing`, the required
// ones into v.missing_scopes and the optional ones into v.limited
// ({scope, label, feature}, see Verified).
void sort_scopes(const Connector& entry, const std::vector<std::string>& missing, Verified& v);

// --- tokens -----------------------------------------------------------------

// An access token cached in ctx.tokens for these credentials (identified
// by a digest of `parts`, never the secrets themselves), or "" when there
// is none or it expires within a minute.
std::string cached_token(CallContext& ctx, std::initializer_list<std::string_view> parts);
void cache_token(CallContext& ctx, std::initializer_list<std::string_view> parts, const std::string& token,
                 int64_t expires_in_s);

// --- JSON -----------------------------------------------------------------

// The body as JSON, or nullopt.
std::optional<json> parse_json(const std::string& body);
// A member as text: strings as they are, numbers printed, else "".
std::string text(const json& j, std::string_view key);
// A member as a decimal money string ("19.99"), or null.
json money(const json& j, std::string_view key);
// A member, or null when absent.
json member(const json& j, std::string_view key);
// Error text out of the usual shapes: {"message"}, {"error"},
// {"error_description"}, {"errors": "..." | ["..."] | {"k": ["..."]} |
// [{"message"}]}, {"title"}, [{"message"}]. Shortened; "" when none.
std::string error_text(const json& j);
std::string error_text(const std::string& body);

// --- URLs -----------------------------------------------------------------

// Percent-encodes a query component (RFC 3986 unreserved kept).
std::string url_encode(std::string_view s);
// "?a=1&b=2" from pairs, skipping empty values; "" when all are empty.
std::string query(std::initializer_list<std::pair<std::string_view, std::string>> params);
// The value of `name` in a URL's query string (percent-decoded), or "".
std::string query_param(const std::string& url, std::string_view name);
// The URL of the rel="next" link in an RFC 8288 Link header, or "".
std::string next_link(const std::string& link_header);
// Basic credentials for an Authorization header (RFC 7617).
std::string basic_auth(const std::string& user, const std::string& password);

// --- time -----------------------------------------------------------------

// A platform timestamp as UTC ISO 8601 "YYYY-MM-DDTHH:MM:SSZ": accepts ISO
// 8601 with Z, an offset or no zone (read as UTC), RFC 2822 ("Tue, 20 Nov
// 2012 00:00:00 +0000") and Unix seconds. "" when unreadable.
std::string utc_iso(const std::string& platform_time);
std::string utc_iso(const json& j, std::string_view key);
// Seconds since the epoch for a UTC ISO 8601 time; -1 when unreadable.
int64_t unix_seconds(const std::string& iso);
std::string iso_from_unix(int64_t seconds);

}  // namespace onramp::connectors::wire
