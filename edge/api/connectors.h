// The connector routes (connectors.cpp), declared here until routes.h
// lists them with the other areas.
#pragma once

#include "edge/app.h"
#include "edge/http/router.h"

namespace onramp::api {

// GET /api/v1/connectors, POST /api/v1/connectors/{platform}/test,
// GET /api/v1/demo/credentials (demo mode only).
void add_connector_routes(http::Router& r, App& app);

}  // namespace onramp::api
