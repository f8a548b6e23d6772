// What the benchmarks that drive a real `onramp-edge serve` over sockets
// share (tools/bench_webhooks.cpp, tools/bench_frontdoor.cpp): starting the
// binary and reading its memory from /proc, a small raw HTTP/1.1 client and
// the load driver built on it, and preparing a Shopify connection that
// accepts signed deliveries through the API, as an operator would.
//
// The load does not go through cpp-httplib's client: it holds a thread per
// request, and the benchmarks keep hundreds of keep-alive connections busy
// from one or two threads on a machine they share with the server.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/http/client.h"
#include "edge/store/db.h"
#include "edge/platforms/shopify/webhook.h"

namespace onramp::bench {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

inline double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

inline void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

inline double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    size_t k = std::min(v.size() - 1, size_t(p * double(v.size())));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}

// Holding thousands of connections needs more descriptors than the usual
// soft limit of 1024; a server this process starts inherits the limit.
inline long raise_open_files() {
    rlimit r{};
    getrlimit(RLIMIT_NOFILE, &r);
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
    getrlimit(RLIMIT_NOFILE, &r);
    return long(r.rlim_cur);
}

// A random hex word: deliveries of one run never repeat an earlier run's
// ids or bodies, which the inbox would acknowledge without storing again.
inline std::string run_nonce() { return crypto::hex_encode(crypto::random_bytes(8)); }

// A folder of this run in the temp directory: onramp-bench-WHAT-PID.
inline std::string temp_dir(const std::string& what) {
    return (std::filesystem::temp_directory_path() / ("onramp-bench-" + what + "-" + std::to_string(getpid())))
        .string();
}

// The flags that choose the server a benchmark measures.
struct ServerFlags {
    std::string url;         // a running server; empty: start one
    std::string token;       // empty: sign in as the demo operator
    std::string org, connection;  // empty: the first there is
    std::string edge;        // the binary to start; empty: the build's
    std::vector<std::string> serve_args;  // more flags for serve
    bool keep = false;       // keep the temp folders

    std::string binary() const;
};

// Takes argv[i] (and its value, moving i on) when it is one of the
// ServerFlags; false when it is not one or its value is missing.
inline bool take_server_flag(int argc, char** argv, int& i, ServerFlags& f) {
    std::string k = argv[i];
    if (k == "--keep") {
        f.keep = true;
        return true;
    }
    if (i + 1 >= argc) return false;
    std::string* value = k == "--url"          ? &f.url
                         : k == "--token"      ? &f.token
                         : k == "--org"        ? &f.org
                         : k == "--connection" ? &f.connection
                         : k == "--edge"       ? &f.edge
                                               : nullptr;
    if (k == "--serve-arg") f.serve_args.push_back(argv[++i]);
    else if (value) *value = argv[++i];
    else return false;
    return true;
}

// --- addresses and sockets ------------------------------------------------

struct Endpoint {
    std::string host = "127.0.0.1";  // a numeric IPv4 address
    int port = 0;
    std::string url() const { return "http://" + host + ":" + std::to_string(port); }
};

// http://HOST:PORT with a numeric IPv4 host or localhost.
inline std::optional<Endpoint> parse_endpoint(const std::string& url) {
    http::ParsedUrl p;
    if (!http::parse_url(url, p) || p.scheme != "http") return std::nullopt;
    Endpoint e;
    e.host = p.host == "localhost" ? "127.0.0.1" : p.host;
    e.port = p.port ? p.port : 80;
    in_addr a{};
    if (inet_pton(AF_INET, e.host.c_str(), &a) != 1) return std::nullopt;
    return e;
}

