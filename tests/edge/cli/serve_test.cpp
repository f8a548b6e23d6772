// Specification of the onramp-edge binary: subcommands and usage errors,
// serve's start-up and graceful shutdown, the access log, and that no
// secret is ever written in plaintext to disk or log (backup and restore:
// backup_test.cpp).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <signal.h>

#include "edge/mock/server.h"
#include "shared/connectors/catalog.h"
#include "edge/support/edge_process.h"
#include "edge/support/test_app.h"

using namespace onramp;
using namespace onramp::testing;
using nlohmann::json;

TEST_SUITE("cli") {

TEST_CASE("--help lists the subcommands; each subcommand has --help") {
    CommandResult r = run_edge({"--help"});
    CHECK(r.exit_code == 0);
    for (const char* cmd : {"serve", "create-admin", "backup"}) {
        CHECK_MESSAGE(r.out.find(cmd) != std::string::npos, cmd);
        CHECK(run_edge({cmd, "--help"}).exit_code == 0);
    }
    CHECK(run_edge({"serve", "--help"}).out.find("--listen") != std::string::npos);
}

TEST_CASE("unknown commands and flags are usage errors with exit code 2") {
    CommandResult a = run_edge({"frobnicate"});
    CHECK(a.exit_code == 2);
    CHECK(a.out.find("unknown command") != std::string::npos);
    CommandResult b = run_edge({"serve", "--no-such-flag"});
    CHECK(b.exit_code == 2);
    CHECK(b.out.find("unknown flag --no-such-flag") != std::string::npos);
    CHECK(run_edge({"serve", "--listen"}).exit_code == 2);
    CHECK(run_edge({"serve", "--listen", "nonsense"}).exit_code == 2);
    CHECK(run_edge({"create-admin"}).exit_code == 2);
}

TEST_CASE("the front door's flags are checked: a bad address block or limit is a usage error") {
    CHECK(run_edge({"serve", "--help"}).out.find("--trusted-proxy") != std::string::npos);
    CommandResult cidr = run_edge({"serve", "--trusted-proxy", "10.0.0.0/33"});
    CHECK(cidr.exit_code == 2);
    CHECK(cidr.out.find("10.0.0.0/33") != std::string::npos);
    CHECK(run_edge({"serve", "--header-timeout", "0"}).exit_code == 2);
    CHECK(run_edge({"serve", "--idle-timeout", "soon"}).exit_code == 2);
    CHECK(run_edge({"serve", "--max-connections-per-address", "-1"}).exit_code == 2);
    CHECK(run_edge({"serve", "--body-min-rate", ""}).exit_code == 2);
}

TEST_CASE("create-admin prints one JSON line with a working login") {
    TempDir dir;
    CommandResult r = run_edge({"create-admin", "--data", dir.path, "--email", "root@example.com"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.out);
    json login = json::parse(r.out);
    CHECK(login["email"] == "root@example.com");
    CHECK(login["password"].get<std::string>().size() >= 16);
    CHECK(run_edge({"create-admin", "--data", dir.path, "--email", "root@example.com"}).exit_code == 1);

    EdgeProcess edge(dir.path);
    auto res = edge.request("POST", "/api/v1/auth/login", json{{"email", "root@example.com"}, {"password", login["password"]}}.dump());
    REQUIRE(res.ok());
    CHECK(res.response.status == 200);
    CHECK(json::parse(res.response.body)["user"]["is_operator"] == true);
}

TEST_CASE("serve answers /healthz, logs one JSON line per request and stops cleanly on SIGTERM") {
    TempDir dir;
    EdgeProcess edge(dir.path);
    auto res = edge.request("GET", "/healthz");
    REQUIRE(res.ok());
    CHECK(res.response.status == 200);
    json health = json::parse(res.response.body);
    CHECK(health["status"] == "ok");
    CHECK(health.contains("version"));
    CHECK(health.contains("uptime_seconds"));
    CHECK_FALSE(res.response.header("X-Request-Id").empty());

    CHECK(edge.stop(SIGTERM) == 0);
    CHECK(edge.stderr_text().find("stopped") != std::string::npos);
    std::string log = edge.stdout_text();
    json line = json::parse(log.substr(0, log.find('\n')));
    CHECK(line["path"] == "/healthz");
    CHECK(line["status"] == 200);
    // The clean stop checkpointed the WAL into the main file.
    CHECK(read_file(dir.path + "/onramp.db-wal").empty());
}

TEST_CASE("a caller's X-Request-Id is echoed; an unsafe one is replaced") {
    TempDir dir;
    EdgeProcess edge(dir.path);
    http::FetchRequest req;
    req.url = edge.url("/healthz");
    req.headers.emplace("X-Request-Id", "abc-123");
    CHECK(http::fetch(req).response.header("X-Request-Id") == "abc-123");
    http::FetchRequest bad;
    bad.url = edge.url("/healthz");
    bad.headers.emplace("X-Request-Id", "evil\"}{");
    CHECK(http::fetch(bad).response.header("X-Request-Id") != "evil\"}{");
}

TEST_CASE("an oversized body is refused from its Content-Length with a 413 problem") {
    TempDir dir;
    EdgeProcess edge(dir.path, {"--max-body", "1000"});
    auto res = edge.request("POST", "/api/v1/auth/login", std::string(5000, ' '));
    REQUIRE(res.ok());
    CHECK(res.response.status == 413);
    CHECK(res.response.header("Content-Type") == "application/problem+json");
}

TEST_CASE("tokens, passwords and API keys never appear in plaintext in the database, WAL or logs") {
    TempDir dir;
    CommandResult admin = run_edge({"create-admin", "--data", dir.path, "--email", "root@example.com"});
    std::string password = json::parse(admin.out)["password"];
    EdgeProcess edge(dir.path);
    auto login = edge.request("POST", "/api/v1/auth/login", json{{"email", "root@example.com"}, {"password", password}}.dump());
    json pair = json::parse(login.response.body);
    std::string access = pair["access_token"], refresh = pair["refresh_token"];
    auto key = edge.request("POST", "/api/v1/auth/api-keys", json{{"name", "scan"}}.dump(), access);
    std::string api_key = json::parse(key.response.body)["key"];
    edge.request("POST", "/api/v1/auth/refresh", json{{"refresh_token", refresh}}.dump());
    edge.request("GET", "/api/v1/auth/me", "", api_key);

    // Read the WAL while the server still runs (before the checkpoint).
    std::string wal = read_file(dir.path + "/onramp.db-wal");
    CHECK(edge.stop(SIGKILL) == 128 + SIGKILL);
    std::string files[] = {read_file(dir.path + "/onramp.db"), wal, read_file(dir.path + "/onramp.db-wal"),
                           edge.stdout_text(), edge.stderr_text()};
    CHECK_FALSE(files[1].empty());
    for (const std::string& secret : {password, access, refresh, api_key}) {
        for (const std::string& f : files) CHECK_MESSAGE(f.find(secret) == std::string::npos, "a secret leaked");
    }
}

TEST_CASE("platform credentials are stored only encrypted: never in the database, WAL or logs in plaintext") {
    TempDir dir;
    CommandResult admin = run_edge({"create-admin", "--data", dir.path, "--email", "root@example.com"});
    std::string password = json::parse(admin.out)["password"];
    EdgeProcess edge(dir.path, {"--demo"});
    auto login = edge.request("POST", "/api/v1/auth/login", json{{"email", "root@example.com"}, {"password", password}}.dump());
    std::string access = json::parse(login.response.body)["access_token"];
    auto org = edge.request("POST", "/api/v1/orgs", json{{"name", "Scan Co"}}.dump(), access);
    std::string path = "/api/v1/orgs/" + json::parse(org.response.body)["id"].get<std::string>() + "/connections";

    // Every platform's demo credentials, connected through the socket; then
    // a rotation and a rejected attempt, whose wrong secret must not leak
    // either.
    json demo = mock::demo_credentials();
    std::vector<std::string> secrets;
    for (const auto& [platform, creds] : demo.items()) {
        const connectors::Connector* entry = connectors::find_connector(platform);
        REQUIRE(entry);
        for (const connectors::Field& f : entry->fields)
            if (f.sensitive && creds.contains(std::string(f.name))) secrets.push_back(creds[std::string(f.name)]);
        auto r = edge.request("POST", path, json{{"platform", platform}, {"credentials", creds}}.dump(), access);
        CHECK_MESSAGE(r.response.status == 201, platform << ": " << r.response.body);
        for (const std::string& s : secrets) CHECK(r.response.body.find(s) == std::string::npos);
    }
    json wrong = demo["bigcommerce"];
    wrong["access_token"] = "wrongwrongwrongwrongwrongwrong1";
    secrets.push_back(wrong["access_token"]);
    auto refused = edge.request("POST", path, json{{"platform", "bigcommerce"}, {"credentials", wrong}}.dump(), access);
    CHECK(refused.response.status == 422);
    REQUIRE(secrets.size() >= demo.size());

    std::string wal = read_file(dir.path + "/onramp.db-wal");
    CHECK(edge.stop(SIGKILL) == 128 + SIGKILL);
    std::string files[] = {read_file(dir.path + "/onramp.db"), wal, read_file(dir.path + "/onramp.db-wal"),
                           edge.stdout_text(), edge.stderr_text()};
    CHECK_FALSE(wal.empty());
    for (const std::string& secret : secrets)
        for (const std::string& f : files) CHECK_MESSAGE(f.find(secret) == std::string::npos, "a credential leaked");
}

}  // TEST_SUITE
