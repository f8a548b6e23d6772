// The HTTP/1.1 server: the Router behind a front door that idle, slow or
// streaming connections cannot exhaust. Connections are served by
// Boost.Beast on Boost.Asio (inside server.cpp only, so the rest of the
// tree never compiles them): a connection costs memory, not a thread,
// while it is idle, sending its request or receiving a stream. Handlers,
// which block on SQLite and platform calls, run on a pool of `threads`
// workers that only ever receive complete requests.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "edge/http/router.h"
#include "edge/http/trusted_proxies.h"

namespace onramp::http {

// What one connection may take before it is refused or closed. Each is a
// `serve` flag (README, "serve flags and environment").
struct ServerLimits {
    // From a connection's first byte to the end of its request's header;
    // past it the connection gets 408 and is closed (a slowloris sends a
    // header byte by byte to hold a connection for ever).
    std::chrono::milliseconds header_timeout{10000};
    // A body must arrive at this average rate (bytes per second) after a
    // grace of header_timeout, else 408 and close.
    size_t body_min_rate = 8192;
    // How long a keep-alive connection may wait for its next request.
    std::chrono::milliseconds idle_timeout{60000};
    // Open connections, in all and from one address (a trusted proxy's
    // connections count only in all). Past either, a new connection is
    // answered 503 without being read and closed.
    int max_connections = 10000;
    int max_connections_per_address = 256;
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port
    int threads = 8;  // workers that run handlers and stream producers
    ServerLimits limits;
    // Peers whose X-Forwarded-For and X-Forwarded-Proto are believed.
    TrustedProxies trusted_proxies;
    // One JSON line per request, also for requests refused before their
    // handler ran; never bodies, queries or credentials.
    std::function<void(const std::string& line)> access_log;
};

class Server {
public:
    Server(const Router& router, ServerOptions options);
    ~Server();
    // Binds and listens; false (with errno set) when the address is taken.
    bool bind();
    int port() const;
    // Serves until stop(); in-flight requests finish before it returns.
    void run();
    // Callable from any thread, also before run(): stops accepting, closes
    // idle connections, lets each request being handled finish (its
    // connection then closes) and ends streams that are waiting for news.
    void stop();
    bool is_running() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace onramp::http
