// bench_webhooks: how many verified, durably stored webhook deliveries per
// second the edge acknowledges, and at what latency.
//
// An in-process edge (the production receiver, inbox and HTTP server, on a
// fresh database with synchronous=FULL) listens on loopback; one client
// thread posts Shopify-signed deliveries over keep-alive connections, one
// in flight on each, each body unique, and times every answer. Afterwards
// the rows are counted: every 200 must be in the database.
//
//   bench_webhooks [--access-log] [--deliveries N] [--clients C] [--threads T] [--seconds S]
//
// Prints deliveries/s, p50/p99/max latency, and where time goes:
// verification (measured alone), storage (time inside commits, per batch
// and per delivery) and the rest (HTTP parsing, routing, queueing).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

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
#include "edge/webhooks/sign.h"

using namespace onramp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    int deliveries = 60000, clients = 64, threads = 64;
    double seconds = 30;  // stop early after this long
    bool access_log = false;  // write serve's access log line per request (to /dev/null)
};

const char* kSecret = "shpss_bench_app_client_secret";

// One keep-alive HTTP/1.1 connection, enough of a client for this load:
// it sends a whole request, then parses the answer as bytes arrive.
struct Conn {
    int fd = -1;
    std::string buf;
    int next = -1;  // the delivery in flight
    Clock::time_point sent_at;

    bool open(int port) {
        close_fd();
        fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(uint16_t(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        buf.clear();
        return connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    void close_fd() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    bool send_all(const std::string& request) {
        for (size_t off = 0; off < request.size();) {
            ssize_t n = ::send(fd, request.data() + off, request.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += size_t(n);
        }
        sent_at = Clock::now();
        return true;
    }
    // Reads what arrived (the socket is readable, so this does not block).
    bool fill() {
        char tmp[16384];
        ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n <= 0) return false;
        buf.append(tmp, size_t(n));
        return true;
    }
    // The status of a complete answer in `buf` (consumed), or 0 while it is
    // still partial.
    int take_answer(bool* closed) {
        size_t head_end = buf.find("\r\n\r\n");
        if (head_end == std::string::npos) return 0;
        std::string head = buf.substr(0, head_end);
        for (auto& c : head) c = char(std::tolower(static_cast<unsigned char>(c)));
        size_t length = 0;
        if (size_t at = head.find("content-length:"); at != std::string::npos)
            length = std::strtoul(head.c_str() + at + 15, nullptr, 10);
        if (buf.size() < head_end + 4 + length) return 0;
        *closed = head.find("connection: close") != std::string::npos;
        int status = std::atoi(head.c_str() + 9);
        buf.erase(0, head_end + 4 + length);
        return status;
    }
};

std::string request_for(const std::string& conn_id, int n) {
    std::string body = R"({"id":)" + std::to_string(7000000000LL + n) +
                       R"(,"title":"Bench product","variants":[{"id":1,"inventory_quantity":)" + std::to_string(n % 97) +
                       "}]}";
    std::string r = "POST /webhooks/shopify/" + conn_id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    r += "X-Shopify-Hmac-Sha256: " + webhooks::sign_shopify(kSecret, body) + "\r\n";
    r += "X-Shopify-Topic: products/update\r\nX-Shopify-Shop-Domain: bench.myshopify.com\r\n";
    r += "X-Shopify-API-Version: 2024-04\r\nX-Shopify-Webhook-Id: bench-" + std::to_string(n) + "\r\n\r\n";
    return r + body;
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    size_t k = std::min(v.size() - 1, size_t(p * double(v.size())));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        if (k == "--access-log") {
            o.access_log = true;
            continue;
        }
        if (i + 1 >= argc) return false;
        double v = std::atof(argv[++i]);
        if (v <= 0) return false;
        if (k == "--deliveries") o.deliveries = int(v);
        else if (k == "--clients") o.clients = int(v);
        else if (k == "--threads") o.threads = int(v);
        else if (k == "--seconds") o.seconds = v;
        else return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o)) {
        std::fprintf(stderr, "usage: bench_webhooks [--access-log] [--deliveries N] [--clients C] [--threads T] [--seconds S]\n");
        return 2;
    }
    std::string dir = (std::filesystem::temp_directory_path() / ("onramp-bench-webhooks-" + std::to_string(getpid()))).string();
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
        auto e = webhooks::set_secret(*app.vault, *db, conn, webhooks::Platform::shopify, kSecret, 0, app.now());
        if (!e) return 1;
        tx.commit();
    }
    app.contexts = std::make_unique<connections::Contexts>(app.config);

    // Verification alone, single-threaded, on the same kind of delivery.
    double verify_us = 0;
    {
        const int n = 20000;
        std::vector<webhooks::Delivery> ds(64);
        for (size_t i = 0; i < ds.size(); ++i) {
            std::string req = request_for(conn.id, int(i));
            ds[i].body = req.substr(req.find("\r\n\r\n") + 4);
            ds[i].headers.emplace("X-Shopify-Hmac-Sha256", webhooks::sign_shopify(kSecret, ds[i].body));
            for (const char* h : {"X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version",
                                  "X-Shopify-Webhook-Id"})
                ds[i].headers.emplace(h, "x");
        }
        webhooks::Secrets s;
        s.keys = {kSecret};
        auto t0 = Clock::now();
        int valid = 0;
        for (int i = 0; i < n; ++i) valid += webhooks::verify(webhooks::Platform::shopify, ds[size_t(i) % ds.size()], s, 0).valid;
        verify_us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / n;
        if (valid != n) std::fprintf(stderr, "bench_webhooks: verification failed on its own deliveries\n");
    }

