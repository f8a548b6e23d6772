// Specification of the front door, through the real onramp-edge binary:
// idle, slow and silent connections cannot starve other clients, bodies and
// ranges are bounded before they cost memory, connections are capped per
// address, a trusted proxy's client is the one logged, and every request
// refused early still gets its one access line.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <thread>

#include "edge/http/raw_connection.h"
#include "edge/support/edge_process.h"
#include "edge/support/test_app.h"

using namespace onramp;
using namespace onramp::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Generous bounds: failsafes against a hang, not measures of speed.
constexpr auto kPatience = std::chrono::milliseconds(10000);

// The access line of the request that sent X-Request-Id `id`; null until
// it is written (it is written when the response has gone out).
json access_line(const EdgeProcess& edge, const std::string& id) {
    for (int i = 0; i < 500; ++i) {
        std::string log = edge.stdout_text();
        size_t at = log.find("\"request_id\":\"" + id + "\"");
        if (at != std::string::npos) {
            size_t start = log.rfind('\n', at);
            start = start == std::string::npos ? 0 : start + 1;
            return json::parse(log.substr(start, log.find('\n', at) - start));
        }
        std::this_thread::sleep_for(20ms);
    }
    return nullptr;
}

// Every access line with `status`.
std::vector<json> lines_with_status(const EdgeProcess& edge, int status) {
    std::vector<json> out;
    std::string log = edge.stdout_text();
    for (size_t i = 0; i < log.size();) {
        size_t end = log.find('\n', i);
        if (end == std::string::npos) break;
        json j = json::parse(log.substr(i, end - i), nullptr, false);
        if (j.is_object() && j.value("status", 0) == status) out.push_back(j);
        i = end + 1;
    }
    return out;
}

// The access line of a connection the server closed can reach the log a
// moment after the close is seen: wait for the first one.
std::vector<json> wait_for_status(const EdgeProcess& edge, int status) {
    for (int i = 0; i < 500; ++i) {
        std::vector<json> lines = lines_with_status(edge, status);
        if (!lines.empty()) return lines;
        std::this_thread::sleep_for(20ms);
    }
    return {};
}

std::string request(const std::string& head_lines, const std::string& id) {
    return head_lines + "Host: 127.0.0.1\r\nX-Request-Id: " + id + "\r\n\r\n";
}

}  // namespace

