// GET /api/v1/operator/vault: the credential vault's master keys, for the
// operator console's "vault key status" panel (operators only).
//
//   {key_id, secrets, rotating_to, keys: [{key_id, state, created_at,
//    retired_at, secrets, held}]}
//
// key_id is the key this server wraps new secrets under; `held` says
// whether this server has a key at all (a key it lacks makes the secrets
// under it unreadable). Security: key ids and counts only — ids are derived
// from the key check value and reveal nothing about the key bytes.
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"

namespace onramp::api {

using http::Call;
using http::Response;
using nlohmann::json;

namespace {

json key_json(const VaultKeyStatus& k) {
    return {{"key_id", k.key_id},
            {"state", k.state},
            {"created_at", iso8601(k.created_at)},
            {"retired_at", k.retired_at ? json(iso8601(*k.retired_at)) : json(nullptr)},
            {"secrets", k.secrets},
            {"held", k.held}};
}

Result<Response> vault_status(App& app, const Call&) {
    if (!app.vault) return internal_error();
    auto db = app.store->lease();
    VaultStatus s = app.vault->status(*db);
    json keys = json::array();
    for (const VaultKeyStatus& k : s.keys) keys.push_back(key_json(k));
    return Response::json({{"key_id", app.vault->key_id()},
                           {"secrets", s.secrets},
                           {"rotating_to", s.rotating_to ? json(*s.rotating_to) : json(nullptr)},
                           {"keys", keys}});
}

}  // namespace

void add_vault_status_routes(http::Router& r, App& app) {
    r.add({"GET", "/api/v1/operator/vault", http::Access::Operator, http::Body::None, with_app(app, vault_status)});
}

}  // namespace onramp::api
