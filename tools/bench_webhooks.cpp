// bench_webhooks: how many verified, durably stored webhook deliveries per
// second the edge acknowledges, and at what latency.
//
// By default through the real binary: it starts `onramp-edge serve --demo`
// (the build's, on a fresh data directory and a free loopback port, its
// other settings the defaults), signs in as the demo operator, makes a
// Shopify connection and sets its webhook secret through the API, and then
// keeps N keep-alive connections busy from M client threads, one request in
// flight on each: D seconds of GET /healthz, the no-op route, which shows
// what the server's HTTP layer alone does with that many connections, then
// D seconds of Shopify-signed deliveries, each unique. Every acknowledged
// delivery is then looked up in the inbox: in the database, opened
// read-only while the server still runs.
//
// --url drives a server that is already running instead (signing in as the
// demo operator unless --token is given); the deliveries are then checked
// against the connection's counters (GET .../webhooks).
//
// --peer drives another receiver the same way, for comparison (for
// example tools/peer_express.cjs): its GET /healthz, then Shopify-signed
// deliveries to POST /webhooks/shopify/peer with the same secret. Nothing
// is set up through an API and no inbox is read; the peer must answer 2xx
// only once a delivery is stored.
//
// --in-process runs the edge's receiver, inbox and HTTP server inside this
// process, with only the webhook route, and splits the time a delivery
// takes: verification (measured alone), storage (time inside commits) and
// the rest.
//
// Prints rates, p50/p99/max latency, errors and timeouts, and the project's
// targets beside the figures. Exit status 1 when an acknowledged delivery is
// missing or the setup failed.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "edge/app.h"
#include "edge/http/router.h"
#include "edge/http/server.h"
#include "edge/store/accounts.h"
#include "edge/store/connections.h"
#include "edge/vault.h"
#include "edge/webhooks/endpoint.h"
#include "edge/webhooks/inbox.h"
#include "edge/webhooks/receiver.h"
#include "tools/bench_edge.h"

using namespace onramp;
using namespace onramp::bench;

namespace {

const char* kUsage =
    "usage: bench_webhooks [--connections N] [--client-threads M] [--seconds D] [--timeout-ms T]\n"
    "                      [--edge PATH] [--serve-arg ARG]... [--keep]\n"
    "       bench_webhooks --url URL [--token T] [--org ID] [--connection ID] [...]\n"
    "       bench_webhooks --peer URL [...]\n"
    "       bench_webhooks --in-process [--threads T] [--access-log] [...]\n";

struct Options {
    ServerFlags server;
    int connections = 256, client_threads = 2, timeout_ms = 5000;
    double seconds = 10;
    bool in_process = false, access_log = false;
    std::string peer;  // another receiver to drive instead of serve
    int server_threads = 0;  // in-process: 0 is serve's default
};

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        if (k == "--in-process") o.in_process = true;
        else if (k == "--access-log") o.access_log = true;
        else if (take_server_flag(argc, argv, i, o.server)) continue;
        else if (k == "--peer" && i + 1 < argc) o.peer = argv[++i];
        else if (i + 1 >= argc) return false;
        else {
            double v = std::atof(argv[++i]);
            if (v <= 0) return false;
            if (k == "--connections" || k == "--clients") o.connections = int(v);
            else if (k == "--client-threads") o.client_threads = int(v);
            else if (k == "--seconds") o.seconds = v;
            else if (k == "--timeout-ms") o.timeout_ms = int(v);
            else if (k == "--threads") o.server_threads = int(v);
            else return false;
        }
    }
    return true;
}

LoadOptions load_options(const Options& o, const Endpoint& at) {
    LoadOptions l;
    l.at = at;
    l.connections = o.connections;
    l.threads = o.client_threads;
    l.seconds = o.seconds;
    l.timeout_ms = o.timeout_ms;
    return l;
}