// A non-blocking socket with its connect under way (or done), or -1. With
// `source` (an IPv4 address) it connects from that address, any port.
inline int open_socket(const Endpoint& e, const std::string& source = "") {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!source.empty()) {
        sockaddr_in from{};
        from.sin_family = AF_INET;
        inet_pton(AF_INET, source.c_str(), &from.sin_addr);
        if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
            ::close(fd);
            return -1;
        }
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(e.port));
    inet_pton(AF_INET, e.host.c_str(), &a.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

inline bool connect_failed(int fd) {
    int err = 0;
    socklen_t len = sizeof err;
    return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0;
}

// --- HTTP/1.1 answers ---------------------------------------------------------

struct AnswerHead {
    int status = 0;
    bool close = false;  // the server closes the connection after it
};

// The length of the first whole answer at the start of `buf`, or 0 while
// it is still partial. Knows Content-Length and chunked bodies, which is
// all an HTTP/1.1 server sends on a keep-alive connection.
inline size_t complete_answer(const std::string& buf, AnswerHead& head) {
    size_t end = buf.find("\r\n\r\n");
    if (end == std::string::npos) return 0;
    std::string h = buf.substr(0, end);
    for (char& c : h) c = char(std::tolower(static_cast<unsigned char>(c)));
    head.status = h.size() > 12 ? std::atoi(h.c_str() + 9) : 0;
    head.close = h.find("\r\nconnection: close") != std::string::npos || h.compare(0, 8, "http/1.0") == 0;
    size_t at = end + 4;
    if (h.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
        for (;;) {
            size_t eol = buf.find("\r\n", at);
            if (eol == std::string::npos) return 0;
            size_t n = std::strtoul(buf.c_str() + at, nullptr, 16);
            if (n == 0) {
                // The last chunk, then trailers (usually none) and an empty line.
                if (buf.size() >= eol + 4 && buf.compare(eol + 2, 2, "\r\n") == 0) return eol + 4;
                size_t fin = buf.find("\r\n\r\n", eol);
                return fin == std::string::npos ? 0 : fin + 4;
            }
            at = eol + 2 + n + 2;
            if (at > buf.size()) return 0;
        }
    }
    size_t length = 0;
    if (size_t cl = h.find("\r\ncontent-length:"); cl != std::string::npos)
        length = std::strtoul(h.c_str() + cl + 17, nullptr, 10);
    return buf.size() >= at + length ? at + length : 0;
}

struct Exchange {
    int status = 0;       // 0: no whole answer
    std::string error;    // why not, when status is 0
    size_t received = 0;  // bytes of the answer read
    double ms = 0;
};

// One request on a connection of its own, waiting at most timeout_ms for
// the whole answer, which may be up to 256 MiB.
inline Exchange exchange(const Endpoint& e, const std::string& request, int timeout_ms) {
    const size_t max_bytes = size_t(256) << 20;
    Exchange x;
    auto t0 = Clock::now();
    auto left = [&] { return std::max(0, timeout_ms - int(ms_between(t0, Clock::now()))); };
    int fd = open_socket(e);
    if (fd < 0) {
        x.error = "cannot connect";
        return x;
    }
    pollfd p{fd, POLLOUT, 0};
    size_t sent = 0;
    while (sent < request.size()) {
        if (poll(&p, 1, left()) <= 0 || (sent == 0 && connect_failed(fd))) {
            x.error = sent == 0 ? "cannot connect" : "timed out sending";
            ::close(fd);
            return x;
        }
        ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN) {
            x.error = "connection closed while sending";
            ::close(fd);
            return x;
        }
        if (n > 0) sent += size_t(n);
    }
    std::string buf;
    p.events = POLLIN;
    char tmp[65536];
    AnswerHead head;
    for (;;) {
        if (poll(&p, 1, left()) <= 0) {
            x.error = "timed out";
            break;
        }
        ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n < 0 && errno == EAGAIN) continue;
        if (n <= 0) {
            x.error = "connection closed before a whole answer";
            break;
        }
        x.received += size_t(n);
        if (buf.size() < max_bytes) buf.append(tmp, size_t(n));
        if (complete_answer(buf, head)) {
            x.status = head.status;
            break;
        }
        if (buf.size() >= max_bytes) {
            x.error = "answer larger than the bench keeps";
            break;
        }
    }
    ::close(fd);
    x.ms = ms_between(t0, Clock::now());
    return x;
}

inline std::string get_request(const Endpoint& e, const std::string& path) {
    return "GET " + path + " HTTP/1.1\r\nHost: " + e.host + ":" + std::to_string(e.port) + "\r\n\r\n";
}

inline bool answers_healthz(const Endpoint& e, int timeout_ms = 5000) {
    return exchange(e, get_request(e, "/healthz"), timeout_ms).status == 200;
}

// --- the load driver --------------------------------------------------------

