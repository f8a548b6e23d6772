// What the operator console reads, for both demo clients: organizations,
// their onboarding and connections, sync history, synced products, webhook
// deliveries (replay included), the audit log and the vault's keys; empty
// lists of links, API keys and Demo Company's documents and invitations.
//
// Demo Company's history is fixed, relative to the demo's "today"; the
// visitor's company shows what the wizard did in this tab.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "static_demo/answers.h"

namespace fake {

namespace {

constexpr const char* kShowcaseConnection = "conn_demo_bigcommerce";
constexpr const char* kKeyId = "5f0c2a9e71d4b803";

json org_json(const std::string& id, const std::string& name, int64_t created_at) {
    return {{"id", id}, {"name", name}, {"subscription_tier", "growth"},
            {"created_at", iso8601(created_at)}, {"updated_at", iso8601(created_at)}};
}

json showcase_connection_json(const FakeEdge& e) {
    return {{"id", kShowcaseConnection},
            {"org_id", kShowcaseOrg},
            {"user_id", nullptr},
            {"platform", "bigcommerce"},
            {"name", "Demo store"},
            {"status", "active"},
            {"sync_frequency", "daily"},
            {"credentials", {{"store_hash", "demo01"}, {"access_token", "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2" "7d2c"}}},
            {"created_at", iso8601(e.now - 8 * kDay)},
            {"updated_at", iso8601(e.now - 8 * kDay)},
            {"health",
             {{"last_test_at", iso8601(e.now - 8 * kDay)},
              {"last_test_ok", true},
              {"last_sync_at", iso8601(e.now - 3 * 3600)},
              {"last_error", nullptr}}}};
}

// A fixed history: the initial copy of the catalogue (products and orders),
// then daily incremental runs, one of which failed part-way.
json showcase_runs_json(const FakeEdge& e) {
    struct Run {
        const char* kind;
        const char* state;
        int64_t created, updated, failed;
        int days_ago;
    };
    const int64_t products = e.catalogue.count(onramp::demo::Kind::product);
    const int64_t orders = e.catalogue.count(onramp::demo::Kind::order);
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
                         {"connection_id", kShowcaseConnection},
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
    return {{"connection_id", kShowcaseConnection}, {"current", items[0]},
            {"history", {{"items", items}, {"total", items.size()}, {"page", 1}, {"per_page", 50}}}};
}

json history_json(const FakeEdge& e, const FakeConnection& c) {
    json run = run_json(e, c);
    return {{"connection_id", c.id}, {"current", run},
            {"history", {{"items", {run}}, {"total", 1}, {"page", 1}, {"per_page", 50}}}};
}

std::string money(int64_t cents) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100), static_cast<long long>(cents % 100));
    return buf;
}

json product_json(const onramp::demo::Product& p, const std::string& connection_id) {
    int64_t stock = 0;
    json variants = json::array();
    for (const onramp::demo::Variant& v : p.variants) {
        stock += v.inventory;
        variants.push_back({{"id", std::to_string(p.index + 1) + "-" + std::to_string(v.k + 1)},
                            {"sku", v.sku},
                            {"title", v.option_value},
                            {"price", money(v.price_cents)},
                            {"inventory", v.inventory}});
    }
    return {{"id", std::to_string(p.index + 1)},
            {"connection_id", connection_id},
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

// GET /api/v1/orgs/{org}/products: q, sort, page, per_page, as the edge;
// the first `count` products of the catalogue, those the org's sync copied.
HttpReply products(const FakeEdge& e, const Target& t, int64_t count, const std::string& connection_id) {
    const std::string q = lower(t.query.count("q") ? t.query.at("q") : "");
    std::string sort = t.query.count("sort") ? t.query.at("sort") : "title";
    const bool descending = !sort.empty() && sort[0] == '-';
    if (descending) sort.erase(0, 1);
    if (sort != "title" && sort != "sku" && sort != "price" && sort != "updated_at")
        return problem_reply(onramp::unprocessable({{"sort", "must be one of title, sku, updated_at, price"}}));
    std::vector<onramp::demo::Product> rows;
    for (int64_t i = 0; i < count; ++i) {
        onramp::demo::Product p = e.catalogue.product(i);
        if (q.empty() || lower(p.title).find(q) != std::string::npos || lower(p.sku).find(q) != std::string::npos)
            rows.push_back(std::move(p));
    }
    auto key_less = [&](const onramp::demo::Product& a, const onramp::demo::Product& b) {
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
        items.push_back(product_json(rows[i], connection_id));
    return reply(200, {{"items", items}, {"total", rows.size()}, {"page", page}, {"per_page", per_page}});
}

json delivery_json(const FakeDelivery& d) {
    return {{"id", d.seq},
            {"topic", d.topic},
            {"platform_delivery_id", nullptr},
            {"received_at", iso8601(d.received_at)},
            {"verified", true},
            {"state", d.state},
            {"attempts", d.attempts},
            {"next_attempt_at", nullptr},
            {"last_error", d.last_error.empty() ? json(nullptr) : json(d.last_error)},
            {"processed_at", nullptr},
            {"bytes", 412}};
}

HttpReply showcase_webhooks(const FakeEdge& e) {
    json out = webhook_endpoint_json(e, "bigcommerce", kShowcaseConnection, e.now - 4 * kDay);
    json items = json::array();
    for (auto it = e.deliveries.rbegin(); it != e.deliveries.rend(); ++it) items.push_back(delivery_json(*it));
    out["deliveries"] = items;
    return reply(200, out);
}

HttpReply replay(FakeEdge& e, const std::string& seq) {
    for (FakeDelivery& d : e.deliveries) {
        if (std::to_string(d.seq) != seq) continue;
        if (d.state == "processed" || d.state == "received")
            return problem_reply(onramp::conflict("Only dead, failed or ignored deliveries can be replayed."));
        // The edge queues it again; with no platform behind the demo, it is
        // processed at once.
        d.state = "processed";
        d.attempts += 1;
        d.last_error.clear();
        add_audit(e, kShowcaseOrg, "webhook.replayed", "connection", kShowcaseConnection);
        return reply(200, {{"id", d.seq}, {"state", "received"}});
    }
    return problem_reply(onramp::not_found("No such delivery."));
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
                         {"org_id", it->org_id.empty() ? json(nullptr) : json(it->org_id)},
                         {"action", it->action},
                         {"object_type", it->object_type},
                         {"object_id", it->object_id}});
    }
    return reply(200, {{"items", items}, {"next_cursor", more ? json(std::to_string(last)) : json(nullptr)}});
}

