// Specification of the receiver's targets: a connection's endpoint and
// secrets are read once and kept, and any change to them — a new secret, a
// removed connection, made through this process or straight in the
// database by another — is seen on the very next lookup. A previous
// secret stops verifying when its grace ends, with no write to say so.
#include <doctest/doctest.h>

#include "edge/store/connections.h"
#include "edge/store/db.h"
#include "edge/support/test_app.h"
#include "edge/webhooks/endpoint.h"
#include "edge/webhooks/targets.h"

using onramp::testing::TestApp;
using onramp::webhooks::find_scheme;
using onramp::webhooks::Targets;

namespace {

struct TargetsSetup {
    TestApp t;
    Targets targets;
    onramp::store::Connection conn;

    TargetsSetup() {
        conn.id = "conn_targets_test";
        conn.org_id = t.make_org("Acme");
        conn.platform = "shopify";
        conn.name = "Shop";
        conn.created_at = conn.updated_at = t.clock;
        auto db = t.app.store->lease();
        onramp::store::insert_connection(*db, conn);
        set_secret("first-secret", 0);
    }
    void set_secret(const std::string& secret, int64_t grace_s) {
        auto db = t.app.store->lease();
        auto e = onramp::webhooks::set_secret(*t.app.vault, *db, conn, *find_scheme("shopify"), secret, grace_s, t.clock);
        REQUIRE(e);
    }
    std::shared_ptr<const onramp::webhooks::Target> find(const std::string& id) {
        auto db = t.app.store->lease();
        return targets.find(*t.app.vault, *db, id, t.clock);
    }
};

}  // namespace

TEST_SUITE("webhooks.targets") {
    TEST_CASE("a connection's target is read once and kept while nothing changes") {
        TargetsSetup s;
        auto first = s.find(s.conn.id);
        REQUIRE(first);
        CHECK(first->scheme == find_scheme("shopify"));
        CHECK(first->connection.org_id == s.conn.org_id);
        REQUIRE(first->secrets.keys.size() == 1);
        CHECK(first->secrets.keys[0] == "first-secret");
        CHECK(s.find(s.conn.id) == first);
    }

    TEST_CASE("an unknown connection has no target") {
        TargetsSetup s;
        CHECK_FALSE(s.find("conn_nobody"));
    }

    TEST_CASE("a new secret is seen on the next lookup, the old one during its grace only") {
        TargetsSetup s;
        REQUIRE(s.find(s.conn.id));
        s.set_secret("second-secret", 60);
        auto during = s.find(s.conn.id);
        REQUIRE(during);
        REQUIRE(during->secrets.keys.size() == 2);
        CHECK(during->secrets.keys[0] == "second-secret");
        CHECK(during->secrets.keys[1] == "first-secret");

        s.t.clock += 59;
        CHECK(s.find(s.conn.id)->secrets.keys.size() == 2);
        s.t.clock += 1;
        auto after = s.find(s.conn.id);
        REQUIRE(after->secrets.keys.size() == 1);
        CHECK(after->secrets.keys[0] == "second-secret");
    }

    TEST_CASE("a change another process writes straight to the database is seen too") {
        TargetsSetup s;
        REQUIRE(s.find(s.conn.id));
        {
            // Its own connection to the file, as the CLI would have.
            onramp::store::Db other(s.t.app.store->path());
            onramp::store::Tx tx(other);
            auto e = onramp::webhooks::set_secret(*s.t.app.vault, other, s.conn, *find_scheme("shopify"), "from-the-cli", 0,
                                                  s.t.clock);
            REQUIRE(e);
            tx.commit();
        }
        auto after = s.find(s.conn.id);
        REQUIRE(after);
        REQUIRE(after->secrets.keys.size() == 1);
        CHECK(after->secrets.keys[0] == "from-the-cli");
    }

    TEST_CASE("a deleted connection has no target from the next lookup on") {
        TargetsSetup s;
        REQUIRE(s.find(s.conn.id));
        {
            auto db = s.t.app.store->lease();
            REQUIRE(onramp::store::delete_connection(*db, s.conn.org_id, s.conn.id));
        }
        CHECK_FALSE(s.find(s.conn.id));
    }

    TEST_CASE("a changed connection row is read again") {
        TargetsSetup s;
        REQUIRE(s.find(s.conn.id)->connection.name == "Shop");
        s.conn.name = "Renamed shop";
        {
            auto db = s.t.app.store->lease();
            onramp::store::update_connection(*db, s.conn);
        }
        CHECK(s.find(s.conn.id)->connection.name == "Renamed shop");
    }
}
