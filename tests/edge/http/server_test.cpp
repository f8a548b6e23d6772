// Specification of the HTTP server in process: streams that have nothing
// yet and deferred answers hold no worker, a stop lets the request in hand finish, uploads are
// parsed before dispatch, a trusted proxy's client reaches handlers, and
// the sync events stream runs through a real socket.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "edge/http/client.h"
#include "edge/http/server.h"
#include "edge/support/served.h"
#include "edge/sync/sync_fixture.h"

using namespace onramp;
using namespace onramp::http;
using nlohmann::json;

namespace {

ServerOptions on_any_port(ServerOptions o) {
    o.port = 0;
    return o;
}

// A server on a free loopback port with the given options.
struct Running {
    Server server;
    std::thread thread;
    Running(const Router& router, ServerOptions o) : server(router, on_any_port(std::move(o))) {
        REQUIRE(server.bind());
        thread = std::thread([this] { server.run(); });
    }
    ~Running() {
        server.stop();
        thread.join();
    }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(server.port()) + path;
    }
};

FetchResult get(const std::string& url, Headers headers = {}) {
    FetchRequest req;
    req.url = url;
    req.headers = std::move(headers);
    return fetch(req);
}

// Waits (bounded) until `done` holds; a failsafe against hanging, not a
// measure of speed.
template <class F>
bool eventually(F done, std::chrono::seconds limit = std::chrono::seconds(20)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

Result<Response> pong(const Call&) { return Response::json({{"pong", true}}); }

}  // namespace

