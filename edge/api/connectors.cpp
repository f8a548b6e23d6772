// /api/v1/connectors: the catalog, and testing credentials against the real
// platform without storing anything; /api/v1/demo/credentials in demo mode.
//
//   GET  /api/v1/connectors                  public    the catalog (catalog_json.h)
//   POST /api/v1/connectors/{platform}/test  signed in {"credentials": {...}}
//   GET  /api/v1/demo/credentials            public    demo mode only, else 404
//
// Test answers (nothing is stored either way):
//   404 problem        unknown platform
//   422 problem        credentials missing or invalid (the shared validator's messages, by
//                      field), or an address that points into a private network (SSRF)
//   200 success:true   {"success": true, "platform", "verified": {...}}
//   200 success:false  {"success": false, "platform", "step", "cause", "message",
//                       "platform_message", "platform_status", "missing_scopes",
//                       "retry_after", "verified": {what was verified before the failure}}
// A platform that says no is a completed test, not an error of this API:
// the request was right and the answer is data the UI shows next to the
// form (a client reading the body's `success` flag sees false, not an error). Problem statuses are
// kept for requests that are wrong in themselves. A rate-limited test also
// carries Retry-After.
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/audit.h"
#include "edge/connections/service.h"
#include "edge/connectors/connector.h"
#include "edge/mock/server.h"
#include "shared/connectors/catalog_json.h"
#include "shared/validation/validate.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

namespace {

Result<Response> catalog(App&, const Call&) { return Response::json(connectors::catalog_json()); }

Result<Response> test_connection(App& app, const Call& c) {
    std::string id = c.req.param("platform");
    const connectors::Connector* entry = connectors::find_connector(id);
    if (!entry || !entry->can(connectors::capability::test))
        return not_found("No connector named '" + id.substr(0, 64) + "'. GET /api/v1/connectors lists them.");
    auto body = http::parse_json_object(c.req);
    if (!body) return body.problem();
    auto raw = body->find("credentials");
    if (raw == body->end() || !raw->is_object())
        return unprocessable({{"credentials", "Send the credentials as an object of field names and values."}});

    auto outcome = connections::test_only(app, id, *raw);
    if (!outcome) return outcome.problem();
    // Security: the audit entry names the platform and the outcome, never a
    // credential value.
    json detail = {{"platform", id}, {"success", outcome->ok()}};
    if (!outcome->ok()) {
        detail["step"] = outcome->failure->step;
        detail["cause"] = std::string(connectors::to_string(outcome->failure->cause));
    }
    {
        auto db = app.store->lease();
        audit(*db, app.now(), c.who, &c.req, {"credential.tested", "", "connector", id, detail});
    }
    Response r = Response::json(connections::test_json(id, *outcome));
    if (!outcome->ok() && outcome->failure->retry_after_s > 0)
        r.set_header("Retry-After", std::to_string(outcome->failure->retry_after_s));
    return r;
}

Result<Response> demo_credentials(App& app, const Call&) {
    if (!app.config.demo) return not_found("No such endpoint: /api/v1/demo/credentials");
    return Response::json(mock::demo_credentials());
}

}  // namespace

void add_connector_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    // Public: the catalog holds no secrets, the WASM client carries a copy,
    // and clients arriving by an onboarding link have no account yet.
    r.add({"GET", "/api/v1/connectors", Access::Public, Body::None, bind(catalog)});
    r.add({"POST", "/api/v1/connectors/{platform}/test", Access::User, Body::Json, bind(test_connection)});
    r.add({"GET", "/api/v1/demo/credentials", Access::Public, Body::None, bind(demo_credentials)});
}

}  // namespace onramp::api
