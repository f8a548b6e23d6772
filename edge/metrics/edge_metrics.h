// The edge's metrics, served at GET /metrics (edge/api/health.cpp).
//
// Counted as things happen, in this process (reset at restart):
//   onramp_http_requests_total{method,route,status}  route is the matched
//       pattern ("/api/v1/orgs/{org_id}"), or "unmatched" (the web
//       client's files, 404s): never the raw path, whose ids would make a
//       series per object
//   onramp_webhook_deliveries_handled_total{outcome}  processed, ignored,
//       failed (an attempt that will be retried or dead-lettered)
// Read from the database at each scrape (they survive restarts):
//   onramp_webhook_deliveries_total{outcome}  received, verified, rejected,
//       duplicate, dead_lettered (the inbox's counters)
//   onramp_sync_runs_total{outcome}  succeeded, failed
//   onramp_sync_items_total  records created or updated by sync runs
//   onramp_queue_depth{queue}  webhook_inbox (received or failed, not yet
//       applied), documents (pending ingestion), sync_runs (queued)
// Read from the process at each scrape:
//   onramp_uptime_seconds, process_resident_memory_bytes
#pragma once

#include <cstdint>
#include <string>

#include "edge/metrics/registry.h"

namespace onramp::store { class Db; }

namespace onramp::metrics {

struct EdgeMetrics {
    Registry registry;
    Family& http_requests;
    Family& webhook_handled;
    Family& webhook_deliveries;
    Family& sync_runs;
    Family& sync_items;
    Family& queue_depth;
    Family& uptime;
    Family& resident_memory;
    // A bearer token that may read /metrics besides operators' tokens,
    // for a scraper that should not hold an operator's credentials. Empty:
    // operators only.
    std::string scrape_token;

    EdgeMetrics();
};

// Sets the families read from the database and the process, then renders
// every family. Throws store::DbError when the database cannot be read.
std::string scrape(EdgeMetrics& m, store::Db& db, int64_t uptime_seconds);

// This process's resident set size in bytes (/proc/self/statm), 0 when
// unknown.
int64_t resident_bytes();

}  // namespace onramp::metrics