TEST_SUITE("http.server") {

TEST_CASE("streams that have nothing yet are called again later and hold no worker: a request still answers") {
    Router router;
    std::atomic<bool> go{false};
    std::atomic<int> opened{0};
    router.add({"GET", "/wait", Access::Public, Body::None, [&](const Call&) -> Result<Response> {
                    Response r;
                    r.content_type = "text/event-stream";
                    auto calls = std::make_shared<int>(0);
                    r.stream = [&, calls](const ChunkWriter& write) {
                        if (++*calls == 1) ++opened;
                        if (!go) return true;  // nothing yet
                        write("data: after " + std::to_string(*calls) + " calls\n\n");
                        return false;
                    };
                    return r;
                }});
    router.add({"GET", "/ping", Access::Public, Body::None, pong});
    ServerOptions o;
    o.threads = 2;
    Running running(router, o);

    constexpr int kStreams = 20;  // ten times the workers
    std::vector<FetchResult> streams(kStreams);
    std::vector<std::thread> clients;
    for (int i = 0; i < kStreams; ++i)
        clients.emplace_back([&, i] { streams[i] = get(running.url("/wait")); });
    CHECK(eventually([&] { return opened == kStreams; }));

    FetchResult ping = get(running.url("/ping"));
    go = true;
    for (auto& c : clients) c.join();
    REQUIRE_MESSAGE(ping.ok(), ping.failure.message);
    CHECK(ping.response.status == 200);
    for (const FetchResult& s : streams) {
        REQUIRE_MESSAGE(s.ok(), s.failure.message);
        CHECK(s.response.header("Transfer-Encoding") == "chunked");
        CHECK(s.response.body.rfind("data: after ", 0) == 0);
        CHECK(s.response.body.find("after 1 calls") == std::string::npos);
    }
}

TEST_CASE("deferred answers hold no worker: with one worker, ten requests wait together and each gets its own answer") {
    Router router;
    std::mutex mu;
    std::vector<std::pair<int, Finish>> waiting;  // (n, finish) of each request still unanswered
    router.add({"GET", "/later/{n}", Access::Public, Body::None, [&](const Call& c) -> Result<Response> {
                    int n = std::stoi(c.req.param("n"));
                    return deferred(
                        [&, n](Finish finish) {
                            std::lock_guard<std::mutex> lock(mu);
                            waiting.emplace_back(n, std::move(finish));
                        },
                        c.req.request_id);
                }});
    router.add({"GET", "/ping", Access::Public, Body::None, pong});
    ServerOptions o;
    o.threads = 1;
    Running running(router, o);

    constexpr int kRequests = 10;
    std::vector<FetchResult> answers(kRequests);
    std::vector<std::thread> clients;
    for (int i = 0; i < kRequests; ++i)
        clients.emplace_back([&, i] { answers[i] = get(running.url("/later/" + std::to_string(i))); });
    auto pending = [&] {
        std::lock_guard<std::mutex> lock(mu);
        return waiting.size();
    };
    // A handler that blocked would hold the only worker: the second request would never arrive.
    CHECK(eventually([&] { return pending() == size_t(kRequests); }));
    FetchResult ping = get(running.url("/ping"));
    {
        std::lock_guard<std::mutex> lock(mu);
        for (auto& [n, finish] : waiting) {
            if (n == 3)
                finish(conflict("Number three is refused.", "refused"));
            else
                finish(Response::json({{"n", n}}));
        }
    }
    for (auto& c : clients) c.join();
    REQUIRE_MESSAGE(ping.ok(), ping.failure.message);
    CHECK(ping.response.status == 200);
    for (int i = 0; i < kRequests; ++i) {
        REQUIRE_MESSAGE(answers[i].ok(), answers[i].failure.message);
        if (i == 3) {
            CHECK(answers[i].response.status == 409);
            CHECK(json::parse(answers[i].response.body)["error_code"] == "refused");
        } else {
            CHECK(answers[i].response.status == 200);
            CHECK(json::parse(answers[i].response.body)["n"] == i);
        }
    }
}

TEST_CASE("stop() lets the request being handled finish before run() returns") {
    Router router;
    std::mutex mu;
    std::condition_variable cv;
    bool entered = false, release = false;
    router.add({"GET", "/slow", Access::Public, Body::None, [&](const Call&) -> Result<Response> {
                    std::unique_lock<std::mutex> lock(mu);
                    entered = true;
                    cv.notify_all();
                    cv.wait_for(lock, std::chrono::seconds(20), [&] { return release; });
                    return Response::json({{"finished", true}});
                }});
    ServerOptions o;
    o.port = 0;
    Server server(router, o);
    REQUIRE(server.bind());
    std::thread serving([&] { server.run(); });
    FetchResult slow;
    std::thread client([&] { slow = get("http://127.0.0.1:" + std::to_string(server.port()) + "/slow"); });
    {
        std::unique_lock<std::mutex> lock(mu);
        REQUIRE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return entered; }));
    }
    server.stop();
    {
        std::lock_guard<std::mutex> lock(mu);
        release = true;
    }
    cv.notify_all();
    client.join();
    serving.join();
    REQUIRE_MESSAGE(slow.ok(), slow.failure.message);
    CHECK(slow.response.status == 200);
    CHECK(json::parse(slow.response.body)["finished"] == true);
    CHECK(slow.response.header("Connection") == "close");
    CHECK_FALSE(server.is_running());
}

TEST_CASE("an upload reaches the handler as form fields and files; a malformed one is a 400 problem") {
    Router router;
    router.add({"POST", "/upload", Access::Public, Body::Multipart, [](const Call& c) -> Result<Response> {
                    json files = json::object();
                    for (const auto& [name, f] : c.req.files)
                        files[name] = {{"filename", f.filename}, {"type", f.content_type}, {"bytes", f.content.size()}};
                    json form = json::object();
                    for (const auto& [name, v] : c.req.form) form[name] = v;
                    return Response::json({{"form", form}, {"files", files}, {"body", c.req.body}});
                }});
    Running running(router, {});
    FetchRequest req;
    req.method = "POST";
    req.url = running.url("/upload");
    req.content_type = "multipart/form-data; boundary=XyZ";
    req.body = "--XyZ\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nsop\r\n"
               "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
               "Content-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n";
    FetchResult ok = fetch(req);
    REQUIRE_MESSAGE(ok.ok(), ok.failure.message);
    REQUIRE_MESSAGE(ok.response.status == 200, ok.response.body);
    json j = json::parse(ok.response.body);
    CHECK(j["form"]["category"] == "sop");
    CHECK(j["files"]["file"] == json{{"filename", "a.txt"}, {"type", "text/plain"}, {"bytes", 5}});
    CHECK(j["body"] == "");

    req.body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ncut short";
    FetchResult bad = fetch(req);
    REQUIRE(bad.ok());
    CHECK(bad.response.status == 400);
    CHECK(bad.response.header("Content-Type") == "application/problem+json");
    CHECK(json::parse(bad.response.body)["error_code"] == "malformed_multipart");
}

