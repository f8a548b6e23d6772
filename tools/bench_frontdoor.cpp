// bench_frontdoor: what a real `onramp-edge serve` costs at rest and what
// holds up at its front door: clients that connect and say nothing, open
// event streams, and requests built to make a server allocate.
//
// Three parts, each on a server of its own started by this tool (the
// build's onramp-edge, a fresh data directory, a free loopback port):
//
//   startup   cold start (fork to the first 200 of GET /healthz) on a fresh
//             data directory and again on the same one, and the idle RSS
//             one second after each
//   hold      N silent half-open connections (part of a request line, then
//             nothing) and M open sync event streams, from several loopback
//             addresses so that serve runs on its defaults, held while GET /healthz
//             and Shopify-signed webhook deliveries run for D seconds;
//             /healthz p50/p99, the delivery rate, whether deliveries were
//             acknowledged in every second, and the server's peak RSS
//   attacks   a 1 MiB gzip body that inflates to 1 GiB, a request for a web
//             client file with 1,000 overlapping ranges, and a 200 MiB
//             chunked body with no Content-Length; RSS before, after and at
//             the peak of each, and whether /healthz still answers
//
// The event streams need a sync run that lasts: the server is started with
// Shopify pointed at a mock platform server in this process, which answers
// after --sync-latency-ms once the connection is made, so the run it is
// asked for goes on for the whole measurement. A stream that ends anyway is
// opened again a second later, as a browser's EventSource does.
//
// --url drives a running server instead (its memory only with --pid); there
// the streams follow whatever run the connection has, and startup is
// skipped.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "edge/mock/server.h"
#include "tools/bench_edge.h"

using namespace onramp;
using namespace onramp::bench;

namespace {

const char* kUsage =
    "usage: bench_frontdoor [--only startup|hold|attacks] [--seconds D] [--hold-silent N] [--hold-sse M]\n"
    "                       [--probe-connections K] [--load-connections L] [--timeout-ms T]\n"
    "                       [--sync-latency-ms MS] [--edge PATH] [--serve-arg ARG]... [--keep]\n"
    "       bench_frontdoor --url URL [--pid PID] [--token T] [--org ID] [--connection ID]\n"
    "                       [--range-path PATH] [...]\n";

struct Options {
    ServerFlags server;
    std::string only, range_path = "/onramp.wasm";
    pid_t pid = -1;
    int silent = 2000, sse = 500, probe_connections = 8, load_connections = 32, timeout_ms = 5000;
    int sync_latency_ms = 3000;
    double seconds = 10;
};

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        if (take_server_flag(argc, argv, i, o.server)) continue;
        if (i + 1 >= argc) return false;
        if (k == "--only") o.only = argv[++i];
        else if (k == "--range-path") o.range_path = argv[++i];
        else {
            double v = std::atof(argv[++i]);
            if (v < 0 || (v == 0 && k != "--hold-silent" && k != "--hold-sse")) return false;
            if (k == "--seconds") o.seconds = v;
            else if (k == "--hold-silent") o.silent = int(v);
            else if (k == "--hold-sse") o.sse = int(v);
            else if (k == "--probe-connections") o.probe_connections = int(v);
            else if (k == "--load-connections") o.load_connections = int(v);
            else if (k == "--timeout-ms") o.timeout_ms = int(v);
            else if (k == "--sync-latency-ms") o.sync_latency_ms = int(v);
            else if (k == "--pid") o.pid = pid_t(v);
            else return false;
        }
    }
    return o.only.empty() || o.only == "startup" || o.only == "hold" || o.only == "attacks";
}

// The server a part runs against: started here, or the one at --url.
struct Target {
    std::optional<Serve> serve;
    Endpoint at;
    pid_t pid = -1;  // for /proc; -1 when unknown
    std::string dir;
    bool keep = false;