HttpReply vault(const FakeEdge& e) {
    const int64_t secrets = 1 + int64_t(e.client.connections.size());
    json key = {{"key_id", kKeyId}, {"state", "current"}, {"created_at", iso8601(e.now - 9 * kDay)},
                {"retired_at", nullptr}, {"secrets", secrets}, {"held", true}};
    return reply(200, {{"key_id", kKeyId}, {"secrets", secrets}, {"rotating_to", nullptr}, {"keys", {key}}});
}

// Demo Company stopped before goals: the console shows a client mid-way.
HttpReply showcase_status(FakeEdge& e) {
    json progress = {{"company_basics", true}, {"call_tracking", true}, {"documents", true},
                     {"goals_preferences", false}, {"team_invites", false}};
    json data = {{"company_id", kShowcaseOrg},
                 {"onboarding_step", "goals_preferences"},
                 {"onboarding_completed", false},
                 {"onboarding_completed_at", nullptr},
                 {"progress", progress}};
    return envelope(e, kShowcaseOrg, data);
}

const FakeConnection* visitor_connection(const FakeEdge& e, const std::string& id) {
    for (const FakeConnection& c : e.client.connections)
        if (c.id == id) return &c;
    return nullptr;
}

bool showcase_answer(FakeEdge& e, const Target& t, HttpReply* out) {
    const bool get = t.method == "GET";
    if (get && route(t, {"api", "v1", "orgs", "*", "connections"})) {
        *out = reply(200, {{"items", {showcase_connection_json(e)}}, {"total", 1}});
        return true;
    }
    if (get && route(t, {"api", "v1", "orgs", "*", "products"})) {
        *out = products(e, t, e.catalogue.count(onramp::demo::Kind::product), kShowcaseConnection);
        return true;
    }
    if (t.segments.size() > 5 && t.segments[4] == "connections" && t.segments[5] != kShowcaseConnection) {
        *out = problem_reply(onramp::not_found("No such connection."));
        return true;
    }
    if (get && route(t, {"api", "v1", "orgs", "*", "connections", "*", "sync"})) {
        *out = reply(200, showcase_runs_json(e));
        return true;
    }
    if (get && route(t, {"api", "v1", "orgs", "*", "connections", "*", "webhooks"})) {
        *out = showcase_webhooks(e);
        return true;
    }
    if (t.method == "POST" &&
        route(t, {"api", "v1", "orgs", "*", "connections", "*", "webhooks", "deliveries", "*", "replay"})) {
        *out = replay(e, t.segments[8]);
        return true;
    }
    return false;
}

bool visitor_answer(FakeEdge& e, const Target& t, HttpReply* out) {
    const bool get = t.method == "GET";
    const FakeClient& client = e.client;
    if (get && route(t, {"api", "v1", "orgs", "*", "connections"})) {
        json items = json::array();
        for (const FakeConnection& c : client.connections) items.push_back(visitor_connection_json(e, c));
        *out = reply(200, {{"items", items}, {"total", items.size()}});
        return true;
    }
    if (get && route(t, {"api", "v1", "orgs", "*", "products"})) {
        const FakeConnection* c = client.connections.empty() ? nullptr : &client.connections.front();
        *out = products(e, t, c ? products_synced(e, *c) : 0, c ? c->id : "");
        return true;
    }
    if (t.segments.size() <= 5 || t.segments[4] != "connections") return false;
    const FakeConnection* c = visitor_connection(e, t.segments[5]);
    if (!c) {
        *out = problem_reply(onramp::not_found("No such connection."));
        return true;
    }
    if (get && route(t, {"api", "v1", "orgs", "*", "connections", "*", "sync"})) {
        *out = reply(200, history_json(e, *c));
        return true;
    }
    if (get && route(t, {"api", "v1", "orgs", "*", "connections", "*", "webhooks"})) {
        json out_json = webhook_endpoint_json(e, c->platform, c->id, c->created_at);
        out_json["deliveries"] = json::array();  // no platform sends any to the static demo
        *out = reply(200, out_json);
        return true;
    }
    return false;
}

}  // namespace

