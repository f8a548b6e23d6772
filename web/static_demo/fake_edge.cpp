#include "static_demo/fake_edge.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>

using nlohmann::json;

namespace {

constexpr const char* kEmail = "demo@onramp.local";
constexpr const char* kPassword = "onramp-demo";
constexpr const char* kOrg = "org_demo";
constexpr const char* kConnection = "conn_demo_bigcommerce";
constexpr const char* kKeyId = "5f0c2a9e71d4b803";
constexpr int64_t kDay = 86400;

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

HttpReply problem(int status, const std::string& title, const std::string& detail) {
    return reply(status, {{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}});
}

// --- requests ------------------------------------------------------------

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

struct Target {
    std::vector<std::string> segments;  // the path split at '/', empty ones dropped
    std::map<std::string, std::string> query;
};

Target parse_target(const std::string& url) {
    Target t;
    const size_t q = url.find('?');
    const std::string path = url.substr(0, q);
    size_t i = 0;
    while (i < path.size()) {
        size_t slash = path.find('/', i);
        if (slash == std::string::npos) slash = path.size();
        if (slash > i) t.segments.push_back(url_decode(path.substr(i, slash - i)));
        i = slash + 1;
    }
    if (q == std::string::npos) return t;
    const std::string query = url.substr(q + 1);
    i = 0;
    while (i <= query.size()) {
        size_t amp = query.find('&', i);
        if (amp == std::string::npos) amp = query.size();
        const std::string pair = query.substr(i, amp - i);
        const size_t eq = pair.find('=');
        if (!pair.empty()) t.query[url_decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
        i = amp + 1;
    }
    return t;
}

// Does the path equal `pattern`, where "*" matches any one segment?
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

// --- the demo's records ------------------------------------------------------

void add_audit(FakeEdge& e, int64_t at, const std::string& actor, const std::string& action,
               const std::string& object_type, const std::string& object_id) {
    e.audit.push_back({int64_t(e.audit.size()) + 1, at, actor, action, object_type, object_id});
}

json org_json(const FakeEdge& e) {
    return {{"id", kOrg}, {"name", "Demo Company"}, {"subscription_tier", "growth"},
            {"created_at", iso8601(e.now - 9 * kDay)}, {"updated_at", iso8601(e.now - 9 * kDay)}};
}

json connection_json(const FakeEdge& e) {
    return {{"id", kConnection},
            {"org_id", kOrg},
            {"platform", "bigcommerce"},
            {"name", "Demo store"},
            {"status", "active"},
            {"sync_frequency", "daily"},
            {"credentials", {{"store_hash", "demo01"}, {"access_token", "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2" "7d2c"}}},
            {"created_at", iso8601(e.now - 8 * kDay)},
            {"health",
             {{"last_test_at", iso8601(e.now - 8 * kDay)},
              {"last_test_ok", true},
              {"last_sync_at", iso8601(e.now - 3 * 3600)},
              {"last_error", nullptr}}}};
}

// A fixed history: the initial copy of the catalogue (products and orders),
// then daily incremental runs, one of which failed part-way.
json runs_json(const FakeEdge& e) {
    struct Run {
        const char* kind;
        const char* state;
        int64_t created, updated, failed;
        int days_ago;
    };
    const int64_t products = e.catalogue.count(onramp::mock::Kind::product);
    const int64_t orders = e.catalogue.count(onramp::mock::Kind::order);
    const Run runs[] = {{"initial", "succeeded", products + orders, 0, 0, 8}, {"incremental", "succeeded", 2, 12, 0, 7},
                        {"incremental", "succeeded", 0, 7, 0, 6},       {"incremental", "failed", 0, 3, 1, 5},
                        {"incremental", "succeeded", 1, 22, 0, 4},      {"incremental", "succeeded", 0, 9, 0, 3},
                        {"incremental", "succeeded", 3, 15, 0, 2},      {"incremental", "succeeded", 0, 11, 0, 1}};
    json items = json::array();
    int n = 0;
    for (const Run& r : runs) {
        const int64_t queued = e.now - r.days_ago * kDay - 3 * 3600;
        const int64_t items_done = r.created + r.updated + r.failed;
        items.push_back({{"id", "run_demo_" + std::to_string(++n)},
                         {"connection_id", kConnection},
                         {"kind", r.kind},
                         {"state", r.state},
                         {"resources", {"products", "orders"}},
                         {"created", r.created},
                         {"updated", r.updated},
                         {"failed", r.failed},
                         {"items", items_done},
                         {"errors", r.failed ? json::array({"orders: the platform answered 503 three times"})
                                             : json::array()},
                         {"queued_at", iso8601(queued)},
                         {"started_at", iso8601(queued + 1)},
                         {"finished_at", iso8601(queued + 4 + items_done / 50)}});
    }
    std::reverse(items.begin(), items.end());  // newest first, like the edge
    return {{"connection_id", kConnection}, {"current", items[0]},
            {"history", {{"items", items}, {"total", items.size()}, {"page", 1}, {"per_page", 50}}}};
}

std::string money(int64_t cents) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100), static_cast<long long>(cents % 100));
    return buf;
}

