// Events out (edge/events/): an organization's event endpoints, their
// delivery logs, and its realtime event stream. The same endpoint routes
// exist deployment-wide for operators, under /api/v1/event-endpoints,
// whose endpoints receive every organization's events.
//
//   POST   .../event-endpoints                      manager  {url, description, event_types, enabled}
//                                                            201 with "secret", shown this once
//   GET    .../event-endpoints                      manager  list
//   GET    .../event-endpoints/{endpoint_id}        manager  one
//   PATCH  .../event-endpoints/{endpoint_id}        manager  {url, description, event_types, enabled}
//   DELETE .../event-endpoints/{endpoint_id}        manager  the endpoint and its delivery log
//   POST   .../{endpoint_id}/rotate-secret          manager  a new "secret"; the old one signs beside
//                                                            it for 24 hours
//   GET    .../{endpoint_id}/deliveries             manager  the delivery log, newest first (?state=)
//   POST   .../{endpoint_id}/deliveries/{delivery_id}/replay   manager  send it again
//   GET    /api/v1/orgs/{org_id}/events             member   text/event-stream when asked for
//                                                            (Accept), else one JSON page
//
// Organization routes are /api/v1/orgs/{org_id}/event-endpoints...;
// operators' are /api/v1/event-endpoints....
//
// The stream: each event is "id: <seq>", "event: <type>", "data: <payload>"
// (the body a webhook carries). It resumes after the Last-Event-ID header
// or ?after=; a client further behind than the retention window
// (edge/events/events.h) gets what is retained and goes on from there.
// Like the sync stream (edge/api/sync.cpp) it accepts ?access_token=,
// since EventSource cannot send an Authorization header, and ends after
// Config::event_stream_ms so that the client reconnects with its
// Last-Event-ID.
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>

#include "edge/api/routes.h"
#include "edge/audit.h"
#include "edge/events/dispatcher.h"
#include "edge/events/endpoints.h"
#include "edge/events/events.h"
#include "shared/json.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

