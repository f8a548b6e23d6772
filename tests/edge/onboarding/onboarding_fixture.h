// An edge with two tenants and the mock platforms, for the phased
// onboarding tests: Acme (ann manager, carl a plain member: not a manager,
// and not a csr or sales rep, who would count as the team), Globex (gina
// manager), an operator. Connectors reach the mock on loopback (demo mode on).
#pragma once

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "edge/connectors/mock_fixture.h"
#include "edge/documents/ingest.h"
#include "edge/support/test_app.h"
#include "edge/store/db.h"

namespace onramp::testing {

struct OnboardingApp {
    MockFixture m{small_mock(20)};
    TestApp t;
    std::string acme, globex, ann, carl, gina, op;
    std::string ann_id, carl_id;

    OnboardingApp() {
        t.app.config.demo = true;
        t.app.config.public_url = "https://onramp.example";
        t.app.config.base_urls = mock::demo_base_urls(m.mock.url());
        acme = t.make_org("Acme");
        globex = t.make_org("Globex");
        ann_id = t.make_user("ann@acme.test", "pw-123456");
        carl_id = t.make_user("carl@acme.test", "pw-123456");
        t.add_member(acme, ann_id, "manager");
        t.add_member(acme, carl_id, "member");
        t.add_member(globex, t.make_user("gina@globex.test", "pw-123456"), "manager");
        t.make_user("op@onramp.test", "pw-123456", true);
        ann = t.login("ann@acme.test", "pw-123456");
        carl = t.login("carl@acme.test", "pw-123456");
        gina = t.login("gina@globex.test", "pw-123456");
        op = t.login("op@onramp.test", "pw-123456");
    }

    Reply post(const std::string& path, const nlohmann::json& body, const std::string& token,
               std::map<std::string, std::string> headers = {}) {
        return t.call("POST", path, body.dump(), token, std::move(headers));
    }
    Reply get(const std::string& path, const std::string& token, std::map<std::string, std::string> headers = {}) {
        return t.call("GET", path, "", token, std::move(headers));
    }

    // A CallRail test/connect body: the mock's account and a tracking number.
    static nlohmann::json callrail_body() {
        nlohmann::json b = mock::demo_credentials()["callrail"];
        b["primary_tracking_number"] = "+1-555-123-4567";
        return b;
    }
    static nlohmann::json twilio_body() {
        nlohmann::json b = mock::demo_credentials()["twilio"];
        b["primary_tracking_number"] = "+1-555-123-4567";
        return b;
    }

    // A text document uploaded as multipart (file, category, role_target), and ingested.
    std::string upload_document(const std::string& token, const std::string& filename) {
        http::Request req;
        req.method = "POST";
        req.path = req.target = "/api/v1/onboarding/documents/upload";
        req.remote_addr = "127.0.0.1";
        req.request_id = "test-request";
        req.headers.emplace("Content-Type", "multipart/form-data; boundary=----onramp");
        req.headers.emplace("Authorization", "Bearer " + token);
        req.files.emplace("file", http::UploadedFile{filename, "text/plain", "Greet the caller by name.\n"});
        req.form.emplace("category", "sop");
        req.form.emplace("role_target", "sales_rep");
        http::Response res = t.router.dispatch(req);
        REQUIRE_MESSAGE(res.status == 201, res.body);
        return nlohmann::json::parse(res.body)["data"]["document_id"].get<std::string>();
    }

    // Access tokens last 15 minutes: tests that move the clock further sign in again.
    void sign_in_again() {
        ann = t.login("ann@acme.test", "pw-123456");
        gina = t.login("gina@globex.test", "pw-123456");
    }

    int ingest() {
        documents::IngestOptions o;
        o.data_dir = t.dir.path;
        o.now = [this] { return t.clock; };
        o.extractor = ONRAMP_READER_BINARY;
        return documents::IngestWorker(*t.app.store, o).run_pending();
    }

    int count(const std::string& sql) {
        auto db = t.app.store->lease();
        store::Stmt st(*db, sql);
        return st.step() ? int(st.i64(0)) : 0;
    }
};

}  // namespace onramp::testing
