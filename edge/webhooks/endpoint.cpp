#include "edge/webhooks/endpoint.h"

#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "shared/json.h"

namespace onramp::webhooks {

namespace {

std::optional<int64_t> opt_i64(const store::Stmt& st, int col) {
    if (st.is_null(col)) return std::nullopt;
    return st.i64(col);
}

void bind_opt(store::Stmt& st, int i, const std::optional<int64_t>& v) {
    if (v)
        st.bind(i, *v);
    else
        st.bind(i, nullptr);
}

// A vault field, or "" when absent. Other failures (tampering, a key not
// held) also give "": the delivery is then rejected, never accepted.
std::string vault_value(const Vault& vault, store::Db& db, const store::Connection& c, const char* field) {
    auto v = vault.get(db, c.org_id, c.id, field);
    return v ? *v : std::string();
}

}  // namespace

Endpoint fresh_endpoint(const store::Connection& c, const std::string& scheme, int64_t now) {
    Endpoint e;
    e.connection_id = c.id;
    e.org_id = c.org_id;
    e.scheme = scheme;
    e.updated_at = now;
    return e;
}

std::optional<Endpoint> find_endpoint(store::Db& db, const std::string& connection_id) {
    store::Stmt st(db,
                   "SELECT connection_id, org_id, scheme, secret_set_at, previous_expires_at, registered_json,"
                   " registered_at, updated_at, registration_state, registration_error, registration_attempted_at"
                   " FROM webhook_endpoints WHERE connection_id = ?");
    st.bind(1, connection_id);
    if (!st.step()) return std::nullopt;
    Endpoint e;
    e.connection_id = st.text(0);
    e.org_id = st.text(1);
    e.scheme = st.text(2);
    e.secret_set_at = opt_i64(st, 3);
    e.previous_expires_at = opt_i64(st, 4);
    e.registered = nlohmann::json::parse(st.text(5), nullptr, false);
    if (!e.registered.is_array()) e.registered = nlohmann::json::array();
    e.registered_at = opt_i64(st, 6);
    e.updated_at = st.i64(7);
    if (!st.is_null(8)) e.registration_state = st.text(8);
    if (!st.is_null(9)) e.registration_error = st.text(9);
    e.registration_attempted_at = opt_i64(st, 10);
    return e;
}

void save_endpoint(store::Db& db, const Endpoint& e) {
    store::Stmt st(db,
                   "INSERT INTO webhook_endpoints (connection_id, org_id, scheme, secret_set_at, previous_expires_at,"
                   " registered_json, registered_at, updated_at, registration_state, registration_error,"
                   " registration_attempted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                   " ON CONFLICT (connection_id) DO UPDATE SET scheme = excluded.scheme,"
                   " secret_set_at = excluded.secret_set_at, previous_expires_at = excluded.previous_expires_at,"
                   " registered_json = excluded.registered_json, registered_at = excluded.registered_at,"
                   " updated_at = excluded.updated_at, registration_state = excluded.registration_state,"
                   " registration_error = excluded.registration_error,"
                   " registration_attempted_at = excluded.registration_attempted_at");
    st.bind_all(e.connection_id, e.org_id, e.scheme);
    bind_opt(st, 4, e.secret_set_at);
    bind_opt(st, 5, e.previous_expires_at);
    st.bind(6, dump_json(e.registered));
    bind_opt(st, 7, e.registered_at);
    st.bind(8, e.updated_at);
    st.bind(9, e.registration_state.empty() ? std::nullopt : std::optional<std::string>(e.registration_state));
    st.bind(10, e.registration_error);
    bind_opt(st, 11, e.registration_attempted_at);
    st.run();
}

Platform default_scheme(const std::string& platform) {
    auto own = parse_platform(platform);
    return own ? *own : Platform::standard;
}

Platform scheme_of(const store::Connection& c, const std::optional<Endpoint>& e) {
    if (e) {
        if (auto p = parse_platform(e->scheme)) return *p;
    }
    return default_scheme(c.platform);
}

std::string webhooks_base_url(const Config& config) {
    std::string base = config.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/webhooks/";
}

std::string webhook_url(const Config& config, const store::Connection& c, Platform scheme) {
    return webhooks_base_url(config) + std::string(platform_name(scheme)) + "/" + c.id;
}

Secrets load_secrets(const Vault& vault, store::Db& db, const store::Connection& c,
                     const std::optional<Endpoint>& e, int64_t now) {
    Secrets s;
    std::string current = vault_value(vault, db, c, kSecretField);
    if (current.empty() && scheme_of(c, e) == Platform::twilio && c.platform == "twilio")
        current = vault_value(vault, db, c, "auth_token");
    if (!current.empty()) s.keys.push_back(std::move(current));
    if (e && e->previous_expires_at && now < *e->previous_expires_at) {
        std::string previous = vault_value(vault, db, c, kPreviousSecretField);
        if (!previous.empty()) s.keys.push_back(std::move(previous));
    }
    return s;
}

bool can_generate_secret(Platform scheme) {
    return scheme == Platform::bigcommerce || scheme == Platform::woocommerce || scheme == Platform::standard;
}

std::string generate_secret(Platform scheme) {
    if (scheme == Platform::standard || scheme == Platform::clerk)
        return "whsec_" + crypto::base64_encode(crypto::random_bytes(24));
    return crypto::base64url_encode(crypto::random_bytes(32));
}

Result<Endpoint> set_secret(const Vault& vault, store::Db& db, const store::Connection& c, Platform scheme,
                            const std::string& secret, int64_t grace_s, int64_t now) {
    auto existing = find_endpoint(db, c.id);
    Endpoint e = existing.value_or(fresh_endpoint(c, "", now));
    std::string old = vault_value(vault, db, c, kSecretField);
    // A scheme change makes the old secret meaningless: no grace then.
    bool same_scheme = existing && e.scheme == platform_name(scheme);
    if (!old.empty() && grace_s > 0 && same_scheme) {
        if (Status st = vault.put(db, c.org_id, c.id, kPreviousSecretField, old); !st) return st.problem();
        e.previous_expires_at = now + grace_s;
    } else {
        vault.remove_field(db, c.org_id, c.id, kPreviousSecretField);
        e.previous_expires_at.reset();
    }
    if (Status st = vault.put(db, c.org_id, c.id, kSecretField, secret); !st) return st.problem();
    e.scheme = std::string(platform_name(scheme));
    e.secret_set_at = now;
    e.updated_at = now;
    save_endpoint(db, e);
    return e;
}

}  // namespace onramp::webhooks