struct LoadOptions {
    Endpoint at;
    int connections = 256;
    int threads = 2;
    double seconds = 10;
    int timeout_ms = 5000;
    // Request number n, unique in the run; called on the client threads.
    std::function<std::string(uint64_t n)> request;
};

struct LoadResult {
    int64_t ok = 0;        // 2xx answers
    int64_t refused = 0;   // other answers
    int64_t errors = 0;    // connections that failed or closed before an answer
    int64_t timeouts = 0;  // no answer within timeout_ms
    int connected = 0;     // connections open when the clock started
    double seconds = 0;    // from the start to the last answer
    // Every request's time: to its answer, or to when it failed or was
    // given up, so that timeouts weigh in the percentiles.
    std::vector<double> latency_ms;
    std::vector<uint64_t> acknowledged;  // n of every 2xx
    std::vector<int64_t> ok_per_second;
    std::map<int, int64_t> statuses;  // of the other answers

    double rate() const { return seconds > 0 ? double(ok) / seconds : 0; }
    double p(double q) const { return percentile(latency_ms, q); }
};

namespace detail {

// One connection of the load: at most one request in flight on it.
struct Slot {
    int fd = -1;
    bool connecting = false, busy = false;
    uint64_t n = 0;
    std::string out, in;
    size_t sent = 0;
    Clock::time_point issued, retry_at;
};

class LoadWorker {
public:
    LoadWorker(const LoadOptions& o, std::atomic<uint64_t>& next, int connections)
        : o_(o), next_(next), slots_(size_t(connections)) {
        ep_ = epoll_create1(EPOLL_CLOEXEC);
    }
    ~LoadWorker() {
        for (Slot& s : slots_) drop(s);
        ::close(ep_);
    }

    // Opens every connection; returns how many were established.
    int connect_all(Clock::time_point until) {
        for (Slot& s : slots_) open(s);
        int pending = 0;
        for (Slot& s : slots_) pending += s.connecting;
        std::vector<epoll_event> ready(slots_.size() + 1);
        while (pending > 0 && Clock::now() < until) {
            int n = epoll_wait(ep_, ready.data(), int(ready.size()), 50);
            for (int i = 0; i < n; ++i) {
                Slot& s = *static_cast<Slot*>(ready[size_t(i)].data.ptr);
                if (!s.connecting) continue;
                s.connecting = false;
                --pending;
                if (connect_failed(s.fd)) drop(s);
                else watch(s, EPOLLIN);
            }
        }
        int up = 0;
        for (Slot& s : slots_) {
            if (s.connecting) drop(s);
            up += s.fd >= 0;
        }
        return up;
    }

    void run(Clock::time_point start, Clock::time_point deadline) {
        start_ = start;
        deadline_ = deadline;
        last_answer_ = start;
        for (Slot& s : slots_) issue(s);
        std::vector<epoll_event> ready(slots_.size() + 1);
        auto last_scan = Clock::now();
        for (;;) {
            auto now = Clock::now();
            if (now >= deadline_) {
                bool busy = std::any_of(slots_.begin(), slots_.end(), [](const Slot& s) { return s.busy; });
                if (!busy || now > deadline_ + std::chrono::milliseconds(o_.timeout_ms)) break;
            }
            int n = epoll_wait(ep_, ready.data(), int(ready.size()), 10);
            for (int i = 0; i < n; ++i)
                on_event(*static_cast<Slot*>(ready[size_t(i)].data.ptr), ready[size_t(i)].events);
            now = Clock::now();
            if (ms_between(last_scan, now) < 10) continue;
            last_scan = now;
            for (Slot& s : slots_) {
                if (s.busy && ms_between(s.issued, now) > o_.timeout_ms) {
                    finish(s, now, 0);
                    ++r.timeouts;
                    drop(s);
                    s.retry_at = now;
                }
                if (!s.busy && s.fd < 0 && now >= s.retry_at && now < deadline_) issue(s);
            }
        }
        r.seconds = std::chrono::duration<double>(last_answer_ - start_).count();
    }

