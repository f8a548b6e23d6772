// Tenant isolation, route by route: a walk over the router's own table
// (Router::routes()) that calls every route as every kind of principal of
// tenant A with tenant B's ids, so that a route added tomorrow is covered
// without anyone writing its test. TenantWorld (tenant_world.h) gives both
// tenants one of every kind of object the API names.
//
// [SECTION] index
//   1. What a person decided: kOpen (routes that may answer A with 2xx),
//      kVictimUnreachable (routes B's own manager cannot call either)
//   2. Probes: the requests of the walk, planned from the route table
//   3. Callers: the kinds of principal
//   4. Judging an answer: refusals, leaks, errors, B's rows
//   5. The tests
//
// Each route is called in these variants ("probes"):
//   B's ids         every path parameter names B's object, X-Org-Id and the
//                   org_id query name B's org, connection_id names B's shop
//   A's x, B's y    routes nesting objects (org, connection, delivery): the
//                   outer ones A's, the inner ones B's — the lookup of an
//                   inner object must be scoped by the outer one
//   A's ids         every path parameter names A's own object; the body and
//                   the connection_id query name B's things (e-mail, org id);
//                   DELETE is left out: it names nothing of B's and would
//                   take away objects later routes use
// Bodies are valid ones (bodies()), naming B where the route takes a name;
// a route missing from bodies() gets {}. In the first two variants A's
// principals must be refused (4xx) unless the route is in kOpen; in all,
// no 500, no answer holds anything of B's that the request did not
// already say, and B's rows are the same after every route.
//
// Operators are cross-tenant by design: Principal::can_read/can_manage are
// true for every org, so on Access::User routes they read and change B's
// objects, and Access::Operator routes are theirs. Their walk (in a world of
// its own, since it changes B) asserts what still holds for them: no 500,
// no secret of B's (passwords, tokens, keys, webhook and vault secrets) in
// any answer, and no 401/403 on Access::Operator routes. An operator's API
// key made for A's org is not cross-tenant (edge/api/install.cpp): it
// walks with A's principals.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>

#include "edge/isolation/tenant_world.h"

using nlohmann::json;
using onramp::http::Access;
using onramp::http::Body;
using onramp::http::Route;
using onramp::testing::Reply;
using onramp::testing::Tenant;
using onramp::testing::TenantWorld;
using onramp::testing::TestApp;

