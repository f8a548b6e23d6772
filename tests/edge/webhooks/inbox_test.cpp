// Specification of the durable inbox: a delivery is in the database when
// add() returns; a platform delivery id, or the same body within the
// window, makes a duplicate that is acknowledged but not stored; counters
// ride in the same transactions; concurrent deliveries are grouped into
// shared commits and every one of them is stored exactly once, also when
// handed over without waiting (add_then); the WAL is checkpointed beside
// the commits.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "edge/store/connections.h"
#include "edge/support/test_app.h"
#include "edge/webhooks/inbox.h"

using onramp::testing::TestApp;
using onramp::webhooks::Inbox;
using onramp::webhooks::NewDelivery;

namespace {

struct InboxSetup {
    TestApp t;
    std::string org, conn = "conn_inbox_test";

    InboxSetup() {
        org = t.make_org("Acme");
        onramp::store::Connection c;
        c.id = conn;
        c.org_id = org;
        c.platform = "shopify";
        c.name = "Shop";
        c.created_at = c.updated_at = t.clock;
        auto db = t.app.store->lease();
        onramp::store::insert_connection(*db, c);
    }
    NewDelivery delivery(const std::string& body, const std::string& id = "", int64_t at = 0) {
        NewDelivery d;
        d.org_id = org;
        d.connection_id = conn;
        d.platform = "shopify";
        d.topic = "products/update";
        d.delivery_id = id;
        d.body = body;
        d.body_sha256 = "hash-of-" + body;
        d.received_at = at ? at : t.clock;
        return d;
    }
    int64_t rows() {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM webhook_deliveries");
        st.step();
        return st.i64(0);
    }
};

}  // namespace

TEST_SUITE("webhooks.inbox") {

TEST_CASE("a stored delivery is readable as soon as add() returns, with everything processing needs") {
    InboxSetup s;
    Inbox inbox(*s.t.app.store);
    auto r = inbox.add(s.delivery(R"({"id":1})", "w-1"));
    REQUIRE(r);
    CHECK_FALSE(r->duplicate);
    auto db = s.t.app.store->lease();
    onramp::store::Stmt st(*db, "SELECT org_id, connection_id, platform, topic, delivery_id, body, state, attempts"
                                      " FROM webhook_deliveries WHERE seq = ?");
    st.bind(1, r->seq);
    REQUIRE(st.step());
    CHECK(st.text(0) == s.org);
    CHECK(st.text(1) == s.conn);
    CHECK(st.text(2) == "shopify");
    CHECK(st.text(3) == "products/update");
    CHECK(st.text(4) == "w-1");
    CHECK(st.text(5) == R"({"id":1})");
    CHECK(st.text(6) == "received");
    CHECK(st.i64(7) == 0);
}

TEST_CASE("duplicates: the same platform id, or the same body inside the window, point at the first row") {
    InboxSetup s;
    onramp::webhooks::InboxOptions o;
    o.dedupe_window_s = 100;
    Inbox inbox(*s.t.app.store, o);
    auto first = inbox.add(s.delivery("a", "id-1"));
    REQUIRE(first);
    auto same_id = inbox.add(s.delivery("b", "id-1"));
    CHECK(same_id->duplicate);
    CHECK(same_id->seq == first->seq);
    auto same_body = inbox.add(s.delivery("a", "id-2"));
    CHECK(same_body->duplicate);
    auto later = inbox.add(s.delivery("a", "", s.t.clock + 101));
    CHECK_FALSE(later->duplicate);
    CHECK(s.rows() == 2);
    auto db = s.t.app.store->lease();
    auto c = onramp::webhooks::read_counters(*db, s.conn);
    CHECK(c["received"] == 4);
    CHECK(c["verified"] == 4);
    CHECK(c["duplicate"] == 2);
    CHECK(c["rejected"] == 0);
}

TEST_CASE("count() is visible to a reader right after it returns") {
    InboxSetup s;
    Inbox inbox(*s.t.app.store);
    inbox.count(s.conn, "rejected");
    inbox.count(s.conn, "rejected", 2);
    inbox.count("", "rejected");
    auto db = s.t.app.store->lease();
    CHECK(onramp::webhooks::read_counters(*db, s.conn)["rejected"] == 3);
    CHECK(onramp::webhooks::read_counters(*db, "")["rejected"] == 1);
    CHECK(s.rows() == 0);
}

TEST_CASE("concurrent deliveries share commits and each is stored exactly once") {
    InboxSetup s;
    Inbox inbox(*s.t.app.store);
    const int threads = 8, each = 40;
    std::vector<std::vector<int64_t>> seqs(threads);
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i)
        pool.emplace_back([&, i] {
            for (int k = 0; k < each; ++k) {
                auto r = inbox.add(s.delivery("body-" + std::to_string(i) + "-" + std::to_string(k)));
                if (r && !r->duplicate) seqs[i].push_back(r->seq);
            }
        });
    for (auto& th : pool) th.join();
    std::set<int64_t> all;
    for (const auto& v : seqs) all.insert(v.begin(), v.end());
    CHECK(all.size() == size_t(threads * each));
    CHECK(s.rows() == threads * each);
    auto stats = inbox.stats();
    CHECK(stats.deliveries == threads * each);
    CHECK(stats.batches <= stats.deliveries);
    MESSAGE("commits for " << stats.deliveries << " deliveries: " << stats.batches);
}

