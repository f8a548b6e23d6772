// Specification of outgoing e-mail against a real SMTP server (aiosmtpd):
// a queued message is delivered whole and carries no secret but its link;
// while the server is down it waits, backing off, and goes once it is up;
// after a day of refusals it is failed and shown to operators; managers are
// told of dead-lettered webhooks, failing syncs and refused credentials;
// without --smtp-url nothing is queued; the database never holds a link
// token in plaintext.
#include <doctest/doctest.h>

#include <filesystem>

#include "edge/connectors/mock_fixture.h"
#include "edge/mail/queue.h"
#include "edge/mail/sender.h"
#include "edge/mail/templates.h"
#include "edge/mock/internal.h"
#include "edge/support/edge_process.h"
#include "edge/support/smtp_server.h"
#include "edge/support/test_app.h"
#include "edge/sync/engine.h"
#include "edge/webhooks/inbox.h"
#include "edge/webhooks/worker.h"

using nlohmann::json;
using onramp::mail::Sender;
using onramp::testing::SmtpServer;
using onramp::testing::TestApp;
using onramp::testing::unfold_soft_breaks;

namespace {

const char kSmtpPassword[] = "smtp-password-never-sent";

struct Setup {
    SmtpServer smtp;
    TestApp t;
    std::string org, manager, op;
    std::string logged;  // every operational log line

    explicit Setup(bool with_smtp = true) {
        t.app.log = [this](const std::string& line) { logged += line + "\n"; };
        if (with_smtp) {
            t.app.config.smtp_url = smtp.url();
            t.app.config.mail_from = "Onramp <onramp@hub.example.test>";
            t.app.config.smtp_password = kSmtpPassword;  // no user: never offered to a server without TLS
        }
        t.app.config.public_url = "https://hub.example.test";
        org = t.make_org("Acme");
        t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
        t.add_member(org, t.make_user("bob@acme.test", "pw-123456"), "manager");
        t.add_member(org, t.make_user("carl@acme.test", "pw-123456"), "member");
        manager = t.login("ann@acme.test", "pw-123456");
        t.make_user("op@hub.test", "pw-123456", true);
        op = t.login("op@hub.test", "pw-123456");
    }
    json link(const json& body) {
        auto r = t.post("/api/v1/orgs/" + org + "/onboarding-links", body, manager);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return r.json();
    }
    std::string row(int64_t id, const std::string& columns) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT " + columns + " FROM mail_messages WHERE id = ?");
        st.bind(1, id);
        return st.step() ? st.text(0) : "";
    }
    int64_t count(const std::string& where = "1") {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM mail_messages WHERE " + where);
        REQUIRE(st.step());
        return st.i64(0);
    }
    int64_t enqueue_reset() {
        auto id = onramp::mail::enqueue(
            t.app, onramp::mail::password_reset({"ann@acme.test", "https://hub.example.test/#/reset/secret-token",
                                                 t.clock + 3600}));
        REQUIRE(id);
        return *id;
    }
    // The database and its write-ahead log, as bytes.
    std::string raw_database() {
        std::string all;
        for (const auto& e : std::filesystem::directory_iterator(t.dir.path))
            if (e.path().filename().string().rfind("onramp.db", 0) == 0) all += onramp::testing::read_file(e.path());
        return all;
    }
};

}  // namespace

