// Events: recording, reading and retention (events.h).
#include "edge/events/events.h"

#include <algorithm>

#include "edge/api/views.h"
#include "edge/crypto/random.h"
#include "shared/json.h"

namespace onramp::events {

using nlohmann::json;

const std::vector<std::string>& all_types() {
    static const std::vector<std::string> types = {
        "onboarding.completed", "onboarding.step_completed", "connection.created",
        "connection.failed",    "sync.finished",             "sync.failed",
        "webhook.received",     "webhook.dead_lettered",     "document.ingested"};
    return types;
}

bool known_type(std::string_view type) {
    const auto& t = all_types();
    return std::find(t.begin(), t.end(), type) != t.end();
}

namespace {

// The endpoints that take this event: the org's own and the
// deployment-wide ones, enabled and subscribed to its type.
std::vector<std::string> subscribers(store::Db& db, const std::string& org_id, const std::string& type) {
    store::Stmt st(db,
                   "SELECT id FROM event_endpoints WHERE enabled = 1 AND (org_id = ? OR org_id IS NULL)"
                   " AND EXISTS (SELECT 1 FROM json_each(event_types) WHERE value = ?)");
    st.bind(1, org_id).bind(2, type);
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
}

Event read_row(store::Stmt& st) {
    Event e;
    e.seq = st.i64(0);
    e.id = st.text(1);
    e.org_id = st.text(2);
    e.type = st.text(3);
    e.data = json::parse(st.text(4), nullptr, false);
    if (e.data.is_discarded()) e.data = json::object();
    e.created_at = st.i64(5);
    return e;
}

}  // namespace

namespace {

// The event and its deliveries land together: in the caller's
// transaction, or in one of their own. `data` is a JSON object's text;
// `cache`, when given, holds subscribers already looked up in this
// transaction.
int64_t record(store::Db& db, int64_t now, const std::string& type, const std::string& org_id,
               const std::string& data, SubscriberCache* cache = nullptr) {
    std::optional<store::Tx> tx;
    if (sqlite3_get_autocommit(db.raw())) tx.emplace(db);
    db.write("INSERT INTO events (id, org_id, type, data, created_at) VALUES (?, ?, ?, ?, ?)",
             crypto::time_ordered_id("evt"), org_id, type, data, now);
    int64_t seq = db.last_insert_rowid();
    std::vector<std::string> looked_up;
    const std::vector<std::string>* endpoints = &looked_up;
    if (cache) {
        auto [it, added] = cache->found.try_emplace({org_id, type});
        if (added) it->second = subscribers(db, org_id, type);
        endpoints = &it->second;
    } else {
        looked_up = subscribers(db, org_id, type);
    }
    for (const std::string& endpoint : *endpoints)
        db.write("INSERT INTO event_deliveries (event_seq, endpoint_id, next_attempt_at, created_at)"
                 " VALUES (?, ?, ?, ?)",
                 seq, endpoint, now, now);
    if (tx) tx->commit();
    return seq;
}

}  // namespace

int64_t emit(store::Db& db, int64_t now, const std::string& type, const std::string& org_id, json data) {
    data["org_id"] = org_id;
    return record(db, now, type, org_id, dump_json(data));
}

void emit_webhook_received(store::Db& db, SubscriberCache& subscribers, int64_t now, const std::string& org_id,
                           const std::string& connection_id, const std::string& platform, const std::string& topic,
                           int64_t delivery_seq, const std::string& body) {
    // The payload is the body's own text when it is JSON within
    // parse_json's limits (so reading the event back is safe), else null.
    // It runs once per delivery on the inbox's committer, the one thread
    // every delivery passes: checking the text costs a fraction of parsing
    // it into a tree and writing the tree out again, and the object around
    // it is written field by field, each string escaped by dump_json.
    std::string data = "{\"connection_id\":" + dump_json(connection_id) +
                       ",\"delivery_seq\":" + std::to_string(delivery_seq) + ",\"org_id\":" + dump_json(org_id) +
                       ",\"platform\":" + dump_json(platform) + ",\"topic\":" + dump_json(topic) + ",\"payload\":";
    data += check_json(body) ? std::string_view("null") : std::string_view(body);
    data += '}';
    record(db, now, "webhook.received", org_id, data, &subscribers);
}

void emit_document_ingested(store::Db& db, const std::string& document_id, int64_t now) {
    store::Stmt st(db, "SELECT org_id, filename, category, text_chars FROM documents WHERE id = ?");
    st.bind(1, document_id);
    if (!st.step()) return;
    json data = {{"document_id", document_id},
                 {"filename", st.text(1)},
                 {"category", st.text(2)},
                 {"text_chars", st.is_null(3) ? json(nullptr) : json(st.i64(3))}};
    std::string org = st.text(0);
    st.reset();
    emit(db, now, "document.ingested", org, std::move(data));
}

std::string payload(const Event& e) {
    return dump_json({{"type", e.type}, {"timestamp", api::iso8601(e.created_at)}, {"data", e.data}});
}

std::vector<Event> read_after(store::Db& db, const std::string& org_id, int64_t after, int limit) {
    store::Stmt st(db,
                   "SELECT seq, id, org_id, type, data, created_at FROM events WHERE org_id = ? AND seq > ?"
                   " ORDER BY seq LIMIT ?");
    st.bind(1, org_id).bind(2, after).bind(3, limit);
    std::vector<Event> out;
    while (st.step()) out.push_back(read_row(st));
    return out;
}

std::optional<Event> find(store::Db& db, int64_t seq) {
    store::Stmt st(db, "SELECT seq, id, org_id, type, data, created_at FROM events WHERE seq = ?");
    st.bind(1, seq);
    if (!st.step()) return std::nullopt;
    return read_row(st);
}

int prune(store::Db& db, int64_t before) { return db.write("DELETE FROM events WHERE created_at < ?", before); }

}  // namespace onramp::events
