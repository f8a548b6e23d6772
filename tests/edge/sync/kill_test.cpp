// A sync survives SIGKILL: the real binary syncs a large catalogue from a
// mock BigCommerce whose rate limit makes the run take several seconds,
// is killed with SIGKILL mid-way, restarted on the same data directory,
// and finishes the same run with exactly the data set's counts: nothing
// lost, nothing twice.
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "edge/mock/internal.h"
#include "edge/mock/server.h"
#include "edge/support/edge_process.h"
#include "edge/support/test_app.h"

using nlohmann::json;
using onramp::testing::EdgeProcess;

namespace {

json body_of(const onramp::http::FetchResult& r) {
    REQUIRE_MESSAGE(r.ok(), r.failure.message);
    return json::parse(r.response.body, nullptr, false);
}

std::string demo_token(EdgeProcess& edge) {
    auto r = edge.request("POST", "/api/v1/auth/login",
                          json{{"email", "demo@onramp.local"}, {"password", "onramp-demo"}}.dump());
    REQUIRE_MESSAGE(r.response.status == 200, r.response.body);
    return body_of(r)["access_token"];
}

// Polls the connection's sync until `done` says so; fails after a minute.
json wait_for(EdgeProcess& edge, const std::string& path, const std::string& token,
              const std::function<bool(const json&)>& done) {
    for (int i = 0; i < 1200; ++i) {
        json cur = body_of(edge.request("GET", path, "", token))["current"];
        if (done(cur)) return cur;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("the sync did not get there in a minute");
    return nullptr;
}

}  // namespace

TEST_SUITE("sync.kill") {

TEST_CASE("a sync killed with SIGKILL mid-way resumes after a restart to the exact final counts") {
    onramp::mock::Options o;
    o.products = 5000;  // 20 product pages and 10 order pages
    o.seed = 11;
    o.knobs["bigcommerce-quota"] = "4/1000";  // four requests a second: the run takes about 8 s
    onramp::mock::MockPlatforms mock(o);
    REQUIRE(mock.start());
    onramp::testing::TempDir dir;
    std::vector<std::string> flags = {"--demo", "--base-url", "bigcommerce=" + mock.url() + "/bigcommerce"};

    std::string sync_path;
    std::string run_id;
    {
        EdgeProcess edge(dir.path, flags);
        std::string token = demo_token(edge);
        std::string org = body_of(edge.request("GET", "/api/v1/orgs", "", token))["items"][0]["id"];
        auto created = edge.request("POST", "/api/v1/orgs/" + org + "/connections",
                                    json{{"platform", "bigcommerce"},
                                         {"name", "Big store"},
                                         {"credentials", onramp::mock::demo_credentials()["bigcommerce"]},
                                         {"perform_initial_sync", true}}
                                        .dump(),
                                    token);
        REQUIRE_MESSAGE(created.response.status == 201, created.response.body);
        std::string id = body_of(created)["id"];
        sync_path = "/api/v1/orgs/" + org + "/connections/" + id + "/sync";
        json cur = wait_for(edge, sync_path, token, [](const json& c) { return !c.is_null() && c["pages"] >= 3; });
        REQUIRE(cur["state"] == "running");
        run_id = cur["id"];
        CHECK(edge.stop(SIGKILL) == 128 + SIGKILL);
    }

    // The first process's log names its port; the new one must not be
    // mistaken for it before it has written its own.
    std::filesystem::remove(dir.path + "/edge.stderr");
    EdgeProcess edge(dir.path, flags);
    std::string token = demo_token(edge);
    json cur = wait_for(edge, sync_path, token, [](const json& c) { return c["state"] == "succeeded" || c["state"] == "failed"; });
    CHECK_MESSAGE(cur["state"] == "succeeded", cur.dump());
    CHECK(cur["id"] == run_id);  // the same run, continued
    int64_t products = mock.state().data.count(onramp::demo::Kind::product);
    int64_t orders = mock.state().data.count(onramp::demo::Kind::order);
    // Each item created exactly once across the two processes.
    CHECK(cur["created"] == products + orders);
    CHECK(cur["updated"] == 0);

    std::string org = sync_path.substr(std::string("/api/v1/orgs/").size());
    org = org.substr(0, org.find('/'));
    json listed = body_of(edge.request("GET", "/api/v1/orgs/" + org + "/products?per_page=1", "", token));
    CHECK(listed["total"] == products);
    json order_rows = body_of(edge.request("GET", "/api/v1/orgs/" + org + "/records?resource=orders&per_page=1", "", token));
    CHECK(order_rows["total"] == orders);

    // The events stream over real HTTP, authenticated by query as a
    // browser's EventSource would: the finished run, then "done".
    auto events = edge.request("GET", sync_path + "/events?access_token=" + token);
    REQUIRE(events.ok());
    CHECK(events.response.status == 200);
    CHECK(events.response.header("Content-Type").rfind("text/event-stream", 0) == 0);
    CHECK(events.response.body.find("event: done\ndata: ") != std::string::npos);
    edge.stop(SIGTERM);
    mock.stop();
}

}  // TEST_SUITE
