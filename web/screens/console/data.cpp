#include "screens/console/data.h"

#include <nlohmann/json.hpp>

#include "api.h"

using nlohmann::json;
using onramp::Problem;
using onramp::Result;

// --- reading members without throwing -------------------------------------

static const json& member(const json& object, const char* key) {
    static const json kNull;
    if (!object.is_object()) return kNull;
    auto it = object.find(key);
    return it == object.end() ? kNull : *it;
}

// Strings as they are; numbers written out (ids are sometimes numeric).
static std::string text(const json& object, const char* key) {
    const json& v = member(object, key);
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_number()) return v.dump();
    return {};
}

static int64_t integer(const json& object, const char* key, int64_t fallback = 0) {
    const json& v = member(object, key);
    if (v.is_number()) return v.get<int64_t>();
    return fallback;
}

static bool boolean(const json& object, const char* key) {
    const json& v = member(object, key);
    return v.is_boolean() && v.get<bool>();
}

// The body of a 2xx reply, or the Problem to show.
static Result<json> body_of(const HttpReply& reply) {
    if (reply.status < 200 || reply.status > 299) return reply_problem(reply);
    json body = json::parse(reply.body, nullptr, false);
    if (body.is_discarded()) {
        Problem p;
        p.status = reply.status;
        p.detail = "The server's reply was not JSON.";
        return p;
    }
    return body;
}

// The list in a reply: {items: [...]}, or the array itself.
static const json& items_of(const json& body) {
    if (body.is_array()) return body;
    return member(body, "items");
}

// --- parsers ---------------------------------------------------------------

Result<std::vector<OrgRow>> parse_orgs(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    std::vector<OrgRow> rows;
    for (const json& o : items_of(*body))
        rows.push_back({text(o, "id"), text(o, "name"), text(o, "subscription_tier"), text(o, "created_at")});
    return rows;
}

// The seed's shape is {success, data: {onboarding_step, onboarding_completed,
// progress: {phase: bool}}}; a bare data object is read the same way.
Result<OnboardingInfo> parse_onboarding(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    const json& data = member(*body, "data").is_object() ? member(*body, "data") : *body;
    OnboardingInfo info;
    info.step = text(data, "onboarding_step");
    info.completed = boolean(data, "onboarding_completed");
    const json& progress = member(data, "progress");
    if (progress.is_object()) {
        for (const auto& [phase, done] : progress.items()) {
            ++info.steps_total;
            if (done.is_boolean() && done.get<bool>()) ++info.steps_done;
        }
    }
    return info;
}

Result<std::vector<ClientConnection>> parse_connections(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    std::vector<ClientConnection> rows;
    for (const json& c : items_of(*body)) {
        ClientConnection row;
        row.id = text(c, "id");
        row.platform = text(c, "platform");
        row.name = text(c, "name");
        row.status = text(c, "status");
        row.sync_frequency = text(c, "sync_frequency");
        const json& health = member(c, "health");
        row.last_test_at = text(health, "last_test_at");
        row.last_sync_at = text(health, "last_sync_at");
        row.last_error = text(health, "last_error");
        const json& ok = member(health, "last_test_ok");
        row.last_test_ok = ok.is_boolean() ? (ok.get<bool>() ? 1 : 0) : -1;
        rows.push_back(std::move(row));
    }
    return rows;
}

// GET .../sync answers {current, history: {items, ...}}, newest first.
Result<std::vector<SyncRunRow>> parse_sync_runs(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    const json& history = member(*body, "history");
    std::vector<SyncRunRow> rows;
    for (const json& r : items_of(history.is_null() ? *body : history)) {
        SyncRunRow row;
        row.id = text(r, "id");
        row.kind = text(r, "kind");
        row.state = text(r, "state");
        row.queued_at = text(r, "queued_at");
        row.finished_at = text(r, "finished_at");
        row.created = integer(r, "created");
        row.updated = integer(r, "updated");
        row.failed = integer(r, "failed");
        row.items = integer(r, "items", row.created + row.updated + row.failed);
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<ProductPage> parse_products(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    ProductPage page;
    for (const json& p : items_of(*body)) {
        ProductRow row;
        row.id = text(p, "id");
        row.title = text(p, "title");
        row.sku = text(p, "sku");
        row.price = text(p, "price");
        row.currency = text(p, "currency");
        row.status = text(p, "status");
        row.updated_at = text(p, "updated_at");
        row.inventory = integer(p, "inventory", -1);
        if (row.inventory < 0) {
            // Stock is kept per variant on most platforms.
            for (const json& v : member(p, "variants")) {
                int64_t n = integer(v, "inventory", -1);
                if (n >= 0) row.inventory = (row.inventory < 0 ? 0 : row.inventory) + n;
            }
        }
        page.rows.push_back(std::move(row));
    }
    page.total = integer(*body, "total", int64_t(page.rows.size()));
    return page;
}

Result<std::vector<DeliveryRow>> parse_deliveries(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    // GET .../webhooks: the endpoint, with its recent deliveries, newest first.
    const json& list = member(*body, "deliveries").is_array() ? member(*body, "deliveries") : items_of(*body);
    std::vector<DeliveryRow> rows;
    for (const json& d : list) {
        DeliveryRow row;
        row.id = text(d, "id");
        if (row.id.empty()) row.id = text(d, "seq");
        row.topic = text(d, "topic");
        row.state = text(d, "state");
        row.received_at = text(d, "received_at");
        row.last_error = text(d, "last_error");
        row.attempts = integer(d, "attempts");
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<AuditPage> parse_audit(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    AuditPage page;
    for (const json& e : items_of(*body)) {
        AuditRow row;
        row.at = text(e, "at");
        row.actor = text(e, "actor_email");
        if (row.actor.empty()) row.actor = "system";
        row.action = text(e, "action");
        row.object = text(e, "object_type");
        std::string id = text(e, "object_id");
        if (!id.empty()) row.object += (row.object.empty() ? "" : " ") + id;
        page.rows.push_back(std::move(row));
    }
    page.next_cursor = text(*body, "next_cursor");
    return page;
}

Result<VaultInfo> parse_vault(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    VaultInfo info;
    info.key_id = text(*body, "key_id");
    info.rotating_to = text(*body, "rotating_to");
    info.secrets = integer(*body, "secrets");
    for (const json& k : member(*body, "keys")) {
        VaultKeyRow row;
        row.key_id = text(k, "key_id");
        row.state = text(k, "state");
        row.created_at = text(k, "created_at");
        row.retired_at = text(k, "retired_at");
        row.secrets = integer(k, "secrets");
        row.held = boolean(k, "held");
        info.keys.push_back(std::move(row));
    }
    return info;
}

// --- presentation helpers --------------------------------------------------

const char* connection_health(const ClientConnection& c) {
    if (c.status == "disabled") return "disabled";
    if (c.status == "error" || c.last_test_ok == 0 || !c.last_error.empty()) return "failing";
    if (c.last_test_ok < 0) return "untested";
    return "healthy";
}

std::string step_label(const std::string& step) {
    if (step.empty()) return "Not started";
    std::string out = step;
    for (char& ch : out)
        if (ch == '_') ch = ' ';
    if (out[0] >= 'a' && out[0] <= 'z') out[0] = char(out[0] - 'a' + 'A');
    return out;
}

std::string short_time(const std::string& iso) {
    // 2026-11-29T21:56:28Z: date, a space, hours and minutes.
    if (iso.size() < 16 || iso[10] != 'T') return iso;
    return iso.substr(0, 10) + " " + iso.substr(11, 5);
}
