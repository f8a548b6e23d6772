// The static demo's initial sync: the catalogue copied page by page as the
// clock runs, products first, then orders, in the shape of the edge's
// sync runs (edge/sync/records.cpp run_json). Its state is a function of
// the time since it was queued, so a reading never changes what it reads.
#include <algorithm>

#include "static_demo/answers.h"

namespace fake {

namespace {

constexpr double kQueuedMs = 300;   // before the first page
constexpr double kPageMs = 350;     // per page
constexpr int64_t kPageSize = 50;   // items per page, as the connector asks

int64_t total_of(const FakeRun& r) { return r.products + r.orders; }

// Pages fetched so far; 0 while queued.
int64_t pages_done(const FakeEdge& e, const FakeRun& r) {
    const double elapsed = e.now_ms - r.queued_ms - kQueuedMs;
    if (elapsed < 0) return 0;
    const int64_t pages_needed = (r.products + kPageSize - 1) / kPageSize + (r.orders + kPageSize - 1) / kPageSize;
    return std::min<int64_t>(pages_needed, 1 + static_cast<int64_t>(elapsed / kPageMs));
}

// Items copied after `pages` pages: full pages of products, then of orders.
int64_t items_done(const FakeRun& r, int64_t pages) {
    const int64_t product_pages = (r.products + kPageSize - 1) / kPageSize;
    const int64_t products = std::min(r.products, std::min(pages, product_pages) * kPageSize);
    const int64_t orders = std::min(r.orders, std::max<int64_t>(0, pages - product_pages) * kPageSize);
    return products + orders;
}

}  // namespace

bool run_finished(const FakeEdge& e, const FakeConnection& c) {
    return items_done(c.run, pages_done(e, c.run)) == total_of(c.run);
}

int64_t products_synced(const FakeEdge& e, const FakeConnection& c) {
    return std::min(c.run.products, items_done(c.run, pages_done(e, c.run)));
}

json run_json(const FakeEdge& e, const FakeConnection& c) {
    const FakeRun& r = c.run;
    const int64_t pages = pages_done(e, r);
    const int64_t done = items_done(r, pages);
    const bool finished = done == total_of(r);
    const char* state = finished ? "succeeded" : pages == 0 ? "queued" : "running";
    const int64_t started = r.queued_at + (pages > 0 ? 1 : 0);
    json j = {{"id", r.id},
              {"connection_id", c.id},
              {"kind", "initial"},
              {"state", state},
              {"resources", {"products", "orders"}},
              {"resource", done < r.products ? "products" : "orders"},
              {"pages", pages},
              {"created", done},
              {"updated", 0},
              {"failed", 0},
              {"errors", json::array()},
              {"queued_at", iso8601(r.queued_at)},
              {"items", done},
              {"total", total_of(r)}};
    j["percent"] = finished ? 100 : std::min<int64_t>(99, done * 100 / std::max<int64_t>(1, total_of(r)));
    j["started_at"] = pages > 0 ? json(iso8601(started)) : json(nullptr);
    j["finished_at"] = finished ? json(iso8601(r.queued_at + static_cast<int64_t>((kQueuedMs + pages * kPageMs) / 1000)))
                                : json(nullptr);
    return j;
}

}  // namespace fake

using namespace fake;

void fake_edge_open_stream(FakeEdge& e, const std::string& url, std::shared_ptr<EventStream> stream) {
    HttpRequest req;
    req.url = url;
    const Target t = parse_target(req);
    // EventSource sends no Authorization header: the token is in the query,
    // as the edge's events route accepts it.
    auto token = t.query.find("access_token");
    const bool allowed = !e.token.empty() && token != t.query.end() && token->second == e.token &&
                         route(t, {"api", "v1", "orgs", "*", "connections", "*", "sync", "events"}) &&
                         t.segments[3] == e.client.id;
    for (const FakeConnection& c : e.client.connections)
        if (allowed && c.id == t.segments[5]) {
            e.streams.push_back({std::move(stream), c.id, ""});
            return;
        }
    stream->failed = true;  // what a browser reports for an HTTP error: the wizard polls instead
}

void fake_edge_feed_streams(FakeEdge& e) {
    for (FakeStream& s : e.streams) {
        for (const FakeConnection& c : e.client.connections) {
            if (c.id != s.connection_id) continue;
            std::string data = run_json(e, c).dump();
            if (data == s.last_sent) break;
            s.last_sent = data;
            s.stream->latest = std::move(data);
            ++s.stream->received;
            s.stream->done = run_finished(e, c);
        }
    }
    std::erase_if(e.streams, [](const FakeStream& s) { return s.stream->done || s.stream->failed; });
}
