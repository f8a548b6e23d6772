// A router served on a loopback port by the production HTTP server, for
// tests that need a real socket: streaming, or a platform (the mock) that
// calls the edge back.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "edge/http/router.h"
#include "edge/http/server.h"

namespace onramp::testing {

struct Served {
    std::unique_ptr<http::Server> server;
    std::thread thread;

    explicit Served(const http::Router& router) {
        http::ServerOptions o;
        o.port = 0;
        o.threads = 4;
        server = std::make_unique<http::Server>(router, o);
        REQUIRE(server->bind());
        thread = std::thread([this] { server->run(); });
    }
    ~Served() {
        server->stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
};

}  // namespace onramp::testing