    ~Target() {
        if (serve) stop_serve(*serve);
        std::error_code ec;
        if (!dir.empty() && !keep) std::filesystem::remove_all(dir, ec);
    }
};

std::unique_ptr<Target> target_for(const Options& o, const std::string& part, std::vector<std::string> args) {
    auto t = std::make_unique<Target>();
    t->keep = o.server.keep;
    if (!o.server.url.empty()) {
        auto e = parse_endpoint(o.server.url);
        if (!e) {
            std::fprintf(stderr, "bench_frontdoor: --url wants http://IPV4:PORT or http://localhost:PORT\n");
            return nullptr;
        }
        t->at = *e;
        t->pid = o.pid;
        return t;
    }
    t->dir = temp_dir("frontdoor-" + part);
    args.insert(args.end(), o.server.serve_args.begin(), o.server.serve_args.end());
    t->serve = start_serve(o.server.binary(), t->dir + "/data", args);
    if (!t->serve) return nullptr;
    t->at = t->serve->at;
    t->pid = t->serve->pid;
    return t;
}

std::string memory_text(long kib) { return kib < 0 ? "unknown" : Targets::num(mib(kib), " MiB"); }

// --- startup -----------------------------------------------------------------

void startup(const Options& o, Targets& targets) {
    std::printf("startup: onramp-edge serve (no --demo)\n");
    if (!o.server.url.empty()) {
        std::printf("  skipped: needs to start the server itself (no --url)\n");
        return;
    }
    std::string dir = temp_dir("frontdoor-startup");
    for (const char* when : {"fresh data directory", "existing data directory"}) {
        auto s = start_serve(o.server.binary(), dir, o.server.serve_args);
        if (!s) break;
        sleep_ms(1000);
        Memory m = memory_of(s->pid);
        stop_serve(*s);
        std::printf("  %-24s cold start to /healthz %.1f ms, idle RSS %s\n", when, s->start_ms,
                    memory_text(m.rss_kib).c_str());
        targets.at_most(std::string("cold start to /healthz <= 100 ms, ") + when, s->start_ms, 100, " ms");
        targets.at_most(std::string("idle RSS <= 20 MiB, ") + when, mib(m.rss_kib), 20, " MiB");
    }
    std::error_code ec;
    if (!o.server.keep) std::filesystem::remove_all(dir, ec);
}

// --- hold ---------------------------------------------------------------------

// Held connections per client address: below serve's default cap of 256
// connections from one address (--max-connections-per-address).
constexpr int kHoldsPerSource = 200;

// The address the i-th held connection comes from. On loopback each group
// of kHoldsPerSource gets its own, 127.0.0.2 onwards (Linux routes all of
// 127/8 to lo), so the holds look like the many clients they stand for and
// the server runs on its defaults; a remote server sees this host's one.
std::string hold_source(const Endpoint& at, size_t i) {
    if (at.host.rfind("127.", 0) != 0) return "";
    return "127.0.0." + std::to_string(2 + i / kHoldsPerSource);
}

// Holds silent half-open connections and sync event streams open on one
// thread, opening again whatever the server closes.
class Holder {
public:
    Holder(const Endpoint& at, int silent, int sse, std::string sse_request)
        : at_(at), sse_request_(std::move(sse_request)), holds_(size_t(silent + sse)) {
        for (size_t i = 0; i < holds_.size(); ++i) {
            holds_[i].sse = i >= size_t(silent);
            holds_[i].source = hold_source(at, i);
        }
    }
    ~Holder() { stop(); }
    void start() {
        thread_ = std::thread([this] { loop(); });
    }
    void stop() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }

    std::atomic<int> silent_open{0}, sse_open{0};
    std::atomic<int64_t> silent_closed{0}, sse_ended{0}, connect_failures{0};
    std::map<int, int64_t> sse_refused;  // status of streams refused; read after stop()

