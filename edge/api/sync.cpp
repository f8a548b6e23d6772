// /api/v1/orgs/{org_id}/connections/{id}/sync: a connection's sync runs.
// The engine is edge/sync/engine.h; this file shows its
// runs and lets a manager start one.
//
//   GET  .../sync          member   {current, history: {items, total, page, per_page}}
//                                   current: the queued or running run, else the latest
//   POST .../sync          manager  202 {run}: queues a manual run, or answers the one
//                                   already queued or running
//   GET  .../sync/events   member   text/event-stream: "progress" events while the run
//                                   goes, then one "done" event, then the stream ends
//
// EventSource cannot send an Authorization header, so the events route
// also accepts the access token as ?access_token= (event streams only). The
// access log records paths without queries, so the token is not logged.
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>

#include "edge/api/routes.h"
#include "edge/audit.h"
#include "edge/sync/engine.h"
#include "shared/json.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

Result<int> page_param(const Call& c, const char* name, int fallback, int max) {
    std::string v = c.req.query_value(name);
    if (v.empty()) return fallback;
    if (v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos || std::stoi(v) < 1 ||
        std::stoi(v) > max)
        return unprocessable({{name, "must be a whole number from 1 to " + std::to_string(max)}});
    return std::stoi(v);
}

Result<const auth::Principal*> stream_caller(App& app, const Call& c, std::optional<auth::Principal>& holder) {
    if (c.who) return c.who;
    // Security: the query token is accepted on event streams only, where a
    // browser's EventSource has no other way to authenticate. The access
    // log records paths without queries, so the token is not logged.
    std::string token = c.req.query_value("access_token");
    if (token.empty()) return unauthorized();
    auto who = authenticate_bearer(app, c.req, token);
    if (!who) return who.problem();
    if (!*who) return unauthorized();
    holder = std::move(**who);
    return &*holder;
}

namespace {

// How long the events stream stays quiet before a keep-alive comment, and
// how long one stream lasts before the client is asked to reconnect (so a
// stream never outlives a change of credentials for long). How often it
// looks for progress is the server's pause between producer calls that
// wrote nothing (edge/http/message.h).
constexpr int kKeepAliveMs = 10000;
constexpr int kStreamMs = 25000;
constexpr int kMaxPerPage = 100;

bool finished(const std::string& state) { return state == "succeeded" || state == "failed"; }

std::optional<sync::Run> current_run(App& app, const std::string& connection_id) {
    auto db = app.store->lease();
    if (auto active = sync::active_run(*db, connection_id)) return active;
    return sync::latest_run(*db, connection_id);
}

Result<Response> status(App& app, const Call& c) {
    auto conn = visible_connection(app, c, false);
    if (!conn) return conn.problem();
    auto page = page_param(c, "page", 1, 1000000);
    if (!page) return page.problem();
    auto per_page = page_param(c, "per_page", 20, kMaxPerPage);
    if (!per_page) return per_page.problem();
    auto db = app.store->lease();
    json history = json::array();
    for (const sync::Run& r : sync::list_runs(*db, conn->id, *per_page, (*page - 1) * *per_page))
        history.push_back(sync::run_json(r));
    std::optional<sync::Run> current = sync::active_run(*db, conn->id);
    if (!current) current = sync::latest_run(*db, conn->id);
    return Response::json({{"connection_id", conn->id},
                           {"sync_frequency", conn->sync_frequency},
                           {"current", current ? sync::run_json(*current) : json(nullptr)},
                           {"history",
                            {{"items", history},
                             {"total", sync::count_runs(*db, conn->id)},
                             {"page", *page},
                             {"per_page", *per_page}}}});
}

Result<Response> trigger(App& app, const Call& c) {
    auto conn = visible_connection(app, c, true);
    if (!conn) return conn.problem();
    if (conn->status != "active") return conflict("This connection is not active; test its credentials first.");
    auto run = sync::enqueue_run(app, *conn, "manual");
    if (!run) return run.problem();
    if (app.sync) app.sync->wake();
    {
        auto db = app.store->lease();
        audit(*db, app.now(), c.who, &c.req,
              {"sync.requested", conn->org_id, "connection", conn->id,
               {{"platform", conn->platform}, {"run_id", run->id}, {"state", run->state}}});
    }
    Response r = Response::json(sync::run_json(*run), 202);
    r.set_header("Location", "/api/v1/orgs/" + conn->org_id + "/connections/" + conn->id + "/sync");
    return r;
}

std::string event(const char* name, const json& data) {
    return std::string("event: ") + name + "\ndata: " + dump_json(data) + "\n\n";
}

// The state one events stream keeps between calls of its producer.
struct Follow {
    Follow(App& a, std::string id) : app(a), connection_id(std::move(id)) {}
    App& app;
    std::string connection_id;
    std::string last_sent;  // the last event's data, to send only changes
    std::chrono::steady_clock::time_point opened = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_write = opened;
    bool first = true;
};

// One call looks at the run once and writes at most one event (or a
// keep-alive comment). A call that writes nothing and returns true tells
// the server that nothing changed yet: it calls again after a pause,
// holding no thread meanwhile. Returns false once the stream should end.
bool follow_once(Follow& f, const http::ChunkWriter& write) {
    using clock = std::chrono::steady_clock;
    if (f.first) {
        f.first = false;
        // EventSource reconnects after this many ms when the stream ends
        // before the run does.
        if (!write("retry: 1000\n\n")) return false;
    }
    std::optional<sync::Run> run = current_run(f.app, f.connection_id);
    if (!run) return false;
    json data = sync::run_json(*run);
    std::string text = dump_json(data);
    if (text != f.last_sent) {
        f.last_sent = text;
        f.last_write = clock::now();
        if (!write(event("progress", data))) return false;
        if (finished(run->state)) {
            write(event("done", data));
            return false;
        }
        return true;
    }
    auto now = clock::now();
    if (now - f.opened > std::chrono::milliseconds(kStreamMs)) return false;
    if (now - f.last_write > std::chrono::milliseconds(kKeepAliveMs)) {
        f.last_write = now;
        return write(": keep-alive\n\n");
    }
    return true;
}

Result<Response> events(App& app, const Call& c) {
    std::optional<auth::Principal> from_query;
    auto who = stream_caller(app, c, from_query);
    if (!who) return who.problem();
    Call call{c.req, *who};
    auto conn = visible_connection(app, call, false);
    if (!conn) return conn.problem();
    if (!current_run(app, conn->id)) return not_found("This connection has not been synced yet.");
    auto follow = std::make_shared<Follow>(app, conn->id);
    Response r;
    r.content_type = "text/event-stream";
    r.set_header("Cache-Control", "no-store");
    r.set_header("X-Accel-Buffering", "no");  // reverse proxies: do not hold events back
    r.stream = [follow](const http::ChunkWriter& write) { return follow_once(*follow, write); };
    return r;
}

}  // namespace

void add_sync_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    const std::string base = "/api/v1/orgs/{org_id}/connections/{id}/sync";
    r.add({"GET", base, Access::User, Body::None, bind(status)});
    r.add({"POST", base, Access::User, Body::None, bind(trigger)});
    // Public to the router: the handler authenticates, by header or query.
    r.add({"GET", base + "/events", Access::Public, Body::None, bind(events)});
}

}  // namespace onramp::api
