// GET /healthz: liveness for load balancers and the demo script.
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "shared/version.h"

namespace onramp::api {

void add_health_routes(http::Router& r, App& app) {
    r.add({"GET", "/healthz", http::Access::Public, http::Body::None, [&app](const http::Call&) -> Result<http::Response> {
               int64_t uptime = app.now() - app.started_at;
               return http::Response::json({{"status", "ok"}, {"version", kVersion}, {"uptime_seconds", uptime}});
           }});
}

}  // namespace onramp::api
