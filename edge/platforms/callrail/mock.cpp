// The mock CallRail API v3 under /callrail (standing in for
// https://api.callrail.com), one account: demo::kCallRailAccount, also
// reachable by its number.
//
//   GET /v3/a.json                               the accounts the key sees
//   GET /v3/a/{account}/calls.json               ?page&per_page(≤250)&sort=start_time&order
//                                                &start_date&end_date; {page, per_page,
//                                                total_pages, total_records, calls}
//                                                (per_page 1..250, start_date/end_date an
//                                                ISO 8601 date or date-time, sort a sortable
//                                                field, order asc|desc: else 400 {"error"})
//   GET /v3/a/{account}/calls/{id}.json
//
// Auth: Authorization: Token token="KEY" (the quotes optional, as both
// forms are seen in use). Errors {"error": "..."}. The hourly limit
// (kPerHour) answers 429 without rate headers.
// Ids: call index i → "CAL" + 24 hex digits derived from i.
#include <cmath>
#include <regex>
#include <set>

#include "edge/connectors/wire.h"
#include "edge/mock/internal.h"

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "callrail";
constexpr const char* kAccountNumber = "713863719";
constexpr int kPerHour = 1000;  // requests an hour

http::Response error(int status, const std::string& message, double retry_after_s) {
    http::Response r = reply({{"error", status == 429 ? "Too many requests" : message}}, status);
    (void)retry_after_s;  // CallRail documents no Retry-After
    return r;
}

std::string key_of(const http::Request& req) {
    std::string h = req.header("Authorization");
    const std::string prefix = "Token token=";
    if (h.rfind(prefix, 0) != 0) return "";
    std::string key = h.substr(prefix.size());
    if (key.size() >= 2 && key.front() == '"' && key.back() == '"') key = key.substr(1, key.size() - 2);
    return key;
}

http::Response gated(State& s, const http::Request& req, const std::function<http::Response()>& work) {
    if (key_of(req) != demo::kCallRailKey || revoked(s, kPlatform)) return reply({{"error", "HTTP Token: Access denied."}}, 401);
    WindowTake t = window_take(s, kPlatform, kPerHour, 3600 * 1000);
    if (!t.allowed) return error(429, "", 0);
    return work();
}

bool our_account(const std::string& id) { return id == demo::kCallRailAccount || id == kAccountNumber; }

std::string call_id(int64_t i) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "CAL%08llx%016llx", static_cast<unsigned long long>(i),
                  static_cast<unsigned long long>(uint64_t(i) * 0x9e3779b97f4a7c15ULL));
    return buf;
}

int64_t call_index(const std::string& file, int64_t count) {
    if (file.size() != 32 || file.compare(file.size() - 5, 5, ".json") != 0) return -1;
    std::string id = file.substr(0, 27);
    if (id.compare(0, 3, "CAL") != 0 || id.substr(3).find_first_not_of("0123456789abcdef") != std::string::npos) return -1;
    int64_t i = int64_t(std::stoull(id.substr(3, 8), nullptr, 16));
    return i < count && call_id(i) == id ? i : -1;
}

json call_json(const Call& c) {
    bool answered = c.status == "completed";
    json j = {{"id", call_id(c.index)},
              {"answered", answered},
              {"business_phone_number", "+15125550100"},
              {"customer_city", c.city},
              {"customer_country", "US"},
              {"customer_name", c.customer_name},
              {"customer_phone_number", c.inbound ? c.from : c.to},
              {"customer_state", c.state},
              {"direction", c.inbound ? "inbound" : "outbound"},
              {"duration", c.duration},
              {"recording", answered ? json("https://api.callrail.com/v3/a/" + std::string(demo::kCallRailAccount) +
                                            "/calls/" + call_id(c.index) + "/recording.json")
                                     : json(nullptr)},
              {"recording_duration", answered ? json(c.duration) : json(nullptr)},
              {"start_time", iso8601_offset(c.started_at, -360)},
              {"tracking_phone_number", "+15125550199"},
              {"voicemail", c.status == "no-answer" && c.inbound}};
    return j;
}

