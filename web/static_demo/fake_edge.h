// The static demo's stand-in for the edge: answers, inside the WebAssembly
// module, the few endpoints the sign-in screen and the operator console
// call, so the demo can be hosted as plain files with no server at all.
//
// Honest by construction: one operator (demo@onramp.local / onramp-demo),
// one client ("Demo Company") with one BigCommerce connection whose
// products are the mock platforms' own synthetic catalogue
// (edge/mock/dataset.h, seed 1, 300 products — what `serve --demo` syncs),
// a fixed sync history and a few webhook deliveries. Nothing is sent
// anywhere; anything else answers 404 saying the static demo lacks it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "edge/mock/dataset.h"
#include "platform/platform.h"

struct FakeDelivery {
    int64_t seq = 0;
    std::string topic, state, last_error;
    int64_t received_at = 0, attempts = 0;
};

struct FakeAuditEntry {
    int64_t id = 0, at = 0;
    std::string actor, action, object_type, object_id;
};

struct FakeEdge {
    onramp::mock::Dataset catalogue{300, 1};
    int64_t now = 0;                       // Unix seconds of the demo's "today"
    std::string token;                     // the signed-in session's, "" when signed out
    std::vector<FakeDelivery> deliveries;  // newest last
    std::vector<FakeAuditEntry> audit;     // oldest first
};

// Seeds the demo's history relative to `now` (Unix seconds). A FakeEdge
// holds the catalogue, which cannot be copied, so it is filled in place.
void fake_edge_init(FakeEdge& edge, int64_t now);

// Answers one request like the edge would: status and JSON body
// (application/problem+json shape for errors).
HttpReply fake_edge_answer(FakeEdge& edge, const HttpRequest& request);