    LoadResult r;

private:
    void watch(Slot& s, uint32_t events) {
        epoll_event ev{events, {.ptr = &s}};
        epoll_ctl(ep_, EPOLL_CTL_MOD, s.fd, &ev);
    }
    void open(Slot& s) {
        s.fd = open_socket(o_.at);
        s.in.clear();
        if (s.fd < 0) return;
        s.connecting = true;
        epoll_event ev{EPOLLOUT | EPOLLIN, {.ptr = &s}};
        epoll_ctl(ep_, EPOLL_CTL_ADD, s.fd, &ev);
    }
    void drop(Slot& s) {
        if (s.fd >= 0) {
            epoll_ctl(ep_, EPOLL_CTL_DEL, s.fd, nullptr);
            ::close(s.fd);
        }
        s.fd = -1;
        s.connecting = false;
    }

    // Starts request n on s, on a new connection when s has none.
    void issue(Slot& s) {
        if (Clock::now() >= deadline_) return;
        s.n = next_.fetch_add(1);
        s.out = o_.request(s.n);
        s.sent = 0;
        s.in.clear();
        s.busy = true;
        s.issued = Clock::now();
        if (s.fd < 0) {
            open(s);
            if (s.fd < 0) fail(s);
            return;
        }
        send_more(s);
    }
    void send_more(Slot& s) {
        while (s.sent < s.out.size()) {
            ssize_t n = ::send(s.fd, s.out.data() + s.sent, s.out.size() - s.sent, MSG_NOSIGNAL);
            if (n > 0) {
                s.sent += size_t(n);
                continue;
            }
            if (n < 0 && errno == EAGAIN) {
                watch(s, EPOLLIN | EPOLLOUT);
                return;
            }
            // The server closed a keep-alive connection while it was idle:
            // as any client does, send again on a new one.
            if (s.sent == 0 && !s.connecting) {
                drop(s);
                open(s);
                if (s.fd < 0) fail(s);
                return;
            }
            fail(s);
            return;
        }
        watch(s, EPOLLIN);
    }
    void on_event(Slot& s, uint32_t events) {
        if (s.connecting) {
            if (connect_failed(s.fd)) {
                fail(s);
                return;
            }
            s.connecting = false;
            if (s.busy) send_more(s);
            return;
        }
        if ((events & EPOLLOUT) && s.busy && s.sent < s.out.size()) send_more(s);
        if (s.fd < 0 || s.connecting || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return;
        char tmp[16384];
        bool closed = false;
        for (;;) {
            ssize_t n = ::recv(s.fd, tmp, sizeof tmp, 0);
            if (n < 0 && errno == EAGAIN) break;
            if (n <= 0) {
                closed = true;  // perhaps right after a last answer
                break;
            }
            s.in.append(tmp, size_t(n));
        }
        AnswerHead head;
        size_t len = s.busy ? complete_answer(s.in, head) : 0;
        if (len == 0) {
            if (closed && s.busy) fail(s);
            else if (closed) drop(s);
            return;
        }
        finish(s, Clock::now(), head.status);
        if (closed || head.close || len < s.in.size()) drop(s);
        issue(s);
    }
    // A request that ends without an answer.
    void fail(Slot& s) {
        auto now = Clock::now();
        finish(s, now, 0);
        ++r.errors;
        drop(s);
        // Not at once: a server that refuses connections would spin us.
        s.retry_at = now + std::chrono::milliseconds(10);
    }
    void finish(Slot& s, Clock::time_point now, int status) {
        s.busy = false;
        r.latency_ms.push_back(ms_between(s.issued, now));
        if (status == 0) return;
        last_answer_ = std::max(last_answer_, now);
        if (status >= 200 && status < 300) {
            ++r.ok;
            r.acknowledged.push_back(s.n);
            size_t second = size_t(std::chrono::duration<double>(now - start_).count());
            if (r.ok_per_second.size() <= second) r.ok_per_second.resize(second + 1);
            ++r.ok_per_second[second];
        } else {
            ++r.refused;
            ++r.statuses[status];
        }
    }

    const LoadOptions& o_;
    std::atomic<uint64_t>& next_;
    std::vector<Slot> slots_;
    int ep_ = -1;
    Clock::time_point start_, deadline_, last_answer_;
};

}  // namespace detail

// Keeps o.connections keep-alive connections busy, one request in flight
// on each, from o.threads threads, for o.seconds; then waits up to
// o.timeout_ms for the answers still out.
inline LoadResult run_load(const LoadOptions& o) {
    std::atomic<uint64_t> next{0};
    int threads = std::max(1, std::min(o.threads, o.connections));
    std::vector<std::unique_ptr<detail::LoadWorker>> workers;
    for (int t = 0; t < threads; ++t)
        workers.push_back(std::make_unique<detail::LoadWorker>(
            o, next, o.connections / threads + (t < o.connections % threads ? 1 : 0)));
    Clock::time_point start;
    auto on_ready = [&start]() noexcept { start = Clock::now(); };
    std::barrier ready(threads, on_ready);
    std::atomic<int> connected{0};
    std::vector<std::thread> running;
    for (auto& w : workers)
        running.emplace_back([&, w = w.get()] {
            connected += w->connect_all(Clock::now() + std::chrono::seconds(10));
            ready.arrive_and_wait();
            w->run(start, start + std::chrono::milliseconds(int64_t(o.seconds * 1000)));
        });
    for (auto& t : running) t.join();
    LoadResult all;
    all.connected = connected;
    for (auto& w : workers) {
        LoadResult& r = w->r;
        all.ok += r.ok;
        all.refused += r.refused;
        all.errors += r.errors;
        all.timeouts += r.timeouts;
        all.seconds = std::max(all.seconds, r.seconds);
        all.latency_ms.insert(all.latency_ms.end(), r.latency_ms.begin(), r.latency_ms.end());
        all.acknowledged.insert(all.acknowledged.end(), r.acknowledged.begin(), r.acknowledged.end());
        if (all.ok_per_second.size() < r.ok_per_second.size()) all.ok_per_second.resize(r.ok_per_second.size());
        for (size_t i = 0; i < r.ok_per_second.size(); ++i) all.ok_per_second[i] += r.ok_per_second[i];
        for (const auto& [status, n] : r.statuses) all.statuses[status] += n;
    }
    return all;
}

// "N answered in S s: R/s; latency ms p50 A p99 B max C; ..." for one run.
inline void print_load(const char* what, const LoadResult& r, int connections) {
    std::printf("  %s\n", what);
    std::printf("    %lld answered 2xx in %.2f s: %.0f/s over %d of %d connections\n", (long long)r.ok, r.seconds,
                r.rate(), r.connected, connections);
    std::printf("    latency ms: p50 %.2f  p99 %.2f  max %.2f\n", r.p(0.50), r.p(0.99), r.p(1.0));
    std::printf("    other answers %lld, errors %lld, timeouts %lld", (long long)r.refused, (long long)r.errors,
                (long long)r.timeouts);
    for (const auto& [status, n] : r.statuses) std::printf(" [%d: %lld]", status, (long long)n);
    std::printf("\n");
}

// --- the server process ------------------------------------------------------

// onramp-edge next to the build's tools/ folder, where CMake puts both.
inline std::string edge_binary_beside_tool() {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return (self.parent_path().parent_path() / "onramp-edge").string();
}

inline std::string ServerFlags::binary() const { return edge.empty() ? edge_binary_beside_tool() : edge; }

// A loopback port free now (the server binds it a moment later).
inline int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

struct Serve {
    pid_t pid = -1;
    Endpoint at;
    std::string data_dir;
    double start_ms = 0;  // from fork to the first 200 of GET /healthz
};

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Starts `binary serve --listen 127.0.0.1:PORT --data DIR ARGS...` (its
// access log to DIR/serve.stdout, messages to DIR/serve.stderr) and polls
// GET /healthz every millisecond until it answers 200.
inline std::optional<Serve> start_serve(const std::string& binary, const std::string& data_dir,
                                        const std::vector<std::string>& args) {
    Serve s;
    s.data_dir = data_dir;
    s.at.port = free_port();
    std::filesystem::create_directories(data_dir);
    std::vector<std::string> argv_s = {binary, "serve", "--listen", "127.0.0.1:" + std::to_string(s.at.port),
                                       "--data", data_dir};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::string out = data_dir + "/serve.stdout", err = data_dir + "/serve.stderr";
    // Everything the child needs is made before fork: the bench has threads,
    // and a child of a threaded process may only make async-signal-safe calls.
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    auto t0 = Clock::now();
    s.pid = fork();
    if (s.pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives the bench
        int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, 1);
        dup2(e, 2);
        execv(argv[0], argv.data());
        _exit(127);
    }
    while (ms_between(t0, Clock::now()) < 30000) {
        int status = 0;
        if (waitpid(s.pid, &status, WNOHANG) == s.pid) {
            std::fprintf(stderr, "bench: %s serve exited at start:\n%s", binary.c_str(), read_text(err).c_str());
            return std::nullopt;
        }
        if (exchange(s.at, get_request(s.at, "/healthz"), 1000).status == 200) {
            s.start_ms = ms_between(t0, Clock::now());
            return s;
        }
        sleep_ms(1);
    }
    std::fprintf(stderr, "bench: serve did not answer /healthz within 30 s:\n%s", read_text(err).c_str());
    kill(s.pid, SIGKILL);
    waitpid(s.pid, nullptr, 0);
    return std::nullopt;
}

// SIGTERM (a graceful stop), then SIGKILL after 15 s.
inline void stop_serve(Serve& s) {
    if (s.pid <= 0) return;
    kill(s.pid, SIGTERM);
    auto t0 = Clock::now();
    while (waitpid(s.pid, nullptr, WNOHANG) != s.pid) {
        if (ms_between(t0, Clock::now()) > 15000) {
            kill(s.pid, SIGKILL);
            waitpid(s.pid, nullptr, 0);
            break;
        }
        sleep_ms(20);
    }
    s.pid = -1;
}

struct Memory {
    long rss_kib = -1;   // VmRSS: resident now
    long peak_kib = -1;  // VmHWM: the most resident since start (or the last reset_peak)
};

inline Memory memory_of(pid_t pid) {
    Memory m;
    if (pid <= 0) return m;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) m.rss_kib = std::atol(line.c_str() + 6);
        if (line.rfind("VmHWM:", 0) == 0) m.peak_kib = std::atol(line.c_str() + 6);
    }
    return m;
}

