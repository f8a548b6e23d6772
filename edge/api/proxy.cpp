// ANY /api/v1/proxy/{connection_id}/{*rest}: the credential proxy. The
// caller authenticates with their own bearer token; the edge sends the
// request on to the connection's platform with the stored
// credentials, which therefore never reach the caller. What is forwarded
// and returned is edge/connectors/proxy.h.
//
//   GET, HEAD               members of the connection's org
//   POST, PUT, PATCH, DELETE managers (they change the client's store); audited
//
// Another tenant's connection (or another user's per-user integration) is
// 404 like a missing one. A path that would leave the platform's API is
// 400. When the connection's rate budget asks for a wait longer than a few
// seconds the caller gets 429 with Retry-After instead of a held request.
// A platform's 401/407 becomes a 502 problem: the caller's own token is
// fine, it is the stored credential the platform refused.
//
// The answer is streamed: the caller gets the platform's status and
// headers as soon as they arrive, then the body as it comes (with the
// platform's Content-Length when it gave one, else chunked). Everything
// that can go wrong before the first byte is a problem+json answer; after
// it, the only way left to say "this body is not whole" is to cut the
// connection: a body over Config::proxy_max_answer, or a platform that
// drops mid-body, ends that way and is logged (App::log).
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/audit.h"
#include "edge/connections/credentials.h"
#include "edge/connectors/proxy.h"
#include "shared/json.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;

namespace {

// Larger bodies go to the platform's own bulk APIs, not through the edge.
constexpr size_t kMaxProxyBody = size_t(8) << 20;
// How long a proxied request may wait for the rate budget before the
// caller is told to come back later.
constexpr int kMaxWaitMs = 5000;

Result<store::Connection> proxied_connection(App& app, const Call& c) {
    auto db = app.store->lease();
    auto conn = store::find_connection_any_org(*db, c.req.param("connection_id"));
    if (!conn || !c.who->can_read(conn->org_id) || !sees_connection(*c.who, *conn))
        return not_found("No such connection.");
    bool reads = c.req.method == "GET" || c.req.method == "HEAD";
    if (!reads && !c.who->can_manage(conn->org_id))
        return forbidden("Only this organization's managers can change data through the proxy.");
    if (conn->status != "active") return conflict("This connection is not active; test its credentials first.");
    return *conn;
}

Problem platform_failure(const connectors::Failure& f) {
    if (f.cause == connectors::Cause::rate_limited)
        return too_many_requests(f.retry_after_s > 0 ? f.retry_after_s : 1, f.message);
    Problem p = bad_gateway(f.message, std::string(connectors::to_string(f.cause)));
    if (f.cause == connectors::Cause::timeout) p.status = 504;
    return p;
}

Result<Response> forward_request(App& app, const Call& c) {
    auto conn = proxied_connection(app, c);
    if (!conn) return conn.problem();
    std::string query;
    if (size_t q = c.req.target.find('?'); q != std::string::npos) query = c.req.target.substr(q + 1);
    if (auto refusal = connectors::proxy_refusal(c.req.param("rest"), query))
        return bad_request(*refusal, "proxy_path_refused");

    const connectors::Platform* platform = connectors::find_platform(conn->platform);
    if (!platform) return not_found("This platform has no API to proxy.");
    connectors::Credentials creds;
    {
        auto db = app.store->lease();
        auto loaded = connections::load_credentials(*app.vault, *db, *conn, platform->entry());
        if (!loaded) return loaded.problem();
        creds = std::move(*loaded);
    }
    connectors::CallContext ctx = app.contexts->for_connection(conn->id, platform->entry());
    ctx.retry.max_delay_ms = kMaxWaitMs;

    connectors::ProxyRequest req{c.req.method, c.req.param("rest"), query, c.req.headers, c.req.body};
    int64_t cap = int64_t(app.config.proxy_max_answer);
    auto answer = connectors::forward(*platform, creds, ctx, req, cap);

    if (c.req.method != "GET" && c.req.method != "HEAD") {
        auto db = app.store->lease();
        audit(*db, app.now(), c.who, &c.req,
              {"proxy.forwarded", conn->org_id, "connection", conn->id,
               {{"method", c.req.method},
                {"path", c.req.param("rest")},
                {"status", answer ? answer->status : 0}}});
    }
    if (!answer) return platform_failure(answer.failure());
    if (answer->status == 401 || answer->status == 407) {
        Problem p = bad_gateway(std::string(platform->entry().name) +
                                    " refused the stored credentials. Rotate them on the connection.",
                                "credential_rejected");
        return p;
    }
    if (c.req.method != "HEAD" && answer->content_length > cap)
        return bad_gateway(std::string(platform->entry().name) + " answered with " +
                               std::to_string(answer->content_length) + " bytes; the proxy passes at most " +
                               std::to_string(cap) + ". Use the platform's bulk export for data this large.",
                           "proxy_answer_too_large");
    Response r;
    r.status = answer->status;
    r.content_type = answer->content_type;
    for (auto& [k, v] : answer->headers) r.set_header(k, v);
    r.set_header("Cache-Control", "no-store");
    if (answer->status == 204 || answer->status == 304) return r;  // never a body (RFC 9110 §6.4.1)
    r.stream = std::move(answer->body);
    r.stream_length = answer->content_length;
    r.stream_cut = [&app, why = std::move(answer->cut_reason), connection_id = conn->id, request_id = c.req.request_id,
                    method = c.req.method, path = c.req.param("rest"), cap] {
        std::string reason = why();
        if (reason.empty()) return false;
        nlohmann::json line = {{"level", "warn"},
                               {"event", "proxy.answer_cut"},
                               {"reason", reason},
                               {"request_id", request_id},
                               {"connection_id", connection_id},
                               {"method", method},
                               {"path", path},
                               {"max_answer", cap}};
        app.log(dump_json(line));
        return true;
    };
    return r;
}

}  // namespace

void add_proxy_routes(http::Router& r, App& app) {
    const std::string pattern = "/api/v1/proxy/{connection_id}/{*rest}";
    for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"})
        r.add({method, pattern, Access::User, Body::Raw, with_app(app, forward_request), kMaxProxyBody});
}

}  // namespace onramp::api