json webhook_endpoint_json(const FakeEdge& e, const std::string& platform, const std::string& connection_id,
                           int64_t registered_at) {
    const json topics = {"store/product/created", "store/product/updated", "store/product/deleted",
                         "store/product/inventory/updated", "store/order/created", "store/order/updated"};
    return {{"url", e.origin + "/webhooks/" + platform + "/" + connection_id},
            {"scheme", platform},
            {"secret_configured", true},
            {"secret", "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2" "9f3a"},
            {"secret_set_at", iso8601(registered_at)},
            {"previous_secret_valid_until", nullptr},
            {"can_register", true},
            {"registered", topics},
            {"registered_at", iso8601(registered_at)},
            {"registration", {{"state", "registered"}, {"reason", nullptr}}},
            {"steps", json::array()}};
}

json visitor_connection_json(const FakeEdge& e, const FakeConnection& c) {
    const bool synced = run_finished(e, c);
    return {{"id", c.id},
            {"org_id", e.client.id},
            {"user_id", nullptr},
            {"platform", c.platform},
            {"name", c.name},
            {"status", "active"},
            {"sync_frequency", "daily"},
            {"credentials", c.credentials},
            {"verified", c.verified},
            {"created_at", iso8601(c.created_at)},
            {"updated_at", iso8601(c.created_at)},
            {"health",
             {{"last_test_at", iso8601(c.created_at)},
              {"last_test_ok", true},
              {"last_sync_at", synced ? json(iso8601(c.created_at)) : json(nullptr)},
              {"last_error", nullptr}}}};
}

void seed_showcase(FakeEdge& e) {
    const int64_t now = e.now;
    e.deliveries = {
        {1, "store/product/updated", "processed", "", now - 2 * kDay, 1},
        {2, "store/order/created", "processed", "", now - 2 * kDay + 600, 1},
        {3, "store/product/inventory/updated", "dead", "the product named by the delivery no longer exists",
         now - kDay, 5},
        {4, "store/order/updated", "processed", "", now - 5 * 3600, 1},
        {5, "store/product/updated", "ignored", "", now - 3600, 1},
    };
    auto at = [&](int64_t when, const char* action, const char* type, const char* id, const char* actor) {
        e.audit.push_back({int64_t(e.audit.size()) + 1, when, actor, kShowcaseOrg, action, type, id});
    };
    at(now - 9 * kDay, "org.created", "org", kShowcaseOrg, kEmail);
    at(now - 8 * kDay, "connection.created", "connection", kShowcaseConnection, kEmail);
    at(now - 8 * kDay, "sync.completed", "connection", kShowcaseConnection, "");
    at(now - 4 * kDay, "webhook.secret_set", "connection", kShowcaseConnection, kEmail);
}

bool console_answer(FakeEdge& e, const Target& t, HttpReply* out) {
    const bool get = t.method == "GET";
    if (get && route(t, {"api", "v1", "orgs"})) {
        // Newest first: the visitor's company heads the list.
        json items = {org_json(e.client.id, e.client.name, e.client.created_at),
                      org_json(kShowcaseOrg, "Demo Company", e.now - 9 * kDay)};
        *out = reply(200, {{"items", items}, {"total", items.size()}});
        return true;
    }
    if (get && route(t, {"api", "v1", "audit"})) {
        *out = audit(e, t);
        return true;
    }
    if (get && route(t, {"api", "v1", "operator", "vault"})) {
        *out = vault(e);
        return true;
    }
    if (get && route(t, {"api", "v1", "onboarding", "status"}) && t.org_header == kShowcaseOrg) {
        *out = showcase_status(e);
        return true;
    }
    // What the console lists that the demo has none of: Demo Company's
    // documents and invitations, either company's links, the user's API
    // keys. Making them is left to the real edge (the default answer).
    if (get && t.org_header == kShowcaseOrg &&
        (route(t, {"api", "v1", "onboarding", "documents"}) || route(t, {"api", "v1", "onboarding", "invited-users"}))) {
        *out = envelope(e, kShowcaseOrg, {{t.segments[3] == "documents" ? "documents" : "invited_users", json::array()},
                                          {"total", 0}});
        return true;
    }
    if ((get && route(t, {"api", "v1", "orgs", "*", "onboarding-links"})) ||
        (get && route(t, {"api", "v1", "auth", "api-keys"}))) {
        *out = reply(200, {{"items", json::array()}, {"total", 0}});
        return true;
    }
    if (t.segments.size() <= 4 || t.segments[2] != "orgs") return false;
    return t.segments[3] == kShowcaseOrg ? showcase_answer(e, t, out) : visitor_answer(e, t, out);
}

}  // namespace fake
