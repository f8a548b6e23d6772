// The HTTP server: cpp-httplib underneath, the Router on top. This file and
// client.cpp are the only places that include <httplib.h>.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "edge/http/router.h"

namespace onramp::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port
    int threads = 8;
    // One JSON line per request; never bodies, queries or credentials.
    std::function<void(const std::string& line)> access_log;
};

class Server {
public:
    Server(const Router& router, ServerOptions options);
    ~Server();
    // Binds the socket; false (with errno set) when the address is taken.
    bool bind();
    int port() const;
    // Serves until stop(); in-flight requests finish before it returns.
    void run();
    void stop();
    bool is_running() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace onramp::http