namespace {

// --- [1] What a person decided -------------------------------------------------

struct RouteNote {
    const char* method;
    const char* pattern;
    const char* reason;
};

// Routes that may answer A's principals with 2xx while the request names
// B: they act on the caller's own account, or on nothing of any tenant's.
// The others must refuse. (The webhook receivers are public but refuse an
// unsigned delivery, and login refuses a wrong password: they stay out.)
const RouteNote kOpen[] = {
    {"GET", "/healthz", "public: the edge's own health, no tenant's data"},
    {"GET", "/readyz", "public: the edge's own readiness (database, vault, workers), no tenant's data"},
    {"GET", "/api/v1/connectors", "public: the connector catalog, the same for everyone"},
    {"GET", "/api/v1/branding", "public: the deployment's brand for the sign-in page, the same for everyone"},
    {"GET", "/api/v1/demo/credentials", "public in demo mode only: the mock platforms' published credentials"},
    {"POST", "/api/v1/connectors/{platform}/test", "tests the credentials in the body; reads and stores no org's data"},
    {"POST", "/api/v1/auth/logout", "ends the caller's own session"},
    {"GET", "/api/v1/auth/me", "the caller's own account and orgs"},
    {"GET", "/api/v1/auth/api-keys", "the caller's own API keys"},
    {"POST", "/api/v1/auth/password-reset", "answers alike for every address; mails only the address's own inbox"},
    {"POST", "/api/v1/auth/totp/setup", "enrols the caller's own account in two-factor sign-in"},
    {"GET", "/api/v1/onboarding/link", "the onboarding link the caller's own session was opened by"},
    {"GET", "/api/v1/orgs", "the orgs the caller belongs to"},
    {"GET", "/api/dashboard/integrations/providers", "the integration providers' catalog"},
    {"GET", "/api/dashboard/integrations", "the caller's own integrations"},
    {"GET", "/api/dashboard/integrations/active", "the caller's own integration, else the server's global one"},
    {"POST", "/api/dashboard/integrations/test", "tests the configuration in the body; stores nothing"},
};

constexpr const char* kTheirs = "B's ids";
constexpr const char* kOwn = "A's ids";

// Routes that refuse B's own manager too, with B's ids: the exceptions of
// the test showing that every id the walk fills in is a live object of B's.
const RouteNote kVictimUnreachable[] = {
    {"GET", "/api/superadmin/api-platforms", "operators only"},
    {"GET", "/api/superadmin/clients", "operators only"},
    {"GET", "/api/superadmin/clients/{org_id}/sync-history", "operators only"},
    {"GET", "/api/v1/operator/vault", "operators only"},
    {"GET", "/api/v1/operator/mail", "operators only"},
    {"GET", "/metrics", "operators and the metrics token only"},
    {"GET", "/oauth/{platform}/callback", "answers a platform's redirect, which the walk has none of"},
    {"GET", "/webhooks/{platform}/{connection_id}", "a sender's subscription handshake, which the walk's shop has none of"},
    {"GET", "/webhooks/{platform}", "a platform app's subscription handshake, which the walk's shop has none of"},
    {"GET", "/api/v1/event-endpoints", "operators only"},
    {"GET", "/api/v1/event-endpoints/{endpoint_id}", "operators only"},
    {"GET", "/api/v1/event-endpoints/{endpoint_id}/deliveries", "operators only"},
    {"GET", "/api/v1/onboarding/link", "link clients only: a manager's session was opened by no link"},
};

template <size_t N>
const RouteNote* note_for(const RouteNote (&notes)[N], const Route& r) {
    for (const RouteNote& n : notes)
        if (r.method == n.method && r.pattern == n.pattern) return &n;
    return nullptr;
}

// --- [2] Probes ----------------------------------------------------------------

struct Probe {
    size_t route;         // index in Router::routes()
    std::string variant;  // kTheirs, kOwn, or "A's org_id, B's id", ...
    onramp::http::Request req;  // without credentials
    std::string said;     // everything the request says: an answer may echo it
    std::string label() const { return req.method + " " + req.target + " [" + variant + "]"; }
};

struct Plan {
    std::vector<Probe> probes;
    std::set<std::string> unknown;  // "{name} in METHOD pattern": parameters fill() does not know
};

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The path parameters of a pattern, in order ("*rest" as "rest").
std::vector<std::string> params_of(const std::string& pattern) {
    std::vector<std::string> out;
    for (size_t open = pattern.find('{'); open != std::string::npos; open = pattern.find('{', open + 1)) {
        std::string name = pattern.substr(open + 1, pattern.find('}', open) - open - 1);
        out.push_back(name[0] == '*' ? name.substr(1) : name);
    }
    return out;
}

// A path parameter's value from tenant x's objects, or nullopt for a name
// the walk does not know (it then gets a made-up id, and the coverage test
// fails until it is added here).
std::optional<std::string> fill(const std::string& name, const std::string& pattern, const Tenant& x) {
    if (name == "org_id") return x.org_id;
    if (name == "id") return starts_with(pattern, "/api/dashboard/integrations") ? x.integration_id : x.shop_id;
    if (name == "connection_id") return x.shop_id;
    if (name == "user_id") return x.member.id;
    if (name == "key_id") return x.key_id;
    if (name == "document_id") return x.document_id;
    if (name == "invite_id") return x.invite_id;
    if (name == "link_id") return x.link_id;
    if (name == "seq") return x.delivery_seq;
    if (name == "endpoint_id") return x.endpoint_id;
    if (name == "delivery_id") return x.event_delivery_id;
    if (name == "platform") return std::string("shopify");  // the shop's platform: its webhook scheme too
    if (name == "rest") return std::string("products.json");  // below the API's base, Shopify's /admin/api/VERSION
    return std::nullopt;
}

// Parameters that name no tenant's object: the same for A and B.
bool names_an_object(const std::string& param) { return param != "platform" && param != "rest"; }

// A body each route accepts (from the victim's own manager, where it needs
// one), naming the victim wherever the route takes a name of something.
// Routes not listed get {}. Invitations go to a new address: inviting one
// stores it in the inviter's own list, where it is then the inviter's data.
std::map<std::string, json> bodies(const Tenant& v) {
    json shop = onramp::testing::demo_credentials("shopify");
    json bigcommerce = onramp::testing::demo_credentials("bigcommerce");
    json callrail = onramp::testing::demo_credentials("callrail");
    callrail["primary_tracking_number"] = "+1-555-123-4567";
    json twilio = onramp::testing::demo_credentials("twilio");
    twilio["primary_tracking_number"] = "+1-555-123-4567";
    json chatwoot = onramp::testing::chatwoot_integration("Walk Chatwoot");
    json company = {{"company_name", "Walk Co"}, {"company_phone", "+1-555-999-0000"},
                    {"company_email", "office@walk.test"}, {"company_domain", "walk.test"},
                    {"industry", "roofing"}, {"timezone", "America/New_York"}, {"team_size", 3},
                    {"admin_name", "Walk Admin"}, {"admin_email", "admin@walk.test"}};
    json with_org = chatwoot;
    with_org["org_id"] = v.org_id;
    const std::string connections = "/api/v1/orgs/{org_id}/connections";
    const json endpoint = {{"url", "https://hooks.walk.test/onramp"}, {"description", "walk"}};
    return {
        {"POST /api/v1/auth/login", {{"email", v.manager.email}, {"password", "not-their-password"}}},
        {"POST /api/v1/auth/refresh", {{"refresh_token", "not-a-refresh-token"}}},
        {"POST /api/v1/auth/password-reset", {{"email", v.manager.email}}},
        {"POST /api/v1/auth/api-keys", {{"name", "walk"}, {"org_id", v.org_id}}},
        {"POST /api/v1/orgs", {{"name", "Walk org"}}},
        {"PATCH /api/v1/orgs/{org_id}", {{"name", "Renamed by the walk"}}},
        {"POST /api/v1/orgs/{org_id}/members", {{"email", v.manager.email}, {"role", "manager"}}},
        {"PATCH /api/v1/orgs/{org_id}/members/{user_id}", {{"role", "member"}}},
        {"POST /api/v1/connectors/{platform}/test", {{"credentials", shop}}},
        {"POST " + connections, {{"platform", "shopify"}, {"name", "Walk shop"}, {"credentials", shop}}},
        {"PATCH " + connections + "/{id}", {{"name", "Renamed by the walk"}}},
        {"POST /api/v1/orgs/{org_id}/event-endpoints", endpoint},
        {"PATCH /api/v1/orgs/{org_id}/event-endpoints/{endpoint_id}", {{"description", "Renamed by the walk"}}},
        {"POST /api/v1/event-endpoints", endpoint},
        {"PATCH /api/v1/event-endpoints/{endpoint_id}", {{"description", "Renamed by the walk"}}},
        {"PUT " + connections + "/{id}/credentials", {{"credentials", shop}}},
        {"PUT " + connections + "/{id}/webhooks/secret", {{"secret", "walk-webhook-secret-0123456789"}}},
        {"POST /api/v1/orgs/{org_id}/oauth/{platform}/start", {{"shop_domain", shop["shop_domain"]}}},
        {"POST /api/v1/orgs/{org_id}/onboarding-links", {{"note", "walk"}, {"platforms", {"shopify"}}}},
        {"POST /api/v1/onboarding-links/exchange", {{"token", "not-a-link-token"}}},
        {"POST /api/v1/onboarding/company-basics", company},
        {"POST /api/v1/onboarding/callrail/connect", callrail},
        {"POST /api/v1/onboarding/callrail/test", callrail},
        {"POST /api/v1/onboarding/twilio/connect", twilio},
        {"POST /api/v1/onboarding/twilio/test", twilio},
        {"POST /api/v1/onboarding/platforms/{platform}/connect", {{"credentials", shop}}},
        {"POST /api/v1/onboarding/platforms/{platform}/test", {{"credentials", shop}}},
        {"POST /api/v1/onboarding/goals", onramp::testing::goals_body()},
        {"POST /api/v1/onboarding/invite-user", {{"email", "walk.invitee@walk.test"}, {"role", "csr"}}},
        {"POST /api/v1/invitations/lookup", {{"token", "not-an-invitation-token"}}},
        {"POST /api/v1/invitations/accept",
         {{"token", "not-an-invitation-token"}, {"password", "walk-password-1"}, {"name", "Walk"}}},
        {"POST /api/dashboard/integrations/create", with_org},
        {"POST /api/dashboard/integrations/test", {{"type", "CRM"}, {"configuration", chatwoot["configuration"]}}},
        {"PUT /api/dashboard/integrations/{id}", {{"name", "Renamed by the walk"}}},
        {"POST /api/superadmin/test-api-connection", {{"platform", "shopify"}, {"credentials", shop}}},
        {"POST /api/superadmin/clients/api-integration",
         {{"company_name", "Walk client"}, {"email", v.manager.email}, {"password", "walk-password-1"},
          {"platform", "shopify"}, {"credentials", shop}}},
        {"POST /api/onboarding/bigcommerce",
         {{"organization_name", "Walk client"}, {"user_email", v.manager.email},
          {"bigcommerce_store_hash", bigcommerce["store_hash"]},
          {"bigcommerce_access_token", bigcommerce["access_token"]}}},
        // The one-URL BigCommerce route finds the connection by the payload's org.
        {"POST /api/webhooks/bigcommerce",
         {{"org_id", v.org_id}, {"producer", "stores/" + bigcommerce["store_hash"].get<std::string>()},
          {"scope", "store/product/updated"}, {"data", {{"type", "product"}, {"id", 1}}}}},
        {"POST /webhooks/{platform}/{connection_id}", {{"id", 7000000002}, {"title", "Walk mug"}}},
    };
}

std::string query_string(const std::multimap<std::string, std::string>& q) {
    std::string out;
    for (const auto& [k, v] : q) out += (out.empty() ? "?" : "&") + k + "=" + v;
    return out;
}

// One request: `values` fills the path; `victim` is named in the query,
// the body and, when `name_victim_org`, in X-Org-Id and org_id.
Probe make_probe(size_t index, const Route& r, const std::string& variant,
                 const std::map<std::string, std::string>& values, const Tenant& victim, bool name_victim_org,
                 const std::map<std::string, json>& table) {
    Probe p{index, variant, {}, ""};
    onramp::http::Request& req = p.req;
    req.method = r.method;
    std::string path;
    size_t i = 0;
    while (i < r.pattern.size()) {
        size_t open = r.pattern.find('{', i);
        if (open == std::string::npos) {
            path += r.pattern.substr(i);
            break;
        }
        size_t close = r.pattern.find('}', open);
        path += r.pattern.substr(i, open - i);
        std::string name = r.pattern.substr(open + 1, close - open - 1);
        path += values.at(name[0] == '*' ? name.substr(1) : name);
        i = close + 1;
    }
    req.path = path;
    req.query.emplace("connection_id", victim.shop_id);
    if (name_victim_org) {
        req.query.emplace("org_id", victim.org_id);
        req.headers.emplace("X-Org-Id", victim.org_id);
    }
    req.target = path + query_string(req.query);
    auto entry = table.find(r.method + " " + r.pattern);
    json body = entry == table.end() ? json::object() : entry->second;
    bool sends_body = r.method != "GET" && r.method != "DELETE";
    if (sends_body && (r.body == Body::Json || r.body == Body::Raw)) {
        req.body = body.dump();
        req.headers.emplace("Content-Type", "application/json");
    } else if (r.body == Body::Multipart) {
        req.headers.emplace("Content-Type", "multipart/form-data; boundary=----walk");
        req.files.emplace("file", onramp::http::UploadedFile{"walk.txt", "text/plain", "Walk the routes.\n"});
        req.form.emplace("category", "sop");
        req.form.emplace("role_target", "sales_rep");
        if (name_victim_org) req.form.emplace("org_id", victim.org_id);
    }
    p.said = req.method + " " + req.target + "\n" + req.body;
    for (const auto& [k, v] : req.headers) p.said += "\n" + k + ": " + v;
    for (const auto& [k, v] : req.form) p.said += "\n" + k + "=" + v;
    return p;
}

// Every probe of the walk for `routes`, A (`own`) calling with B's (`victim`) ids.
Plan plan_walk(const std::vector<Route>& routes, const Tenant& own, const Tenant& victim) {
    Plan plan;
    std::map<std::string, json> table = bodies(victim);
    for (size_t index = 0; index < routes.size(); ++index) {
        const Route& r = routes[index];
        std::vector<std::string> params = params_of(r.pattern);
        std::map<std::string, std::string> theirs, mine;
        std::vector<std::string> objects;
        for (const std::string& name : params) {
            auto b = fill(name, r.pattern, victim);
            auto a = fill(name, r.pattern, own);
            if (!b || !a) {
                plan.unknown.insert("{" + name + "} in " + r.method + " " + r.pattern);
                b = a = "unknown-" + name + "-0000";
            }
            theirs[name] = *b;
            mine[name] = *a;
            if (names_an_object(name)) objects.push_back(name);
        }
        plan.probes.push_back(make_probe(index, r, kTheirs, theirs, victim, true, table));
        for (size_t k = 1; k < objects.size(); ++k) {
            std::map<std::string, std::string> mixed = theirs;
            std::string variant = "A's";
            for (size_t j = 0; j < k; ++j) {
                mixed[objects[j]] = mine[objects[j]];
                variant += " " + objects[j];
            }
            variant += ", B's";
            for (size_t j = k; j < objects.size(); ++j) variant += " " + objects[j];
            plan.probes.push_back(make_probe(index, r, variant, mixed, victim, true, table));
        }
        if (r.method != "DELETE") plan.probes.push_back(make_probe(index, r, kOwn, mine, victim, false, table));
    }
    return plan;
}

// --- [3] Callers ---------------------------------------------------------------

struct Caller {
    std::string kind;
    std::function<std::string(TenantWorld&)> token;  // "" for none
};

std::vector<Caller> callers_of_a() {
    return {
        {"anonymous", [](TenantWorld&) { return std::string(); }},
        {"A's manager", [](TenantWorld& w) { return w.session(w.a.manager.id); }},
        {"A's member (csr)", [](TenantWorld& w) { return w.session(w.a.member.id); }},
        {"A's onboarding-link client", [](TenantWorld& w) { return w.session(w.a.client_id); }},
        {"A's API key", [](TenantWorld& w) { return w.a.key_secret; }},
        {"an operator's API key for A", [](TenantWorld& w) { return w.op_key_secret; }},
    };
}

Reply call(TenantWorld& w, const Probe& p, const std::string& token) {
    onramp::http::Request req = p.req;
    if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
    Reply r = w.t.send(std::move(req));
    w.settle();
    return r;
}

// --- [4] Judging ---------------------------------------------------------------

struct Needle {
    std::string what, value;
};

// What no one but B may learn, operators included.
std::vector<Needle> secrets_of(const Tenant& x) {
    return {{"manager's password", x.manager.password},
            {"member's password", x.member.password},
            {"manager's access token", x.manager.access_token},
            {"manager's refresh token", x.manager.refresh_token},
            {"member's access token", x.member.access_token},
            {"member's refresh token", x.member.refresh_token},
            {"link client's access token", x.client_access_token},
            {"link client's refresh token", x.client_refresh_token},
            {"onboarding link token", x.link_token},
            {"invitation token", x.invite_token},
            {"API key", x.key_secret},
            {"webhook secret", x.webhook_secret},
            {"stored platform credential", x.vault_secret},
            {"event endpoint secret", x.endpoint_secret}};
}

// What another tenant may not learn: the secrets, and who B is and what it has.
std::vector<Needle> identity_of(const Tenant& x) {
    std::vector<Needle> out = secrets_of(x);
    std::vector<Needle> more = {
        {"org id", x.org_id},
        {"org name", x.org_name},
        {"manager's user id", x.manager.id},
        {"manager's e-mail", x.manager.email},
        {"manager's name", x.manager.name},
        {"member's user id", x.member.id},
        {"member's e-mail", x.member.email},
        {"member's name", x.member.name},
        {"link client's user id", x.client_id},
        {"shop connection id", x.shop_id},
        {"shop connection name", x.shop_name},
        {"store connection id", x.store_id},
        {"store connection name", x.store_name},
        {"sync run id", x.run_id},
        {"integration id", x.integration_id},
        {"integration name", x.integration_name},
        {"document id", x.document_id},
        {"document name", x.document_name},
        {"invitation id", x.invite_id},
        {"invited e-mail", x.invite_email},
        {"onboarding link id", x.link_id},
        {"API key id", x.key_id},
        {"event endpoint id", x.endpoint_id},
        {"company e-mail", x.company["company_email"].get<std::string>()},
        {"company phone", x.company["company_phone"].get<std::string>()},
        {"admin name", x.company["admin_name"].get<std::string>()},
        {"admin e-mail", x.company["admin_email"].get<std::string>()},
    };
    out.insert(out.end(), more.begin(), more.end());
    return out;
}

// The needles found in the answer that the request did not say itself.
// An e-mail address A typed in an earlier request (inviting B's manager to
// A's org, say) is A's own data from then on: `typed` holds what A said
// before, and only e-mail addresses are excused by it.
std::vector<std::string> leaked(const Probe& p, const Reply& r, const std::vector<Needle>& needles,
                                const std::string& typed = "") {
    std::string answer = r.body;
    for (const auto& [k, v] : r.headers) answer += "\n" + k + ": " + v;
    std::vector<std::string> out;
    for (const Needle& n : needles) {
        if (n.value.empty() || answer.find(n.value) == std::string::npos) continue;
        if (p.said.find(n.value) != std::string::npos) continue;
        if (n.value.find('@') != std::string::npos && typed.find(n.value) != std::string::npos) continue;
        out.push_back(n.what);
    }
    return out;
}

std::string brief(const Reply& r) { return std::to_string(r.status) + " " + r.body.substr(0, 300); }

// B's part of the store: every row naming one of B's ids (the endpoint's
// id brings in its delivery log, whose rows name no org), and B's stored
// files. Rows counting deliveries the webhook receivers refused are left
// out: a public receiver counts refusals against the connection the URL
// names, by design, so that B sees attempts on its endpoint.
//
// Each row is labelled with its table's name, so B's rows are only as
// stable as the lines naming the tables. TestApp::snapshot() writes a row
// on one line ending in '|' (its values escaped), a table's name as
// "[name]". That matters because the walk changes A's own rows, sealed
// values included, and a sealed value's random bytes hold a line feed
// followed by '[' about once in 500 seals: a row split there would end
// in what reads as a table's name, which would label B's rows after it
// and change whenever A sealed again (rotating its own endpoint's secret).
std::string state_of(TenantWorld& w, const Tenant& x) {
    std::vector<std::string> ids = {x.org_id,         x.manager.id,  x.member.id, x.client_id,
                                    x.shop_id,        x.store_id,    x.run_id,    x.integration_id,
                                    x.document_id,    x.invite_id,   x.link_id,   x.key_id,
                                    x.endpoint_id};
    std::istringstream rows(w.t.snapshot());
    std::string out, table, line;
    while (std::getline(rows, line)) {
        if (!line.empty() && line.front() == '[' && line.back() == ']') {
            table = line;
            continue;
        }
        if (table == "[webhook_counters]" && line.find("|rejected|") != std::string::npos) continue;
        for (const std::string& id : ids)
            if (line.find(id) != std::string::npos) {
                out += table + " " + line + "\n";
                break;
            }
    }
    std::filesystem::path files = std::filesystem::path(w.t.dir.path) / "documents" / x.org_id;
    if (std::filesystem::exists(files))
        for (const auto& e : std::filesystem::recursive_directory_iterator(files))
            out += "file " + e.path().filename().string() + " " +
                   (e.is_regular_file() ? std::to_string(e.file_size()) : "dir") + "\n";
    return out;
}

// The lines of `after` that `before` lacks, and the other way round.
std::string difference(const std::string& before, const std::string& after) {
    auto lines = [](const std::string& s) {
        std::multiset<std::string> out;
        std::istringstream in(s);
        for (std::string l; std::getline(in, l);) out.insert(l);
        return out;
    };
    std::multiset<std::string> b = lines(before), a = lines(after);
    std::string out;
    for (const std::string& l : a)
        if (!b.count(l)) out += "  + " + l.substr(0, 200) + "\n";
    for (const std::string& l : b)
        if (!a.count(l)) out += "  - " + l.substr(0, 200) + "\n";
    return out;
}

struct Findings {
    std::vector<std::string> succeeded;  // 2xx/3xx where A must be refused
    std::vector<std::string> errors;     // 500
    std::vector<std::string> leaks;
    std::vector<std::string> changes;    // B's rows after a route
    std::set<size_t> walked;             // route indexes
    size_t requests = 0;
};

// One item a line; past the first 40, only how many more (one broken
// check can fail a whole route family).
std::string listed(const std::vector<std::string>& items) {
    std::string out;
    for (size_t i = 0; i < items.size() && i < 40; ++i) out += "\n  " + items[i];
    if (items.size() > 40) out += "\n  ... and " + std::to_string(items.size() - 40) + " more";
    return out;
}

// One of A's principals' requests: what is wrong with its answer.
void judge_a(const std::vector<Route>& routes, const Probe& p, const std::string& kind, const Reply& r,
             const std::vector<Needle>& needles, Findings& f, const std::string& typed = "") {
    std::string who = p.label() + " as " + kind + ": ";
    bool must_refuse = p.variant != kOwn && !note_for(kOpen, routes[p.route]);
    if (must_refuse && r.status < 400) f.succeeded.push_back(who + brief(r));
    if (r.status == 500) f.errors.push_back(who + brief(r));
    std::vector<std::string> found = leaked(p, r, needles, typed);
    for (const std::string& what : found) f.leaks.push_back(who + "B's " + what + " in " + brief(r));
}

// Every probe as every caller, route by route, comparing B's part of the
// store around each route.
Findings walk_as_a(TenantWorld& w, const Plan& plan, const std::vector<Caller>& callers) {
    const std::vector<Route>& routes = w.t.router.routes();
    std::vector<Needle> needles = identity_of(w.b);
    Findings f;
    std::string typed;  // every request A made so far
    size_t next = 0;
    while (next < plan.probes.size()) {
        size_t route = plan.probes[next].route;
        std::string before = state_of(w, w.b);
        for (; next < plan.probes.size() && plan.probes[next].route == route; ++next) {
            const Probe& p = plan.probes[next];
            for (const Caller& c : callers) {
                Reply r = call(w, p, c.token(w));
                judge_a(routes, p, c.kind, r, needles, f, typed);
                ++f.requests;
            }
            typed += p.said + "\n";
            f.walked.insert(route);
        }
        std::string changed = difference(before, state_of(w, w.b));
        if (!changed.empty())
            f.changes.push_back(routes[route].method + " " + routes[route].pattern + " changed B's rows:\n" + changed);
    }
    return f;
}

}  // namespace