json product_json(const onramp::mock::Product& p) {
    int64_t stock = 0;
    json variants = json::array();
    for (const onramp::mock::Variant& v : p.variants) {
        stock += v.inventory;
        variants.push_back({{"id", std::to_string(p.index + 1) + "-" + std::to_string(v.k + 1)},
                            {"sku", v.sku},
                            {"title", v.option_value},
                            {"price", money(v.price_cents)},
                            {"inventory", v.inventory}});
    }
    return {{"id", std::to_string(p.index + 1)},
            {"connection_id", kConnection},
            {"platform", "bigcommerce"},
            {"title", p.title},
            {"sku", p.sku},
            {"status", p.active ? "active" : "draft"},
            {"vendor", p.vendor},
            {"price", money(p.price_cents)},
            {"currency", "USD"},
            {"inventory", stock},
            {"updated_at", iso8601(p.updated_at)},
            {"variants", variants}};
}

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// GET /api/v1/orgs/{org}/products: q, sort, page, per_page, as the edge.
HttpReply products(const FakeEdge& e, const Target& t) {
    const std::string q = lower(t.query.count("q") ? t.query.at("q") : "");
    std::string sort = t.query.count("sort") ? t.query.at("sort") : "title";
    const bool descending = !sort.empty() && sort[0] == '-';
    if (descending) sort.erase(0, 1);
    if (sort != "title" && sort != "sku" && sort != "price" && sort != "updated_at")
        return problem(422, "Invalid request", "sort must be one of title, sku, updated_at, price.");
    std::vector<onramp::mock::Product> rows;
    for (int64_t i = 0; i < e.catalogue.count(onramp::mock::Kind::product); ++i) {
        onramp::mock::Product p = e.catalogue.product(i);
        if (q.empty() || lower(p.title).find(q) != std::string::npos || lower(p.sku).find(q) != std::string::npos)
            rows.push_back(std::move(p));
    }
    auto key_less = [&](const onramp::mock::Product& a, const onramp::mock::Product& b) {
        if (sort == "sku") return a.sku < b.sku;
        if (sort == "price") return a.price_cents < b.price_cents;
        if (sort == "updated_at") return a.updated_at < b.updated_at;
        return a.title < b.title;
    };
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
        return descending ? key_less(b, a) : key_less(a, b);
    });
    const int page = query_int(t, "page", 1, 1, 1000000);
    const int per_page = query_int(t, "per_page", 50, 1, 200);
    json items = json::array();
    for (size_t i = size_t(page - 1) * size_t(per_page); i < rows.size() && items.size() < size_t(per_page); ++i)
        items.push_back(product_json(rows[i]));
    return reply(200, {{"items", items}, {"total", rows.size()}, {"page", page}, {"per_page", per_page}});
}

json delivery_json(const FakeDelivery& d) {
    return {{"id", d.seq},
            {"topic", d.topic},
            {"received_at", iso8601(d.received_at)},
            {"verified", true},
            {"state", d.state},
            {"attempts", d.attempts},
            {"last_error", d.last_error.empty() ? json(nullptr) : json(d.last_error)}};
}

HttpReply webhooks(const FakeEdge& e) {
    json items = json::array();
    for (auto it = e.deliveries.rbegin(); it != e.deliveries.rend(); ++it) items.push_back(delivery_json(*it));
    return reply(200, {{"connection_id", kConnection}, {"scheme", "bigcommerce"}, {"deliveries", items}});
}

HttpReply replay(FakeEdge& e, const std::string& seq) {
    for (FakeDelivery& d : e.deliveries) {
        if (std::to_string(d.seq) != seq) continue;
        if (d.state == "processed" || d.state == "received")
            return problem(409, "Conflict", "Only dead, failed or ignored deliveries can be replayed.");
        d.state = "processed";
        d.attempts += 1;
        d.last_error.clear();
        add_audit(e, e.now, kEmail, "webhook.replayed", "webhook_delivery", seq);
        return reply(200, delivery_json(d));
    }
    return problem(404, "Not found", "No such delivery.");
}

HttpReply audit(const FakeEdge& e, const Target& t) {
    const int limit = query_int(t, "limit", 50, 1, 500);
    int64_t before = INT64_MAX;
    if (auto it = t.query.find("cursor"); it != t.query.end() && !it->second.empty()) before = std::atoll(it->second.c_str());
    json items = json::array();
    int64_t last = 0;
    bool more = false;
    for (auto it = e.audit.rbegin(); it != e.audit.rend(); ++it) {
        if (it->id >= before) continue;
        if (int(items.size()) == limit) {
            more = true;
            break;
        }
        last = it->id;
        items.push_back({{"id", it->id},
                         {"at", iso8601(it->at)},
                         {"actor_email", it->actor.empty() ? json(nullptr) : json(it->actor)},
                         {"org_id", kOrg},
                         {"action", it->action},
                         {"object_type", it->object_type},
                         {"object_id", it->object_id}});
    }
    return reply(200, {{"items", items}, {"next_cursor", more ? json(std::to_string(last)) : json(nullptr)}});
}

