// The mock platforms' webhook registration APIs, and a control endpoint
// that makes the mock send a signed delivery to the hooks registered for a
// topic, the way the platform would after an edit.
//
// Every module with a mock hook API (Module::mock_hooks, declared in the
// platform's folder as mock_hooks.cpp: its paths, field names, answer
// shapes, destination rules and signing) gets the same four routes here:
//
//   GET    {collection}          the hooks, in the platform's list shape
//   POST   {collection}          one per topic + destination (else 422)
//   PUT    {item_prefix}{id}     changes the destination or the active flag
//   DELETE {item_prefix}{id}
//
//   POST /_mock/webhooks/send  {"platform", "topic", "id"}  -> {"sent": N, "statuses": [...]}
//
// A loopback destination is always let through, so that a demo edge on
// http://127.0.0.1:PORT gets deliveries; others as the platform accepts them.
#include "edge/http/client.h"
#include "edge/mock/internal.h"
#include "edge/platforms/module.h"

namespace onramp::mock {

namespace {

const MockHookApi* hook_api(const std::string& platform) {
    const platforms::Module* m = platforms::find_module(platform);
    return m && m->mock_hooks ? &m->mock_hooks() : nullptr;
}

json list_of(State& s, const std::string& platform, const MockHookApi& api) {
    std::lock_guard<std::mutex> lock(s.mu);
    json out = json::array();
    for (const MockHook& h : s.hooks)
        if (h.platform == platform) out.push_back(api.visible(h));
    return out;
}

MockHook* find_hook(State& s, const std::string& platform, const std::string& id) {
    for (MockHook& h : s.hooks)
        if (h.platform == platform && std::to_string(h.id) == id) return &h;
    return nullptr;
}

// Why the platform would refuse to deliver to `url`, or "".
std::string destination_refused(const MockHookApi& api, const std::string& url) {
    http::ParsedUrl u;
    if (!http::parse_url(url, u)) return "the destination is not an absolute http(s) URL";
    if (u.host == "localhost" || u.host == "::1" || u.host.rfind("127.", 0) == 0) return "";
    return api.destination_refused ? api.destination_refused(u) : "";
}

// Creates or updates a hook from a request body already unwrapped to the
// platform's fields. Returns the stored hook, or nullopt with `error` set.
std::optional<MockHook> save_hook(State& s, const std::string& platform, const MockHookApi& api, const json& b,
                                  const std::string& id, std::string* error) {
    auto str = [&](const std::string& k) { return b.contains(k) && b[k].is_string() ? b[k].get<std::string>() : ""; };
    std::lock_guard<std::mutex> lock(s.mu);
    MockHook* h = id.empty() ? nullptr : find_hook(s, platform, id);
    if (!id.empty() && !h) {
        *error = "not found";
        return std::nullopt;
    }
    MockHook next = h ? *h : MockHook{};
    if (!h) {
        next.platform = platform;
        next.topic = str(api.topic_key);
        next.destination = str(api.destination_key);
        if (next.topic.empty() || next.destination.empty()) {
            *error = api.topic_key + " and " + api.destination_key + " are required";
            return std::nullopt;
        }
        for (const MockHook& other : s.hooks)
            if (other.platform == platform && other.topic == next.topic && other.destination == next.destination) {
                *error = "a hook for this topic and destination exists";
                return std::nullopt;
            }
    } else if (!str(api.destination_key).empty()) {
        next.destination = str(api.destination_key);
    }
    if (std::string why = destination_refused(api, next.destination); !why.empty()) {
        *error = why;
        return std::nullopt;
    }
    if (!h) next.id = s.next_hook_id++;
    if (b.contains("headers") && b["headers"].is_object()) next.headers = b["headers"];
    if (b.contains("secret") && b["secret"].is_string()) next.secret = b["secret"].get<std::string>();
    if (b.contains("is_active") && b["is_active"].is_boolean()) next.active = b["is_active"].get<bool>();
    if (b.contains("status") && b["status"].is_string()) next.active = b["status"] == "active";
    if (h)
        *h = next;
    else
        s.hooks.push_back(next);
    return next;
}

bool remove_hook(State& s, const std::string& platform, const MockHookApi& api, const std::string& id, json* removed) {
    std::lock_guard<std::mutex> lock(s.mu);
    for (auto it = s.hooks.begin(); it != s.hooks.end(); ++it)
        if (it->platform == platform && std::to_string(it->id) == id) {
            *removed = api.visible(*it);
            s.hooks.erase(it);
            return true;
        }
    return false;
}

http::Response no_error_shape(int status, const std::string& message, double) { return reply({{"message", message}}, status); }

// The four routes of one platform's hook API.
void add_platform(http::Router& r, State& s, const std::string& platform, const MockHookApi& api) {
    auto gate = [&s, &api](const std::function<http::Response(const http::Request&)>& work) {
        return [&s, &api, work](const http::Request& req) {
            if (!api.allowed(s, req)) return api.error(401, "Unauthorized");
            return work(req);
        };
    };
    add_route(r, s, platform, no_error_shape, "GET", api.collection, gate([&s, platform, &api](const http::Request&) {
                  return reply(api.wrap(list_of(s, platform, api), true));
              }));
    add_route(r, s, platform, no_error_shape, "POST", api.collection, gate([&s, platform, &api](const http::Request& req) {
                  json body = json::parse(req.body, nullptr, false);
                  std::string error;
                  auto h = body.is_object() ? save_hook(s, platform, api, api.unwrap(body), "", &error) : std::nullopt;
                  if (!h) return api.error(422, error.empty() ? "malformed body" : error);
                  return reply(api.wrap(api.visible(*h), false), api.created_status);
              }));
    // An "{id}.json" item is one path segment: the router takes it whole.
    std::string item = api.item_prefix + "{id}";
    auto id_of = [&api](const http::Request& req) {
        std::string id = req.param("id");
        const std::string& suffix = api.item_suffix;
        if (!suffix.empty() && id.size() > suffix.size() &&
            id.compare(id.size() - suffix.size(), suffix.size(), suffix) == 0)
            id.resize(id.size() - suffix.size());
        return id;
    };
    add_route(r, s, platform, no_error_shape, "PUT", item, gate([&s, platform, &api, id_of](const http::Request& req) {
                  json body = json::parse(req.body, nullptr, false);
                  std::string error;
                  auto h = body.is_object() ? save_hook(s, platform, api, api.unwrap(body), id_of(req), &error)
                                            : std::nullopt;
                  if (!h) return api.error(error == "not found" ? 404 : 422, error);
                  return reply(api.wrap(api.visible(*h), false));
              }));
    add_route(r, s, platform, no_error_shape, "DELETE", item, gate([&s, platform, &api, id_of](const http::Request& req) {
                  json removed;
                  if (!remove_hook(s, platform, api, id_of(req), &removed)) return api.error(404, "not found");
                  return reply(api.wrap(removed, false));
              }));
}

json send_deliveries(State& s, const std::string& platform, const std::string& topic, int64_t id) {
    const MockHookApi* api = hook_api(platform);
    std::vector<MockHook> targets;
    if (api) {
        std::lock_guard<std::mutex> lock(s.mu);
        for (const MockHook& h : s.hooks)
            if (h.platform == platform && h.topic == topic && h.active) targets.push_back(h);
    }
    json statuses = json::array();
    for (const MockHook& h : targets) {
        http::FetchRequest req;
        req.method = "POST";
        req.url = h.destination;
        req.content_type = "application/json";
        api->delivery(h, topic, id, req);
        http::FetchResult res = http::fetch(req);
        statuses.push_back(res.ok() ? res.response.status : 0);
    }
    return {{"sent", targets.size()}, {"statuses", statuses}};
}

}  // namespace

void add_webhook_apis(http::Router& r, State& s) {
    for (const platforms::Module* m : platforms::modules())
        if (m->mock_hooks) add_platform(r, s, std::string(m->id), m->mock_hooks());

    http::Route send;
    send.method = "POST";
    send.pattern = "/_mock/webhooks/send";
    send.access = http::Access::Public;
    send.body = http::Body::Raw;
    send.handler = [&s](const http::Call& c) -> Result<http::Response> {
        json b = json::parse(c.req.body, nullptr, false);
        if (!b.is_object() || !b.contains("platform") || !b["platform"].is_string() || !b.contains("topic") ||
            !b["topic"].is_string() || !b.contains("id") || !b["id"].is_number_integer())
            return reply({{"error", "send {\"platform\", \"topic\", \"id\"}"}}, 400);
        return reply(send_deliveries(s, b["platform"], b["topic"], b["id"].get<int64_t>()));
    };
    r.add(std::move(send));
}

}  // namespace onramp::mock