private:
    struct Hold {
        bool sse = false, connecting = false, open = false;
        std::string source;  // the client address it connects from; "" for any
        int fd = -1;
        std::string in;  // an event stream's head, then the last bytes seen
        Clock::time_point retry_at;
    };

    void loop() {
        ep_ = epoll_create1(EPOLL_CLOEXEC);
        std::vector<epoll_event> ready(512);
        while (!stopping_) {
            auto now = Clock::now();
            for (Hold& h : holds_)
                if (h.fd < 0 && now >= h.retry_at) open(h);
            int n = epoll_wait(ep_, ready.data(), int(ready.size()), 50);
            for (int i = 0; i < n; ++i) on_event(*static_cast<Hold*>(ready[size_t(i)].data.ptr));
        }
        for (Hold& h : holds_) {
            h.open = false;  // closed by us: not counted as closed by the server
            close(h, 0);
        }
        ::close(ep_);
    }
    void open(Hold& h) {
        h.fd = open_socket(at_, h.source);
        h.in.clear();
        if (h.fd < 0) {
            ++connect_failures;
            h.retry_at = Clock::now() + std::chrono::milliseconds(100);
            return;
        }
        h.connecting = true;
        epoll_event ev{EPOLLOUT | EPOLLIN, {.ptr = &h}};
        epoll_ctl(ep_, EPOLL_CTL_ADD, h.fd, &ev);
    }
    void close(Hold& h, int retry_ms) {
        if (h.fd < 0) return;
        if (h.open) {
            if (h.sse) {
                --sse_open;
                ++sse_ended;
            } else {
                --silent_open;
                ++silent_closed;
            }
        }
        epoll_ctl(ep_, EPOLL_CTL_DEL, h.fd, nullptr);
        ::close(h.fd);
        h.fd = -1;
        h.open = h.connecting = false;
        h.retry_at = Clock::now() + std::chrono::milliseconds(retry_ms);
    }
    void on_event(Hold& h) {
        if (h.connecting) {
            h.connecting = false;
            // A request line cut short: the server must wait for the rest.
            const std::string first = h.sse ? sse_request_ : "GET /healthz HT";
            if (connect_failed(h.fd) ||
                ::send(h.fd, first.data(), first.size(), MSG_NOSIGNAL) != ssize_t(first.size())) {
                ++connect_failures;
                close(h, 100);
                return;
            }
            epoll_event ev{EPOLLIN, {.ptr = &h}};
            epoll_ctl(ep_, EPOLL_CTL_MOD, h.fd, &ev);
            if (!h.sse) {
                h.open = true;
                ++silent_open;
            }
            return;
        }
        char tmp[16384];
        for (;;) {
            ssize_t n = ::recv(h.fd, tmp, sizeof tmp, 0);
            if (n < 0 && errno == EAGAIN) return;
            if (n <= 0) {
                // Silent ones are held again at once; a stream comes back
                // after a second, as EventSource's "retry: 1000" asks.
                close(h, h.sse ? 1000 : 0);
                return;
            }
            if (!h.sse) continue;
            h.in.append(tmp, size_t(n));
            if (!h.open) {
                size_t end = h.in.find("\r\n\r\n");
                if (end == std::string::npos) continue;
                int status = std::atoi(h.in.c_str() + 9);
                if (status != 200) {
                    ++sse_refused[status];
                    close(h, 1000);
                    return;
                }
                h.open = true;
                ++sse_open;
                h.in.erase(0, end + 4);
            }
            // The stream's last chunk: it ended (the run finished, or the
            // server asks the client to come back).
            if (h.in.find("\r\n0\r\n\r\n") != std::string::npos || h.in.rfind("0\r\n\r\n", 0) == 0) {
                close(h, 1000);
                return;
            }
            if (h.in.size() > 8) h.in.erase(0, h.in.size() - 8);
        }
    }

    Endpoint at_;
    std::string sse_request_;
    std::vector<Hold> holds_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    int ep_ = -1;
};

