// Specification of the credential proxy's streaming: the caller gets the
// platform's status and headers as soon as they arrive and the body as it
// comes, through a real HTTP server; the body arrives whole, or, over the
// cap or when the platform drops, the connection is cut and logged.
#include <doctest/doctest.h>

#include <condition_variable>
#include <thread>

#include "edge/connectors/wire.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/support/served.h"
#include "edge/sync/sync_fixture.h"

using nlohmann::json;
using onramp::testing::Reply;
using onramp::testing::Served;
using onramp::testing::SyncApp;
namespace http = onramp::http;

namespace {

std::string proxy(const std::string& id, const std::string& rest) { return "/api/v1/proxy/" + id + "/" + rest; }

std::string digest(const std::string& bytes) { return onramp::crypto::hex_encode(onramp::crypto::sha256(bytes)); }

// What a caller received, piece by piece.
struct Received {
    http::FetchResult result;
    std::string body;
    int pieces = 0;
};

// A GET read as it streams; `on_piece` sees the body so far and may stop
// reading by returning false.
Received stream_get(const std::string& url, const std::string& token,
                    const std::function<bool(const Received&)>& on_piece = {}) {
    Received got;
    http::FetchRequest req;
    req.url = url;
    req.headers.emplace("Authorization", "Bearer " + token);
    got.result = http::fetch(req, [&](const http::FetchResponse&) -> http::ChunkWriter {
        return [&](std::string_view piece) {
            got.body.append(piece);
            ++got.pieces;
            return on_piece ? on_piece(got) : true;
        };
    });
    return got;
}

// A platform whose answer streams: a first piece, then nothing until the
// test lets it go on, then the rest. The wait has a long failsafe so a
// broken proxy fails the test instead of hanging it; `gave_up` says the
// failsafe ran out.
struct HeldPlatform {
    http::Router router;
    std::unique_ptr<Served> served;
    std::mutex mu;
    std::condition_variable cv;
    bool released = false, gave_up = false, finished = false, write_failed = false;
    http::Request seen;
    int pieces_after = 20;  // after the first; -1: until a write fails

    static std::string piece(int i) { return std::string(32 << 10, char('a' + i % 26)); }
    // Larger than what the proxy holds back to catch a secret split
    // across pieces (the longest secret's length).
    static std::string first() { return "first piece\n" + std::string(1000, '-') + "\n"; }
    std::string whole() const {
        std::string all = first();
        for (int i = 0; i < pieces_after; ++i) all += piece(i);
        return all;
    }
    void release() {
        std::lock_guard<std::mutex> lock(mu);
        released = true;
        cv.notify_all();
    }

    HeldPlatform() {
        router.add({"GET", "/{*rest}", http::Access::Public, http::Body::None,
                    [this](const http::Call& c) -> onramp::Result<http::Response> {
                        {
                            std::lock_guard<std::mutex> lock(mu);
                            seen = c.req;
                        }
                        http::Response r;
                        r.content_type = "application/x-ndjson";
                        r.set_header("Link", "<https://platform.test/next>; rel=\"next\"");
                        r.set_header("X-Rate-Limit-Requests-Left", "42");
                        r.set_header("Set-Cookie", "platform_session=1");
                        r.set_header("WWW-Authenticate", "Basic realm=\"platform\"");
                        r.set_header("Proxy-Authenticate", "Basic realm=\"proxy\"");
                        r.set_header("X-Internal-Host", "db-7.platform.internal");
                        auto next = std::make_shared<int>(-1);
                        r.stream = [this, next](const http::ChunkWriter& write) {
                            if (*next < 0) {
                                *next = 0;
                                return write(first());
                            }
                            if (*next == 0) {
                                std::unique_lock<std::mutex> lock(mu);
                                if (!cv.wait_for(lock, std::chrono::seconds(30), [this] { return released; }))
                                    gave_up = true;
                            }
                            if (pieces_after >= 0 && *next >= pieces_after) {
                                std::lock_guard<std::mutex> lock(mu);
                                finished = true;
                                return false;
                            }
                            if (!write(piece((*next)++))) {
                                std::lock_guard<std::mutex> lock(mu);
                                write_failed = true;
                                cv.notify_all();
                                return false;
                            }
                            return true;
                        };
                        return r;
                    }});
        served = std::make_unique<Served>(router);
    }
};

// The edge of a SyncApp on a real socket, its log lines kept.
struct LiveEdge {
    SyncApp& s;
    Served served;
    std::shared_ptr<std::mutex> mu = std::make_shared<std::mutex>();
    std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
    explicit LiveEdge(SyncApp& app) : s(app), served(app.t.router) {
        s.t.app.log = [mu = mu, lines = lines](const std::string& line) {
            std::lock_guard<std::mutex> lock(*mu);
            lines->push_back(line);
        };
    }
    std::string url(const std::string& path) const { return served.url() + path; }
    std::vector<std::string> log() const {
        std::lock_guard<std::mutex> lock(*mu);
        return *lines;
    }
};

// The shortest completed Twilio call the proxy lists (every one lasts 20
// seconds or more: 320 kB of audio); its recording's sid.
std::string recording_sid(SyncApp& s, const std::string& id) {
    Reply calls = s.t.get(proxy(id, "Calls.json?PageSize=200"), s.token);
    REQUIRE_MESSAGE(calls.status == 200, calls.body);
    std::string sid;
    int shortest = 0;
    json list = calls.json()["calls"];
    for (const json& c : list) {
        int seconds = std::atoi(c["duration"].get<std::string>().c_str());
        if (c["status"] != "completed" || (shortest > 0 && seconds >= shortest)) continue;
        shortest = seconds;
        sid = "RE" + c["sid"].get<std::string>().substr(2);
    }
    REQUIRE_MESSAGE(shortest >= 20, "no completed call in the mock's data");
    return sid;
}

// The recording straight from the mock Twilio, with the demo credentials.
std::string recording_from_twilio(SyncApp& s, const std::string& sid) {
    json creds = onramp::mock::demo_credentials()["twilio"];
    http::FetchRequest req;
    req.url = s.m.mock.url() + "/twilio/2010-04-01/Accounts/" + creds["account_sid"].get<std::string>() +
              "/Recordings/" + sid + ".wav";
    req.headers.emplace("Authorization", onramp::connectors::wire::basic_auth(creds["account_sid"],
                                                                              creds["auth_token"]));
    http::FetchResult r = http::fetch(req);
    REQUIRE(r.ok());
    REQUIRE(r.response.status == 200);
    return r.response.body;
}

std::string dropped_part() { return "{\"data\": [" + std::string(4000, ' '); }

}  // namespace