TEST_CASE("behind a trusted proxy, handlers see the forwarded client and scheme; others cannot forge them") {
    Router router;
    router.add({"GET", "/who", Access::Public, Body::None, [](const Call& c) -> Result<Response> {
                    return Response::json({{"remote", c.req.remote_addr}, {"scheme", c.req.scheme}});
                }});
    Headers forwarded{{"X-Forwarded-For", "198.51.100.1, 203.0.113.7"}, {"X-Forwarded-Proto", "https"}};

    Running plain(router, {});
    json untrusted = json::parse(get(plain.url("/who"), forwarded).response.body);
    CHECK(untrusted["remote"] == "127.0.0.1");
    CHECK(untrusted["scheme"] == "http");

    ServerOptions o;
    o.trusted_proxies = TrustedProxies({*parse_cidr("127.0.0.0/8")});
    Running behind(router, o);
    json trusted = json::parse(get(behind.url("/who"), forwarded).response.body);
    CHECK(trusted["remote"] == "203.0.113.7");
    CHECK(trusted["scheme"] == "https");
}

TEST_CASE("the sync events stream runs through the server until the run is done") {
    testing::SyncApp s;
    std::string id = s.connect("bigcommerce");
    testing::Served served(s.t.router);
    FetchRequest req;
    req.url = served.url() + "/api/v1/orgs/" + s.org + "/connections/" + id + "/sync/events";
    req.headers.emplace("Authorization", "Bearer " + s.token);
    std::mutex mu;
    std::string body;
    FetchResult result;
    std::thread client([&] {
        result = fetch(req, [&](const FetchResponse&) -> ChunkWriter {
            return [&](std::string_view piece) {
                std::lock_guard<std::mutex> lock(mu);
                body.append(piece);
                return true;
            };
        });
    });
    CHECK(eventually([&] {
        std::lock_guard<std::mutex> lock(mu);
        return body.find("event: progress") != std::string::npos;
    }));
    s.engine.drain();
    client.join();
    REQUIRE_MESSAGE(result.ok(), result.failure.message);
    CHECK(result.response.header("Content-Type") == "text/event-stream");
    CHECK(body.rfind("retry: 1000", 0) == 0);
    CHECK(body.find("\"state\":\"queued\"") != std::string::npos);
    CHECK(body.find("event: done") != std::string::npos);
}

TEST_CASE("a HEAD gets a GET's headers and no body; an encoded path that is not UTF-8 is a 400 problem") {
    Router router;
    router.add({"GET", "/ping", Access::Public, Body::None, pong});
    Running running(router, {});
    FetchRequest head;
    head.method = "HEAD";
    head.url = running.url("/ping");
    FetchResult h = fetch(head);
    REQUIRE_MESSAGE(h.ok(), h.failure.message);
    CHECK(h.response.status == 200);
    CHECK(h.response.header("Content-Length") == std::to_string(json{{"pong", true}}.dump().size()));
    CHECK(h.response.body.empty());

    FetchResult bad = get(running.url("/%ff"));
    REQUIRE(bad.ok());
    CHECK(bad.response.status == 400);
    CHECK(json::parse(bad.response.body)["error_code"] == "bad_target");
}

}  // TEST_SUITE
