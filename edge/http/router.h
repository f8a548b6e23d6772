// The route table and the one place where a request becomes a response.
//
// dispatch() runs every request through the same steps, so no handler can
// forget one: match the route (404/405), check the body size (413) and type
// (415), authenticate (401) and authorise the access level (403), replay an
// Idempotency-Key (RFC draft "The Idempotency-Key HTTP Header Field"; a
// second request with a key whose first is still running is a 409), call
// the handler, and turn any Problem or exception into problem+json
// (RFC 9457). Handlers only return a Result<Response>.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edge/auth/principal.h"
#include "edge/http/message.h"
#include "shared/result.h"

namespace onramp::http {

enum class Access {
    Public,    // no credentials needed (login, webhooks, health)
    User,      // any signed-in user or API key; the handler checks the org
    Operator,  // operators only
};

enum class Body {
    None,       // the route takes no body
    Json,       // application/json, parsed by the handler
    Multipart,  // multipart/form-data
    Raw,        // any bytes (webhooks, proxy): the handler checks them
};

struct Call {
    Request& req;
    const auth::Principal* who;  // null on Public routes without credentials
};

using Handler = std::function<Result<Response>(const Call&)>;

struct Route {
    std::string method;
    std::string pattern;  // "/api/v1/orgs/{org_id}/members/{user_id}"; a final "{*rest}" takes the remainder
    Access access = Access::User;
    Body body = Body::Json;
    Handler handler;
    size_t max_body = 0;  // 0: the router's default limit
};

// One segment of a route's pattern, split once when the route is added:
// every request is matched against every route, so splitting the patterns
// again per request cost more than the rest of a small handler.
struct PatternSegment {
    enum Kind { Literal, Param, Rest } kind = Literal;
    std::string text;  // the literal, or the parameter's name
};

// A stored response for an Idempotency-Key. Security: its body may hold a
// secret shown once (an API key, a session's tokens, a link's token), so a
// hook that keeps it must keep it sealed (edge/api/install.cpp).
struct StoredResponse {
    std::string body_hash;
    int status;
    std::string content_type;
    std::string body;
};

struct RouterHooks {
    // Resolves credentials (Authorization header). A Problem means the
    // credentials were present but bad; nullopt-equivalent is "none given".
    std::function<Result<std::optional<auth::Principal>>(const Request&)> authenticate;
    // The answer stored for (principal, key), none, or a Problem when one is
    // stored but cannot be used.
    std::function<Result<std::optional<StoredResponse>>(const std::string& principal, const std::string& key)>
        idem_find;
    std::function<void(const std::string& principal, const std::string& key, const Request&, const StoredResponse&)> idem_save;
    // Requests that match no route (GET of the web client's files).
    std::function<std::optional<Response>(const Request&)> fallback;
    // Told about unexpected exceptions, which become a 500.
    std::function<void(const Request&, const std::string& what)> on_error;
    size_t default_max_body = 1 << 20;
};

// Idempotency-Keys whose first request is still being answered.
struct InFlightKeys;

class Router {
public:
    explicit Router(RouterHooks hooks = {});
    void add(Route route);
    void set_hooks(RouterHooks hooks) { hooks_ = std::move(hooks); }

    Response dispatch(Request& req) const;

    // Before the body is read: a Problem when the declared length is over
    // the limit for the route, so an oversized upload is refused without
    // buffering it.
    std::optional<Problem> check_length(const std::string& method, const std::string& path,
                                        size_t content_length) const;
    size_t max_body_for(const std::string& method, const std::string& path) const;
    // The table, in the order routes were added: for tests that walk every route.
    const std::vector<Route>& routes() const { return routes_; }
    std::string_view pattern_for(const std::string& method, const std::string& path) const;  // router_patterns.cpp

private:
    const Route* match(const std::string& method, const std::string& path,
                       std::map<std::string, std::string>* params, std::string* allow) const;
    Result<Response> run(const Route& route, Request& req) const;

    RouterHooks hooks_;
    std::vector<Route> routes_;
    std::vector<std::vector<PatternSegment>> patterns_;  // routes_[i]'s pattern, split
    std::shared_ptr<InFlightKeys> in_flight_;
};

// The one place a Problem becomes an HTTP response.
Response problem_response(const Problem& p, const std::string& request_id);

// Ends a deferred response with its answer or a Problem; called once, from
// any thread.
using Finish = std::function<void(Result<Response> answer)>;
// A response whose answer comes later (Response::later): `start` runs on
// the worker and hands `finish` to whatever completes the work. A Problem
// it finishes with becomes problem+json, and an exception from `start` a
// 500 (a finish after that is dropped).
Response deferred(std::function<void(Finish finish)> start, std::string request_id);

// Parses a JSON object body through parse_json (shared/json.h): 400 when
// empty, malformed (naming the byte) or over its limits, 422 when it is not
// an object.
Result<nlohmann::json> parse_json_object(const Request& req);

}  // namespace onramp::http
