// What the static demo's answer files share: the parsed request, reply
// builders in the edge's shapes, the demo's fixed names, and the answer
// functions fake_edge.cpp routes to. Internal to web/static_demo.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "shared/problem.h"
#include "static_demo/fake_edge.h"

namespace fake {

using nlohmann::json;

inline constexpr const char* kEmail = "demo@onramp.local";
inline constexpr const char* kPassword = "onramp-demo";
inline constexpr const char* kUserId = "usr_demo";
inline constexpr const char* kShowcaseOrg = "org_demo";  // Demo Company, onboarded days ago
inline constexpr int64_t kDay = 86400;

// A request, its path split at '/' (empty segments dropped) and its query.
struct Target {
    std::string method, url, body, org_header;
    std::vector<std::string> segments;
    std::map<std::string, std::string> query;
};

Target parse_target(const HttpRequest& request);

// Does the path equal `pattern`, where "*" matches any one segment?
bool route(const Target& t, std::initializer_list<const char*> pattern);
int query_int(const Target& t, const char* key, int fallback, int lo, int hi);

std::string iso8601(int64_t unix_seconds);
HttpReply reply(int status, const json& body);
// The edge's problem+json (edge/http/router.cpp problem_response).
HttpReply problem_reply(const onramp::Problem& p);
// The {success, data, meta} envelope the onboarding endpoints answer with.
HttpReply envelope(FakeEdge& e, const std::string& org_id, const json& data, int status = 200);
// The request body as a JSON object, or the edge's 400 problem.
bool parse_object(const Target& t, json* out, HttpReply* problem);

void add_audit(FakeEdge& e, const std::string& org_id, const std::string& action, const std::string& object_type,
               const std::string& object_id, const std::string& actor = kEmail);
std::string new_id(FakeEdge& e, const char* prefix);

// --- simulated syncs (demo_sync.cpp) -------------------------------------------
json run_json(const FakeEdge& e, const FakeConnection& c);
bool run_finished(const FakeEdge& e, const FakeConnection& c);
// Products copied so far: the sync copies products first, then orders.
int64_t products_synced(const FakeEdge& e, const FakeConnection& c);

// --- the operator console (console_answers.cpp) ----------------------------------
void seed_showcase(FakeEdge& e);
// Each answer function returns false when no route of its own matched.
bool console_answer(FakeEdge& e, const Target& t, HttpReply* out);

// --- the client wizard (wizard_answers.cpp) --------------------------------------
bool wizard_answer(FakeEdge& e, const Target& t, HttpReply* out);
json visitor_connection_json(const FakeEdge& e, const FakeConnection& c);
// A connection's webhook endpoint, registered at the (fake) platform.
json webhook_endpoint_json(const FakeEdge& e, const std::string& platform, const std::string& connection_id,
                           int64_t registered_at);

}  // namespace fake
