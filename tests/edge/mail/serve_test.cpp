// Specification of e-mail in the served binary: serve's SMTP flags are
// checked at start, and a running edge's sender thread delivers a message
// as soon as a request queues it, without logging its link; and of the
// vault's sealing of queued bodies.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "edge/support/edge_process.h"
#include "edge/support/smtp_server.h"
#include "edge/support/test_app.h"

using namespace onramp;
using namespace onramp::testing;
using nlohmann::json;

TEST_SUITE("mail.serve") {

TEST_CASE("serve refuses an SMTP URL of another scheme, and one without a sender address") {
    TempDir dir;
    CommandResult a = run_edge({"serve", "--data", dir.path, "--smtp-url", "http://127.0.0.1:25", "--mail-from",
                                "onramp@example.test"});
    CHECK(a.exit_code == 2);
    CHECK(a.out.find("--smtp-url wants smtp://") != std::string::npos);
    CommandResult b = run_edge({"serve", "--data", dir.path, "--smtp-url", "smtp://127.0.0.1:25"});
    CHECK(b.exit_code == 2);
    CHECK(b.out.find("needs --mail-from") != std::string::npos);
    CommandResult c = run_edge({"serve", "--data", dir.path, "--smtp-url", "smtp://127.0.0.1:25", "--mail-from",
                                "onramp@example.test", "--smtp-password-file", dir.path + "/missing"});
    CHECK(c.exit_code == 2);
    CHECK(c.out.find("cannot read the SMTP password") != std::string::npos);
}

TEST_CASE("a served edge e-mails an onboarding link as soon as it is made, and never logs the link") {
    SmtpServer smtp;
    smtp.start();
    TempDir dir;
    CommandResult admin = run_edge({"create-admin", "--data", dir.path, "--email", "root@example.test"});
    REQUIRE_MESSAGE(admin.exit_code == 0, admin.out);
    std::string password_file = dir.path + "/smtp.pw";
    std::ofstream(password_file) << "file-held-smtp-password\n";
    EdgeProcess edge(dir.path, {"--smtp-url", smtp.url(), "--mail-from", "Onramp <onramp@example.test>",
                                "--smtp-password-file", password_file});
    auto login = edge.request("POST", "/api/v1/auth/login",
                              json{{"email", "root@example.test"}, {"password", json::parse(admin.out)["password"]}}.dump());
    REQUIRE(login.ok());
    std::string token = json::parse(login.response.body)["access_token"];
    auto org = edge.request("POST", "/api/v1/orgs", json{{"name", "Acme"}}.dump(), token);
    REQUIRE_MESSAGE(org.response.status == 201, org.response.body);
    std::string org_id = json::parse(org.response.body)["id"];

    auto link = edge.request("POST", "/api/v1/orgs/" + org_id + "/onboarding-links",
                             json{{"send_to", "client@shop.test"}}.dump(), token);
    REQUIRE_MESSAGE(link.response.status == 201, link.response.body);
    std::string link_token = json::parse(link.response.body)["token"];
    auto got = smtp.wait_for(1);  // the sender was woken by the enqueue: no poll interval passes
    REQUIRE(got.size() == 1);
    CHECK(unfold_soft_breaks(got[0]).find(link_token) != std::string::npos);
    CHECK(got[0].find("file-held-smtp-password") == std::string::npos);

    std::string state;
    for (int i = 0; i < 200 && state != "sent"; ++i) {
        auto listed = edge.request("GET", "/api/v1/operator/mail", "", token);
        auto items = json::parse(listed.response.body)["items"];
        state = items.empty() ? "" : items[0]["state"].get<std::string>();
        if (state != "sent") std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    CHECK(state == "sent");
    CHECK(edge.stop(SIGTERM) == 0);
    std::string logs = edge.stdout_text() + edge.stderr_text();
    CHECK(logs.find("\"component\":\"mail\"") != std::string::npos);
    CHECK(logs.find(link_token) == std::string::npos);
    CHECK(logs.find("file-held-smtp-password") == std::string::npos);
}

TEST_CASE("a sealed body opens under its own context only, and not once altered") {
    TestApp t;
    const Vault& vault = *t.app.vault;
    std::string sealed = vault.seal("<a@example.test>", "the link");
    CHECK(sealed.find("the link") == std::string::npos);
    auto opened = vault.open("<a@example.test>", sealed);
    REQUIRE(opened);
    CHECK(*opened == "the link");
    CHECK(vault.open("<b@example.test>", sealed).problem().error_code == "vault_integrity");
    std::string altered = sealed;
    altered.back() ^= 1;
    CHECK(vault.open("<a@example.test>", altered).problem().error_code == "vault_integrity");
    CHECK(vault.open("<a@example.test>", sealed.substr(0, 20)).problem().error_code == "vault_integrity");
}

}