struct Samples {
    int min = INT32_MAX;
    double sum = 0;
    int n = 0;
    void add(int v) {
        min = std::min(min, v);
        sum += v;
        ++n;
    }
    double mean() const { return n ? sum / n : 0; }
};

int hold(const Options& o, Targets& targets) {
    std::printf("hold: %d silent half-open connections and %d sync event streams, %.0f s\n", o.silent, o.sse,
                o.seconds);
    // The platform behind the sync run, in this process, so that the run
    // can be made to last (see the top of this file).
    std::unique_ptr<mock::MockPlatforms> platform;
    std::vector<std::string> args = {"--demo"};
    if (o.server.url.empty()) {
        mock::Options mo;
        mo.products = 10000;
        platform = std::make_unique<mock::MockPlatforms>(mo);
        if (!platform->start()) {
            std::fprintf(stderr, "bench_frontdoor: cannot start the mock platforms\n");
            return 1;
        }
        args.push_back("--base-url");
        args.push_back("shopify=" + mock::demo_base_urls(platform->url())["shopify"]);
    }
    auto t = target_for(o, "hold", args);
    if (!t) return 1;
    auto session = open_session(t->at, o.server);
    if (!session) return 1;
    const Api& api = session->api;
    const ShopifyTarget& shop = session->shop;
    if (platform) {
        mock::Faults slow;
        slow.latency_ms = o.sync_latency_ms;
        platform->set_faults("shopify", slow);
    }
    api.expect(202, "POST", shop.base() + "/sync");
    std::optional<int64_t> stored_before;
    if (!t->serve) stored_before = stored_by_counters(api, shop);
    Memory before = memory_of(t->pid);
    std::printf("  server RSS before the holds %s\n", memory_text(before.rss_kib).c_str());

    std::string sse_request = "GET " + shop.base() + "/sync/events HTTP/1.1\r\nHost: " + t->at.host + ":" +
                              std::to_string(t->at.port) + "\r\nAuthorization: Bearer " + api.token +
                              "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n";
    Holder holder(t->at, o.silent, o.sse, sse_request);
    size_t holds = size_t(o.silent + o.sse);
    if (holds > 0 && !hold_source(t->at, 0).empty())
        std::printf("  holds from %s to %s, at most %d from each\n", hold_source(t->at, 0).c_str(),
                    hold_source(t->at, holds - 1).c_str(), kHoldsPerSource);
    holder.start();
    auto t0 = Clock::now();
    while ((holder.silent_open < o.silent || holder.sse_open < o.sse) && ms_between(t0, Clock::now()) < 15000)
        sleep_ms(50);
    std::printf("  held after %.1f s: %d silent, %d streams\n", ms_between(t0, Clock::now()) / 1000,
                holder.silent_open.load(), holder.sse_open.load());

    LoadOptions probe;
    probe.at = t->at;
    probe.connections = o.probe_connections;
    probe.threads = 1;
    probe.seconds = o.seconds;
    probe.timeout_ms = o.timeout_ms;
    const std::string health = get_request(t->at, "/healthz");
    probe.request = [&](uint64_t) { return health; };
    LoadOptions load = probe;
    load.connections = o.load_connections;
    const std::string run = run_nonce();
    load.request = [&](uint64_t n) { return delivery_request(t->at, shop.connection_id, run, n); };

    LoadResult probed, loaded;
    std::thread probing([&] { probed = run_load(probe); });
    std::thread loading([&] { loaded = run_load(load); });
    Samples silent, streams;
    auto end = Clock::now() + std::chrono::milliseconds(int64_t(o.seconds * 1000));
    while (Clock::now() < end) {
        silent.add(holder.silent_open);
        streams.add(holder.sse_open);
        sleep_ms(100);
    }
    probing.join();
    loading.join();
    holder.stop();
    Memory after = memory_of(t->pid);

    std::printf("  silent connections open: min %d, mean %.0f of %d; closed by the server %lld\n",
                silent.min, silent.mean(), o.silent, (long long)holder.silent_closed.load());
    std::printf("  event streams open: min %d, mean %.0f of %d; ended %lld", streams.min, streams.mean(), o.sse,
                (long long)holder.sse_ended.load());
    for (const auto& [status, n] : holder.sse_refused) std::printf(" [refused %d: %lld]", status, (long long)n);
    std::printf("; failed connects %lld\n", (long long)holder.connect_failures.load());
    print_load("GET /healthz", probed, o.probe_connections);
    print_load("POST /webhooks/shopify/{id}", loaded, o.load_connections);

    int whole_seconds = int(o.seconds), acked_seconds = 0;
    for (int s = 0; s < whole_seconds; ++s)
        acked_seconds += size_t(s) < loaded.ok_per_second.size() && loaded.ok_per_second[size_t(s)] > 0;
    std::optional<int64_t> missing;
    if (t->serve)
        missing = missing_in_database(t->dir + "/data/onramp.db", shop.connection_id, run, loaded.acknowledged);
    else if (auto after = stored_by_counters(api, shop); after && stored_before)
        missing = std::max<int64_t>(0, loaded.ok - (*after - *stored_before));
    if (missing) std::printf("    acknowledged deliveries missing from the inbox: %lld\n", (long long)*missing);
    std::printf("  server RSS after %s, peak %s\n", memory_text(after.rss_kib).c_str(),
                memory_text(after.peak_kib).c_str());

    std::string held = std::to_string(o.silent) + " silent + " + std::to_string(o.sse) + " streams";
    targets.check("held throughout: " + held,
                  "min " + std::to_string(silent.min) + " + " + std::to_string(streams.min),
                  silent.min >= o.silent && streams.min >= o.sse);
    targets.at_most("/healthz p99 <= 50 ms while holding " + held, probed.p(0.99), 50, " ms");
    targets.check("deliveries acknowledged in every second while holding",
                  std::to_string(acked_seconds) + " of " + std::to_string(whole_seconds) + " s",
                  whole_seconds > 0 && acked_seconds == whole_seconds);
    if (missing)
        targets.check("every acknowledged delivery in the inbox", std::to_string(*missing) + " missing", *missing == 0);
    if (after.peak_kib >= 0)
        targets.at_most("peak RSS <= 120 MiB while holding " + held, mib(after.peak_kib), 120, " MiB");
    else
        targets.unknown("peak RSS <= 120 MiB while holding " + held, "no --pid");
    return missing && *missing != 0 ? 1 : 0;
}

