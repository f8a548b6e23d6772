// Event endpoints, their secrets and delivery logs (endpoints.h).
#include "edge/events/endpoints.h"

#include "edge/api/views.h"
#include "edge/connectors/target.h"
#include "edge/crypto/aead.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/http/client.h"
#include "edge/webhooks/sign.h"
#include "shared/json.h"

namespace onramp::events {

using nlohmann::json;

namespace {

constexpr size_t kMaxUrl = 2000;

// The vault context a secret is sealed under: a blob copied to another
// endpoint's row does not open there.
std::string context_of(const std::string& endpoint_id) { return "event_endpoint:" + endpoint_id; }

std::optional<int64_t> opt_i64(store::Stmt& st, int col) {
    if (st.is_null(col)) return std::nullopt;
    return st.i64(col);
}

Endpoint read_endpoint(store::Stmt& st) {
    Endpoint e;
    e.id = st.text(0);
    e.org_id = st.opt_text(1);
    e.url = st.text(2);
    e.description = st.text(3);
    json types = json::parse(st.text(4), nullptr, false);
    if (types.is_array())
        for (const json& t : types)
            if (t.is_string()) e.event_types.push_back(t.get<std::string>());
    e.enabled = st.i64(5) != 0;
    e.previous_expires_at = opt_i64(st, 6);
    e.created_at = st.i64(7);
    e.updated_at = st.i64(8);
    return e;
}

constexpr const char* kEndpointColumns =
    "SELECT id, org_id, url, description, event_types, enabled, previous_expires_at, created_at, updated_at"
    " FROM event_endpoints";

Delivery read_delivery(store::Stmt& st) {
    Delivery d;
    d.id = st.i64(0);
    d.event_seq = st.i64(1);
    d.event_id = st.text(2);
    d.type = st.text(3);
    d.state = st.text(4);
    d.attempts = int(st.i64(5));
    d.next_attempt_at = opt_i64(st, 6);
    d.last_attempt_at = opt_i64(st, 7);
    d.response_status = opt_i64(st, 8);
    d.last_error = st.opt_text(9);
    d.created_at = st.i64(10);
    d.delivered_at = opt_i64(st, 11);
    return d;
}

constexpr const char* kDeliveryColumns =
    "SELECT d.id, d.event_seq, e.id, e.type, d.state, d.attempts, d.next_attempt_at, d.last_attempt_at,"
    " d.response_status, d.last_error, d.created_at, d.delivered_at"
    " FROM event_deliveries d JOIN events e ON e.seq = d.event_seq";

}  // namespace

Status check_url(const Config& config, const std::string& url) {
    auto refuse = [](std::string why) { return unprocessable({{"url", why}}, why); };
    http::ParsedUrl u;
    if (url.size() > kMaxUrl || !http::parse_url(url, u))
        return refuse("Use an absolute https:// address of at most 2000 characters.");
    if (u.scheme != "https" && !config.outbound_allow_http)
        return refuse("Use an https:// address: events are only sent encrypted.");
    connectors::AddressKind kind;
    if (!config.outbound_allow_private && connectors::classify_address(u.host, kind) &&
        kind != connectors::AddressKind::public_internet)
        return refuse(std::string("The address is ") + connectors::describe(kind) +
                      ", which Onramp does not send to. Use the public address of the receiver.");
    return ok_status();
}

std::string new_secret() {
    std::string key = crypto::random_bytes(32);
    std::string secret = "whsec_" + crypto::base64_encode(key);
    crypto::wipe(key);
    return secret;
}

std::string create(App& app, store::Db& db, Endpoint& e) {
    e.id = crypto::random_id("whe");
    std::string secret = new_secret();
    store::Stmt st(db,
                   "INSERT INTO event_endpoints (id, org_id, url, description, event_types, enabled, sealed_secret,"
                   " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, e.id).bind(2, e.org_id).bind(3, e.url).bind(4, e.description).bind(5, dump_json(e.event_types));
    st.bind(6, e.enabled).bind_blob(7, app.vault->seal(context_of(e.id), secret));
    st.bind(8, e.created_at).bind(9, e.updated_at);
    st.run();
    return secret;
}

std::optional<Endpoint> find(store::Db& db, const std::optional<std::string>& org_id, const std::string& id) {
    store::Stmt st(db, std::string(kEndpointColumns) + " WHERE id = ? AND org_id IS ?");
    st.bind(1, id).bind(2, org_id);
    if (!st.step()) return std::nullopt;
    return read_endpoint(st);
}

std::vector<Endpoint> list(store::Db& db, const std::optional<std::string>& org_id) {
    store::Stmt st(db, std::string(kEndpointColumns) + " WHERE org_id IS ? ORDER BY created_at, id");
    st.bind(1, org_id);
    std::vector<Endpoint> out;
    while (st.step()) out.push_back(read_endpoint(st));
    return out;
}

void update(store::Db& db, const Endpoint& e) {
    db.write("UPDATE event_endpoints SET url = ?, description = ?, event_types = ?, enabled = ?, updated_at = ?"
             " WHERE id = ?",
             e.url, e.description, dump_json(e.event_types), e.enabled, e.updated_at, e.id);
}

bool remove(store::Db& db, const std::optional<std::string>& org_id, const std::string& id) {
    return db.write("DELETE FROM event_endpoints WHERE id = ? AND org_id IS ?", id, org_id) > 0;
}

std::string rotate_secret(App& app, store::Db& db, Endpoint& e, int64_t now) {
    std::string secret = new_secret();
    e.previous_expires_at = now + kRotationOverlapSeconds;
    e.updated_at = now;
    // Both blobs are sealed under the same context, so the current one
    // moves to the previous column as it is.
    store::Stmt st(db,
                   "UPDATE event_endpoints SET sealed_previous = sealed_secret, sealed_secret = ?,"
                   " previous_expires_at = ?, updated_at = ? WHERE id = ?");
    st.bind_blob(1, app.vault->seal(context_of(e.id), secret)).bind(2, *e.previous_expires_at).bind(3, now);
    st.bind(4, e.id);
    st.run();
    return secret;
}

Result<std::vector<std::string>> signing_secrets(App& app, store::Db& db, const std::string& endpoint_id,
                                                 int64_t now) {
    store::Stmt st(db, "SELECT sealed_secret, sealed_previous, previous_expires_at FROM event_endpoints WHERE id = ?");
    st.bind(1, endpoint_id);
    if (!st.step()) return not_found("No such event endpoint.");
    std::vector<std::string> out;
    auto current = app.vault->open(context_of(endpoint_id), st.text(0));
    if (!current) return current.problem();
    out.push_back(std::move(*current));
    if (!st.is_null(1) && !st.is_null(2) && st.i64(2) > now) {
        auto previous = app.vault->open(context_of(endpoint_id), st.text(1));
        if (!previous) return previous.problem();
        out.push_back(std::move(*previous));
    }
    return out;
}

std::string signature_header(const std::vector<std::string>& secrets, const std::string& id, int64_t timestamp,
                             const std::string& body) {
    std::string out;
    for (const std::string& s : secrets) {
        auto sig = webhooks::sign_standard_webhooks(s, id, timestamp, body);
        if (!sig) continue;
        if (!out.empty()) out += ' ';
        out += *sig;
    }
    return out;
}

json endpoint_json(const Endpoint& e) {
    return {{"id", e.id},
            {"org_id", e.org_id ? json(*e.org_id) : json(nullptr)},
            {"url", e.url},
            {"description", e.description},
            {"event_types", e.event_types},
            {"enabled", e.enabled},
            {"previous_secret_expires_at", api::iso8601_or_null(e.previous_expires_at)},
            {"created_at", api::iso8601(e.created_at)},
            {"updated_at", api::iso8601(e.updated_at)}};
}

std::vector<Delivery> deliveries(store::Db& db, const std::string& endpoint_id, const std::string& state, int limit,
                                 int offset) {
    store::Stmt st(db, std::string(kDeliveryColumns) +
                           " WHERE d.endpoint_id = ?1 AND (?2 = '' OR d.state = ?2) ORDER BY d.id DESC LIMIT ?3 OFFSET ?4");
    st.bind(1, endpoint_id).bind(2, state).bind(3, limit).bind(4, offset);
    std::vector<Delivery> out;
    while (st.step()) out.push_back(read_delivery(st));
    return out;
}

int count_deliveries(store::Db& db, const std::string& endpoint_id, const std::string& state) {
    store::Stmt st(db, "SELECT COUNT(*) FROM event_deliveries WHERE endpoint_id = ?1 AND (?2 = '' OR state = ?2)");
    st.bind(1, endpoint_id).bind(2, state);
    st.step();
    return int(st.i64(0));
}

std::optional<Delivery> find_delivery(store::Db& db, const std::string& endpoint_id, int64_t id) {
    store::Stmt st(db, std::string(kDeliveryColumns) + " WHERE d.endpoint_id = ? AND d.id = ?");
    st.bind(1, endpoint_id).bind(2, id);
    if (!st.step()) return std::nullopt;
    return read_delivery(st);
}

bool replay(store::Db& db, const std::string& endpoint_id, int64_t id, int64_t now) {
    return db.write("UPDATE event_deliveries SET state = 'pending', next_attempt_at = ?, delivered_at = NULL"
                    " WHERE id = ? AND endpoint_id = ?",
                    now, id, endpoint_id) > 0;
}

json delivery_json(const Delivery& d) {
    return {{"id", d.id},
            {"event_seq", d.event_seq},
            {"event_id", d.event_id},
            {"type", d.type},
            {"state", d.state},
            {"attempts", d.attempts},
            {"next_attempt_at", api::iso8601_or_null(d.next_attempt_at)},
            {"last_attempt_at", api::iso8601_or_null(d.last_attempt_at)},
            {"response_status", d.response_status ? json(*d.response_status) : json(nullptr)},
            {"last_error", d.last_error ? json(*d.last_error) : json(nullptr)},
            {"created_at", api::iso8601(d.created_at)},
            {"delivered_at", api::iso8601_or_null(d.delivered_at)}};
}

}  // namespace onramp::events
