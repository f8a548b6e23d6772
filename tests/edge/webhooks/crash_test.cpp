// The inbox's promise with the real binary: a server killed with SIGKILL
// in the middle of a burst of deliveries has every delivery it answered
// 2xx in its database, and after a restart the worker applies each of them
// exactly once.
#include <doctest/doctest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "edge/http/client.h"
#include "edge/store/db.h"
#include "edge/support/edge_process.h"
#include "edge/support/test_app.h"

using nlohmann::json;
using onramp::testing::EdgeProcess;
using onramp::testing::TempDir;

namespace {

std::string login(EdgeProcess& edge) {
    auto r = edge.request("POST", "/api/v1/auth/login",
                          json{{"email", "demo@onramp.local"}, {"password", "onramp-demo"}}.dump());
    REQUIRE_MESSAGE(r.ok(), r.failure.message);
    REQUIRE_MESSAGE(r.response.status == 200, r.response.body);
    return json::parse(r.response.body)["access_token"];
}

std::string demo_org(EdgeProcess& edge, const std::string& token) {
    auto r = edge.request("GET", "/api/v1/auth/me", "", token);
    REQUIRE_MESSAGE(r.response.status == 200, r.response.body);
    json me = json::parse(r.response.body);
    return me["memberships"][0]["org_id"];
}

onramp::http::FetchResult deliver(int port, const std::string& conn, const std::string& secret, int n) {
    onramp::http::FetchRequest req;
    req.method = "POST";
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/webhooks/bigcommerce/" + conn;
    req.content_type = "application/json";
    req.headers.emplace("X-Onramp-Webhook-Secret", secret);
    req.body = json{{"scope", "store/cart/updated"},
                    {"data", {{"type", "cart"}, {"id", n}}},
                    {"hash", "burst-" + std::to_string(n)},
                    {"producer", "stores/onrampdemo"}}
                   .dump();
    req.connect_timeout_ms = 2000;
    req.read_timeout_ms = 5000;
    return onramp::http::fetch(req);
}

// `senders` threads post deliveries to a `serve --demo` started with
// `serve_args` until it is killed with SIGKILL after 150 answers; then
// every acknowledged delivery must be in the inbox and, after a restart,
// applied exactly once.
void kill_during_burst(const std::vector<std::string>& serve_args, int senders_n) {
    TempDir dir;
    std::vector<std::string> args = {"--demo"};
    args.insert(args.end(), serve_args.begin(), serve_args.end());
    std::string conn, secret;
    std::mutex mu;
    std::set<int64_t> acknowledged;
    {
        EdgeProcess edge(dir.path, args);
        std::string token = login(edge);
        std::string org = demo_org(edge, token);
        auto made = edge.request("POST", "/api/v1/orgs/" + org + "/connections",
                                 json{{"platform", "bigcommerce"},
                                      {"name", "Store"},
                                      {"credentials", {{"store_hash", "onrampdemo"},
                                                       {"access_token", "demo_bc_token_5f2a9c3e8d7b6a4f1e0c"}}}}
                                     .dump(),
                                 token);
        REQUIRE_MESSAGE(made.response.status == 201, made.response.body);
        conn = json::parse(made.response.body)["id"];
        auto s = edge.request("PUT", "/api/v1/orgs/" + org + "/connections/" + conn + "/webhooks/secret", "{}", token);
        REQUIRE_MESSAGE(s.response.status == 200, s.response.body);
        secret = json::parse(s.response.body)["secret"];

        // The senders post until the server dies under them.
        std::atomic<int> next{0};
        std::atomic<bool> dead{false};
        std::vector<std::thread> senders;
        for (int i = 0; i < senders_n; ++i)
            senders.emplace_back([&] {
                while (!dead) {
                    int n = next++;
                    if (n >= 5000) return;
                    auto r = deliver(edge.port(), conn, secret, n);
                    if (r.ok() && r.response.status == 200) {
                        std::lock_guard<std::mutex> lock(mu);
                        acknowledged.insert(json::parse(r.response.body)["id"].get<int64_t>());
                    }
                }
            });
        for (int i = 0; i < 400; ++i) {
            {
                std::lock_guard<std::mutex> lock(mu);
                if (acknowledged.size() >= 150) break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        CHECK(edge.stop(SIGKILL) == 128 + SIGKILL);
        dead = true;
        for (auto& t : senders) t.join();
    }
    REQUIRE(acknowledged.size() >= 150);
    // The restarted process finds its port in a fresh stderr, not the dead one's.
    std::filesystem::remove(dir.path + "/edge.stderr");

    {
        EdgeProcess edge(dir.path, {"--demo"});
        std::string token = login(edge);
        std::string org = demo_org(edge, token);
        std::string path = "/api/v1/orgs/" + org + "/connections/" + conn + "/webhooks?state=received&limit=1";
        bool drained = false;
        for (int i = 0; i < 300 && !drained; ++i) {
            auto r = edge.request("GET", path, "", token);
            REQUIRE(r.response.status == 200);
            drained = json::parse(r.response.body)["deliveries"].empty();
            if (!drained) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        CHECK(drained);
        edge.stop(SIGTERM);
    }

    onramp::store::Db db(dir.path + "/onramp.db");
    std::set<int64_t> stored;
    onramp::store::Stmt st(db, "SELECT seq, state, attempts FROM webhook_deliveries WHERE connection_id = ?");
    st.bind(1, conn);
    int not_once = 0;
    while (st.step()) {
        stored.insert(st.i64(0));
        // Unknown topic: kept and marked ignored, applied exactly once.
        if (st.text(1) != "ignored" || st.i64(2) != 1) ++not_once;
    }
    for (int64_t seq : acknowledged) CHECK_MESSAGE(stored.count(seq) == 1, "acknowledged delivery " << seq << " lost");
    CHECK(not_once == 0);
    MESSAGE(acknowledged.size() << " acknowledged before SIGKILL, " << stored.size() << " stored");
}

}  // namespace

TEST_SUITE("webhooks.crash") {

TEST_CASE("deliveries acknowledged before SIGKILL are all in the inbox and each is applied once after restart") {
    kill_during_burst({}, 4);
}

// Deliveries are answered from the inbox's commit, not by a waiting worker
// (edge/webhooks/inbox.h), so a commit holds more deliveries than there are
// workers: each answer must still come only after its own commit.
TEST_CASE("with more deliveries in flight than workers, each acknowledged before SIGKILL survives it") {
    kill_during_burst({"--threads", "1"}, 16);
}

}  // TEST_SUITE