// --- [5] The tests -------------------------------------------------------------

TEST_SUITE("isolation.routes") {

TEST_CASE("the walk covers every route of the table, knows every path parameter, and its lists name real routes") {
    TestApp t;
    const std::vector<Route>& routes = t.router.routes();
    REQUIRE(routes.size() > 50);
    Tenant a, b;
    for (Tenant* x : {&a, &b}) {
        std::string k = x == &a ? "a" : "b";
        x->org_id = "org-" + k;
        x->shop_id = "shop-" + k;
        x->integration_id = "integration-" + k;
        x->member.id = "user-" + k;
        x->key_id = "key-" + k;
        x->document_id = "doc-" + k;
        x->invite_id = "inv-" + k;
        x->link_id = "link-" + k;
        x->delivery_seq = k == "a" ? "1" : "2";
    }
    Plan plan = plan_walk(routes, a, b);
    std::vector<std::string> unknown(plan.unknown.begin(), plan.unknown.end());
    CHECK_MESSAGE(unknown.empty(), "path parameters the walk does not know; add them to fill():" << listed(unknown));
    // ...which a route of tomorrow naming a new kind of object would be.
    std::vector<Route> tomorrow = {{"GET", "/api/v1/orgs/{org_id}/widgets/{widget_id}", Access::User, Body::None, {}}};
    CHECK(plan_walk(tomorrow, a, b).unknown ==
          std::set<std::string>{"{widget_id} in GET /api/v1/orgs/{org_id}/widgets/{widget_id}"});
    std::set<size_t> covered;
    for (const Probe& p : plan.probes) covered.insert(p.route);
    std::vector<std::string> skipped;
    for (size_t i = 0; i < routes.size(); ++i)
        if (!covered.count(i)) skipped.push_back(routes[i].method + " " + routes[i].pattern);
    CHECK_MESSAGE(covered.size() == routes.size(), "routes the walk skips:" << listed(skipped));
    // Every route is called with B's ids at least.
    for (size_t i = 0; i < routes.size(); ++i) {
        bool theirs = std::any_of(plan.probes.begin(), plan.probes.end(),
                                  [&](const Probe& p) { return p.route == i && p.variant == kTheirs; });
        CHECK_MESSAGE(theirs, routes[i].method << " " << routes[i].pattern);
    }
    auto exists = [&](const char* method, const char* pattern) {
        return std::any_of(routes.begin(), routes.end(),
                           [&](const Route& r) { return r.method == method && r.pattern == pattern; });
    };
    for (const RouteNote& n : kOpen)
        CHECK_MESSAGE(exists(n.method, n.pattern), "kOpen: " << std::string(n.method) + " " + n.pattern);
    for (const RouteNote& n : kVictimUnreachable)
        CHECK_MESSAGE(exists(n.method, n.pattern), "kVictimUnreachable: " << std::string(n.method) + " " + n.pattern);
    // A body for a route that is gone would hide that a new route got {}.
    for (const auto& [key, body] : bodies(b)) {
        std::string method = key.substr(0, key.find(' ')), pattern = key.substr(key.find(' ') + 1);
        CHECK_MESSAGE(exists(method.c_str(), pattern.c_str()), "bodies(): " << key);
    }
    MESSAGE(routes.size() << " routes, " << plan.probes.size() << " probes per principal");
}

TEST_CASE("every route refuses A's principals B's ids, and no answer or change reveals or touches B") {
    TenantWorld w;
    const std::vector<Route>& routes = w.t.router.routes();
    Plan plan = plan_walk(routes, w.a, w.b);
    std::vector<Caller> callers = callers_of_a();
    std::string before = state_of(w, w.b);
    REQUIRE(before.find(w.b.org_name) != std::string::npos);  // the filter sees B's rows

    Findings f = walk_as_a(w, plan, callers);

    std::vector<std::string> skipped;
    for (size_t i = 0; i < routes.size(); ++i)
        if (!f.walked.count(i)) skipped.push_back(routes[i].method + " " + routes[i].pattern);
    CHECK_MESSAGE(f.walked.size() == routes.size(), f.walked.size() << " of " << routes.size() << " routes walked; "
                                                                     << "not:" << listed(skipped));
    CHECK_MESSAGE(f.succeeded.empty(), "answered with success where A must be refused:" << listed(f.succeeded));
    CHECK_MESSAGE(f.errors.empty(), "answered 500:" << listed(f.errors));
    CHECK_MESSAGE(f.leaks.empty(), "answers holding B's data:" << listed(f.leaks));
    CHECK_MESSAGE(f.changes.empty(), listed(f.changes));
    std::string after = state_of(w, w.b);
    bool unchanged = after == before;
    CHECK_MESSAGE(unchanged, "B's rows after the whole walk:\n" << difference(before, after));
    MESSAGE(f.requests << " requests: " << routes.size() << " routes, " << plan.probes.size() << " probes, "
                       << callers.size() << " kinds of principal");
}

TEST_CASE("B's rows read the same after A seals a secret of its own whose bytes hold a line feed and an opening bracket") {
    TenantWorld w;
    std::string before = state_of(w, w.b);
    REQUIRE(before.find("[event_endpoints] " + w.b.endpoint_id) != std::string::npos);
    // A's endpoint was made before B's, so its row comes first. Rotating
    // its secret seals a new one each time, random bytes: about one in
    // 500 holds "\n[" (the bound leaves the loop a chance below 1e-17 of
    // ending without one, which REQUIRE reports).
    const std::string rotate = "/api/v1/orgs/" + w.a.org_id + "/event-endpoints/" + w.a.endpoint_id + "/rotate-secret";
    auto sealed_of_a = [&] {
        auto db = w.t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT sealed_secret FROM event_endpoints WHERE id = ?");
        st.bind(1, w.a.endpoint_id);
        REQUIRE(st.step());
        return st.text(0);
    };
    int rotations = 0;
    while (sealed_of_a().find("\n[") == std::string::npos && rotations < 20000) {
        REQUIRE(w.t.call("POST", rotate, "", w.a.manager.access_token).status == 200);
        ++rotations;
    }
    REQUIRE(sealed_of_a().find("\n[") != std::string::npos);
    std::string after = state_of(w, w.b);
    CHECK_MESSAGE(after == before, "B's rows after " << rotations << " rotations of A's own secret:\n"
                                                     << difference(before, after));
}

TEST_CASE("an operator walks every route with B's ids: cross-tenant by design, never a 500 or a secret of B's") {
    TenantWorld w;
    const std::vector<Route>& routes = w.t.router.routes();
    Plan plan = plan_walk(routes, w.a, w.b);
    std::vector<Needle> secrets = secrets_of(w.b);
    std::vector<std::string> errors, leaks, refused;
    size_t requests = 0;
    for (const Probe& p : plan.probes) {
        if (p.variant != kTheirs) continue;
        Reply r = call(w, p, w.session(w.op.id));
        ++requests;
        std::string who = p.label() + ": ";
        if (r.status == 500) errors.push_back(who + brief(r));
        for (const std::string& what : leaked(p, r, secrets)) leaks.push_back(who + "B's " + what);
        if (routes[p.route].access == Access::Operator && (r.status == 401 || r.status == 403))
            refused.push_back(who + brief(r));
    }
    CHECK_MESSAGE(errors.empty(), "answered 500:" << listed(errors));
    CHECK_MESSAGE(leaks.empty(), "answers holding B's secrets:" << listed(leaks));
    CHECK_MESSAGE(refused.empty(), "operator routes refusing an operator:" << listed(refused));
    MESSAGE(requests << " requests as an operator");
}

TEST_CASE("B's own manager reaches every object the walk names with B's ids (so A's refusals are refusals)") {
    TenantWorld w;
    const std::vector<Route>& routes = w.t.router.routes();
    Plan plan = plan_walk(routes, w.a, w.b);
    std::vector<std::string> refused, stale;
    for (const Probe& p : plan.probes) {
        const Route& r = routes[p.route];
        if (p.variant != kTheirs || r.method != "GET") continue;
        Reply reply = call(w, p, w.session(w.b.manager.id));
        bool unreachable = reply.status == 401 || reply.status == 403 || reply.status == 404;
        bool expected = note_for(kVictimUnreachable, r);
        if (unreachable && !expected) refused.push_back(p.label() + ": " + brief(reply));
        if (reply.status < 400 && expected) stale.push_back(p.label() + ": " + brief(reply));
    }
    CHECK_MESSAGE(refused.empty(),
                  "B's manager refused on B's own objects; fill() names no live object:" << listed(refused));
    CHECK_MESSAGE(stale.empty(), "B's manager reaches these; remove them from kVictimUnreachable:" << listed(stale));
}

}  // TEST_SUITE
