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

const Scheme& default_scheme(const std::string& platform) {
    const Scheme* own = find_scheme(platform);
    return own ? *own : *find_scheme("standard");
}

const Scheme& scheme_of(const store::Connection& c, const std::optional<Endpoint>& e) {
    if (e) {
        if (const Scheme* s = find_scheme(e->scheme)) return *s;
    }
    return default_scheme(c.platform);
}

std::string webhooks_base_url(const Config& config) {
    std::string base = config.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/webhooks/";
}

std::string webhook_url(const Config& config, const store::Connection& c, const Scheme& scheme) {
    return webhooks_base_url(config) + std::string(scheme.name) + "/" + c.id;
}

Secrets load_secrets(const Vault& vault, store::Db& db, const store::Connection& c,
                     const std::optional<Endpoint>& e, int64_t now) {
    Secrets s;
    std::string current = vault_value(vault, db, c, kSecretField);
    // A scheme that signs with one of the connection's own credentials
    // (Twilio's auth token) needs no secret of its own.
    const Scheme& scheme = scheme_of(c, e);
    if (current.empty() && !scheme.credential_secret.empty() && c.platform == scheme.name)
        current = vault_value(vault, db, c, std::string(scheme.credential_secret).c_str());
    if (!current.empty()) s.keys.push_back(std::move(current));
    if (!scheme.handshake_credential.empty() && c.platform == scheme.name)
        s.handshake_token = vault_value(vault, db, c, std::string(scheme.handshake_credential).c_str());
    if (!scheme.signed_credential.empty() && c.platform == scheme.name) {
        auto it = c.config.find(std::string(scheme.signed_credential));
        if (it != c.config.end() && it->is_string()) s.signed_credential = it->get<std::string>();
    }
    if (e && e->previous_expires_at && now < *e->previous_expires_at) {
        std::string previous = vault_value(vault, db, c, kPreviousSecretField);
        if (!previous.empty()) s.keys.push_back(std::move(previous));
    }
    return s;
}

bool can_generate_secret(const Scheme& scheme) { return scheme.secret_generated; }

std::string generate_secret(const Scheme& scheme) {
    if (scheme.whsec_secret)
        return "whsec_" + crypto::base64_encode(crypto::random_bytes(24));
    return crypto::base64url_encode(crypto::random_bytes(32));
}

Result<Endpoint> set_secret(const Vault& vault, store::Db& db, const store::Connection& c, const Scheme& scheme,
                            const std::string& secret, int64_t grace_s, int64_t now) {
    auto existing = find_endpoint(db, c.id);
    Endpoint e = existing.value_or(fresh_endpoint(c, "", now));
    std::string old = vault_value(vault, db, c, kSecretField);
    // A scheme change makes the old secret meaningless: no grace then.
    bool same_scheme = existing && e.scheme == scheme.name;
    if (!old.empty() && grace_s > 0 && same_scheme) {
        if (Status st = vault.put(db, c.org_id, c.id, kPreviousSecretField, old); !st) return st.problem();
        e.previous_expires_at = now + grace_s;
    } else {
        vault.remove_field(db, c.org_id, c.id, kPreviousSecretField);
        e.previous_expires_at.reset();
    }
    if (Status st = vault.put(db, c.org_id, c.id, kSecretField, secret); !st) return st.problem();
    e.scheme = std::string(scheme.name);
    e.secret_set_at = now;
    e.updated_at = now;
    save_endpoint(db, e);
    return e;
}

}  // namespace onramp::webhooks