// Resets VmHWM to the current RSS (proc(5), /proc/pid/clear_refs "5"), so
// that the next reading is the peak of what came after.
inline bool reset_peak(pid_t pid) {
    std::ofstream out("/proc/" + std::to_string(pid) + "/clear_refs");
    out << "5";
    return bool(out.flush());
}

inline double mib(long kib) { return double(kib) / 1024.0; }

// Processor time (user + system, microseconds) each thread name of a
// process has used so far: /proc/PID/task/*/stat (proc(5): the name is in
// parentheses, utime and stime are fields 14 and 15). The edge names its
// threads (inbox-commit, webhook-work, ...); the event loop and the
// request workers keep the process's name. Used per phase, it says where
// the server's time went, as a cost per request that depends less on what
// else the machine runs than a rate does.
inline std::map<std::string, double> thread_cpu_us(pid_t pid) {
    std::map<std::string, double> out;
    std::error_code ec;
    const double us_per_tick = 1e6 / double(sysconf(_SC_CLK_TCK));
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::ifstream in(task.path() / "stat");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        size_t open = text.find('('), close = text.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;
        std::istringstream rest(text.substr(close + 2));
        std::string field;
        double utime = 0, stime = 0;
        for (int i = 3; i <= 15 && rest >> field; ++i) {
            if (i == 14) utime = std::atof(field.c_str());
            if (i == 15) stime = std::atof(field.c_str());
        }
        out[text.substr(open + 1, close - open - 1)] += (utime + stime) * us_per_tick;
    }
    return out;
}