TEST_SUITE("proxy.stream") {

TEST_CASE("the caller reads the first bytes while the platform is still holding back the rest") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    HeldPlatform platform;
    s.t.app.config.base_urls["bigcommerce"] = platform.served->url();
    LiveEdge edge(s);

    bool platform_done_at_first_piece = true;
    Received got = stream_get(edge.url(proxy(id, "v3/catalog/products/export")), s.member_token,
                              [&](const Received& so_far) {
                                  if (so_far.pieces == 1) {
                                      std::lock_guard<std::mutex> lock(platform.mu);
                                      platform_done_at_first_piece = platform.finished;
                                  }
                                  platform.release();  // only now may the platform go on
                                  return true;
                              });
    REQUIRE_MESSAGE(got.result.ok(), got.result.failure.message);
    CHECK_FALSE(platform.gave_up);  // the first bytes came through while the platform waited
    CHECK_FALSE(platform_done_at_first_piece);
    CHECK(got.pieces > 1);
    CHECK(digest(got.body) == digest(platform.whole()));

    const http::FetchResponse& res = got.result.response;
    CHECK(res.status == 200);
    CHECK(res.header("Transfer-Encoding") == "chunked");  // the platform gave no length
    CHECK(res.header("Content-Type") == "application/x-ndjson");
    CHECK(res.header("Link") == "<https://platform.test/next>; rel=\"next\"");
    CHECK(res.header("X-Rate-Limit-Requests-Left") == "42");
    CHECK(res.header("Cache-Control") == "no-store");
    for (const char* dropped : {"Set-Cookie", "WWW-Authenticate", "Proxy-Authenticate", "X-Internal-Host"}) {
        CAPTURE(dropped);
        CHECK(res.header(dropped).empty());
    }
    std::lock_guard<std::mutex> lock(platform.mu);
    CHECK(platform.seen.header("X-Auth-Token") == onramp::mock::demo_credentials()["bigcommerce"]["access_token"]);
    CHECK_FALSE(platform.seen.has_header("Authorization"));
    CHECK(edge.log().empty());
}

TEST_CASE("a call recording streams through whole: the very bytes Twilio sends") {
    SyncApp s;
    std::string id = s.connect("twilio", false);
    std::string sid = recording_sid(s, id);
    std::string direct = recording_from_twilio(s, sid);
    LiveEdge edge(s);

    Received got = stream_get(edge.url(proxy(id, "Recordings/" + sid + ".wav")), s.token);
    REQUIRE_MESSAGE(got.result.ok(), got.result.failure.message);
    CHECK(got.result.response.status == 200);
    CHECK(got.result.response.header("Content-Type") == "audio/x-wav");
    CHECK(got.body.size() == direct.size());
    CHECK(got.body.size() > (20 * 16000));
    CHECK(digest(got.body) == digest(direct));
    CHECK(got.pieces > 1);

    // The in-process TestApp reads the same stream to its end.
    Reply r = s.t.get(proxy(id, "Recordings/" + sid), s.token);
    CHECK(r.status == 200);
    CHECK_FALSE(r.cut);
    CHECK(digest(r.body) == digest(direct));
}

