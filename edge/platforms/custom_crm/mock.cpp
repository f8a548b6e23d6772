// The mock custom CRM under /custom_crm (standing in for the CRM's base
// URL), accepting every authentication the custom CRM connector speaks:
//
//   api_key   X-API-Key or Api-Key: demo::kCrmApiKey
//   bearer    Authorization: Bearer demo::kCrmBearer
//   basic     Authorization: Basic demo::kCrmUser:demo::kCrmPassword
//   oauth2    POST /custom_crm/oauth/token grant_type=client_credentials, the client
//             authenticated by HTTP Basic (RFC 6749 §2.3.1) or in the form body
//             → Authorization: Bearer demo::kCrmAccessToken; or a token issued by the
//             authorization code or refresh grant and not revoked (oauth.cpp)
//
//   GET /me                      {"id", "name", "email"}      the demo test path
//   GET /contacts?page&per_page  {"data": [...], "page", "per_page", "total"}   scope contacts.read
//   GET /contacts/{id}           {"data": {...}}
//
// Errors {"error", "message"}; OAuth errors as RFC 6749 §5.2. Ids: contact
// index i → "c_" + (i+1).
#include <cmath>

#include "edge/crypto/encoding.h"
#include "edge/mock/internal.h"

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "custom_crm";

http::Response error(int status, const std::string& message, double retry_after_s) {
    http::Response r = reply({{"error", status == 429 ? "rate_limited" : "server_error"}, {"message", message}}, status);
    if (status == 429) r.set_header("Retry-After", std::to_string(int(std::ceil(retry_after_s))));
    return r;
}

bool authorized(State& s, const http::Request& req) {
    if (req.header("X-API-Key") == demo::kCrmApiKey || req.header("Api-Key") == demo::kCrmApiKey) return true;
    std::string h = req.header("Authorization");
    if (h == std::string("Bearer ") + demo::kCrmBearer || h == std::string("Bearer ") + demo::kCrmAccessToken) return true;
    if (crm_token_issued(s, h)) return true;
    if (h.rfind("Basic ", 0) == 0) {
        auto pair = crypto::base64_decode(h.substr(6));
        return pair && *pair == std::string(demo::kCrmUser) + ":" + demo::kCrmPassword;
    }
    return false;
}

http::Response gated(State& s, const http::Request& req, const std::function<http::Response()>& work) {
    if (!authorized(s, req) || revoked(s, kPlatform))
        return reply({{"error", "unauthorized"}, {"message", "Invalid or missing credentials."}}, 401);
    return work();
}

json contact_json(const Contact& c) {
    size_t space = c.name.find(' ');
    return {{"id", "c_" + std::to_string(c.index + 1)},
            {"first_name", c.name.substr(0, space)},
            {"last_name", space == std::string::npos ? "" : c.name.substr(space + 1)},
            {"email", c.email},
            {"phone", c.phone},
            {"company", c.company.empty() ? json(nullptr) : json(c.company)},
            {"created_at", iso8601(c.created_at)},
            {"updated_at", iso8601(c.updated_at)}};
}

}  // namespace

void add_custom_crm(http::Router& r, State& s) {
    add_custom_crm_oauth(r, s);
    auto route = [&](const std::string& pattern, std::function<http::Response(State&, const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, "GET", "/custom_crm" + pattern, [&s, fn](const http::Request& req) {
            return gated(s, req, [&] { return fn(s, req); });
        });
    };
    route("/me", [](State&, const http::Request&) {
        return reply({{"id", "usr_1"}, {"name", "Onramp Demo CRM"}, {"email", demo::kCrmUser}});
    });
    route("/contacts", [](State& st, const http::Request& req) {
        if (scope_missing(st, kPlatform, "contacts.read"))
            return reply({{"error", "forbidden"}, {"message", "The credentials may not read contacts."}}, 403);
        int64_t page = q_int(req, "page", 1, 1000000), per_page = q_int(req, "per_page", 25, 100);
        if (page < 0 || per_page < 0) return reply({{"error", "bad_request"}, {"message", "Invalid page or per_page."}}, 400);
        const Dataset& d = st.data;
        int64_t n = d.count(Kind::contact);
        json data = json::array();
        for (int64_t i = (page - 1) * per_page; i < n && int64_t(data.size()) < per_page; ++i)
            data.push_back(contact_json(d.contact(i)));
        return reply({{"data", data}, {"page", page}, {"per_page", per_page}, {"total", n}});
    });
    route("/contacts/{id}", [](State& st, const http::Request& req) {
        std::string id = req.param("id");
        int64_t n = st.data.count(Kind::contact);
        if (id.size() < 3 || id.size() > 12 || id.compare(0, 2, "c_") != 0 ||
            id.find_first_not_of("0123456789", 2) != std::string::npos || std::stoll(id.substr(2)) < 1 ||
            std::stoll(id.substr(2)) > n)
            return reply({{"error", "not_found"}, {"message", "No such contact."}}, 404);
        return reply({{"data", contact_json(st.data.contact(std::stoll(id.substr(2)) - 1))}});
    });
}

}  // namespace onramp::mock