// --- attacks -----------------------------------------------------------------

// CRC-32 (as gzip uses it) of n zero bytes without reading them: for zero
// input one step of the CRC register is a linear map over GF(2), so n steps
// are that map's n-th power, taken by squaring (as zlib's crc32_combine
// does). A matrix is 32 columns, column i the image of bit i.
using Gf2Matrix = std::array<uint32_t, 32>;

uint32_t gf2_apply(const Gf2Matrix& m, uint32_t v) {
    uint32_t out = 0;
    for (int i = 0; v; ++i, v >>= 1)
        if (v & 1) out ^= m[size_t(i)];
    return out;
}

Gf2Matrix gf2_square(const Gf2Matrix& m) {
    Gf2Matrix out;
    for (size_t i = 0; i < 32; ++i) out[i] = gf2_apply(m, m[i]);
    return out;
}

uint32_t crc32_of_zeros(uint64_t n) {
    Gf2Matrix step;  // one zero bit through the reflected polynomial
    for (size_t i = 0; i < 32; ++i) {
        uint32_t v = uint32_t(1) << i;
        step[i] = (v >> 1) ^ ((v & 1) ? 0xEDB88320u : 0);
    }
    for (int i = 0; i < 3; ++i) step = gf2_square(step);  // eight bits: one byte
    uint32_t crc = 0xFFFFFFFFu;
    for (; n; n >>= 1, step = gf2_square(step))
        if (n & 1) crc = gf2_apply(step, crc);
    return crc ^ 0xFFFFFFFFu;
}