// "N µs a request: name a, name b, ..." from two readings of thread_cpu_us
// around `requests` requests, the largest first.
inline void print_cpu_per_request(const std::map<std::string, double>& before,
                                  const std::map<std::string, double>& after, int64_t requests) {
    if (requests <= 0) return;
    std::vector<std::pair<double, std::string>> used;
    double total = 0;
    for (const auto& [name, us] : after) {
        auto it = before.find(name);
        double d = us - (it == before.end() ? 0 : it->second);
        total += d;
        if (d > 0) used.emplace_back(d / double(requests), name);
    }
    std::sort(used.rbegin(), used.rend());
    std::printf("    server processor time: %.1f us a request (", total / double(requests));
    for (size_t i = 0; i < used.size(); ++i) std::printf("%s%s %.1f", i ? ", " : "", used[i].second.c_str(), used[i].first);
    std::printf(")\n");
}

// --- setting up through the API ----------------------------------------------

// The operator `serve --demo` seeds (README, "Try it"; edge/demo.cpp).
inline constexpr const char* kDemoEmail = "demo@onramp.local";
inline constexpr const char* kDemoPassword = "onramp-demo";

// The Shopify app client secret the benchmarks sign with; set on the
// connection through the API before any delivery.
inline constexpr const char* kWebhookSecret = "shpss_bench_app_client_secret";

