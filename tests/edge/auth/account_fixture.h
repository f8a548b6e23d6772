// An edge that sends e-mail to a real SMTP server (aiosmtpd), for the
// account tests: password reset, password change, two-factor sign-in and
// invitation proofs. Acme (ann manager) and Globex (gina manager); every
// operational log line is kept, and the raw database and audit log can be
// searched for secrets.
#pragma once

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "edge/mail/sender.h"
#include "edge/support/edge_process.h"
#include "edge/support/smtp_server.h"
#include "edge/support/test_app.h"

namespace onramp::testing {

struct AccountApp {
    SmtpServer smtp;
    TestApp t;
    std::string acme, globex, ann_id;
    std::string logged;  // every operational log line

    explicit AccountApp(bool with_smtp = true) {
        t.app.log = [this](const std::string& line) { logged += line + "\n"; };
        if (with_smtp) {
            t.app.config.smtp_url = smtp.url();
            t.app.config.mail_from = "Onramp <onramp@hub.example.test>";
            smtp.start();
        }
        t.app.config.public_url = "https://hub.example.test";
        acme = t.make_org("Acme");
        globex = t.make_org("Globex");
        ann_id = t.make_user("ann@acme.test", "pw-123456");
        t.add_member(acme, ann_id, "manager");
        t.add_member(globex, t.make_user("gina@globex.test", "pw-123456"), "manager");
    }

    // Sends what is queued and returns every message received so far.
    std::vector<std::string> deliver(size_t expected) {
        mail::Sender sender(t.app);
        sender.drain();
        auto got = smtp.wait_for(expected);
        REQUIRE(got.size() == expected);
        return got;
    }
    // The first match of `pattern`'s group 1 in a message, soft breaks joined.
    static std::string find_in(const std::string& message, const std::string& pattern) {
        std::smatch m;
        std::string body = unfold_soft_breaks(message);
        REQUIRE_MESSAGE(std::regex_search(body, m, std::regex(pattern)), body);
        return m[1];
    }
    // The database and its write-ahead log, as bytes.
    std::string raw_database() {
        std::string all;
        for (const auto& e : std::filesystem::directory_iterator(t.dir.path))
            if (e.path().filename().string().rfind("onramp.db", 0) == 0) all += read_file(e.path());
        return all;
    }
    // Every audit entry, one per line.
    std::string audit_log() {
        auto db = t.app.store->lease();
        store::Stmt st(*db, "SELECT action || ' ' || coalesce(object_id, '') || ' ' || detail FROM audit_log");
        std::string out;
        while (st.step()) out += st.text(0) + "\n";
        return out;
    }
    // Whether `secret` appears in the database files, the audit log or the logs.
    bool anywhere(const std::string& secret) {
        return raw_database().find(secret) != std::string::npos || audit_log().find(secret) != std::string::npos ||
               logged.find(secret) != std::string::npos;
    }
};

}  // namespace onramp::testing