HttpReply vault(const FakeEdge& e) {
    json key = {{"key_id", kKeyId}, {"state", "current"}, {"created_at", iso8601(e.now - 9 * kDay)},
                {"retired_at", nullptr}, {"secrets", 1}, {"held", true}};
    return reply(200, {{"key_id", kKeyId}, {"secrets", 1}, {"rotating_to", nullptr}, {"keys", {key}}});
}

HttpReply onboarding(const FakeEdge& e) {
    json progress = {{"company_basics", true}, {"call_tracking", true}, {"documents", true},
                     {"goals_preferences", false}, {"team_invites", false}};
    return reply(200, {{"success", true},
                       {"data",
                        {{"company_id", kOrg},
                         {"onboarding_step", "goals_preferences"},
                         {"onboarding_completed", false},
                         {"onboarding_completed_at", nullptr},
                         {"progress", progress}}}});
}

HttpReply login(FakeEdge& e, const HttpRequest& req) {
    json body = json::parse(req.body, nullptr, false);
    const bool ok = body.is_object() && body.value("email", "") == kEmail && body.value("password", "") == kPassword;
    if (!ok) {
        add_audit(e, e.now, body.is_object() ? body.value("email", "") : "", "login.failed", "user", "");
        return problem(401, "Unauthorized",
                       "The email or password is wrong. In this demo, sign in as demo@onramp.local with onramp-demo.");
    }
    e.token = "demo-session-" + std::to_string(e.audit.size());
    add_audit(e, e.now, kEmail, "login.succeeded", "user", "usr_demo");
    return reply(200, {{"access_token", e.token},
                       {"refresh_token", e.token + "-refresh"},
                       {"token_type", "Bearer"},
                       {"expires_in", 3600},
                       {"user", {{"id", "usr_demo"}, {"email", kEmail}, {"full_name", "Demo Operator"},
                                 {"is_operator", true}}}});
}

}  // namespace

void fake_edge_init(FakeEdge& e, int64_t now) {
    e.now = now;
    e.deliveries = {
        {1, "store/product/updated", "processed", "", now - 2 * kDay, 1},
        {2, "store/order/created", "processed", "", now - 2 * kDay + 600, 1},
        {3, "store/product/inventory/updated", "dead", "the product named by the delivery no longer exists",
         now - kDay, 5},
        {4, "store/order/updated", "processed", "", now - 5 * 3600, 1},
        {5, "store/product/updated", "ignored", "", now - 3600, 1},
    };
    add_audit(e, now - 9 * kDay, "demo@onramp.local", "org.created", "org", kOrg);
    add_audit(e, now - 8 * kDay, "demo@onramp.local", "connection.created", "connection", kConnection);
    add_audit(e, now - 8 * kDay, "", "sync.completed", "connection", kConnection);
    add_audit(e, now - 4 * kDay, "demo@onramp.local", "webhook.secret_set", "connection", kConnection);
}

HttpReply fake_edge_answer(FakeEdge& e, const HttpRequest& req) {
    const Target t = parse_target(req.url);
    const bool get = req.method == "GET";
    if (req.method == "POST" && route(t, {"api", "v1", "auth", "login"})) return login(e, req);
    if (e.token.empty() || req.bearer != e.token)
        return problem(401, "Unauthorized", "Sign in first.");
    if (req.method == "POST" && route(t, {"api", "v1", "auth", "logout"})) {
        e.token.clear();
        return reply(204, nullptr);
    }
    // Every path below names the one demo organization or none.
    if (t.segments.size() > 3 && t.segments[2] == "orgs" && t.segments[3] != kOrg)
        return problem(404, "Not found", "No such organization.");
    if (get && route(t, {"api", "v1", "orgs"})) return reply(200, {{"items", {org_json(e)}}, {"total", 1}});
    if (get && route(t, {"api", "v1", "onboarding", "status"})) return onboarding(e);
    if (get && route(t, {"api", "v1", "orgs", "*", "connections"}))
        return reply(200, {{"items", {connection_json(e)}}, {"total", 1}});
    if (get && route(t, {"api", "v1", "orgs", "*", "products"})) return products(e, t);
    if (t.segments.size() > 5 && t.segments[4] == "connections" && t.segments[5] != kConnection)
        return problem(404, "Not found", "No such connection.");
    if (get && route(t, {"api", "v1", "orgs", "*", "connections", "*", "sync"})) return reply(200, runs_json(e));
    if (get && route(t, {"api", "v1", "orgs", "*", "connections", "*", "webhooks"})) return webhooks(e);
    if (req.method == "POST" && route(t, {"api", "v1", "orgs", "*", "connections", "*", "webhooks", "deliveries", "*", "replay"}))
        return replay(e, t.segments[8]);
    if (get && route(t, {"api", "v1", "audit"})) return audit(e, t);
    if (get && route(t, {"api", "v1", "operator", "vault"})) return vault(e);
    return problem(404, "Not in the static demo",
                   "This static demo runs without a server and does not include " + req.method + " " + req.url +
                       ". Run `onramp-edge serve --demo` for the whole product.");
}