// The receiver on an in-process server: only the webhook route, on a fresh
// database, with the time split the inbox keeps.
int run_in_process(const Options& o) {
    std::string dir = temp_dir("webhooks");
    std::filesystem::create_directories(dir);
    App app;
    app.config.data_dir = dir;
    app.config.public_url = "http://127.0.0.1";
    app.now = system_now;
    app.store = std::make_unique<store::Store>(dir + "/onramp.db");
    store::Connection conn;
    {
        auto db = app.store->lease();
        auto ring = open_master_key(*db, dir, nullptr);
        if (!ring) {
            std::fprintf(stderr, "bench_webhooks: %s\n", ring.problem().detail.c_str());
            return 1;
        }
        app.vault = std::make_unique<Vault>(std::move(ring->keys));
        store::Org org = store::insert_org(*db, "Bench", "growth", app.now());
        conn.id = "conn_bench";
        conn.org_id = org.id;
        conn.platform = "shopify";
        conn.name = "Bench shop";
        conn.created_at = conn.updated_at = app.now();
        store::insert_connection(*db, conn);
        store::Tx tx(*db);
        auto e = webhooks::set_secret(*app.vault, *db, conn, *webhooks::find_scheme("shopify"), kWebhookSecret, 0,
                                      app.now());
        if (!e) return 1;
        tx.commit();
    }
    app.contexts = std::make_unique<connections::Contexts>(app.config);
    const std::string run = run_nonce();

    // Verification alone, single-threaded, on the same kind of delivery.
    double verify_us = 0;
    {
        const int n = 20000;
        std::vector<webhooks::Delivery> ds(64);
        for (size_t i = 0; i < ds.size(); ++i) {
            std::string req = delivery_request(Endpoint{}, conn.id, run, i);
            ds[i].body = req.substr(req.find("\r\n\r\n") + 4);
            ds[i].headers.emplace("X-Shopify-Hmac-Sha256", webhooks::sign_shopify(kWebhookSecret, ds[i].body));
            for (const char* h : {"X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version",
                                  "X-Shopify-Webhook-Id"})
                ds[i].headers.emplace(h, "x");
        }
        webhooks::Secrets s;
        s.keys = {kWebhookSecret};
        auto t0 = Clock::now();
        int valid = 0;
        for (int i = 0; i < n; ++i)
            valid += webhooks::verify("shopify", ds[size_t(i) % ds.size()], s, 0).valid;
        verify_us = ms_between(t0, Clock::now()) * 1000.0 / n;
        if (valid != n) std::fprintf(stderr, "bench_webhooks: verification failed on its own deliveries\n");
    }

    webhooks::Inbox inbox(*app.store);
    webhooks::Targets targets;
    http::Router router;
    router.add({"POST", "/webhooks/{platform}/{connection_id}", http::Access::Public, http::Body::Raw,
                [&](const http::Call& c) {
                    return webhooks::receive(app, inbox, targets, c.req.param("platform"),
                                             c.req.param("connection_id"), c.req);
                }});
    http::ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    if (o.server_threads > 0) so.threads = o.server_threads;
    // As serve writes it (edge/cli/serve.cpp): one flushed line per request.
    std::mutex log_mu;
    FILE* log = o.access_log ? std::fopen("/dev/null", "w") : nullptr;
    if (log)
        so.access_log = [&](const std::string& line) {
            std::lock_guard<std::mutex> lock(log_mu);
            std::fprintf(log, "%s\n", line.c_str());
            std::fflush(log);
        };
    http::Server server(router, so);
    if (!server.bind()) return 1;
    std::thread serving([&] { server.run(); });
    while (!server.is_running()) sleep_ms(5);

    Endpoint at{"127.0.0.1", server.port()};
    LoadOptions l = load_options(o, at);
    l.request = [&](uint64_t n) { return delivery_request(at, conn.id, run, n); };
    LoadResult r = run_load(l);
    server.stop();
    serving.join();

    double mean = 0;
    for (double v : r.latency_ms) mean += v;
    mean = r.latency_ms.empty() ? 0 : mean / double(r.latency_ms.size());
    auto missing = missing_in_database(dir + "/onramp.db", conn.id, run, r.acknowledged);
    webhooks::InboxStats stats = inbox.stats();
    double per_batch_ms = stats.batches ? double(stats.commit_us) / 1000.0 / double(stats.batches) : 0;
    double per_delivery_us = stats.deliveries ? double(stats.commit_us) / double(stats.deliveries) : 0;

    std::printf("webhook deliveries, in process (Shopify-signed, durable: WAL + synchronous=FULL, group commit)\n");
    std::printf("  server threads %d, access log %s\n", so.threads, o.access_log ? "on (to /dev/null)" : "off");
    print_load("POST /webhooks/shopify/{id}", r, o.connections);
    std::printf("  acknowledged deliveries missing from the inbox: %s\n",
                missing ? std::to_string(*missing).c_str() : "cannot read the database");
    std::printf("  time split per delivery:\n");
    std::printf("    verification   %.1f us CPU (HMAC-SHA256, measured alone)\n", verify_us);
    std::printf("    storage        %.1f us of commit time; %lld commits, %.1f deliveries and %.2f ms each\n",
                per_delivery_us, (long long)stats.batches,
                stats.batches ? double(stats.deliveries) / double(stats.batches) : 0, per_batch_ms);
    std::printf("    the rest       %.2f ms of the %.2f ms mean latency: queueing for the next commit,\n"
                "                   HTTP parsing, routing, connection and secret lookups\n",
                mean - verify_us / 1000.0 - per_batch_ms, mean);
    std::error_code ec;
    if (!o.server.keep) std::filesystem::remove_all(dir, ec);
    if (log) std::fclose(log);
    return missing && *missing == 0 ? 0 : 1;
}

