// Wires the router to the app: authentication of bearer tokens and API
// keys, the Idempotency-Key store (answers sealed by the vault), and the
// web client's files.
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/auth/sessions.h"
#include "edge/branding/settings.h"
#include "edge/crypto/aead.h"
#include "edge/http/page_headers.h"
#include "edge/http/static_files.h"
#include "edge/log.h"
#include "edge/onboarding/links.h"
#include "edge/store/accounts.h"

namespace onramp::api {

namespace {

// "Authorization: Bearer <token>": a session access token, or an API key
// (prefixed "onr_"). No header is not an error here: the route decides.
Result<std::optional<auth::Principal>> authenticate(App& app, const http::Request& req) {
    std::string h = req.header("Authorization");
    if (h.empty()) return std::optional<auth::Principal>();
    if (h.size() <= 7 || (h.compare(0, 7, "Bearer ") != 0 && h.compare(0, 7, "bearer ") != 0))
        return unauthorized("Use 'Authorization: Bearer <token>'.");
    std::string token = h.substr(7);
    auto db = app.store->lease();
    int64_t now = app.now();
    if (token.rfind(auth::kApiKeyPrefix, 0) == 0) {
        auto owner = auth::owner_of_api_key(*db, token, now);
        if (!owner) return unauthorized("The API key is not valid or was revoked.");
        auto user = store::find_user(*db, owner->user_id);
        if (!user) return unauthorized();
        auth::Principal p = store::principal_for(*db, *user);
        p.api_key_id = owner->key_id;
        // A key made for one org acts only within it, even for an operator
        // (who then acts there as a manager would).
        if (owner->org_id) {
            std::vector<auth::Membership> kept;
            for (const auto& m : p.memberships)
                if (m.org_id == *owner->org_id) kept.push_back(m);
            if (kept.empty() && p.is_operator) kept.push_back({*owner->org_id, "manager"});
            p.memberships = kept;
            p.is_operator = false;
        }
        return std::optional<auth::Principal>(p);
    }
    auto user_id = auth::user_for_access_token(*db, token, now);
    if (!user_id) return unauthorized("The access token is not valid or has expired.");
    auto user = store::find_user(*db, *user_id);
    if (!user) return unauthorized();
    auth::Principal p = store::principal_for(*db, *user);
    // A session opened by an onboarding link reaches only its org's onboarding.
    if (Status narrowed = onboarding::restrict_client(*db, p, req, now); !narrowed) return narrowed.problem();
    return std::optional<auth::Principal>(p);
}

// Stored answers of idempotent requests. Security: an answer may hold a
// secret shown once (an API key, a session's tokens, an onboarding link's
// or invitation's token), so the body, with the hash of the request it
// answered (a login's body holds a password), is sealed by the vault and
// bound to the caller and the key: a row copied to another caller or key
// does not open. Replays are kept for a day, as Stripe and the IETF draft
// suggest; older rows are deleted as new ones are written.
constexpr int64_t kIdempotencySeconds = 86400;
constexpr size_t kBodyHashSize = 64;  // hex SHA-256

// The owner is length-prefixed, so that no other (owner, key) split of the
// same bytes shares a context.
std::string sealing_context(const std::string& owner, const std::string& key) {
    return "idempotency:" + std::to_string(owner.size()) + ":" + owner + key;
}

Result<std::optional<http::StoredResponse>> idem_find(App& app, const std::string& owner, const std::string& key) {
    auto db = app.store->lease();
    store::Stmt st(*db,
                   "SELECT status, content_type, sealed FROM idempotency WHERE principal = ? AND key = ?"
                   " AND created_at > ?");
    st.bind_all(owner, key, app.now() - kIdempotencySeconds);
    if (!st.step()) return std::optional<http::StoredResponse>();
    auto opened = app.vault->open(sealing_context(owner, key), st.text(2));
    // Running the request again could act twice; refusing cannot.
    if (!opened || opened->size() < kBodyHashSize)
        return conflict("The answer stored for this Idempotency-Key can no longer be read (it was altered, or "
                        "sealed under a master key this server no longer holds); send the request with a new key.",
                        "idempotency_unreadable");
    http::StoredResponse r{opened->substr(0, kBodyHashSize), int(st.i64(0)), st.text(1),
                           opened->substr(kBodyHashSize)};
    crypto::wipe(*opened);
    return std::optional<http::StoredResponse>(std::move(r));
}

void idem_save(App& app, const std::string& owner, const std::string& key, const http::Request& req,
               const http::StoredResponse& r) {
    std::string plaintext = r.body_hash + r.body;
    std::string sealed = app.vault->seal(sealing_context(owner, key), plaintext);
    crypto::wipe(plaintext);
    auto db = app.store->lease();
    int64_t now = app.now();
    store::Stmt save(*db,
                     "INSERT OR REPLACE INTO idempotency (principal, key, method, path, status, content_type, sealed,"
                     " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    save.bind_all(owner, key, req.method, req.path, r.status, r.content_type);
    save.bind_blob(7, sealed).bind(8, now).run();
    db->write("DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency WHERE created_at <= ? LIMIT 100)",
              now - kIdempotencySeconds);
}

// A file of the web client. Its page may be framed only by the embed
// origins of the deployment and of the organization named by ?embed=ORG_ID
// (docs/branding.md); an unknown id adds none.
std::optional<http::Response> web_client_file(App& app, const http::Request& req) {
    auto r = http::serve_static(app.config.web_root, req);
    if (!r || !http::is_page(*r)) return r;
    auto db = app.store->lease();
    std::string org = req.query_value("embed");
    if (!org.empty() && !store::find_org(*db, org)) org.clear();
    http::add_page_headers(*r, req, branding::resolved(*db, org).embed_origins);
    return r;
}

}  // namespace

Result<std::optional<auth::Principal>> authenticate_bearer(App& app, const http::Request& req,
                                                           const std::string& token) {
    // The same request with the token as its header, so that the path-based
    // narrowing of onboarding-link sessions applies as it does everywhere.
    http::Request with_header = req;
    with_header.headers.erase("Authorization");
    with_header.headers.emplace("Authorization", "Bearer " + token);
    return authenticate(app, with_header);
}

void install(http::Router& router, App& app) {
    http::RouterHooks hooks;
    hooks.authenticate = [&app](const http::Request& req) { return authenticate(app, req); };
    hooks.idem_find = [&app](const std::string& o, const std::string& k) { return idem_find(app, o, k); };
    hooks.idem_save = [&app](const std::string& o, const std::string& k, const http::Request& req,
                             const http::StoredResponse& r) { idem_save(app, o, k, req, r); };
    hooks.fallback = [&app](const http::Request& req) { return web_client_file(app, req); };
    hooks.on_error = [](const http::Request& req, const std::string& what) {
        // The message comes from SQLite or the standard library, never from
        // a secret: those are not put into exceptions.
        nlohmann::json line = {{"level", "error"}, {"request_id", req.request_id}, {"error", what}};
        logging::log(std::move(line));
    };
    hooks.default_max_body = app.config.max_body;
    router.set_hooks(std::move(hooks));

    add_health_routes(router, app);
    add_auth_routes(router, app);
    add_org_routes(router, app);
    add_audit_routes(router, app);
    add_connector_routes(router, app);
    add_document_routes(router, app);
    add_connection_routes(router, app);
    add_onboarding_routes(router, app);
    add_invitation_routes(router, app);
    add_onboarding_link_routes(router, app);
    add_webhook_routes(router, app);
    add_sync_routes(router, app);
    add_record_routes(router, app);
    add_proxy_routes(router, app);
    add_vault_status_routes(router, app);
    add_branding_routes(router, app);
    add_mail_routes(router, app);
    add_event_routes(router, app);
    add_superadmin_routes(router, app);
    add_integration_routes(router, app);
    add_onboarding_bigcommerce_routes(router, app);
    add_oauth_routes(router, app);
}

}  // namespace onramp::api