TEST_SUITE("http.front_door") {

TEST_CASE("twenty connections that send half a request and go silent do not hold up another client") {
    TempDir dir;
    EdgeProcess edge(dir.path, {"--threads", "2"});
    std::vector<std::unique_ptr<RawConnection>> silent;
    for (int i = 0; i < 20; ++i) {
        silent.push_back(std::make_unique<RawConnection>(edge.port()));
        REQUIRE(silent.back()->connected());
        REQUIRE(silent.back()->send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    }
    auto res = edge.request("GET", "/healthz");
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    CHECK(res.response.status == 200);
}

TEST_CASE("a header that trickles in past --header-timeout gets the connection closed and a 408 line") {
    TempDir dir;
    EdgeProcess edge(dir.path, {"--header-timeout", "1"});
    RawConnection slow(edge.port());
    REQUIRE(slow.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    bool closed = false;
    for (int i = 0; i < 100 && !closed; ++i) {
        // One header line every 100 ms: the connection is never idle, but
        // the header never ends.
        closed = !slow.send("X-Slow: " + std::to_string(i) + "\r\n") || slow.closed_within(100ms);
    }
    CHECK(closed);
    CHECK(wait_for_status(edge, 408).size() == 1);
    auto res = edge.request("GET", "/healthz");
    CHECK(res.response.status == 200);
}

TEST_CASE("a gzip-encoded body is refused with 415 before any of it is sent") {
    TempDir dir;
    EdgeProcess edge(dir.path);
    RawConnection c(edge.port());
    REQUIRE(c.send(request("POST /api/v1/auth/login HTTP/1.1\r\nContent-Type: application/json\r\n"
                           "Content-Encoding: gzip\r\nContent-Length: 1048576\r\n",
                           "gzip-1")));
    c.receive(kPatience);
    CHECK(c.status() == 415);
    CHECK(c.received().find("application/problem+json") != std::string::npos);
    json line = access_line(edge, "gzip-1");
    REQUIRE(line.is_object());
    CHECK(line["status"] == 415);
    CHECK(line["path"] == "/api/v1/auth/login");
}

TEST_CASE("a chunked body without a length is refused with 413 once it passes the limit, while still coming") {
    TempDir dir;
    EdgeProcess edge(dir.path, {"--max-body", "1000"});
    RawConnection c(edge.port());
    REQUIRE(c.send(request("POST /api/v1/auth/login HTTP/1.1\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\n",
                           "chunked-1")));
    std::string chunk = "200\r\n" + std::string(512, ' ') + "\r\n";
    // Up to 4 MiB, never the terminating chunk: only a server that counts
    // the chunks as they come can answer.
    for (int i = 0; i < 8192 && c.status() == 0; ++i) {
        if (!c.send(chunk)) break;
        c.receive(0ms);
    }
    c.receive(kPatience);
    CHECK(c.status() == 413);
    json line = access_line(edge, "chunked-1");
    REQUIRE(line.is_object());
    CHECK(line["status"] == 413);
}

TEST_CASE("a request for the web client with a thousand ranges is answered whole, one range with 206") {
    TempDir dir;
    TempDir web;
    std::string content(600 * 1024, 'w');  // larger than one write piece
    std::ofstream(web.path + "/onramp.js") << content;
    EdgeProcess edge(dir.path, {"--web-root", web.path});
    std::string ranges = "bytes=0-0";
    for (int i = 1; i < 1000; ++i) ranges += "," + std::to_string(i) + "-" + std::to_string(content.size() - 1);
    http::FetchRequest many;
    many.url = edge.url("/onramp.js");
    many.headers.emplace("Range", ranges);
    auto whole = http::fetch(many);
    REQUIRE_MESSAGE(whole.ok(), whole.failure.message);
    CHECK(whole.response.status == 200);
    CHECK(whole.response.body == content);

    http::FetchRequest one;
    one.url = edge.url("/onramp.js");
    one.headers.emplace("Range", "bytes=10-19");
    auto part = http::fetch(one);
    CHECK(part.response.status == 206);
    CHECK(part.response.body == std::string(10, 'w'));
    CHECK(part.response.header("Content-Range") == "bytes 10-19/" + std::to_string(content.size()));
}

TEST_CASE("X-Forwarded-For names the client in the access log only when the peer is a trusted proxy") {
    TempDir dir;
    std::string forwarded = "X-Forwarded-For: 198.51.100.1, 203.0.113.7\r\nConnection: close\r\n";
    {
        EdgeProcess edge(dir.path);
        RawConnection c(edge.port());
        REQUIRE(c.send(request("GET /healthz HTTP/1.1\r\n" + forwarded, "xff-untrusted")));
        c.receive(kPatience);
        json line = access_line(edge, "xff-untrusted");
        REQUIRE(line.is_object());
        CHECK(line["remote"] == "127.0.0.1");
    }
    {
        EdgeProcess edge(dir.path, {"--trusted-proxy", "127.0.0.1/32", "--trusted-proxy", "10.0.0.0/8"});
        RawConnection c(edge.port());
        REQUIRE(c.send(request("GET /healthz HTTP/1.1\r\n" + forwarded, "xff-trusted")));
        c.receive(kPatience);
        CHECK(c.status() == 200);
        json line = access_line(edge, "xff-trusted");
        REQUIRE(line.is_object());
        CHECK(line["remote"] == "203.0.113.7");
    }
}

TEST_CASE("connections over --max-connections-per-address are refused; a freed slot is usable again") {
    TempDir dir;
    EdgeProcess edge(dir.path, {"--max-connections-per-address", "3"});
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<RawConnection>(edge.port()));
        // A request answered proves the server counts the connection.
        REQUIRE(held.back()->send(request("GET /healthz HTTP/1.1\r\n", "held-" + std::to_string(i))));
        held.back()->receive(kPatience, "}");
        REQUIRE(held.back()->status() == 200);
    }
    RawConnection extra(edge.port());
    extra.send(request("GET /healthz HTTP/1.1\r\n", "extra"));
    CHECK(extra.closed_within(kPatience));
    CHECK(extra.status() != 200);
    CHECK(extra.received().find("\"status\":200") == std::string::npos);
    CHECK(wait_for_status(edge, 503).size() == 1);

    held.pop_back();
    bool served = false;
    for (int i = 0; i < 100 && !served; ++i) {
        auto res = edge.request("GET", "/healthz");
        served = res.ok() && res.response.status == 200;
        if (!served) std::this_thread::sleep_for(50ms);
    }
    CHECK(served);
}

TEST_CASE("bytes in the target that are not UTF-8 once decoded are a 400 problem with an access line") {
    TempDir dir;
    EdgeProcess edge(dir.path);
    RawConnection c(edge.port());
    REQUIRE(c.send(request("GET /%ff HTTP/1.1\r\n", "bad-target")));
    c.receive(kPatience, "}");
    CHECK(c.status() == 400);
    CHECK(c.received().find("\"error_code\":\"bad_target\"") != std::string::npos);
    json line = access_line(edge, "bad-target");
    REQUIRE(line.is_object());
    CHECK(line["status"] == 400);
    CHECK(line["path"] == "/%ff");

    // The connection stays usable: a refused request without a body does
    // not cost the client its keep-alive connection.
    REQUIRE(c.send(request("GET /healthz HTTP/1.1\r\n", "after-bad")));
    json after = access_line(edge, "after-bad");
    REQUIRE(after.is_object());
    CHECK(after["status"] == 200);
}

}  // TEST_SUITE
