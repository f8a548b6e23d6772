// Specification of /readyz (readiness: database, vault key, workers),
// /metrics (who may read it, what it counts) and the server's log lines on
// stderr (timestamp, level, --log-level), the last two through the real
// binary where the access log and stderr are the ones a deployment sees.
#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "edge/support/edge_process.h"
#include "edge/support/test_app.h"
#include "edge/sync/engine.h"
#include "edge/webhooks/worker.h"

using nlohmann::json;
using onramp::testing::EdgeProcess;
using onramp::testing::Reply;
using onramp::testing::TempDir;
using onramp::testing::TestApp;

namespace {

// Workers attached to a TestApp without running their threads: the test
// sets their heartbeats.
struct Workers {
    onramp::sync::Engine engine;
    onramp::webhooks::Worker webhooks;
    TestApp& t;

    explicit Workers(TestApp& t) : engine(t.app), webhooks(t.app), t(t) {
        t.app.sync = &engine;
        t.app.webhooks = &webhooks;
        engine.heartbeat = t.clock;
        webhooks.heartbeat = t.clock;
    }
    ~Workers() {
        t.app.sync = nullptr;
        t.app.webhooks = nullptr;
    }
};

// Polls until done() or about ten seconds: for a worker's own thread.
template <class F>
bool eventually(F done) {
    for (int i = 0; i < 200; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

// Series name with labels -> value, from the Prometheus text.
std::map<std::string, int64_t> parse_metrics(const std::string& text) {
    std::map<std::string, int64_t> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        size_t space = line.rfind(' ');
        REQUIRE_MESSAGE(space != std::string::npos, line);
        out[line.substr(0, space)] = std::stoll(line.substr(space + 1));
    }
    return out;
}

}  // namespace

TEST_SUITE("api.health") {

TEST_CASE("/readyz is 200 and names each check when the database, the vault key and the workers are well") {
    TestApp t;
    Workers w(t);
    Reply r = t.get("/readyz");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json checks = r.json()["checks"];
    CHECK(r.json()["status"] == "ready");
    for (const char* name : {"database", "vault", "sync_engine", "webhook_worker"}) {
        INFO(name);
        CHECK(checks[name]["ok"] == true);
    }
}

TEST_CASE("/readyz is 503 naming the database when a query on a pooled connection fails") {
    TestApp t;
    Workers w(t);
    // Every pooled connection refuses every statement, as a connection
    // whose file became unreadable would: hold several leases at once so
    // the pool has no other connection to hand out, then give them back.
    auto deny = [](void*, int, const char*, const char*, const char*, const char*) { return SQLITE_DENY; };
    auto set_authorizer = [&](bool refuse) {
        std::vector<onramp::store::Lease> leases;
        for (int i = 0; i < 8; ++i) leases.push_back(t.app.store->lease());
        for (auto& db : leases) sqlite3_set_authorizer(db->raw(), refuse ? +deny : nullptr, nullptr);
    };
    set_authorizer(true);
    Reply r = t.get("/readyz");
    set_authorizer(false);

    REQUIRE_MESSAGE(r.status == 503, r.body);
    CHECK(r.content_type == "application/problem+json");
    json body = r.json();
    CHECK(body["error_code"] == "not_ready");
    CHECK(body["checks"]["database"]["ok"] == false);
    CHECK(body["detail"].get<std::string>().find("database") != std::string::npos);
    CHECK(body["checks"]["webhook_worker"]["ok"] == true);
    // Once the connections answer again, so does readiness.
    CHECK(t.get("/readyz").status == 200);
}

TEST_CASE("/readyz is 503 naming the vault when the database's key check value is not the loaded key's") {
    TestApp t;
    Workers w(t);
    {
        auto db = t.app.store->lease();
        db->write("UPDATE vault_keys SET kcv = ? WHERE key_id = ?", std::string(32, 'x'), t.app.vault->key_id());
    }
    Reply r = t.get("/readyz");
    REQUIRE_MESSAGE(r.status == 503, r.body);
    json body = r.json();
    CHECK(body["checks"]["vault"]["ok"] == false);
    CHECK(body["checks"]["database"]["ok"] == true);
    CHECK(body["detail"].get<std::string>().find("vault") != std::string::npos);
}

TEST_CASE("/readyz is 503 naming a worker whose loop has not gone round for minutes") {
    TestApp t;
    Workers w(t);
    t.clock += 3600;
    w.engine.heartbeat = t.clock;  // the engine kept going; the webhook worker did not
    Reply r = t.get("/readyz");
    REQUIRE_MESSAGE(r.status == 503, r.body);
    json body = r.json();
    CHECK(body["checks"]["webhook_worker"]["ok"] == false);
    CHECK(body["checks"]["sync_engine"]["ok"] == true);
    std::string detail = body["detail"];
    CHECK(detail.find("webhook_worker") != std::string::npos);
    CHECK(detail.find("sync_engine") == std::string::npos);

    w.webhooks.heartbeat = 0;  // never ran
    CHECK(t.get("/readyz").json()["checks"]["webhook_worker"]["detail"] == "its loop has not run");
}

TEST_CASE("the sync engine's and the webhook worker's loops stamp their heartbeat as they go round") {
    TestApp t;
    onramp::sync::Engine engine(t.app);
    onramp::webhooks::WorkerOptions options;
    options.poll_ms = 20;
    onramp::webhooks::Worker worker(t.app, options);
    CHECK(engine.heartbeat == 0);
    CHECK(worker.heartbeat == 0);
    engine.start();
    worker.start();
    CHECK(eventually([&] { return engine.heartbeat == t.clock && worker.heartbeat == t.clock; }));
    worker.stop();
    engine.stop();
}

TEST_CASE("/metrics refuses anonymous callers (401) and members (403), and serves operators and the scrape token") {
    TestApp t;
    t.app.metrics.scrape_token = "scrape-0123456789abcdef";
    t.make_user("op@onramp.test", "pw-123456", true);
    std::string op = t.login("op@onramp.test", "pw-123456");
    std::string org = t.make_org("Acme");
    t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
    std::string ann = t.login("ann@acme.test", "pw-123456");

    CHECK(t.get("/metrics").status == 401);
    CHECK(t.get("/metrics", "scrape-0123456789abcdeX").status == 401);
    Reply member = t.get("/metrics", ann);
    CHECK(member.status == 403);
    CHECK(member.content_type == "application/problem+json");

    for (const std::string& token : {op, std::string("scrape-0123456789abcdef")}) {
        Reply r = t.get("/metrics", token);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        CHECK(r.content_type.rfind("text/plain; version=0.0.4", 0) == 0);
        CHECK(r.body.find("# TYPE onramp_http_requests_total counter") != std::string::npos);
        CHECK(parse_metrics(r.body).count("onramp_uptime_seconds") == 1);
    }
}

TEST_CASE("without a scrape token configured, no bearer value opens /metrics") {
    TestApp t;
    CHECK(t.get("/metrics", "").status == 401);
    CHECK(t.call("GET", "/metrics", "", "", {{"Authorization", "Bearer "}}).status == 401);
}

TEST_CASE("/metrics reads queue depths and sync outcomes from the database at each scrape") {
    TestApp t;
    t.app.metrics.scrape_token = "scrape-0123456789abcdef";
    std::string org = t.make_org("Acme");
    {
        auto db = t.app.store->lease();
        db->write("INSERT INTO connections (id, org_id, platform, name, status, created_at, updated_at)"
                  " VALUES ('conn_1', ?, 'shopify', 'Shop', 'active', 0, 0)",
                  org);
        for (const char* state : {"succeeded", "succeeded", "failed", "queued"})
            db->write("INSERT INTO sync_runs (id, org_id, connection_id, kind, state, resources, created, updated,"
                      " queued_at) VALUES (lower(hex(randomblob(8))), ?, 'conn_1', 'manual', ?, 'products', 3, 2, 0)",
                      org, std::string(state));
        db->write("INSERT INTO webhook_counters (connection_id, name, n) VALUES ('conn_1', 'received', 7),"
                  " ('', 'rejected', 2)");
    }
    auto m = parse_metrics(t.get("/metrics", "scrape-0123456789abcdef").body);
    CHECK(m["onramp_sync_runs_total{outcome=\"succeeded\"}"] == 2);
    CHECK(m["onramp_sync_runs_total{outcome=\"failed\"}"] == 1);
    CHECK(m["onramp_sync_items_total"] == 20);
    CHECK(m["onramp_queue_depth{queue=\"sync_runs\"}"] == 1);
    CHECK(m["onramp_queue_depth{queue=\"documents\"}"] == 0);
    CHECK(m["onramp_webhook_deliveries_total{outcome=\"received\"}"] == 7);
    CHECK(m["onramp_webhook_deliveries_total{outcome=\"rejected\"}"] == 2);
    CHECK(m["process_resident_memory_bytes"] > 0);
}

TEST_CASE("the served /metrics counts requests by route pattern and status, and a webhook delivery") {
    TempDir dir;
    std::string token_file = dir.path + "/metrics.token";
    std::ofstream(token_file) << "scrape-0123456789abcdef\n";
    EdgeProcess edge(dir.path, {"--demo", "--metrics-token-file", token_file});

    for (int i = 0; i < 3; ++i) CHECK(edge.request("GET", "/healthz").response.status == 200);
    CHECK(edge.request("GET", "/api/v1/orgs/org_one/members").response.status == 401);
    CHECK(edge.request("GET", "/api/v1/orgs/org_two/members").response.status == 401);
    auto login = edge.request("POST", "/api/v1/auth/login",
                              json{{"email", "demo@onramp.local"}, {"password", "onramp-demo"}}.dump());
    REQUIRE_MESSAGE(login.response.status == 200, login.response.body);
    std::string token = json::parse(login.response.body)["access_token"];
    json me = json::parse(edge.request("GET", "/api/v1/auth/me", "", token).response.body);
    std::string org = me["memberships"][0]["org_id"];
    auto made = edge.request("POST", "/api/v1/orgs/" + org + "/connections",
                             json{{"platform", "bigcommerce"},
                                  {"name", "Store"},
                                  {"credentials", {{"store_hash", "onrampdemo"},
                                                   {"access_token", "demo_bc_token_5f2a9c3e8d7b6a4f1e0c"}}}}
                                 .dump(),
                             token);
    REQUIRE_MESSAGE(made.response.status == 201, made.response.body);
    std::string conn = json::parse(made.response.body)["id"];
    auto s = edge.request("PUT", "/api/v1/orgs/" + org + "/connections/" + conn + "/webhooks/secret", "{}", token);
    REQUIRE_MESSAGE(s.response.status == 200, s.response.body);
    onramp::http::FetchRequest hook;
    hook.method = "POST";
    hook.url = edge.url("/webhooks/bigcommerce/" + conn);
    hook.content_type = "application/json";
    hook.headers.emplace("X-Onramp-Webhook-Secret", json::parse(s.response.body)["secret"].get<std::string>());
    hook.body = json{{"scope", "store/cart/updated"}, {"data", {{"type", "cart"}, {"id", 1}}}, {"hash", "one"}}.dump();
    auto delivered = onramp::http::fetch(hook);
    REQUIRE_MESSAGE(delivered.response.status == 200, delivered.response.body);

    auto scraped = edge.request("GET", "/metrics", "", "scrape-0123456789abcdef");
    REQUIRE_MESSAGE(scraped.response.status == 200, scraped.response.body);
    auto m = parse_metrics(scraped.response.body);
    CHECK(m["onramp_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"] == 3);
    CHECK(m["onramp_http_requests_total{method=\"GET\",route=\"/api/v1/orgs/{org_id}/members\",status=\"401\"}"] == 2);
    CHECK(m["onramp_http_requests_total{method=\"POST\",route=\"/webhooks/{platform}/{connection_id}\","
            "status=\"200\"}"] == 1);
    CHECK(m["onramp_webhook_deliveries_total{outcome=\"received\"}"] == 1);
    // The raw paths, with their ids, are never labels.
    CHECK(scraped.response.body.find("org_one") == std::string::npos);
    CHECK(scraped.response.body.find(conn) == std::string::npos);
    // The worker applies the delivery on its own thread.
    CHECK(eventually([&] {
        auto again = parse_metrics(edge.request("GET", "/metrics", "", "scrape-0123456789abcdef").response.body);
        return again["onramp_webhook_deliveries_handled_total{outcome=\"ignored\"}"] +
                   again["onramp_webhook_deliveries_handled_total{outcome=\"processed\"}"] ==
               1;
    }));
    edge.stop(SIGTERM);
}

TEST_CASE("every server line on stderr has an RFC 3339 timestamp and a level; --log-level warn drops info lines") {
    const std::regex ts(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    auto lines_of = [](const std::string& text) {
        std::vector<json> out;
        std::istringstream in(text);
        std::string line;
        while (std::getline(in, line)) {
            json j = json::parse(line, nullptr, false);
            INFO(line);
            CHECK(j.is_object());
            if (j.is_object()) out.push_back(j);
        }
        return out;
    };
    auto has_message = [](const std::vector<json>& lines, const std::string& part) {
        for (const json& j : lines)
            if (j.value("msg", "").find(part) != std::string::npos) return true;
        return false;
    };

    TempDir info_dir, warn_dir;
    std::vector<json> info, warn;
    // Each stops once it serves requests: the demo line is written by then.
    {
        EdgeProcess edge(info_dir.path, {"--demo"});
        CHECK(edge.request("GET", "/healthz").response.status == 200);
        edge.stop(SIGTERM);
        info = lines_of(edge.stderr_text());
    }
    {
        EdgeProcess edge(warn_dir.path, {"--demo", "--log-level", "warn"});
        CHECK(edge.request("GET", "/healthz").response.status == 200);
        edge.stop(SIGTERM);
        warn = lines_of(edge.stderr_text());
    }
    for (const auto* lines : {&info, &warn})
        for (const json& j : *lines) {
            INFO(j.dump());
            CHECK(std::regex_match(j.value("ts", ""), ts));
            CHECK(j.contains("level"));
        }
    CHECK(has_message(info, "Demo mode"));
    CHECK_FALSE(has_message(warn, "Demo mode"));
    // Start and stop are written at any level: scripts wait for them.
    CHECK(has_message(warn, "listening on"));
    CHECK(has_message(warn, "stopped"));
}

TEST_CASE("serve refuses an unknown --log-level and a metrics token too short to be secret") {
    TempDir dir;
    auto bad_level = onramp::testing::run_edge({"serve", "--data", dir.path, "--log-level", "loud"});
    CHECK(bad_level.exit_code == 2);
    CHECK(bad_level.out.find("--log-level") != std::string::npos);
    std::string token_file = dir.path + "/short.token";
    std::ofstream(token_file) << "short\n";
    auto short_token = onramp::testing::run_edge({"serve", "--data", dir.path, "--metrics-token-file", token_file});
    CHECK(short_token.exit_code == 2);
    CHECK(short_token.out.find("at least 16") != std::string::npos);
    CHECK(short_token.out.find("short\n") == std::string::npos);
}

}  // TEST_SUITE