TEST_SUITE("mail.queue") {

TEST_CASE("an e-mailed onboarding link arrives with both parts and its headers, and carries no secret but the link") {
    Setup s;
    s.smtp.start();
    json made = s.link({{"send_to", "client@shop.test"}, {"expires_in_hours", 48}});
    CHECK(made["emailed_to"] == "client@shop.test");
    std::string url = made["url"];
    CHECK(s.count("state = 'queued' AND kind = 'onboarding_link'") == 1);

    Sender sender(s.t.app);
    CHECK(sender.drain() == 1);
    auto got = s.smtp.wait_for(1);
    REQUIRE(got.size() == 1);
    std::string m = got[0];
    CHECK(m.find("Date: Fri, 15 Jan 2027 08:00:00 +0000\n") != std::string::npos);
    CHECK(m.find("Message-ID: <") != std::string::npos);
    CHECK(m.find("@hub.example.test>\n") != std::string::npos);
    CHECK(m.find("From: Onramp <onramp@hub.example.test>\n") != std::string::npos);
    CHECK(m.find("To: client@shop.test\n") != std::string::npos);
    CHECK(m.find("Subject: Connect your accounts to Acme\n") != std::string::npos);
    CHECK(m.find("MIME-Version: 1.0\n") != std::string::npos);
    CHECK(m.find("Content-Type: multipart/alternative; boundary=") != std::string::npos);
    CHECK(m.find("Content-Type: text/plain; charset=UTF-8") != std::string::npos);
    CHECK(m.find("Content-Type: text/html; charset=UTF-8") != std::string::npos);
    CHECK(m.find("Content-Transfer-Encoding: quoted-printable") != std::string::npos);
    std::string body = unfold_soft_breaks(m);
    // The link, in the text part and twice in the HTML part (href and shown).
    size_t links = 0;
    for (size_t at = body.find(url); at != std::string::npos; at = body.find(url, at + 1)) ++links;
    CHECK(links == 3);
    CHECK(body.find(s.manager) == std::string::npos);
    CHECK(body.find(kSmtpPassword) == std::string::npos);
    CHECK(s.logged.find("\"state\":\"sent\"") != std::string::npos);
    CHECK(s.logged.find(made["token"].get<std::string>()) == std::string::npos);  // the link is never logged

    // Sent: the bodies, and the token in them, are gone from the row.
    auto listed = s.t.get("/api/v1/operator/mail", s.op).json();
    REQUIRE(listed["items"].size() == 1);
    CHECK(listed["items"][0]["state"] == "sent");
    CHECK(listed["items"][0]["to"] == "client@shop.test");
    CHECK(listed["items"][0]["attempts"] == 1);
    CHECK(s.row(listed["items"][0]["id"], "sealed_body IS NULL") == "1");
    CHECK(s.t.get("/api/v1/operator/mail", s.manager).status == 403);
}

TEST_CASE("adding a member e-mails the invitation, naming the inviter and the organization, with its link") {
    Setup s;
    s.smtp.start();
    auto r = s.t.post("/api/v1/orgs/" + s.org + "/members", {{"email", "dana@acme.test"}, {"role", "member"}},
                      s.manager);
    REQUIRE_MESSAGE(r.status == 202, r.body);
    CHECK(r.json()["emailed_to"] == "dana@acme.test");
    std::string url = r.json()["invite_url"];
    CHECK(s.count("state = 'queued' AND kind = 'invitation'") == 1);

    Sender sender(s.t.app);
    CHECK(sender.drain() == 1);
    auto got = s.smtp.wait_for(1);
    REQUIRE(got.size() == 1);
    CHECK(got[0].find("To: dana@acme.test\n") != std::string::npos);
    CHECK(got[0].find("invited you to Acme on Onramp") != std::string::npos);
    CHECK(unfold_soft_breaks(got[0]).find(url) != std::string::npos);
    CHECK(s.logged.find(url) == std::string::npos);
}

TEST_CASE("an agency's brand speaks in the e-mails of its organization, the vendor only in a footer") {
    Setup s;
    s.smtp.start();
    auto put = s.t.call("PUT", "/api/v1/orgs/" + s.org + "/branding",
                        json({{"name", "Brightside Agency"}, {"accent", "#0a7d4f"}}).dump(), s.manager);
    REQUIRE_MESSAGE(put.status == 200, put.body);
    s.link({{"send_to", "client@shop.test"}});
    REQUIRE(s.t.post("/api/v1/orgs/" + s.org + "/members", {{"email", "dana@acme.test"}, {"role", "member"}},
                     s.manager)
                .status == 202);
    Sender sender(s.t.app);
    CHECK(sender.drain() == 2);
    auto got = s.smtp.wait_for(2);
    REQUIRE(got.size() == 2);
    for (const std::string& m : got) {
        std::string body = unfold_soft_breaks(m);
        CAPTURE(body);
        CHECK(body.find("Brightside Agency") != std::string::npos);
        CHECK(body.find("color:#0a7d4f") != std::string::npos);  // the link, in the brand's accent
        // "Onramp" appears in the sender's address and the footers only.
        size_t vendor = 0;
        for (size_t at = body.find("Onramp"); at != std::string::npos; at = body.find("Onramp", at + 1)) ++vendor;
        CHECK(vendor == 3);
        CHECK(body.find("Powered by Onramp") != std::string::npos);
    }

    // A password reset is the deployment's: its brand, here the vendor's, and no footer.
    s.enqueue_reset();
    CHECK(sender.drain() == 1);
    auto all = s.smtp.wait_for(3);
    REQUIRE(all.size() == 3);
    CHECK(all[2].find("Subject: Reset your Onramp password") != std::string::npos);
    CHECK(all[2].find("Powered by") == std::string::npos);
}

TEST_CASE("without --smtp-url an invitation is only shown to copy") {
    Setup s(false);
    auto r = s.t.post("/api/v1/orgs/" + s.org + "/members", {{"email", "dana@acme.test"}, {"role", "member"}},
                      s.manager);
    REQUIRE_MESSAGE(r.status == 202, r.body);
    CHECK(r.json()["emailed_to"].is_null());
    CHECK_FALSE(r.json()["invite_url"].get<std::string>().empty());
    CHECK(s.count() == 0);
}

TEST_CASE("while the server is down a message stays queued, is retried with backoff, and goes once it is up") {
    Setup s;  // the server is not started yet
    int64_t id = s.enqueue_reset();
    Sender sender(s.t.app);
    CHECK(sender.drain() == 1);
    CHECK(s.row(id, "state || '/' || attempts") == "queued/1");
    CHECK(s.row(id, "next_attempt_at - created_at") == "60");
    CHECK_FALSE(s.row(id, "last_error").empty());

    CHECK(sender.drain() == 0);  // not due before its backoff
    s.t.clock += 60;
    CHECK(sender.drain() == 1);
    CHECK(s.row(id, "state || '/' || attempts") == "queued/2");
    CHECK(s.row(id, "next_attempt_at - " + std::to_string(s.t.clock)) == "120");  // doubled

    s.smtp.start();
    s.t.clock += 120;
    CHECK(sender.drain() == 1);
    CHECK(s.row(id, "state || '/' || attempts") == "sent/3");
    auto got = s.smtp.wait_for(1);
    REQUIRE(got.size() == 1);
    CHECK(unfold_soft_breaks(got[0]).find("https://hub.example.test/#/reset/secret-token") != std::string::npos);
}

TEST_CASE("a message refused for a day is failed, its bodies blanked, and the operator route shows why") {
    Setup s;
    int64_t id = s.enqueue_reset();
    Sender sender(s.t.app);
    int tries = 0;
    while (s.row(id, "state") == "queued" && tries < 100) {
        sender.drain();
        ++tries;
        s.t.clock = std::stoll(s.row(id, "coalesce(next_attempt_at, 0)"));
    }
    CHECK(s.row(id, "state") == "failed");
    CHECK(tries > 20);  // an hour apart at most, over a day
    CHECK(s.row(id, "sealed_body IS NULL") == "1");
    CHECK(std::stoll(s.row(id, "attempts")) == tries);

    auto r = s.t.get("/api/v1/operator/mail?state=failed", s.op);
    REQUIRE(r.status == 200);
    auto items = r.json()["items"];
    REQUIRE(items.size() == 1);
    CHECK(items[0]["to"] == "ann@acme.test");
    CHECK(items[0]["subject"] == "Reset your Onramp password");
    CHECK(items[0]["kind"] == "password_reset");
    CHECK_FALSE(items[0]["last_error"].get<std::string>().empty());
    CHECK(r.body.find("secret-token") == std::string::npos);  // never a body
    CHECK(s.t.get("/api/v1/operator/mail?state=sent", s.op).json()["total"] == 0);
    CHECK(s.t.get("/api/v1/operator/mail?state=lost", s.op).status == 422);
}

TEST_CASE("a dead-lettered webhook delivery e-mails each manager of the organization") {
    onramp::testing::MockFixture m;
    Setup s;
    s.t.app.config.demo = true;
    s.t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
    auto made = s.t.post("/api/v1/orgs/" + s.org + "/connections",
                         {{"platform", "bigcommerce"}, {"name", "Main store"},
                          {"credentials", onramp::mock::demo_credentials()["bigcommerce"]}},
                         s.manager);
    REQUIRE_MESSAGE(made.status == 201, made.body);
    onramp::mock::Faults revoked;
    revoked.revoked = true;
    m.mock.set_faults("bigcommerce", revoked);

    onramp::webhooks::Inbox inbox(*s.t.app.store);
    onramp::webhooks::NewDelivery d;
    d.org_id = s.org;
    d.connection_id = made.json()["id"];
    d.platform = "bigcommerce";
    d.topic = "store/product/updated";
    d.body = json{{"scope", d.topic}, {"data", {{"type", "product"}, {"id", 1}}}, {"producer", "stores/onrampdemo"}}.dump();
    d.body_sha256 = "0";
    d.received_at = s.t.clock;
    REQUIRE(inbox.add(d));
    onramp::webhooks::WorkerOptions o;
    o.max_attempts = 1;
    onramp::webhooks::Worker worker(s.t.app, o);
    worker.drain();
    CHECK(s.count("kind = 'alert'") == 2);  // ann and bob; carl is no manager

    s.smtp.start();
    Sender sender(s.t.app);
    CHECK(sender.drain() == 2);
    auto got = s.smtp.wait_for(2);
    REQUIRE(got.size() == 2);
    std::string both = got[0] + got[1];
    CHECK(both.find("To: ann@acme.test\n") != std::string::npos);
    CHECK(both.find("To: bob@acme.test\n") != std::string::npos);
    CHECK(got[0].find("Subject: Acme: a webhook delivery for Main store (bigcommerce) was given up\n") !=
          std::string::npos);
}

TEST_CASE("managers hear once when a sync fails twice in a row, and once when the credentials stop working") {
    onramp::testing::MockFixture m;
    Setup s;
    s.t.app.config.demo = true;
    s.t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
    auto made = s.t.post("/api/v1/orgs/" + s.org + "/connections",
                         {{"platform", "bigcommerce"}, {"name", "Main store"},
                          {"credentials", onramp::mock::demo_credentials()["bigcommerce"]}},
                         s.manager);
    REQUIRE_MESSAGE(made.status == 201, made.body);
    std::string conn_id = made.json()["id"];
    onramp::mock::Faults revoked;
    revoked.revoked = true;
    m.mock.set_faults("bigcommerce", revoked);

    onramp::sync::Engine engine(s.t.app);
    auto conn = [&] {
        auto db = s.t.app.store->lease();
        return *onramp::store::find_connection(*db, s.org, conn_id);
    };
    auto fail_once = [&] {
        REQUIRE(onramp::sync::enqueue_run(s.t.app, conn(), "manual"));
        engine.drain();
    };
    auto sync_alerts = [&] { return s.count("kind = 'alert' AND subject LIKE '%failed twice%'"); };
    auto failures = [&] {
        auto db = s.t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM sync_runs WHERE state = 'failed'");
        REQUIRE(st.step());
        return st.i64(0);
    };
    for (int64_t n = 1; n <= 3; ++n) {
        fail_once();
        REQUIRE(failures() == n);
        // One per manager at the second failure; the third does not repeat it.
        CHECK(sync_alerts() == (n >= 2 ? 2 : 0));
    }

    auto tested = s.t.call("POST", "/api/v1/orgs/" + s.org + "/connections/" + conn_id + "/test", "", s.manager);
    REQUIRE(tested.status == 200);
    auto cred_alerts = [&] { return s.count("kind = 'alert' AND subject LIKE '%stopped working%'"); };
    CHECK(cred_alerts() == 2);
    s.t.call("POST", "/api/v1/orgs/" + s.org + "/connections/" + conn_id + "/test", "", s.manager);
    CHECK(cred_alerts() == 2);  // still refused: no second alert
}

TEST_CASE("without --smtp-url nothing is queued and asking to e-mail a link is refused, changing nothing") {
    Setup s(false);
    CHECK_FALSE(onramp::mail::enabled(s.t.app));
    std::string before = s.t.snapshot();
    auto r = s.t.post("/api/v1/orgs/" + s.org + "/onboarding-links", {{"send_to", "client@shop.test"}}, s.manager);
    CHECK(r.status == 409);
    CHECK(r.json()["error_code"] == "mail_disabled");
    CHECK(s.t.snapshot() == before);

    json made = s.link({{"note", "copy it"}});
    CHECK(made["emailed_to"].is_null());
    CHECK_FALSE(made["url"].get<std::string>().empty());
    CHECK_FALSE(onramp::mail::enqueue(s.t.app, onramp::mail::password_reset({"ann@acme.test", "https://x", 0})));
    CHECK(s.count() == 0);
    CHECK(s.t.get("/api/v1/operator/mail", s.op).json()["enabled"] == false);
}

TEST_CASE("a bad send_to is refused and changes nothing") {
    Setup s;
    std::string before = s.t.snapshot();
    auto r = s.t.post("/api/v1/orgs/" + s.org + "/onboarding-links", {{"send_to", "Client <client@shop.test>"}},
                      s.manager);
    CHECK(r.status == 422);
    CHECK(r.json()["errors"].contains("send_to"));
    CHECK(s.t.snapshot() == before);
}

TEST_CASE("the database holds no link token in plaintext, before or after sending") {
    Setup s;
    json made = s.link({{"send_to", "client@shop.test"}});
    std::string token = made["token"];
    s.t.app.store->checkpoint();
    std::string raw = s.raw_database();
    CHECK(raw.find("Connect your accounts to Acme") != std::string::npos);  // the scan sees the row's text
    CHECK(raw.find(token) == std::string::npos);

    s.smtp.start();
    Sender sender(s.t.app);
    CHECK(sender.drain() == 1);
    s.t.app.store->checkpoint();
    CHECK(s.raw_database().find(token) == std::string::npos);
}

}