// Through a real `serve`: started here, or the one at --url.
int run_over_sockets(const Options& o) {
    const ServerFlags& flags = o.server;
    std::optional<Serve> serve;
    Endpoint at;
    std::string dir;
    if (flags.url.empty()) {
        dir = temp_dir("webhooks");
        std::vector<std::string> args = {"--demo"};
        args.insert(args.end(), flags.serve_args.begin(), flags.serve_args.end());
        serve = start_serve(flags.binary(), dir, args);
        if (!serve) return 1;
        at = serve->at;
        std::string shown = "onramp-edge serve";
        for (const auto& a : args) shown += " " + a;
        std::printf("%s, started by this tool (pid %d, data %s, %.0f ms to /healthz)\n", shown.c_str(),
                    int(serve->pid), dir.c_str(), serve->start_ms);
    } else {
        auto e = parse_endpoint(flags.url);
        if (!e) {
            std::fprintf(stderr, "bench_webhooks: --url wants http://IPV4:PORT or http://localhost:PORT\n");
            return 2;
        }
        at = *e;
        std::printf("onramp-edge serve at %s\n", at.url().c_str());
    }
    auto finish = [&](int code) {
        if (serve) stop_serve(*serve);
        std::error_code ec;
        if (!dir.empty() && !flags.keep) std::filesystem::remove_all(dir, ec);
        return code;
    };

    auto session = open_session(at, flags);
    if (!session) return finish(1);
    const Api& api = session->api;
    const ShopifyTarget& target = session->shop;
    std::optional<int64_t> stored_before;
    if (!serve) stored_before = stored_by_counters(api, target);

    std::printf("load: %d keep-alive connections from %d client threads, %.0f s per route, timeout %d ms\n",
                o.connections, o.client_threads, o.seconds, o.timeout_ms);
    LoadOptions l = load_options(o, at);
    const std::string health = get_request(at, "/healthz");
    l.request = [&](uint64_t) { return health; };
    const pid_t pid = serve ? serve->pid : -1;
    auto cpu_before = thread_cpu_us(pid);
    LoadResult noop = run_load(l);
    auto cpu_after = thread_cpu_us(pid);
    print_load("GET /healthz (the no-op route)", noop, o.connections);
    if (serve) print_cpu_per_request(cpu_before, cpu_after, noop.ok);

    const std::string run = run_nonce();
    l.request = [&](uint64_t n) { return delivery_request(at, target.connection_id, run, n); };
    cpu_before = thread_cpu_us(pid);
    LoadResult hooks = run_load(l);
    cpu_after = thread_cpu_us(pid);
    print_load(("POST /webhooks/shopify/" + target.connection_id + " (Shopify-signed, products/update)").c_str(),
               hooks, o.connections);
    if (serve) print_cpu_per_request(cpu_before, cpu_after, hooks.ok);
    double ratio = noop.rate() > 0 ? hooks.rate() / noop.rate() : 0;
    std::printf("  deliveries/s to /healthz answers/s: %.2f\n", ratio);

    std::optional<int64_t> missing;
    std::string how;
    if (serve) {
        missing = missing_in_database(dir + "/onramp.db", target.connection_id, run, hooks.acknowledged);
        how = "read from the database";
    } else if (auto after = stored_by_counters(api, target); after && stored_before) {
        missing = std::max<int64_t>(0, hooks.ok - (*after - *stored_before));
        how = "by the connection's counters";
    }
    if (missing)
        std::printf("  acknowledged %lld, missing from the inbox %lld (%s)\n", (long long)hooks.ok,
                    (long long)*missing, how.c_str());
    else
        std::printf("  acknowledged %lld; the inbox could not be read\n", (long long)hooks.ok);
    if (serve) {
        Memory m = memory_of(serve->pid);
        std::printf("  server memory: RSS %.1f MiB, peak %.1f MiB\n", mib(m.rss_kib), mib(m.peak_kib));
    }

    Targets t;
    std::string n = std::to_string(o.connections);
    t.at_least("deliveries/s through serve, " + n + " keep-alive connections >= 15000", hooks.rate(), 15000);
    t.at_most("delivery p99 <= 50 ms", hooks.p(0.99), 50, " ms");
    if (missing)
        t.check("every acknowledged delivery in the inbox", std::to_string(*missing) + " missing", *missing == 0);
    else
        t.unknown("every acknowledged delivery in the inbox", "unread");
    t.at_least("deliveries/s >= 0.7 x /healthz answers/s, same run", ratio, 0.7);
    t.print();
    return finish(missing && *missing == 0 ? 0 : 1);
}