namespace {

constexpr int kMaxPerPage = 100;
constexpr int kKeepAliveMs = 10000;
constexpr int kEventsPerWrite = 100;

// Whose endpoints a route works on, and where they live.
struct Scope {
    std::optional<std::string> org_id;  // nullopt: deployment-wide
    std::string base;
    std::string audit_org() const { return org_id.value_or(""); }
};

Result<Scope> org_scope(const Call& c) {
    auto org = managed_org(c);
    if (!org) return org.problem();
    return Scope{*org, "/api/v1/orgs/" + *org + "/event-endpoints"};
}

Result<Scope> operator_scope(const Call&) { return Scope{std::nullopt, "/api/v1/event-endpoints"}; }

using ScopeFn = Result<Scope> (*)(const Call&);

// Reads the endpoint fields present in `body` into `e`; `creating`
// requires url. Other members are errors, so a typo is not ignored.
void read_fields(Fields& f, const json& body, events::Endpoint& e, bool creating) {
    if (creating || body.contains("url")) e.url = f.text("url", 2000);
    if (auto d = f.opt_text("description", 500)) e.description = *d;
    if (auto enabled = f.opt_bool("enabled")) e.enabled = *enabled;
    if (auto it = body.find("event_types"); it != body.end()) {
        std::vector<std::string> types;
        bool ok = it->is_array() && !it->empty();
        if (ok)
            for (const json& t : *it) {
                if (!t.is_string() || !events::known_type(t.get<std::string>())) {
                    ok = false;
                    break;
                }
                if (std::find(types.begin(), types.end(), t.get<std::string>()) == types.end())
                    types.push_back(t.get<std::string>());
            }
        if (ok)
            e.event_types = std::move(types);
        else
            f.fail("event_types", "Send a non-empty array of event types, each one of: " +
                                      dump_json(events::all_types()) + ".");
    }
    for (const auto& [k, v] : body.items())
        if (k != "url" && k != "description" && k != "enabled" && k != "event_types")
            f.fail(k, "is not a field of an event endpoint");
}

template <ScopeFn scope_of>
Result<Response> create(App& app, const Call& c) {
    auto scope = scope_of(c);
    if (!scope) return scope.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    Fields f(*body);
    events::Endpoint e;
    e.org_id = scope->org_id;
    e.event_types = events::all_types();
    read_fields(f, *body, e, true);
    if (!f.ok()) return f.problem();
    if (auto s = events::check_url(app.config, e.url); !s) return s.problem();
    e.created_at = e.updated_at = app.now();
    auto db = app.store->lease();
    store::Tx tx(*db);
    std::string secret = events::create(app, *db, e);
    audit(*db, app.now(), c.who, &c.req,
          {"event_endpoint.created", scope->audit_org(), "event_endpoint", e.id, {{"event_types", e.event_types}}});
    tx.commit();
    json out = events::endpoint_json(e);
    out["secret"] = secret;
    Response r = Response::json(out, 201);
    r.set_header("Location", scope->base + "/" + e.id);
    return r;
}

template <ScopeFn scope_of>
Result<Response> list(App& app, const Call& c) {
    auto scope = scope_of(c);
    if (!scope) return scope.problem();
    auto db = app.store->lease();
    json items = json::array();
    for (const events::Endpoint& e : events::list(*db, scope->org_id)) items.push_back(events::endpoint_json(e));
    return Response::json({{"items", items}, {"total", items.size()}});
}

Result<events::Endpoint> endpoint_in(App& app, const Scope& scope, const Call& c) {
    auto db = app.store->lease();
    auto e = events::find(*db, scope.org_id, c.req.param("endpoint_id"));
    if (!e) return not_found("No such event endpoint.");
    return *e;
}

template <ScopeFn scope_of>
Result<Response> get_one(App& app, const Call& c) {
    auto scope = scope_of(c);
    if (!scope) return scope.problem();
    auto e = endpoint_in(app, *scope, c);
    if (!e) return e.problem();
    return Response::json(events::endpoint_json(*e));
}

template <ScopeFn scope_of>
Result<Response> patch(App& app, const Call& c) {
    auto scope = scope_of(c);
    if (!scope) return scope.problem();
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    auto e = endpoint_in(app, *scope, c);
    if (!e) return e.problem();
    Fields f(*body);
    read_fields(f, *body, *e, false);
    if (!f.ok()) return f.problem();
    if (auto s = events::check_url(app.config, e->url); !s) return s.problem();
    e->updated_at = app.now();
    auto db = app.store->lease();
    store::Tx tx(*db);
    events::update(*db, *e);
    audit(*db, app.now(), c.who, &c.req,
          {"event_endpoint.updated", scope->audit_org(), "event_endpoint", e->id,
           {{"event_types", e->event_types}, {"enabled", e->enabled}}});
    tx.commit();
    return Response::json(events::endpoint_json(*e));
}

template <ScopeFn scope_of>
Result<Response> remove(App& app, const Call& c) {
    auto scope = scope_of(c);
    if (!scope) return scope.problem();
    auto db = app.store->lease();
    store::Tx tx(*db);
    std::string id = c.req.param("endpoint_id");
    if (!events::remove(*db, scope->org_id, id)) return not_found("No such event endpoint.");
    audit(*db, app.now(), c.who, &c.req, {"event_endpoint.deleted", scope->audit_org(), "event_endpoint", id});
    tx.commit();
    return Response::empty();
}

template <ScopeFn scope_of>
Result<Response> rotate(App& app, const Call& c) {
    auto scope = scope_of(c);
    if (!scope) return scope.problem();
    auto e = endpoint_in(app, *scope, c);
    if (!e) return e.problem();
    auto db = app.store->lease();
    store::Tx tx(*db);
    std::string secret = events::rotate_secret(app, *db, *e, app.now());
    audit(*db, app.now(), c.who, &c.req,
          {"event_endpoint.secret_rotated", scope->audit_org(), "event_endpoint", e->id});
    tx.commit();
    json out = events::endpoint_json(*e);
    out["secret"] = secret;
    return Response::json(out);
}

template <ScopeFn scope_of>
Result<Response> deliveries(App& app, const Call& c) {
    auto scope = scope_of(c);
    if (!scope) return scope.problem();
    std::string state = c.req.query_value("state");
    if (!state.empty() && state != "pending" && state != "delivered" && state != "failed")
        return unprocessable({{"state", "must be pending, delivered or failed"}});
    auto page = page_param(c, "page", 1, 1000000);
    if (!page) return page.problem();
    auto per_page = page_param(c, "per_page", 20, kMaxPerPage);
    if (!per_page) return per_page.problem();
    auto e = endpoint_in(app, *scope, c);
    if (!e) return e.problem();
    auto db = app.store->lease();
    json items = json::array();
    for (const events::Delivery& d : events::deliveries(*db, e->id, state, *per_page, (*page - 1) * *per_page))
        items.push_back(events::delivery_json(d));
    return Response::json({{"items", items},
                           {"total", events::count_deliveries(*db, e->id, state)},
                           {"page", *page},
                           {"per_page", *per_page}});
}

template <ScopeFn scope_of>
Result<Response> replay(App& app, const Call& c) {
    auto scope = scope_of(c);
    if (!scope) return scope.problem();
    auto e = endpoint_in(app, *scope, c);
    if (!e) return e.problem();
    std::string id_text = c.req.param("delivery_id");
    if (id_text.empty() || id_text.size() > 18 || id_text.find_first_not_of("0123456789") != std::string::npos)
        return not_found("No such delivery.");
    int64_t id = std::stoll(id_text);
    std::optional<events::Delivery> d;
    {
        auto db = app.store->lease();
        store::Tx tx(*db);
        if (!events::replay(*db, e->id, id, app.now())) return not_found("No such delivery.");
        audit(*db, app.now(), c.who, &c.req,
              {"event_delivery.replayed", scope->audit_org(), "event_endpoint", e->id, {{"delivery_id", id}}});
        tx.commit();
        d = events::find_delivery(*db, e->id, id);
    }
    if (app.events) app.events->wake();
    return Response::json(events::delivery_json(*d), 202);
}

// --- the event stream ----------------------------------------------------------

// Where a reader resumes: Last-Event-ID, else ?after=, else 0 (from the
// oldest retained event).
Result<int64_t> resume_point(const Call& c) {
    std::string v = c.req.header("Last-Event-ID");
    const char* name = "Last-Event-ID";
    if (v.empty()) {
        v = c.req.query_value("after");
        name = "after";
    }
    if (v.empty()) return int64_t(0);
    if (v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
        return unprocessable({{name, "must be an event's sequence number (a whole number)"}});
    return int64_t(std::stoll(v));
}

json event_json(const events::Event& e) {
    json j = json::parse(events::payload(e));
    j["seq"] = e.seq;
    j["id"] = e.id;
    return j;
}

// The state one stream keeps between calls of its producer.
struct Follow {
    Follow(App& a, std::string org, int64_t after) : app(a), org_id(std::move(org)), after(after) {}
    App& app;
    std::string org_id;
    int64_t after;  // the last seq sent
    std::chrono::steady_clock::time_point opened = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_write = opened;
    bool first = true;
};

// One call reads the next events once and writes them (or a keep-alive
// comment); a call that writes nothing and returns true is polled again
// after the server's pause (edge/http/message.h). False ends the stream.
bool follow_once(Follow& f, const http::ChunkWriter& write) {
    using clock = std::chrono::steady_clock;
    std::string out;
    if (f.first) {
        f.first = false;
        out = "retry: 1000\n\n";
    }
    std::vector<events::Event> next;
    {
        auto db = f.app.store->lease();
        next = events::read_after(*db, f.org_id, f.after, kEventsPerWrite);
    }
    for (const events::Event& e : next) {
        out += "id: " + std::to_string(e.seq) + "\nevent: " + e.type + "\ndata: " + events::payload(e) + "\n\n";
        f.after = e.seq;
    }
    auto now = clock::now();
    if (!out.empty()) {
        f.last_write = now;
        return write(out);
    }
    if (now - f.opened >= std::chrono::milliseconds(f.app.config.event_stream_ms)) return false;
    if (now - f.last_write > std::chrono::milliseconds(kKeepAliveMs)) {
        f.last_write = now;
        return write(": keep-alive\n\n");
    }
    return true;
}

Result<Response> stream(App& app, const Call& c) {
    std::optional<auth::Principal> from_query;
    auto who = stream_caller(app, c, from_query);
    if (!who) return who.problem();
    Call call{c.req, *who};
    auto org = readable_org(call);
    if (!org) return org.problem();
    auto after = resume_point(call);
    if (!after) return after.problem();
    if (c.req.header("Accept").find("text/event-stream") == std::string::npos) {
        auto limit = page_param(call, "limit", kMaxPerPage, kMaxPerPage);
        if (!limit) return limit.problem();
        auto db = app.store->lease();
        json items = json::array();
        int64_t last = *after;
        for (const events::Event& e : events::read_after(*db, *org, *after, *limit)) {
            items.push_back(event_json(e));
            last = e.seq;
        }
        return Response::json({{"items", items}, {"next_after", last}});
    }
    auto follow = std::make_shared<Follow>(app, *org, *after);
    Response r;
    r.content_type = "text/event-stream";
    r.set_header("Cache-Control", "no-store");
    r.set_header("X-Accel-Buffering", "no");  // reverse proxies: do not hold events back
    r.stream = [follow](const http::ChunkWriter& write) { return follow_once(*follow, write); };
    return r;
}

template <ScopeFn scope_of>
void add_endpoint_routes(http::Router& r, App& app, const std::string& base, Access access) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    const std::string one = base + "/{endpoint_id}";
    r.add({"POST", base, access, Body::Json, bind(create<scope_of>)});
    r.add({"GET", base, access, Body::None, bind(list<scope_of>)});
    r.add({"GET", one, access, Body::None, bind(get_one<scope_of>)});
    r.add({"PATCH", one, access, Body::Json, bind(patch<scope_of>)});
    r.add({"DELETE", one, access, Body::None, bind(remove<scope_of>)});
    r.add({"POST", one + "/rotate-secret", access, Body::None, bind(rotate<scope_of>)});
    r.add({"GET", one + "/deliveries", access, Body::None, bind(deliveries<scope_of>)});
    r.add({"POST", one + "/deliveries/{delivery_id}/replay", access, Body::None, bind(replay<scope_of>)});
}

}  // namespace

void add_event_routes(http::Router& r, App& app) {
    add_endpoint_routes<org_scope>(r, app, "/api/v1/orgs/{org_id}/event-endpoints", Access::User);
    add_endpoint_routes<operator_scope>(r, app, "/api/v1/event-endpoints", Access::Operator);
    // Public to the router: the handler authenticates, by header or query.
    r.add({"GET", "/api/v1/orgs/{org_id}/events", Access::Public, Body::None, with_app(app, stream)});
}

}  // namespace onramp::api
