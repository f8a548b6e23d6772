// The fake edge's front door: parses a request, keeps the one session
// (sign-in, renewal, sign-out), checks the token and the organization
// named, and hands the request to the console's or the wizard's answers.
#include "static_demo/fake_edge.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "demo/accounts.h"
#include "shared/connectors/catalog_json.h"
#include "static_demo/answers.h"

namespace fake {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = char(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string url_decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += char(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// The login and refresh answer: tokens and the user, who manages the
// visitor's company (so signing in from #/onboard opens its wizard).
HttpReply session_reply(FakeEdge& e) {
    ++e.sessions;
    e.token = "demo-session-" + std::to_string(e.sessions);
    e.refresh = e.token + "-refresh";
    return reply(200, {{"access_token", e.token},
                       {"refresh_token", e.refresh},
                       {"token_type", "Bearer"},
                       {"expires_in", 900},
                       {"user",
                        {{"id", kUserId},
                         {"email", kEmail},
                         {"full_name", "Demo Operator"},
                         {"is_operator", true},
                         {"memberships", {{{"org_id", e.client.id}, {"role", "manager"}}}}}}});
}

HttpReply login(FakeEdge& e, const Target& t) {
    json body = json::parse(t.body, nullptr, false);
    const bool ok = body.is_object() && body.value("email", "") == kEmail && body.value("password", "") == kPassword;
    if (!ok) {
        add_audit(e, "", "login.failed", "user", "", body.is_object() ? body.value("email", "") : "");
        return problem_reply(onramp::unauthorized(
            "The email or password is wrong. In this demo, sign in as demo@onramp.local with onramp-demo."));
    }
    add_audit(e, "", "login.succeeded", "user", kUserId);
    return session_reply(e);
}

// Refresh tokens are single-use, as at the edge; one the page kept from
// before a reload was never issued here and is refused.
HttpReply refresh(FakeEdge& e, const Target& t) {
    json body = json::parse(t.body, nullptr, false);
    if (e.refresh.empty() || !body.is_object() || body.value("refresh_token", "") != e.refresh)
        return problem_reply(onramp::unauthorized("The session has ended: sign in again."));
    return session_reply(e);
}

HttpReply demo_credentials() {
    // Only BigCommerce can be connected in the static demo (fake_edge.h).
    return reply(200, {{"bigcommerce",
                        {{"store_hash", onramp::demo::kBigCommerceStoreHash},
                         {"access_token", onramp::demo::kBigCommerceToken}}}});
}

// The organization a request is about: the path's, else the X-Org-Id
// header's. Only the two demo clients exist.
bool known_org(const FakeEdge& e, const Target& t) {
    std::string org = t.org_header;
    if (t.segments.size() > 3 && t.segments[2] == "orgs") org = t.segments[3];
    return org.empty() || org == kShowcaseOrg || org == e.client.id;
}

}  // namespace

Target parse_target(const HttpRequest& req) {
    Target t;
    t.method = req.method;
    t.url = req.url;
    t.body = req.body;
    t.org_header = req.org_id;
    const size_t q = req.url.find('?');
    const std::string path = req.url.substr(0, q);
    size_t i = 0;
    while (i < path.size()) {
        size_t slash = path.find('/', i);
        if (slash == std::string::npos) slash = path.size();
        if (slash > i) t.segments.push_back(url_decode(path.substr(i, slash - i)));
        i = slash + 1;
    }
    if (q == std::string::npos) return t;
    const std::string query = req.url.substr(q + 1);
    i = 0;
    while (i <= query.size()) {
        size_t amp = query.find('&', i);
        if (amp == std::string::npos) amp = query.size();
        const std::string pair = query.substr(i, amp - i);
        const size_t eq = pair.find('=');
        if (!pair.empty())
            t.query[url_decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
        i = amp + 1;
    }
    return t;
}

bool route(const Target& t, std::initializer_list<const char*> pattern) {
    if (t.segments.size() != pattern.size()) return false;
    size_t i = 0;
    for (const char* p : pattern) {
        if (std::string(p) != "*" && t.segments[i] != p) return false;
        ++i;
    }
    return true;
}

int query_int(const Target& t, const char* key, int fallback, int lo, int hi) {
    auto it = t.query.find(key);
    if (it == t.query.end() || it->second.empty()) return fallback;
    return std::clamp(std::atoi(it->second.c_str()), lo, hi);
}

std::string iso8601(int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

HttpReply reply(int status, const json& body) {
    HttpReply r;
    r.done = true;
    r.status = status;
    if (!body.is_null()) r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

HttpReply problem_reply(const onramp::Problem& p) {
    json j = {{"type", "https://onramp.dev/problems/" + p.error_code},
              {"title", p.title},
              {"status", p.status},
              {"detail", p.detail},
              {"error_code", p.error_code}};
    if (!p.errors.empty()) j["errors"] = p.errors;
    json ext = json::parse(p.extensions_json.empty() ? "{}" : p.extensions_json, nullptr, false);
    if (ext.is_object())
        for (auto& [k, v] : ext.items())
            if (!j.contains(k)) j[k] = v;
    return reply(p.status, j);
}

HttpReply envelope(FakeEdge& e, const std::string& org_id, const json& data, int status) {
    return reply(status, {{"success", true},
                          {"data", data},
                          {"meta", {{"org_id", org_id}, {"request_id", new_id(e, "req")}}}});
}

bool parse_object(const Target& t, json* out, HttpReply* problem) {
    *out = json::parse(t.body.empty() ? "{}" : t.body, nullptr, false);
    if (out->is_object()) return true;
    *problem = problem_reply(onramp::bad_request("The body is not a JSON object.", "malformed_json"));
    return false;
}

void add_audit(FakeEdge& e, const std::string& org_id, const std::string& action, const std::string& object_type,
               const std::string& object_id, const std::string& actor) {
    e.audit.push_back({int64_t(e.audit.size()) + 1, e.now, actor, org_id, action, object_type, object_id});
}

std::string new_id(FakeEdge& e, const char* prefix) { return std::string(prefix) + "_" + std::to_string(e.next_id++); }

}  // namespace fake

using namespace fake;

void fake_edge_init(FakeEdge& e, double unix_ms, const std::string& origin) {
    fake_edge_set_clock(e, unix_ms);
    e.origin = origin;
    e.client.created_at = e.now;
    seed_showcase(e);
}

void fake_edge_set_clock(FakeEdge& e, double unix_ms) {
    e.now_ms = unix_ms;
    e.now = static_cast<int64_t>(unix_ms / 1000);
}

HttpReply fake_edge_answer(FakeEdge& e, const HttpRequest& req) {
    const Target t = parse_target(req);
    const bool post = t.method == "POST";
    if (post && route(t, {"api", "v1", "auth", "login"})) return login(e, t);
    if (post && route(t, {"api", "v1", "auth", "refresh"})) return refresh(e, t);
    if (t.method == "GET" && route(t, {"api", "v1", "connectors"}))
        return reply(200, onramp::connectors::catalog_json());
    if (t.method == "GET" && route(t, {"api", "v1", "demo", "credentials"})) return demo_credentials();
    if (e.token.empty() || req.bearer != e.token) return problem_reply(onramp::unauthorized());
    if (post && route(t, {"api", "v1", "auth", "logout"})) {
        add_audit(e, "", "logout", "user", kUserId);
        e.token.clear();
        e.refresh.clear();
        return reply(204, nullptr);
    }
    if (!known_org(e, t)) return problem_reply(onramp::not_found("No such organization."));
    HttpReply out;
    if (wizard_answer(e, t, &out) || console_answer(e, t, &out)) return out;
    onramp::Problem p = onramp::not_found("This static demo runs without a server and does not include " +
                                          t.method + " " + t.url.substr(0, t.url.find('?')) +
                                          ". Run `onramp-edge serve --demo` for the whole product.");
    p.title = "Not in the static demo";
    return problem_reply(p);
}
