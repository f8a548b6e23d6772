// The console's rows read from the edge's replies (data.h).
#include "screens/console/data.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "api.h"
#include "i18n/i18n.h"
#include "shared/connectors/catalog.h"
#include "shared/validation/messages.h"

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

// The Problem of a failed reply, with its field messages (422): in the
// client's language where the edge sent a message's code (error_codes),
// else in the edge's English.
static Problem failure_of(const HttpReply& reply) {
    Problem p = reply_problem(reply);
    const json body = json::parse(reply.body, nullptr, false);
    const json& errors = member(body, "errors");
    if (errors.is_object())
        for (const auto& [field, message] : errors.items())
            if (message.is_string()) p.errors[field] = message.get<std::string>();
    if (body.is_object())
        for (const auto& [field, message] : onramp::validation::read_error_codes(body))
            p.errors[field] = validation_text(message);
    return p;
}

// The body of a 2xx reply, or the Problem to show.
static Result<json> body_of(const HttpReply& reply) {
    if (reply.status < 200 || reply.status > 299) return failure_of(reply);
    json body = json::parse(reply.body, nullptr, false);
    if (body.is_discarded()) {
        Problem p;
        p.status = reply.status;
        p.detail = tr("The server's reply was not JSON.");
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

// The onboarding endpoints' {success, data: {...}} envelope, or a bare object.
static const json& data_of(const json& body) {
    return member(body, "data").is_object() ? member(body, "data") : body;
}

// "quiet_hours_start" -> "Quiet hours start".
static std::string label_of(const std::string& key) { return step_label(key); }

// A JSON value as one line: lists joined by commas, objects as "k: v".
static std::string flat(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? tr("yes") : tr("no");
    if (v.is_number()) return v.dump();
    std::string out;
    if (v.is_array()) {
        for (const json& e : v) out += (out.empty() ? "" : ", ") + flat(e);
    } else if (v.is_object()) {
        for (const auto& [k, e] : v.items()) out += (out.empty() ? "" : ", ") + label_of(k) + ": " + flat(e);
    }
    return out;
}

// Members of `object` in `order` first, then the rest; null and empty left out.
static std::vector<Fact> facts_of(const json& object, std::initializer_list<const char*> order) {
    std::vector<Fact> out;
    if (!object.is_object()) return out;
    auto add = [&](const std::string& key, const json& v) {
        std::string value = flat(v);
        if (!value.empty()) out.push_back({label_of(key), value});
    };
    for (const char* key : order) add(key, member(object, key));
    for (const auto& [key, v] : object.items()) {
        bool listed = false;
        for (const char* k : order) listed = listed || key == k;
        if (!listed) add(key, v);
    }
    return out;
}

// GET /onboarding/status answers {success, data: {onboarding_step, onboarding_completed,
// progress: {phase: bool}, company, goals}}; a bare data object is read the
// same way.
Result<OnboardingInfo> parse_onboarding(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    const json& data = data_of(*body);
    OnboardingInfo info;
    info.step = text(data, "onboarding_step");
    info.completed = boolean(data, "onboarding_completed");
    info.completed_at = text(data, "onboarding_completed_at");
    info.company = facts_of(member(data, "company"),
                            {"company_name", "company_phone", "company_email", "company_domain", "company_address",
                             "industry", "timezone", "team_size", "admin_name", "admin_email"});
    info.goals = facts_of(member(data, "goals"), {"primary_goals", "target_metrics", "notification_preferences"});
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
        const json& creds = member(c, "credentials");
        if (creds.is_object())
            for (const auto& [field, value] : creds.items()) row.credential_fields.push_back(field);
        row.dead_letters = integer(c, "dead_letters");
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
        row.amount = integer(p, "amount", -1);
        row.refunded = integer(p, "amount_refunded", -1);
        row.description = text(p, "description");
        row.payment_id = text(p, "payment_id");
        row.reason = text(p, "reason");
        row.created_at = text(p, "created_at");
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
    page.page = integer(*body, "page", 1);
    page.per_page = integer(*body, "per_page", int64_t(page.rows.size()));
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
        if (row.actor.empty()) row.actor = tr("system");
        row.action = text(e, "action");
        row.object = text(e, "object_type");
        std::string name = text(e, "object_name");
        if (name.empty()) name = text(e, "object_id");
        if (!name.empty()) row.object += (row.object.empty() ? "" : " ") + name;
        row.client = text(e, "org_name");
        if (row.client.empty()) row.client = text(e, "org_id");
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

Result<std::vector<DocumentInfo>> parse_documents(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    std::vector<DocumentInfo> rows;
    for (const json& d : member(data_of(*body), "documents")) {
        DocumentInfo row{text(d, "document_id"), text(d, "filename"), text(d, "category"),
                         text(d, "ingestion_status"), text(d, "created_at")};
        if (row.id.empty()) row.id = text(d, "id");
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<std::vector<InvitationInfo>> parse_invitations(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    std::vector<InvitationInfo> rows;
    for (const json& i : member(data_of(*body), "invited_users"))
        rows.push_back({text(i, "invite_id"), text(i, "email"), text(i, "role"), text(i, "status"),
                        text(i, "invited_at")});
    return rows;
}

static LinkInfo link_of(const json& l) {
    LinkInfo row;
    row.id = text(l, "id");
    row.state = text(l, "state");
    if (row.state.empty()) row.state = text(l, "status");
    row.note = text(l, "note");
    row.created_at = text(l, "created_at");
    row.expires_at = text(l, "expires_at");
    row.last_opened_at = text(l, "last_opened_at");
    row.last_activity_at = text(l, "last_activity_at");
    row.opened_count = integer(l, "opened_count", -1);
    const json& code = member(l, "require_code");
    row.require_code = code.is_boolean() ? (code.get<bool>() ? 1 : 0) : -1;
    for (const json& p : member(l, "platforms"))
        if (p.is_string()) row.platforms.push_back(p.get<std::string>());
    for (const json& o : member(l, "openings"))
        row.openings.push_back({text(o, "at"), text(o, "device"), text(o, "address")});
    return row;
}

Result<std::vector<LinkInfo>> parse_links(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    std::vector<LinkInfo> rows;
    for (const json& l : items_of(*body)) rows.push_back(link_of(l));
    return rows;
}

Result<NewLink> parse_new_link(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    return NewLink{text(*body, "id"), text(*body, "url"), text(*body, "emailed_to")};
}

Result<OrgRow> parse_org(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    return OrgRow{text(*body, "id"), text(*body, "name"), text(*body, "subscription_tier"), text(*body, "created_at")};
}

Result<std::vector<PlatformChoice>> parse_platforms(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    std::vector<PlatformChoice> rows;
    for (const json& c : member(*body, "connectors")) rows.push_back({text(c, "id"), text(c, "name")});
    return rows;
}

Result<std::vector<ApiKeyRow>> parse_api_keys(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    std::vector<ApiKeyRow> rows;
    for (const json& k : items_of(*body))
        rows.push_back({text(k, "id"), text(k, "name"), text(k, "prefix"), text(k, "created_at"),
                        text(k, "last_used_at"), text(k, "revoked_at")});
    return rows;
}

Result<NewApiKey> parse_new_api_key(const HttpReply& reply) {
    auto body = body_of(reply);
    if (!body) return body.problem();
    return NewApiKey{text(*body, "id"), text(*body, "name"), text(*body, "key")};
}

Result<bool> parse_done(const HttpReply& reply) {
    if (reply.status < 200 || reply.status > 299) return failure_of(reply);
    return true;
}

std::string problem_words(const Problem& p) {
    // A known error code has words in the client's language (problem_text);
    // else the edge's own title and detail, which are English.
    const std::string known = problem_text(p);
    std::string out = known != p.detail ? known : p.title;
    if (known == p.detail && !p.detail.empty() && p.detail != p.title) out += (out.empty() ? "" : ": ") + p.detail;
    for (const auto& [field, message] : p.errors) out += (out.empty() ? "" : "; ") + field + " " + message;
    return out;
}

std::string link_request_body(const std::vector<std::string>& platforms, const std::string& note,
                              int expires_in_hours, const std::string& send_to, bool require_code) {
    json body = {{"platforms", platforms}};
    if (!note.empty()) body["note"] = note;
    if (expires_in_hours >= 0) body["expires_in_hours"] = expires_in_hours;
    if (!send_to.empty()) body["send_to"] = send_to;
    if (require_code) body["require_code"] = true;
    return body.dump();
}

std::string name_body(const std::string& name) { return json{{"name", name}}.dump(); }

// --- presentation helpers --------------------------------------------------

const char* connection_health(const ClientConnection& c) {
    if (c.status == "disabled") return "disabled";
    if (c.status == "error" || c.last_test_ok == 0 || !c.last_error.empty()) return "failing";
    if (c.last_test_ok < 0) return "untested";
    return "healthy";
}

// The onboarding phases the edge names (shared/onboarding/state.cpp), as
// the console shows them.
static const char* const kPhaseWords[][2] = {
    {"company_basics", tr_noop("Company basics")},     {"call_tracking", tr_noop("Call tracking")},
    {"document_ingestion", tr_noop("Document ingestion")}, {"goals_preferences", tr_noop("Goals & preferences")},
    {"team_invites", tr_noop("Team invites")},          {"verification", tr_noop("Verification")},
    {"completed", tr_noop("Completed")},
};

std::string step_label(const std::string& step) {
    if (step.empty()) return tr("Not started");
    for (const auto& [name, words] : kPhaseWords)
        if (step == name) return tr_text(words);
    std::string out = step;
    for (char& ch : out)
        if (ch == '_') ch = ' ';
    if (out[0] >= 'a' && out[0] <= 'z') out[0] = char(out[0] - 'a' + 'A');
    return out;
}

std::string state_word(const std::string& state) {
    static const char* const kWords[][2] = {
        {"healthy", tr_noop("healthy")},     {"failing", tr_noop("failing")},
        {"untested", tr_noop("untested")},   {"disabled", tr_noop("disabled")},
        {"pending", tr_noop("pending")},     {"accepted", tr_noop("accepted")},
        {"revoked", tr_noop("revoked")},     {"expired", tr_noop("expired")},
        {"created", tr_noop("created")},     {"opened", tr_noop("opened")},
        {"in_progress", tr_noop("in progress")}, {"completed", tr_noop("completed")},
        {"used", tr_noop("used")},           {"active", tr_noop("active")},
        {"code required", tr_noop("code required")},
        {"queued", tr_noop("queued")},       {"running", tr_noop("running")},
        {"done", tr_noop("done")},           {"error", tr_noop("error")},
        {"received", tr_noop("received")},   {"processed", tr_noop("processed")},
        {"dead", tr_noop("dead")},           {"current", tr_noop("current")},
        {"retired", tr_noop("retired")},
        // Stripe's payment and refund states and refund reasons
        // (https://docs.stripe.com/api/payment_intents/object#payment_intent_object-status,
        // https://docs.stripe.com/api/refunds/object#refund_object-reason).
        {"succeeded", tr_noop("succeeded")}, {"processing", tr_noop("processing")},
        {"canceled", tr_noop("canceled")},   {"failed", tr_noop("failed")},
        {"requires_payment_method", tr_noop("awaiting a payment method")},
        {"requires_confirmation", tr_noop("awaiting confirmation")},
        {"requires_action", tr_noop("awaiting the customer")},
        {"requires_capture", tr_noop("awaiting capture")},
        {"duplicate", tr_noop("duplicate")}, {"fraudulent", tr_noop("fraudulent")},
        {"requested_by_customer", tr_noop("requested by the customer")},
        {"expired_uncaptured_charge", tr_noop("expired before capture")}};
    for (const auto& w : kWords)
        if (state == w[0]) return tr_text(w[1]);
    return state;
}

// Currencies whose amounts have no minor unit, or three digits of it.
static int minor_digits(const std::string& currency) {
    static const char* const kZero[] = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
                                        "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"};
    static const char* const kThree[] = {"bhd", "jod", "kwd", "omr", "tnd"};
    std::string c = currency;
    for (char& ch : c) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    for (const char* z : kZero)
        if (c == z) return 0;
    for (const char* t : kThree)
        if (c == t) return 3;
    return 2;
}

std::string minor_amount(int64_t minor, const std::string& currency) {
    std::string code = currency;
    for (char& ch : code) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    const int digits = minor_digits(currency);
    const uint64_t magnitude = minor < 0 ? uint64_t(0) - uint64_t(minor) : uint64_t(minor);
    uint64_t unit = 1;
    for (int i = 0; i < digits; ++i) unit *= 10;
    std::string out = (minor < 0 ? "-" : "") + std::to_string(magnitude / unit);
    if (digits > 0) {
        std::string fraction = std::to_string(magnitude % unit);
        out += "." + std::string(size_t(digits) - fraction.size(), '0') + fraction;
    }
    return code.empty() ? out : out + " " + code;
}

std::vector<std::string> record_resources(const std::string& platform) {
    namespace cx = onramp::connectors;
    const cx::Connector* c = cx::find_connector(platform);
    std::vector<std::string> out;
    if (c) {
        if (c->can(cx::capability::sync_products)) out.push_back("products");
        if (c->can(cx::capability::sync_orders)) out.push_back("orders");
        if (c->can(cx::capability::sync_contacts)) out.push_back("contacts");
        if (c->can(cx::capability::sync_calls)) out.push_back("calls");
        if (c->category == cx::Category::payments) out.insert(out.end(), {"payments", "refunds"});
    }
    if (out.empty()) out = {"products", "orders", "contacts", "calls"};
    return out;
}

int64_t unix_time(const std::string& iso) {
    std::tm tm{};
    if (iso.size() < 19 || std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                                       &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return int64_t(timegm(&tm));
}

std::string stuck_reason(const OnboardingInfo& onboarding, const std::vector<ClientConnection>& connections,
                         const std::vector<LinkInfo>& links, const std::string& org_created_at, int64_t now,
                         int idle_days) {
    if (const int64_t dead = dead_letters(connections))
        return dead == 1 ? std::string(tr("1 webhook delivery gave up"))
                         : trf("{count} webhook deliveries gave up", {{"count", std::to_string(dead)}});
    if (onboarding.completed) return {};
    for (const ClientConnection& c : connections)
        if (std::string(connection_health(c)) == "failing")
            return trf("{connection} is failing", {{"connection", c.name.empty() ? c.platform : c.name}});
    int64_t last = unix_time(org_created_at);
    for (const LinkInfo& l : links)
        for (const std::string* at : {&l.created_at, &l.last_opened_at, &l.last_activity_at})
            last = std::max(last, unix_time(*at));
    if (last < 0 || now - last < int64_t(idle_days) * 86400) return {};
    return trf("no activity for {days} days", {{"days", std::to_string((now - last) / 86400)}});
}

int64_t dead_letters(const std::vector<ClientConnection>& connections) {
    int64_t n = 0;
    for (const ClientConnection& c : connections) n += c.dead_letters;
    return n;
}

std::vector<double> clients_per_week(const std::vector<OrgRow>& orgs, int64_t now, int weeks) {
    std::vector<double> out(size_t(std::max(weeks, 0)), 0.0);
    constexpr int64_t kWeek = 7 * 86400;
    for (const OrgRow& o : orgs) {
        const int64_t at = unix_time(o.created_at);
        if (at < 0 || at > now) continue;
        const int64_t ago = (now - at) / kWeek;  // 0: this week
        if (ago < weeks) out[size_t(weeks - 1 - ago)] += 1.0;
    }
    return out;
}

std::string short_time(const std::string& iso) {
    // 2026-11-29T21:56:28Z: date, a space, hours and minutes.
    if (iso.size() < 16 || iso[10] != 'T') return iso;
    return iso.substr(0, 10) + " " + iso.substr(11, 5);
}