struct Api {
    Endpoint at;
    std::string token;

    http::FetchResult call(const std::string& method, const std::string& path, const json& body = nullptr) const {
        http::FetchRequest req;
        req.method = method;
        req.url = at.url() + path;
        if (!body.is_null()) {
            req.body = body.dump();
            req.content_type = "application/json";
        }
        if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
        return http::fetch(req);
    }
    // The answer's JSON when its status is `want`; otherwise says why on stderr.
    std::optional<json> expect(int want, const std::string& method, const std::string& path,
                               const json& body = nullptr) const {
        auto r = call(method, path, body);
        if (r.ok() && r.response.status == want) {
            if (r.response.body.empty()) return json::object();
            return json::parse(r.response.body, nullptr, false);
        }
        std::fprintf(stderr, "bench: %s %s: %s\n", method.c_str(), path.c_str(),
                     r.ok() ? (std::to_string(r.response.status) + " " + r.response.body).c_str()
                            : r.failure.message.c_str());
        return std::nullopt;
    }
};

inline std::optional<std::string> sign_in_demo(const Endpoint& at) {
    Api api{at, ""};
    auto j = api.expect(200, "POST", "/api/v1/auth/login", {{"email", kDemoEmail}, {"password", kDemoPassword}});
    if (!j || !j->contains("access_token")) return std::nullopt;
    return (*j)["access_token"].get<std::string>();
}

struct ShopifyTarget {
    std::string org_id, connection_id;
    std::string base() const { return "/api/v1/orgs/" + org_id + "/connections/" + connection_id; }
};

// The organization (`org`, else the caller's first), a Shopify connection
// in it (`connection`, else the first there is, else one made from the
// demo mode's credentials), and kWebhookSecret as its webhook secret.
inline std::optional<ShopifyTarget> prepare_shopify(const Api& api, std::string org, std::string connection) {
    ShopifyTarget t;
    if (org.empty()) {
        auto me = api.expect(200, "GET", "/api/v1/auth/me");
        if (!me) return std::nullopt;
        if ((*me)["orgs"].empty()) {
            std::fprintf(stderr, "bench: the signed-in user is in no organization; pass --org\n");
            return std::nullopt;
        }
        org = (*me)["orgs"][0]["id"].get<std::string>();
    }
    t.org_id = org;
    if (connection.empty()) {
        auto list = api.expect(200, "GET", "/api/v1/orgs/" + org + "/connections");
        if (!list) return std::nullopt;
        for (const json& c : (*list)["items"])
            if (c.value("platform", "") == "shopify" && connection.empty()) connection = c["id"].get<std::string>();
    }
    if (connection.empty()) {
        auto creds = api.expect(200, "GET", "/api/v1/demo/credentials");
        if (!creds) return std::nullopt;
        auto made = api.expect(201, "POST", "/api/v1/orgs/" + org + "/connections",
                               {{"platform", "shopify"}, {"name", "Bench shop"}, {"credentials", (*creds)["shopify"]}});
        if (!made) return std::nullopt;
        connection = (*made)["id"].get<std::string>();
    }
    t.connection_id = connection;
    if (!api.expect(200, "PUT", t.base() + "/webhooks/secret", {{"secret", kWebhookSecret}})) return std::nullopt;
    return t;
}

struct Session {
    Api api;
    ShopifyTarget shop;
};

// Signed in (with flags.token, else as the demo operator) and a Shopify
// connection ready for signed deliveries (see prepare_shopify).
inline std::optional<Session> open_session(const Endpoint& at, const ServerFlags& flags) {
    Session s{{at, flags.token}, {}};
    if (s.api.token.empty()) {
        auto token = sign_in_demo(at);
        if (!token) return std::nullopt;
        s.api.token = *token;
    }
    auto shop = prepare_shopify(s.api, flags.org, flags.connection);
    if (!shop) return std::nullopt;
    s.shop = *shop;
    return s;
}