// The same two phases against a peer receiver at --peer.
int run_against_peer(const Options& o) {
    auto at = parse_endpoint(o.peer);
    if (!at) {
        std::fprintf(stderr, "bench_webhooks: --peer wants http://IPV4:PORT or http://localhost:PORT\n");
        return 2;
    }
    std::printf("peer receiver at %s\n", at->url().c_str());
    std::printf("load: %d keep-alive connections from %d client threads, %.0f s per route, timeout %d ms\n",
                o.connections, o.client_threads, o.seconds, o.timeout_ms);
    LoadOptions l = load_options(o, *at);
    const std::string health = get_request(*at, "/healthz");
    l.request = [&](uint64_t) { return health; };
    LoadResult noop = run_load(l);
    print_load("GET /healthz (the peer's no-op route)", noop, o.connections);
    const std::string run = run_nonce();
    l.request = [&](uint64_t n) { return delivery_request(*at, "peer", run, n); };
    LoadResult hooks = run_load(l);
    print_load("POST /webhooks/shopify/peer (Shopify-signed, products/update)", hooks, o.connections);
    std::printf("  deliveries/s to /healthz answers/s: %.2f\n", noop.rate() > 0 ? hooks.rate() / noop.rate() : 0);
    return hooks.ok > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o)) {
        std::fprintf(stderr, "%s", kUsage);
        return 2;
    }
    long files = raise_open_files();
    if (files < o.connections + 64)
        std::fprintf(stderr, "bench_webhooks: only %ld open files allowed; some connections will fail\n", files);
    signal(SIGPIPE, SIG_IGN);
    if (!o.peer.empty()) return run_against_peer(o);
    return o.in_process ? run_in_process(o) : run_over_sockets(o);
}
