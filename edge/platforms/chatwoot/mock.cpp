// The mock Chatwoot Application API under /chatwoot (standing in for the
// Chatwoot address), one user in one account: demo::kChatwootAccount.
//
//   GET /api/v1/profile                                  the user and their accounts
//   GET /api/v1/accounts/{id}/contacts?page=N            {"meta": {"count", "current_page"},
//                                                        "payload": [...]}, 15 per page
//   GET /api/v1/accounts/{id}/contacts/{contact_id}      {"payload": {...}}
//
// Auth: the api_access_token header. Errors as Chatwoot's Rails answers:
// 401 {"errors": ["You need to sign in or sign up before continuing."]},
// 404 {"error": "Resource could not be found"}. Rack::Attack's throttle
// (Limits::chatwoot_per_minute per client) answers a plain-text 429 with no
// Retry-After. Ids: contact index i → i+1.
#include "edge/mock/internal.h"

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "chatwoot";
constexpr int kPageSize = 15;

http::Response throttled() {
    http::Response r;
    r.status = 429;
    r.content_type = "text/plain";
    r.body = "Retry later\n";
    return r;
}

http::Response error(int status, const std::string& message, double) {
    if (status == 429) return throttled();
    return reply({{"error", message}}, status);
}

http::Response gated(State& s, const http::Request& req, const std::function<http::Response()>& work) {
    if (req.header("api_access_token") != demo::kChatwootToken || revoked(s, kPlatform))
        return reply({{"errors", {"You need to sign in or sign up before continuing."}}}, 401);
    WindowTake t = window_take(s, kPlatform, s.options.limits.chatwoot_per_minute, 60 * 1000);
    if (!t.allowed) return throttled();
    return work();
}

json contact_json(const Contact& c) {
    return {{"id", c.index + 1},
            {"name", c.name},
            {"email", c.email},
            {"phone_number", c.phone},
            {"identifier", nullptr},
            {"thumbnail", ""},
            {"availability_status", "offline"},
            {"custom_attributes", json::object()},
            {"additional_attributes", {{"company_name", c.company.empty() ? json(nullptr) : json(c.company)}}},
            {"created_at", c.created_at},
            {"last_activity_at", c.updated_at}};
}

bool our_account(const http::Request& req) { return req.param("account") == demo::kChatwootAccount; }

}  // namespace

void add_chatwoot(http::Router& r, State& s) {
    auto route = [&](const std::string& pattern, std::function<http::Response(State&, const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, "GET", "/chatwoot/api/v1" + pattern, [&s, fn](const http::Request& req) {
            return gated(s, req, [&] { return fn(s, req); });
        });
    };
    route("/profile", [](State&, const http::Request&) {
        return reply({{"id", 1},
                      {"name", "Dana Demo"},
                      {"display_name", "Dana"},
                      {"email", "dana@onramp-demo.test"},
                      {"account_id", 1},
                      {"role", "administrator"},
                      {"confirmed", true},
                      {"available_name", "Dana"},
                      {"accounts",
                       json::array({{{"id", 1}, {"name", "Onramp Demo Support"}, {"role", "administrator"},
                                     {"status", "active"}}})}});
    });
    route("/accounts/{account}/contacts", [](State& st, const http::Request& req) {
        if (!our_account(req)) return reply({{"error", "Resource could not be found"}}, 404);
        if (scope_missing(st, kPlatform, "contacts"))
            return reply({{"error", "You are not authorized to do this action"}}, 401);
        int64_t page = q_int(req, "page", 1, 1000000);
        if (page < 0) page = 1;
        const Dataset& d = st.data;
        int64_t n = d.count(Kind::contact);
        json payload = json::array();
        for (int64_t i = (page - 1) * kPageSize; i < n && int64_t(payload.size()) < kPageSize; ++i)
            payload.push_back(contact_json(d.contact(i)));
        return reply({{"meta", {{"count", n}, {"current_page", std::to_string(page)}}}, {"payload", payload}});
    });
    route("/accounts/{account}/contacts/{id}", [](State& st, const http::Request& req) {
        std::string id = req.param("id");
        int64_t n = st.data.count(Kind::contact);
        if (!our_account(req) || id.empty() || id.size() > 9 || id.find_first_not_of("0123456789") != std::string::npos ||
            std::stoll(id) < 1 || std::stoll(id) > n)
            return reply({{"error", "Resource could not be found"}}, 404);
        return reply({{"payload", contact_json(st.data.contact(std::stoll(id) - 1))}});
    });
}

}  // namespace onramp::mock
