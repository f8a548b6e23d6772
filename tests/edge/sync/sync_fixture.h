// A TestApp whose connectors reach a mock platform server, with a manager
// in one org and a member of another, and a sync engine driven on the
// test's thread (Engine::drain): the fixture of the sync engine, sync API,
// synced records and proxy specifications.
#pragma once

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "edge/connectors/mock_fixture.h"
#include "edge/mock/internal.h"
#include "edge/mock/server.h"
#include "edge/store/db.h"
#include "edge/support/test_app.h"
#include "edge/sync/engine.h"

namespace onramp::testing {

struct SyncApp {
    MockFixture m;
    TestApp t;
    sync::Engine engine{t.app, 1};
    std::string org, token;              // a manager of org
    std::string member_token;            // a plain member of org
    std::string other_org, other_token;  // a manager of another org

    explicit SyncApp(mock::Options options = small_mock()) : m(std::move(options)) {
        // The platforms' clock is the app's: time rules (Amazon's two minutes)
        // compare the bounds Onramp sends with the platform's now.
        m.mock.state().options.now_unix = [this] { return t.clock; };
        t.app.config.demo = true;  // the mock is on loopback
        t.app.config.base_urls = mock::demo_base_urls(m.mock.url());
        org = t.make_org("Acme");
        t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
        token = t.login("ann@acme.test", "pw-123456");
        t.add_member(org, t.make_user("mo@acme.test", "pw-123456"), "member");
        member_token = t.login("mo@acme.test", "pw-123456");
        other_org = t.make_org("Globex");
        t.add_member(other_org, t.make_user("gil@globex.test", "pw-123456"), "manager");
        other_token = t.login("gil@globex.test", "pw-123456");
    }

    // Connects `platform` with the mock's demo credentials; returns its id.
    std::string connect(const std::string& platform, bool initial_sync = true,
                        const std::string& frequency = "daily") {
        Reply r = t.post("/api/v1/orgs/" + org + "/connections",
                         {{"platform", platform},
                          {"name", platform + " store"},
                          {"credentials", mock::demo_credentials()[platform]},
                          {"perform_initial_sync", initial_sync},
                          {"sync_frequency", frequency}},
                         token);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return r.json()["id"].get<std::string>();
    }

    store::Connection connection(const std::string& id) {
        auto db = t.app.store->lease();
        auto c = store::find_connection(*db, org, id);
        REQUIRE(c);
        return *c;
    }

    sync::Run latest(const std::string& connection_id) {
        auto db = t.app.store->lease();
        auto r = sync::latest_run(*db, connection_id);
        REQUIRE(r);
        return *r;
    }

    int64_t count(const std::string& sql, const std::string& connection_id) {
        auto db = t.app.store->lease();
        store::Stmt st(*db, sql);
        st.bind(1, connection_id);
        REQUIRE(st.step());
        return st.i64(0);
    }
    int64_t products(const std::string& id) {
        return count("SELECT COUNT(*) FROM records WHERE connection_id = ? AND resource = 'products'", id);
    }
    int64_t orders(const std::string& id) {
        return count("SELECT COUNT(*) FROM records WHERE connection_id = ? AND resource = 'orders'", id);
    }
    int64_t variants(const std::string& id) {
        return count("SELECT COUNT(*) FROM variants WHERE connection_id = ?", id);
    }

    int64_t dataset(demo::Kind k) { return m.mock.state().data.count(k); }
};

}  // namespace onramp::testing