TEST_CASE("add_then() answers each delivery from its commit, without the caller waiting") {
    InboxSetup s;
    Inbox inbox(*s.t.app.store);
    const int n = 300;
    std::mutex mu;
    std::condition_variable all_answered;
    std::set<int64_t> seqs;
    int answered = 0, failed = 0;
    for (int i = 0; i < n; ++i)
        inbox.add_then(s.delivery("later-" + std::to_string(i)), [&](onramp::Result<onramp::webhooks::Stored> r) {
            std::lock_guard<std::mutex> lock(mu);
            if (r)
                seqs.insert(r->seq);
            else
                ++failed;
            if (++answered == n) all_answered.notify_all();
        });
    {
        std::unique_lock<std::mutex> lock(mu);
        REQUIRE(all_answered.wait_for(lock, std::chrono::seconds(60), [&] { return answered == n; }));
    }
    CHECK(failed == 0);
    CHECK(seqs.size() == size_t(n));
    CHECK(s.rows() == n);  // each answer came after its row was committed
    MESSAGE("commits for " << n << " deliveries handed over at once: " << inbox.stats().batches);
}

TEST_CASE("the WAL is folded back into the database file while deliveries keep coming") {
    InboxSetup s;
    onramp::webhooks::InboxOptions options;
    options.checkpoint_pages = 1000;
    Inbox inbox(*s.t.app.store, options);
    std::string db_path = s.t.app.store->path();
    auto before = std::filesystem::file_size(db_path);
    const int n = 1200;  // 6 KiB each: over 2,000 pages of WAL, twice the checkpoint size
    std::atomic<int> answered{0};
    for (int i = 0; i < n; ++i)
        inbox.add_then(s.delivery(std::to_string(i) + std::string(6000, 'x')),
                       [&](onramp::Result<onramp::webhooks::Stored>) { ++answered; });
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    auto grown = [&] { return std::filesystem::file_size(db_path) > before + 4 * 1024 * 1024; };
    while ((answered < n || !grown()) && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(answered == n);
    CHECK(s.rows() == n);
    // Only a checkpoint writes pages into the database file in WAL mode.
    CHECK(grown());
}

}  // TEST_SUITE

TEST_CASE("in a batch of two organizations' deliveries, each event goes to its own organization's endpoints") {
    InboxSetup s;
    std::string other_org = s.t.make_org("Beta"), other_conn = "conn_inbox_beta";
    {
        auto db = s.t.app.store->lease();
        onramp::store::Connection c;
        c.id = other_conn;
        c.org_id = other_org;
        c.platform = "shopify";
        c.name = "Beta shop";
        c.created_at = c.updated_at = s.t.clock;
        onramp::store::insert_connection(*db, c);
        auto endpoint = [&](const std::string& id, const std::string& org, const std::string& types) {
            db->write("INSERT INTO event_endpoints (id, org_id, url, event_types, sealed_secret, created_at, updated_at)"
                      " VALUES (?, ?, 'https://hooks.example.com/in', ?, x'00', 0, 0)",
                      id, org, types);
        };
        endpoint("ep_acme", s.org, R"(["webhook.received"])");
        endpoint("ep_acme_other", s.org, R"(["sync.finished"])");
        endpoint("ep_beta", other_org, R"(["webhook.received"])");
    }
    Inbox inbox(*s.t.app.store);
    const int n = 40;
    std::mutex mu;
    std::condition_variable all_answered;
    int answered = 0;
    for (int i = 0; i < n; ++i) {
        NewDelivery d = s.delivery("mixed-" + std::to_string(i));
        if (i % 2) {
            d.org_id = other_org;
            d.connection_id = other_conn;
        }
        inbox.add_then(std::move(d), [&](onramp::Result<onramp::webhooks::Stored>) {
            std::lock_guard<std::mutex> lock(mu);
            if (++answered == n) all_answered.notify_all();
        });
    }
    {
        std::unique_lock<std::mutex> lock(mu);
        REQUIRE(all_answered.wait_for(lock, std::chrono::seconds(60), [&] { return answered == n; }));
    }
    CHECK(inbox.stats().batches < n);  // the deliveries shared transactions
    auto db = s.t.app.store->lease();
    onramp::store::Stmt st(*db,
                           "SELECT e.org_id, d.endpoint_id FROM events e JOIN event_deliveries d ON d.event_seq = e.seq"
                           " WHERE e.type = 'webhook.received' ORDER BY e.seq");
    int acme = 0, beta = 0;
    while (st.step()) {
        if (st.text(0) == s.org) {
            CHECK(st.text(1) == "ep_acme");
            ++acme;
        } else {
            CHECK(st.text(0) == other_org);
            CHECK(st.text(1) == "ep_beta");
            ++beta;
        }
    }
    CHECK(acme == n / 2);
    CHECK(beta == n / 2);
}