// A Shopify-signed products/update delivery, unique by (run, n) in both its
// webhook id and its body.
inline std::string delivery_request(const Endpoint& at, const std::string& connection_id, const std::string& run,
                                    uint64_t n) {
    std::string body = R"({"id":)" + std::to_string(7000000000ULL + n) + R"(,"title":"Bench product )" + run +
                       R"(","variants":[{"id":1,"inventory_quantity":)" + std::to_string(n % 97) + "}]}";
    std::string r = "POST /webhooks/shopify/" + connection_id + " HTTP/1.1\r\nHost: " + at.host + ":" +
                     std::to_string(at.port) + "\r\n";
    r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    r += "X-Shopify-Hmac-Sha256: " + webhooks::sign_shopify(kWebhookSecret, body) + "\r\n";
    r += "X-Shopify-Topic: products/update\r\nX-Shopify-Shop-Domain: bench.myshopify.com\r\n";
    r += "X-Shopify-API-Version: 2024-04\r\nX-Shopify-Webhook-Id: bench-" + run + "-" + std::to_string(n) +
         "\r\n\r\n";
    return r + body;
}

// The acknowledged deliveries of `run` that are not rows of the inbox,
// read from the database (read-only) while the server runs.
inline std::optional<int64_t> missing_in_database(const std::string& db_path, const std::string& connection_id,
                                                  const std::string& run, const std::vector<uint64_t>& acked) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return std::nullopt;
    }
    sqlite3_busy_timeout(db, 5000);
    std::set<uint64_t> stored;
    {
        store::Stmt st(db, "SELECT delivery_id FROM webhook_deliveries WHERE connection_id = ? AND delivery_id LIKE ?");
        st.bind_all(connection_id, "bench-" + run + "-%");
        const size_t prefix = 7 + run.size();
        while (st.step()) stored.insert(std::strtoull(st.text(0).c_str() + prefix, nullptr, 10));
    }
    sqlite3_close(db);
    int64_t missing = 0;
    for (uint64_t n : acked) missing += !stored.count(n);
    return missing;
}

// Deliveries the connection's inbox stored (verified and not duplicates),
// by the server's own counters (GET .../webhooks), which the inbox bumps in
// the transaction that stores the rows.
inline std::optional<int64_t> stored_by_counters(const Api& api, const ShopifyTarget& t) {
    auto j = api.expect(200, "GET", t.base() + "/webhooks?limit=1");
    if (!j) return std::nullopt;
    const json& c = (*j)["counters"];
    return c.value("verified", int64_t(0)) - c.value("duplicate", int64_t(0));
}

// --- targets -------------------------------------------------------------------

// The project's targets beside what was measured, printed as a table.
struct Targets {
    struct Row {
        std::string target, measured, verdict;
    };
    std::vector<Row> rows;

    static std::string num(double v, const char* unit) {
        char buf[64];
        std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f%s" : "%.2f%s", v, unit);
        return buf;
    }
    void at_least(const std::string& target, double measured, double bound, const char* unit = "") {
        rows.push_back({target, num(measured, unit), measured >= bound ? "PASS" : "FAIL"});
    }
    void at_most(const std::string& target, double measured, double bound, const char* unit = "") {
        rows.push_back({target, num(measured, unit), measured <= bound ? "PASS" : "FAIL"});
    }
    void check(const std::string& target, const std::string& measured, bool pass) {
        rows.push_back({target, measured, pass ? "PASS" : "FAIL"});
    }
    void unknown(const std::string& target, const std::string& why) { rows.push_back({target, why, "n/a"}); }

    void print() const {
        size_t w = 0, m = 0;
        for (const Row& r : rows) {
            w = std::max(w, r.target.size());
            m = std::max(m, r.measured.size());
        }
        std::printf("targets:\n");
        for (const Row& r : rows)
            std::printf("  %-*s  %*s  %s\n", int(w), r.target.c_str(), int(m), r.measured.c_str(), r.verdict.c_str());
    }
};

}  // namespace onramp::bench
