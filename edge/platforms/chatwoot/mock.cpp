// The mock Chatwoot Application API under /chatwoot (standing in for the
// Chatwoot address), one user in one account: demo::kChatwootAccount.
//
//   GET /api/v1/profile                                  the user and their accounts
//   GET /api/v1/accounts/{id}/contacts?page=N&sort=S     {"meta": {"count", "current_page"},
//                                                        "payload": [...]}, 15 per page
//   GET /api/v1/accounts/{id}/contacts/{contact_id}      {"payload": {...}}
//
// Auth: the api_access_token header. Errors as Chatwoot's Rails answers:
// 401 {"errors": ["You need to sign in or sign up before continuing."]},
// 404 {"error": "Resource could not be found"}. Rack::Attack's throttle
// (kPerMinute per client) answers a plain-text 429 with no
// Retry-After. Ids: contact index i → i+1.
//
// The list's parameters are read as Chatwoot reads them, which refuses none
// (docs/platforms/chatwoot.md): `page` as Kaminari does (Ruby's to_i, below 1
// is page 1), echoed as sent in meta.current_page; `sort` as Sift does
// (comma-separated fields, "-" for descending, unknown ones ignored).
#include "edge/mock/internal.h"

#include <algorithm>
#include <cctype>

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "chatwoot";
constexpr int kPageSize = 15;
constexpr int kPerMinute = 3000;  // Rack::Attack's default throttle in Chatwoot

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
    WindowTake t = window_take(s, kPlatform, kPerMinute, 60 * 1000);
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

// Far beyond any dataset: a larger page is as empty, and the offset cannot overflow.
constexpr int64_t kLastPage = 1'000'000'000;

// The page Kaminari serves for `raw`: Ruby's String#to_i (leading white
// space, a sign, digits with single underscores between them, the rest
// ignored; 0 when there are none), and page 1 for anything below 1.
int64_t kaminari_page(const std::string& raw) {
    size_t i = 0;
    while (i < raw.size() && std::isspace(static_cast<unsigned char>(raw[i]))) ++i;
    bool negative = i < raw.size() && raw[i] == '-';
    if (i < raw.size() && (raw[i] == '-' || raw[i] == '+')) ++i;
    int64_t n = 0;
    for (; i < raw.size(); ++i) {
        bool underscore = raw[i] == '_' && i > 0 && std::isdigit(static_cast<unsigned char>(raw[i - 1])) &&
                          i + 1 < raw.size() && std::isdigit(static_cast<unsigned char>(raw[i + 1]));
        if (underscore) continue;
        if (!std::isdigit(static_cast<unsigned char>(raw[i]))) break;
        n = std::min(kLastPage, n * 10 + (raw[i] - '0'));
    }
    return negative || n < 1 ? 1 : n;
}

// One field the contacts list sorts on (the controller's sort_on lines, in
// their order, which is also the order of precedence: Sift applies each
// active one in turn). A string field sorts case-blind (Sift's LOWER());
// the others are scopes ordering with NULLS LAST. City and country are
// never set on the mock's contacts, so they leave the order as it is.
struct SortField {
    const char* name;
    std::function<json(const Contact&)> key;  // null where the mock has no value
    bool case_blind;
};

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

const std::vector<SortField>& sort_fields() {
    static const std::vector<SortField> fields = {
        {"email", [](const Contact& c) { return json(c.email); }, true},
        {"name", [](const Contact& c) { return json(c.name); }, false},
        {"phone_number", [](const Contact& c) { return c.phone.empty() ? json() : json(c.phone); }, true},
        {"last_activity_at", [](const Contact& c) { return json(c.updated_at); }, false},
        {"created_at", [](const Contact& c) { return json(c.created_at); }, false},
        {"company_name", [](const Contact& c) { return c.company.empty() ? json() : json(c.company); }, false},
        {"city", nullptr, false},
        {"country", nullptr, false},
    };
    return fields;
}

// The contacts in the order `sort` asks for: by id when it names no field
// the list sorts on.
std::vector<Contact> sorted_contacts(const Dataset& d, const std::string& sort) {
    struct Active {
        const SortField* field;
        bool descending;
    };
    std::vector<Active> active;
    for (const SortField& f : sort_fields()) {
        if (!f.key) continue;
        size_t at = 0;
        while (at <= sort.size()) {
            size_t comma = std::min(sort.find(',', at), sort.size());
            std::string item = sort.substr(at, comma - at);
            bool descending = !item.empty() && item[0] == '-';
            if ((descending ? item.substr(1) : item) == f.name) {
                active.push_back({&f, descending});
                break;
            }
            at = comma + 1;
        }
    }
    std::vector<Contact> all;
    for (int64_t i = 0; i < d.count(Kind::contact); ++i) all.push_back(d.contact(i));
    if (active.empty()) return all;
    auto key = [](const Active& a, const Contact& c) {
        json k = a.field->key(c);
        return a.field->case_blind && k.is_string() ? json(lower(k.get<std::string>())) : k;
    };
    std::stable_sort(all.begin(), all.end(), [&](const Contact& x, const Contact& y) {
        for (const Active& a : active) {
            json kx = key(a, x), ky = key(a, y);
            if (kx == ky) continue;
            if (kx.is_null()) return false;  // NULLS LAST either way
            if (ky.is_null()) return true;
            return a.descending ? ky < kx : kx < ky;
        }
        return false;
    });
    return all;
}

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
        // Rails hands the controller the page as sent, and meta echoes it:
        // the number 1 when there is none.
        bool paged = req.query.count("page") > 0;
        std::string raw = req.query_value("page");
        int64_t page = kaminari_page(raw);
        const Dataset& d = st.data;
        int64_t n = d.count(Kind::contact);
        std::string sort = req.query_value("sort");
        std::vector<Contact> sorted = sort.empty() ? std::vector<Contact>{} : sorted_contacts(d, sort);
        json payload = json::array();
        for (int64_t i = (page - 1) * kPageSize; i < n && int64_t(payload.size()) < kPageSize; ++i)
            payload.push_back(contact_json(sorted.empty() ? d.contact(i) : sorted[size_t(i)]));
        return reply({{"meta", {{"count", n}, {"current_page", paged ? json(raw) : json(1)}}}, {"payload", payload}});
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
