// The edge's metric families and what a scrape reads from the database and
// the process (edge/metrics/edge_metrics.h).
#include "edge/metrics/edge_metrics.h"

#include <unistd.h>

#include <cstdio>

#include "edge/store/db.h"

namespace onramp::metrics {

EdgeMetrics::EdgeMetrics()
    : http_requests(registry.add("onramp_http_requests_total", "HTTP requests by method, route pattern and status.",
                                 Kind::counter, {"method", "route", "status"})),
      webhook_handled(registry.add("onramp_webhook_deliveries_handled_total",
                                   "Webhook deliveries the worker handled since start, by outcome.", Kind::counter,
                                   {"outcome"})),
      webhook_deliveries(registry.add("onramp_webhook_deliveries_total",
                                      "Webhook deliveries counted by the inbox, by outcome.", Kind::counter,
                                      {"outcome"})),
      sync_runs(registry.add("onramp_sync_runs_total", "Finished sync runs by outcome.", Kind::counter, {"outcome"})),
      sync_items(registry.add("onramp_sync_items_total", "Records created or updated by sync runs.", Kind::counter)),
      queue_depth(registry.add("onramp_queue_depth", "Work waiting, by queue.", Kind::gauge, {"queue"})),
      uptime(registry.add("onramp_uptime_seconds", "Seconds since the server started.", Kind::gauge)),
      resident_memory(registry.add("process_resident_memory_bytes", "Resident memory size in bytes.", Kind::gauge)) {}

namespace {

int64_t count(store::Db& db, const char* sql) {
    store::Stmt st(db, sql);
    return st.step() ? st.i64(0) : 0;
}

// Sets each named series from a "SELECT name, n ... GROUP BY name" query;
// names the query does not return are 0, so a series never keeps a stale
// value.
void set_grouped(Family& f, store::Db& db, const char* sql, std::initializer_list<const char*> names) {
    for (const char* name : names) f.at({name}).set(0);
    store::Stmt st(db, sql);
    while (st.step()) {
        std::string name = st.text(0);
        for (const char* known : names)
            if (name == known) f.at({known}).set(st.i64(1));
    }
}

}  // namespace

int64_t resident_bytes() {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    long long size = 0, resident = 0;
    int n = std::fscanf(f, "%lld %lld", &size, &resident);
    std::fclose(f);
    return n == 2 ? int64_t(resident) * sysconf(_SC_PAGESIZE) : 0;
}

std::string scrape(EdgeMetrics& m, store::Db& db, int64_t uptime_seconds) {
    // Each query reads a small table or an index, never the deliveries'
    // bodies: a scrape stays cheap however large the inbox grows.
    set_grouped(m.webhook_deliveries, db, "SELECT name, SUM(n) FROM webhook_counters GROUP BY name",
                {"received", "verified", "rejected", "duplicate", "dead_lettered"});
    set_grouped(m.sync_runs, db,
                "SELECT state, COUNT(*) FROM sync_runs WHERE state IN ('succeeded', 'failed') GROUP BY state",
                {"succeeded", "failed"});
    m.sync_items.at({}).set(count(db, "SELECT COALESCE(SUM(created + updated), 0) FROM sync_runs"));
    m.queue_depth.at({"webhook_inbox"})
        .set(count(db, "SELECT COUNT(*) FROM webhook_deliveries WHERE state IN ('received', 'failed')"));
    m.queue_depth.at({"documents"}).set(count(db, "SELECT COUNT(*) FROM documents WHERE ingestion_status = 'pending'"));
    m.queue_depth.at({"sync_runs"}).set(count(db, "SELECT COUNT(*) FROM sync_runs WHERE state = 'queued'"));
    m.queue_depth.at({"email"}).set(count(db, "SELECT COUNT(*) FROM mail_messages WHERE state = 'queued'"));
    m.uptime.at({}).set(uptime_seconds);
    m.resident_memory.at({}).set(resident_bytes());
    return m.registry.render();
}

}  // namespace onramp::metrics