TEST_CASE("the platform's Content-Length is passed on instead of chunking") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    LiveEdge edge(s);
    Received got = stream_get(edge.url(proxy(id, "v3/catalog/products?limit=20")), s.token);
    REQUIRE_MESSAGE(got.result.ok(), got.result.failure.message);
    const http::FetchResponse& res = got.result.response;
    CHECK(res.status == 200);
    CHECK(res.header("Transfer-Encoding").empty());
    CHECK(res.header("Content-Length") == std::to_string(got.body.size()));
    CHECK(json::parse(got.body)["data"].size() == 20);
}

TEST_CASE("a HEAD answers the platform's head with its length and no body") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    LiveEdge edge(s);
    Received get = stream_get(edge.url(proxy(id, "v3/catalog/products?limit=7")), s.token);
    REQUIRE(get.result.ok());
    http::FetchRequest req;
    req.method = "HEAD";
    req.url = edge.url(proxy(id, "v3/catalog/products?limit=7"));
    req.headers.emplace("Authorization", "Bearer " + s.token);
    http::FetchResult head = http::fetch(req);
    REQUIRE_MESSAGE(head.ok(), head.failure.message);
    CHECK(head.response.status == 200);
    CHECK(head.response.body.empty());
    CHECK(head.response.header("Content-Length") == std::to_string(get.body.size()));
    CHECK(edge.log().empty());
}

TEST_CASE("an answer that passes the cap mid-stream is cut, logged, and never taken for whole") {
    SyncApp s;
    std::string id = s.connect("twilio", false);
    std::string sid = recording_sid(s, id);
    s.t.app.config.proxy_max_answer = 200 << 10;
    LiveEdge edge(s);

    Received got = stream_get(edge.url(proxy(id, "Recordings/" + sid + ".wav")), s.token);
    CHECK_FALSE(got.result.ok());  // the connection closed before the chunked body's end
    CHECK(got.result.response.status == 200);  // the head had gone out
    CHECK(got.body.size() <= (200 << 10));
    std::vector<std::string> log = edge.log();
    REQUIRE(log.size() == 1);
    json line = json::parse(log[0]);
    CHECK(line["event"] == "proxy.answer_cut");
    CHECK(line["reason"] == "over_cap");
    CHECK(line["connection_id"] == id);
    CHECK(line["max_answer"] == 200 << 10);
    CHECK(log[0].find(onramp::mock::demo_credentials()["twilio"]["auth_token"].get<std::string>()) ==
          std::string::npos);

    Reply r = s.t.get(proxy(id, "Recordings/" + sid), s.token);
    CHECK(r.cut);
    CHECK(r.body.size() <= (200 << 10));
}

TEST_CASE("an answer whose Content-Length is over the cap is a problem before any byte") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    s.t.app.config.proxy_max_answer = 1000;
    Reply r = s.t.get(proxy(id, "v3/catalog/products?limit=50"), s.token);
    CHECK(r.status == 502);
    CHECK(r.content_type == "application/problem+json");
    CHECK(r.json()["error_code"] == "proxy_answer_too_large");
    CHECK_FALSE(r.cut);
}

TEST_CASE("a platform that drops mid-body: the caller's connection is cut and the event logged") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    LiveEdge edge(s);
    // The platform stops after its first piece without ending the body.
    http::Router dropping;
    dropping.add({"GET", "/{*rest}", http::Access::Public, http::Body::None,
                  [](const http::Call&) -> onramp::Result<http::Response> {
                      http::Response r;
                      auto sent = std::make_shared<bool>(false);
                      r.stream = [sent](const http::ChunkWriter& write) {
                          if (*sent) return false;
                          *sent = true;
                          return write(dropped_part());
                      };
                      r.stream_cut = [] { return true; };
                      return r;
                  }});
    Served drops(dropping);
    s.t.app.config.base_urls["bigcommerce"] = drops.url();

    Received got = stream_get(edge.url(proxy(id, "v3/catalog/products")), s.token);
    CHECK_FALSE(got.result.ok());
    // All of it but the tail the proxy held back in case a secret began
    // there: a cut body's tail is dropped, never sent half-masked.
    CHECK(got.body.size() >= dropped_part().size() - 64);
    CHECK(dropped_part().compare(0, got.body.size(), got.body) == 0);
    std::vector<std::string> log = edge.log();
    REQUIRE(log.size() == 1);
    CHECK(json::parse(log[0])["reason"] == "platform_dropped");
}

TEST_CASE("a caller who hangs up stops the transfer from the platform") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    HeldPlatform platform;
    platform.pieces_after = -1;  // endless
    platform.release();
    s.t.app.config.base_urls["bigcommerce"] = platform.served->url();
    LiveEdge edge(s);

    Received got = stream_get(edge.url(proxy(id, "v3/catalog/products/export")), s.token,
                              [](const Received& so_far) { return so_far.body.size() < (1 << 20); });
    CHECK(got.result.failure.kind == http::FetchError::Cancelled);
    std::unique_lock<std::mutex> lock(platform.mu);
    // Failsafe only: the edge stops reading, so the platform's writes fail.
    CHECK(platform.cv.wait_for(lock, std::chrono::seconds(30), [&] { return platform.write_failed; }));
}

}  // TEST_SUITE
