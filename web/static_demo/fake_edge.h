// The static demo's stand-in for the edge: answers, inside the WebAssembly
// module, every endpoint the sign-in screen, the operator console and the
// client onboarding wizard call, so the demo can be hosted as plain files
// with no server at all.
//
// What it fakes, plainly:
//   - the platforms: nothing is sent anywhere. Connecting BigCommerce with
//     the demo account the mock platforms accept (demo/accounts.h) is
//     "verified" here, any other credentials fail as the real connector
//     reports them; the other platforms cannot be connected in this demo.
//   - the sync: it copies the mock platforms' synthetic catalogue
//     (demo/dataset.h, seed 1, 300 products and 150 orders, what
//     `serve --demo` syncs) page by page as the clock runs, so the wizard's
//     progress bar moves over a few seconds.
//   - documents: the page hands over a picked file's name and size, never
//     its content; "ingestion" finishes a moment later.
//   - invitations: nobody can open the link (it would be another tab, with
//     another fake edge), so the invited person joins at once.
//   - storage: everything lives in this object, in the tab. A reload starts
//     over.
//
// Two clients: "Demo Company", onboarded days ago, with a sync history and
// webhook deliveries to look at in the console; and the visitor's own
// company, empty until the wizard fills it in. One operator
// (demo@onramp.local / onramp-demo) is manager of the visitor's company, as
// in `serve --demo`.
//
// The files: fake_edge.cpp routes requests and keeps the session;
// console_answers.cpp answers the console, wizard_answers.cpp the wizard,
// demo_sync.cpp runs the simulated syncs; answers.h is what they share.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "demo/dataset.h"
#include "platform/events.h"
#include "platform/platform.h"
#include "shared/onboarding/state.h"

struct FakeDelivery {
    int64_t seq = 0;
    std::string topic, state, last_error;
    int64_t received_at = 0, attempts = 0;
};

struct FakeAuditEntry {
    int64_t id = 0, at = 0;
    std::string actor, org_id, action, object_type, object_id;
};

// One simulated sync run: what it copies and when it started. Its progress
// is a function of the clock (demo_sync.cpp), so nothing needs to drive it.
struct FakeRun {
    std::string id;
    double queued_ms = 0;       // the clock, in ms, when it was queued
    int64_t queued_at = 0;      // the same in Unix seconds
    int64_t products = 0, orders = 0;
};

struct FakeConnection {
    std::string id, platform, name;
    nlohmann::json credentials;  // as shown: sensitive values masked
    nlohmann::json verified;     // what the test verified
    int64_t created_at = 0;
    FakeRun run;                 // its initial sync
};

struct FakeDocument {
    std::string id, filename, category;
    int64_t size = 0, created_at = 0;
    double uploaded_ms = 0;      // ingestion is "done" a moment after
};

struct FakeInvitation {
    std::string id, email, role;
    nlohmann::json territory, department;  // text or null
    int64_t invited_at = 0;
};

// The visitor's company: what the wizard fills in.
struct FakeClient {
    std::string id = "org_visitor";
    std::string name = "Your company";    // until company basics name it
    int64_t created_at = 0;
    nlohmann::json basics = nlohmann::json::object();  // the company-basics answers
    nlohmann::json goals = nlohmann::json::object();
    bool basics_saved = false, goals_saved = false;
    int64_t completed_at = 0;             // 0: not completed
    std::vector<FakeConnection> connections;
    std::vector<FakeDocument> documents;
    std::vector<FakeInvitation> invitations;
};

// A server-sent events stream the wizard opened (events_static_demo.cpp
// feeds it from the clock).
struct FakeStream {
    std::shared_ptr<EventStream> stream;
    std::string connection_id;
    std::string last_sent;
};

struct FakeEdge {
    onramp::demo::Dataset catalogue{300, 1};
    int64_t now = 0;                       // Unix seconds of the demo's "today"
    double now_ms = 0;                     // the same clock in milliseconds
    std::string origin;                    // the page's, for links: "https://host"
    std::string token, refresh;            // the signed-in session's; "" when signed out
    int64_t sessions = 0;                  // sessions issued, to make each token new
    std::vector<FakeDelivery> deliveries;  // Demo Company's, newest last
    std::vector<FakeAuditEntry> audit;     // oldest first
    FakeClient client;
    std::vector<FakeStream> streams;       // open event streams
    bool feeding = false;                  // a timer feeds them (events_static_demo.cpp)
    int64_t next_id = 1;                   // for ids of new records
};

// Seeds the demo relative to `unix_ms`. A FakeEdge holds the catalogue,
// which cannot be copied, so it is filled in place.
void fake_edge_init(FakeEdge& edge, double unix_ms, const std::string& origin);

// Moves the demo's clock (Unix milliseconds).
void fake_edge_set_clock(FakeEdge& edge, double unix_ms);

// Answers one request like the edge would: status and JSON body
// (application/problem+json shape for errors).
HttpReply fake_edge_answer(FakeEdge& edge, const HttpRequest& request);

// An EventSource on `url` (the wizard's .../sync/events?access_token=):
// kept in edge.streams, or failed at once when the edge would refuse it.
void fake_edge_open_stream(FakeEdge& edge, const std::string& url, std::shared_ptr<EventStream> stream);

// Gives every open stream its news since the last call, as the edge's
// event stream does: a "progress" event when the run changed, then "done"
// and the stream closes. Call it on a timer.
void fake_edge_feed_streams(FakeEdge& edge);

// The one fake edge of the page (fetch_static_demo.cpp), made on first use.
FakeEdge& static_demo_edge();