// Deflate's bit order (RFC 1951 3.1.1): numbers least significant bit
// first, Huffman codes most significant bit first.
struct BitWriter {
    std::string out;
    uint32_t acc = 0;
    int n = 0;
    void put(uint32_t v, int count) {
        acc |= v << n;
        n += count;
        for (; n >= 8; n -= 8, acc >>= 8) out += char(acc & 0xff);
    }
    void code(uint32_t c, int length) {
        for (int i = length - 1; i >= 0; --i) put((c >> i) & 1, 1);
    }
    void zeros(uint64_t count) {
        for (; count && n; --count) put(0, 1);
        out.append(size_t(count / 8), '\0');
        put(0, int(count % 8));
    }
    void flush() {
        if (n) out += char(acc & 0xff);
        acc = 0;
        n = 0;
    }
};

// A gzip member (RFC 1952) holding 1 + 258 × copies zero bytes in one
// dynamic-Huffman deflate block whose codes spend two bits per 258 bytes:
// a literal zero, then `copies` copies of length 258 at distance 1 (the
// densest deflate allows; zlib reaches the same on zeros). Built directly,
// it takes no time and needs no compressor.
std::string gzip_bomb(uint64_t copies) {
    BitWriter w;
    w.out = std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    w.put(1, 1);   // BFINAL
    w.put(2, 2);   // BTYPE: dynamic Huffman codes
    w.put(29, 5);  // HLIT: 286 literal/length codes (up to 285, length 258)
    w.put(0, 5);   // HDIST: 1 distance code (0, distance 1)
    w.put(14, 4);  // HCLEN: 18 code length codes
    // Code length code lengths in the order of RFC 1951 3.2.7: 18 (a run
    // of zeros) gets 1 bit, lengths 1 and 2 get 2 bits each.
    const int order[18] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1};
    for (int sym : order) w.put(sym == 18 ? 1 : (sym == 1 || sym == 2) ? 2 : 0, 3);
    // Canonical codes: 18 is "0", 1 is "10", 2 is "11".
    w.code(3, 2);                 // literal 0: length 2
    w.code(0, 1), w.put(127, 7);  // literals 1..138: unused (18, 11 + 127)
    w.code(0, 1), w.put(106, 7);  // literals 139..255: unused (18, 11 + 106)
    w.code(3, 2);                 // 256, end of block: length 2
    w.code(0, 1), w.put(17, 7);   // 257..284: unused (18, 11 + 17)
    w.code(2, 2);                 // 285, length 258: length 1
    w.code(2, 2);                 // distance code 0: length 1
    // Canonical codes: 285 is "0", literal 0 is "10", end of block "11";
    // distance 0 is "0".
    w.code(2, 2);
    w.zeros(2 * copies);
    w.code(3, 2);
    w.flush();
    uint64_t size = 1 + 258 * copies;
    uint32_t crc = crc32_of_zeros(size), isize = uint32_t(size);
    for (int i = 0; i < 4; ++i) w.out += char((crc >> (8 * i)) & 0xff);
    for (int i = 0; i < 4; ++i) w.out += char((isize >> (8 * i)) & 0xff);
    return w.out;
}