    webhooks::Inbox inbox(*app.store);
    webhooks::Targets targets;
    http::Router router;
    router.add({"POST", "/webhooks/{platform}/{connection_id}", http::Access::Public, http::Body::Raw,
                [&](const http::Call& c) {
                    return webhooks::receive(app, inbox, targets, c.req.param("platform"), c.req.param("connection_id"), c.req);
                }});
    http::ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.threads = o.threads;
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
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));

    // Signed before the clock starts: signing is the platform's work, and
    // the load generator shares the machine with the server it measures.
    std::vector<std::string> requests;
    requests.reserve(size_t(o.deliveries));
    for (int n = 0; n < o.deliveries; ++n) requests.push_back(request_for(conn.id, n));

    // One thread drives every connection through epoll, one request in
    // flight on each: a thread per connection cost the machine more than
    // the server it was measuring.
    int64_t acked = 0, failed = 0;
    std::vector<double> all;
    all.reserve(size_t(o.deliveries));
    std::vector<Conn> conns(size_t(o.clients));
    int ep = epoll_create1(0);
    int next = 0;
    auto start = [&](Conn& k) {
        for (;;) {
            if (next >= o.deliveries) return;
            k.next = next++;
            if (k.send_all(requests[size_t(k.next)])) return;
            ++failed;  // the server closed it: open again, go on
            epoll_ctl(ep, EPOLL_CTL_DEL, k.fd, nullptr);
            if (!k.open(server.port())) return;
            epoll_event ev{EPOLLIN, {.ptr = &k}};
            epoll_ctl(ep, EPOLL_CTL_ADD, k.fd, &ev);
        }
    };
    auto deadline = Clock::now() + std::chrono::milliseconds(int64_t(o.seconds * 1000));
    auto t0 = Clock::now();
    int in_flight = 0;
    for (auto& k : conns) {
        if (!k.open(server.port())) continue;
        epoll_event ev{EPOLLIN, {.ptr = &k}};
        epoll_ctl(ep, EPOLL_CTL_ADD, k.fd, &ev);
        start(k);
        if (k.next >= 0) ++in_flight;
    }
    std::vector<epoll_event> ready(conns.size());
    while (in_flight > 0) {
        int n = epoll_wait(ep, ready.data(), int(ready.size()), 1000);
        for (int i = 0; i < n; ++i) {
            Conn& k = *static_cast<Conn*>(ready[size_t(i)].data.ptr);
            bool alive = k.fill();
            bool closed = !alive;
            int status = alive ? k.take_answer(&closed) : 0;
            if (alive && status == 0) continue;  // more of the answer to come
            all.push_back(std::chrono::duration<double, std::milli>(Clock::now() - k.sent_at).count());
            if (status == 200) ++acked;
            else ++failed;
            if (closed) {
                epoll_ctl(ep, EPOLL_CTL_DEL, k.fd, nullptr);
                if (k.open(server.port())) {
                    epoll_event ev{EPOLLIN, {.ptr = &k}};
                    epoll_ctl(ep, EPOLL_CTL_ADD, k.fd, &ev);
                }
            }
            k.next = -1;
            if (Clock::now() < deadline && k.fd >= 0) start(k);
            if (k.next < 0) --in_flight;
        }
    }
    ::close(ep);
    for (auto& k : conns) k.close_fd();
    double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    server.stop();
    serving.join();

    double mean = 0;
    for (double v : all) mean += v;
    mean = all.empty() ? 0 : mean / double(all.size());
    double p50 = percentile(all, 0.50), p99 = percentile(all, 0.99), pmax = percentile(all, 1.0);

    int64_t rows = 0;
    {
        auto db = app.store->lease();
        store::Stmt st(*db, "SELECT count(*) FROM webhook_deliveries");
        st.step();
        rows = st.i64(0);
    }
    webhooks::InboxStats stats = inbox.stats();
    double per_batch_ms = stats.batches ? double(stats.commit_us) / 1000.0 / double(stats.batches) : 0;
    double per_delivery_us = stats.deliveries ? double(stats.commit_us) / double(stats.deliveries) : 0;

    std::printf("webhook deliveries (Shopify-signed, durable: WAL + synchronous=FULL, group commit)\n");
    std::printf("  clients %d keep-alive, server threads %d, access log %s\n", o.clients, o.threads,
                o.access_log ? "on (to /dev/null)" : "off");
    std::printf("  acknowledged %lld in %.2f s: %.0f deliveries/s (failed %lld)\n", (long long)acked, elapsed,
                double(acked) / elapsed, (long long)failed);
    std::printf("  latency ms: p50 %.2f  p99 %.2f  max %.2f  mean %.2f\n", p50, p99, pmax, mean);
    std::printf("  rows in the inbox: %lld (every 200 stored: %s)\n", (long long)rows,
                rows == acked ? "yes" : "NO");
    std::printf("  time split per delivery:\n");
    std::printf("    verification   %.1f us CPU (HMAC-SHA256, measured alone)\n", verify_us);
    std::printf("    storage        %.1f us of commit time; %lld commits, %.1f deliveries and %.2f ms each\n",
                per_delivery_us, (long long)stats.batches,
                stats.batches ? double(stats.deliveries) / double(stats.batches) : 0, per_batch_ms);
    std::printf("    the rest       %.2f ms of the %.2f ms mean latency: queueing for the next commit,\n"
                "                   HTTP parsing, routing, connection and secret lookups\n",
                mean - verify_us / 1000.0 - per_batch_ms, mean);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (log) std::fclose(log);
    return rows == acked ? 0 : 1;
}