// A start_date or end_date as CallRail's List All Calls takes it
// (https://apidocs.callrail.com/#listing-all-calls): an ISO 8601 date-time,
// or a date alone, which covers the whole day. -1 unreadable, -2 absent.
int64_t call_date(const http::Request& req, const char* name, bool end_of_day) {
    std::string v = q(req, name);
    if (v.empty()) return -2;
    static const std::regex kDay(R"(^\d{4}-\d{2}-\d{2}$)");
    if (!std::regex_match(v, kDay)) return iso8601_date_time(v) ? q_time(req, name) : -1;
    int64_t t = connectors::wire::unix_seconds(v + "T00:00:00Z");
    return t < 0 ? -1 : t + (end_of_day ? 86399 : 0);
}

http::Response list_calls(State& s, const http::Request& req) {
    if (!our_account(req.param("account"))) return reply({{"error", "Not found"}}, 404);
    int64_t per_page = q_int(req, "per_page", 100, 250);
    int64_t page = q_int(req, "page", 1, 1000000);
    if (per_page < 0 || page < 0) return reply({{"error", "Invalid page or per_page"}}, 400);
    int64_t after = call_date(req, "start_date", false), before = call_date(req, "end_date", true);
    if (after == -1) return reply({{"error", "start_date must be an ISO 8601 date or date-time"}}, 400);
    if (before == -1) return reply({{"error", "end_date must be an ISO 8601 date or date-time"}}, 400);
    static const std::set<std::string> kSorts = {"customer_name", "customer_phone_number", "duration", "start_time",
                                                 "source"};
    std::string sort = q(req, "sort"), order = q(req, "order");
    if (!sort.empty() && !kSorts.count(sort)) return reply({{"error", "Invalid sort field: " + sort}}, 400);
    if (!order.empty() && order != "asc" && order != "desc")
        return reply({{"error", "order must be asc or desc"}}, 400);
    bool desc = order == "desc";
    const Dataset& d = s.data;
    int64_t n = d.count(Kind::call), total = 0, skip = (page - 1) * per_page;
    json calls = json::array();
    for (int64_t k = 0; k < n; ++k) {
        int64_t i = desc ? n - 1 - k : k;
        Call c = d.call(i);
        if ((after >= 0 && c.started_at < after) || (before >= 0 && c.started_at > before)) continue;
        if (total >= skip && int64_t(calls.size()) < per_page) calls.push_back(call_json(c));
        ++total;
    }
    int64_t pages = std::max<int64_t>(1, (total + per_page - 1) / per_page);
    return reply({{"page", page},
                  {"per_page", per_page},
                  {"total_pages", pages},
                  {"total_records", total},
                  {"calls", calls}});
}

}  // namespace

void add_callrail(http::Router& r, State& s) {
    auto route = [&](const std::string& pattern, std::function<http::Response(State&, const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, "GET", "/callrail" + pattern, [&s, fn](const http::Request& req) {
            return gated(s, req, [&] { return fn(s, req); });
        });
    };
    route("/v3/a.json", [](State&, const http::Request&) {
        json account = {{"id", demo::kCallRailAccount},
                        {"name", "Onramp Demo Agency"},
                        {"numeric_id", std::stoll(kAccountNumber)},
                        {"outbound_recording_enabled", true},
                        {"hipaa_account", false}};
        return reply({{"page", 1}, {"per_page", 100}, {"total_pages", 1}, {"total_records", 1},
                      {"accounts", json::array({account})}});
    });
    route("/v3/a/{account}/calls.json", [](State& st, const http::Request& req) {
        if (scope_missing(st, kPlatform, "calls")) return reply({{"error", "You do not have access to this resource."}}, 403);
        return list_calls(st, req);
    });
    route("/v3/a/{account}/calls/{file}", [](State& st, const http::Request& req) {
        if (!our_account(req.param("account"))) return reply({{"error", "Not found"}}, 404);
        int64_t i = call_index(req.param("file"), st.data.count(Kind::call));
        if (i < 0) return reply({{"error", "Not found"}}, 404);
        return reply(call_json(st.data.call(i)));
    });
}

}  // namespace onramp::mock