// Each attack says what the server did, in words.
std::string send_gzip_bomb(const Endpoint& at, const std::string& connection_id, int timeout_ms) {
    const uint64_t copies = ((uint64_t(1) << 30) - 1) / 258;
    std::string body = gzip_bomb(copies);
    std::string r = "POST /webhooks/shopify/" + connection_id + " HTTP/1.1\r\nHost: " + at.host + "\r\n";
    r += "Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n";
    r += "X-Shopify-Hmac-Sha256: " + webhooks::sign_shopify(kWebhookSecret, body) + "\r\n";
    r += "X-Shopify-Topic: products/update\r\nX-Shopify-Shop-Domain: bench.myshopify.com\r\n";
    r += "X-Shopify-API-Version: 2024-04\r\nX-Shopify-Webhook-Id: bench-bomb-" + run_nonce() + "\r\n\r\n";
    Exchange x = exchange(at, r + body, timeout_ms);
    char buf[160];
    std::snprintf(buf, sizeof buf, "%zu bytes inflating to %.0f MiB: %s after %.0f ms", body.size(),
                  double(1 + 258 * copies) / 1048576.0,
                  x.status ? ("answered " + std::to_string(x.status)).c_str() : x.error.c_str(), x.ms);
    return buf;
}

std::string send_ranges(const Endpoint& at, const std::string& path, int timeout_ms) {
    // "0-" a thousand times: every range is the whole file, and the header
    // stays under the 8 KiB that servers allow a header.
    std::string ranges = "bytes=0-";
    for (int i = 1; i < 1000; ++i) ranges += ",0-";
    std::string r = "GET " + path + " HTTP/1.1\r\nHost: " + at.host + "\r\nRange: " + ranges + "\r\n\r\n";
    Exchange x = exchange(at, r, timeout_ms);
    char buf[160];
    std::snprintf(buf, sizeof buf, "GET %s with 1000 ranges: %s, %.1f MiB received after %.0f ms", path.c_str(),
                  x.status ? ("answered " + std::to_string(x.status)).c_str() : x.error.c_str(),
                  double(x.received) / 1048576.0, x.ms);
    return buf;
}

// Streams `total` bytes as 64 KiB chunks until they are all sent or the
// server answers, closes, or stops reading for timeout_ms.
std::string send_chunked(const Endpoint& at, const std::string& connection_id, uint64_t total, int timeout_ms) {
    auto t0 = Clock::now();
    std::string head = "POST /webhooks/shopify/" + connection_id + " HTTP/1.1\r\nHost: " + at.host +
                       "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                       "X-Shopify-Topic: products/update\r\nX-Shopify-Shop-Domain: bench.myshopify.com\r\n"
                       "X-Shopify-API-Version: 2024-04\r\nX-Shopify-Webhook-Id: bench-chunked\r\n"
                       "X-Shopify-Hmac-Sha256: AAAA\r\n\r\n";
    const std::string chunk = "10000\r\n" + std::string(65536, 'x') + "\r\n";
    int fd = open_socket(at);
    std::string pending = head, answer;
    uint64_t body_sent = 0;
    bool finished_body = false;
    std::string why = fd < 0 ? "cannot connect" : "sent it all, no answer";
    pollfd p{fd, POLLOUT | POLLIN, 0};
    while (fd >= 0) {
        if (poll(&p, 1, timeout_ms) <= 0) {
            why = "the server stopped reading";
            break;
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            char tmp[4096];
            ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
            if (n > 0) {
                answer.append(tmp, size_t(n));
                AnswerHead h;
                if (complete_answer(answer, h) || answer.find("\r\n\r\n") != std::string::npos) break;
                continue;
            }
            if (n < 0 && errno == EAGAIN) continue;
            why = "the server closed the connection";
            break;
        }
        if (pending.empty()) {
            if (finished_body) {
                p.events = POLLIN;
                continue;
            }
            if (body_sent < total) {
                pending = chunk;
                body_sent += 65536;
            } else {
                pending = "0\r\n\r\n";
                finished_body = true;
            }
        }
        ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN) {
            why = "the server closed the connection";
            break;
        }
        if (n > 0) pending.erase(0, size_t(n));
    }
    if (fd >= 0) ::close(fd);
    if (answer.find("\r\n\r\n") != std::string::npos) why = "answered " + std::to_string(std::atoi(answer.c_str() + 9));
    uint64_t through = body_sent - std::min<uint64_t>(body_sent, pending.size());
    char buf[160];
    std::snprintf(buf, sizeof buf, "chunked body of %.0f MiB: %s after %.1f MiB and %.0f ms", double(total) / 1048576.0,
                  why.c_str(), double(through) / 1048576.0, ms_between(t0, Clock::now()));
    return buf;
}

int attacks(const Options& o, Targets& targets) {
    std::printf("attacks: memory an unauthenticated request can make the server hold\n");
    std::vector<std::string> args = {"--demo"};
    // Inside the folder the started server's data goes to, removed with it.
    std::string web = temp_dir("frontdoor-attacks") + "/web";
    if (o.server.url.empty()) {
        // A web client of two files: the ranges ask for the 64 KiB one a
        // thousand times, 64 MiB in all for a server that honours them.
        std::filesystem::create_directories(web);
        std::ofstream(web + "/index.html") << "<!doctype html><title>Onramp</title><script src=onramp.js></script>\n";
        std::ofstream(web + "/onramp.wasm", std::ios::binary) << std::string(65536, 'w');
        args.push_back("--web-root");
        args.push_back(web);
    }
    auto t = target_for(o, "attacks", args);
    if (!t) return 1;
    auto session = open_session(t->at, o.server);
    if (!session) return 1;
    const ShopifyTarget& shop = session->shop;
    sleep_ms(1000);
    Memory idle = memory_of(t->pid);
    std::printf("  idle RSS %s\n", memory_text(idle.rss_kib).c_str());

    struct Attack {
        const char* name;
        std::function<std::string()> run;
    };
    const int timeout = std::max(o.timeout_ms, 30000);
    std::vector<Attack> all = {
        {"gzip bomb", [&] { return send_gzip_bomb(t->at, shop.connection_id, timeout); }},
        {"1000 ranges", [&] { return send_ranges(t->at, o.range_path, timeout); }},
        {"200 MiB chunked body", [&] { return send_chunked(t->at, shop.connection_id, uint64_t(200) << 20, timeout); }},
    };
    for (const Attack& a : all) {
        if (t->pid > 0) reset_peak(t->pid);
        Memory before = memory_of(t->pid);
        std::string out = a.run();
        sleep_ms(300);
        Memory after = memory_of(t->pid);
        bool alive = answers_healthz(t->at);
        std::printf("  %s: %s\n", a.name, out.c_str());
        std::printf("    RSS before %s, after %s, peak %s; /healthz %s\n", memory_text(before.rss_kib).c_str(),
                    memory_text(after.rss_kib).c_str(), memory_text(after.peak_kib).c_str(),
                    alive ? "answers" : "DOES NOT ANSWER");
        std::string n = a.name;
        if (idle.rss_kib >= 0 && after.rss_kib >= 0) {
            targets.at_most("RSS after the " + n + " <= idle + 20 MiB", mib(after.rss_kib - idle.rss_kib), 20,
                            " MiB over");
            targets.at_most("peak RSS during the " + n + " <= idle + 20 MiB", mib(after.peak_kib - idle.rss_kib),
                            20, " MiB over");
        } else {
            targets.unknown("RSS after the " + n + " <= idle + 20 MiB", "no --pid");
        }
        targets.check("/healthz answers after the " + n, alive ? "yes" : "no", alive);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o)) {
        std::fprintf(stderr, "%s", kUsage);
        return 2;
    }
    long files = raise_open_files();
    signal(SIGPIPE, SIG_IGN);
    if (files < o.silent + o.sse + o.probe_connections + o.load_connections + 64)
        std::fprintf(stderr, "bench_frontdoor: only %ld open files allowed; some connections will fail\n", files);
    Targets targets;
    int code = 0;
    if (o.only.empty() || o.only == "startup") startup(o, targets);
    if (o.only.empty() || o.only == "hold") code |= hold(o, targets);
    if (o.only.empty() || o.only == "attacks") code |= attacks(o, targets);
    targets.print();
    return code;
}
