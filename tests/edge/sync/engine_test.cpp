// Specification of the sync engine (edge/sync/engine.h), running the
// production connectors against the mock platforms over loopback: an
// initial sync copies the whole data set, an incremental run fetches only
// what changed, a failing page fails the run with its step and cause,
// rate limits are paced and 429s waited out, and a run stopped mid-way
// continues from its checkpoint without duplicates.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "edge/platforms/module.h"
#include "edge/sync/sync_fixture.h"

using onramp::demo::Kind;
using onramp::testing::SyncApp;

namespace {

const char* const kCommerce[] = {"bigcommerce", "shopify"};

}  // namespace

TEST_SUITE("sync.engine") {

TEST_CASE("an initial sync copies every product with its variants and every order") {
    for (const char* platform : kCommerce) {
        CAPTURE(platform);
        SyncApp s;
        std::string id = s.connect(platform);
        CHECK(s.latest(id).state == "queued");
        s.engine.drain();

        onramp::sync::Run run = s.latest(id);
        CHECK_MESSAGE(run.state == "succeeded", run.errors.dump());
        CHECK(run.kind == "initial");
        CHECK(s.products(id) == s.dataset(Kind::product));
        CHECK(s.variants(id) == 3 * s.dataset(Kind::product));
        CHECK(s.orders(id) == s.dataset(Kind::order));
        CHECK(run.created == s.dataset(Kind::product) + s.dataset(Kind::order));
        CHECK(run.updated == 0);
        CHECK(run.pages >= 4);  // 600 products and 300 orders at 250 a page
        CHECK(run.cursor.empty());
        CHECK(run.finished_at);
        onramp::store::Connection c = s.connection(id);
        CHECK(c.last_sync_at);
        CHECK_FALSE(c.last_error);
    }
}

TEST_CASE("every platform's initial sync copies each of its resources to the data set's count") {
    const std::pair<const char*, Kind> kinds[] = {
        {"products", Kind::product}, {"orders", Kind::order}, {"calls", Kind::call}, {"contacts", Kind::contact}};
    for (const onramp::platforms::Module* module : onramp::platforms::modules()) {
        std::string platform(module->id);
        CAPTURE(platform);
        // WooCommerce fetches each product's variations at its default 5 calls
        // a second: 600 products would take two minutes, 40 take eight seconds.
        onramp::mock::Options o = onramp::testing::small_mock(40);
        o.knobs["amazon-time-scale"] = "600";  // Amazon's per-operation rates would make this take minutes
        SyncApp s(o);
        std::string id = s.connect(platform);
        s.engine.drain();
        onramp::sync::Run run = s.latest(id);
        CHECK_MESSAGE(run.state == "succeeded", run.errors.dump());
        int64_t expected = 0;
        // A resource that is not a data set kind (Stripe's payments and
        // refunds are made from its orders) counts what was stored.
        for (const std::string& resource : run.resources) {
            CAPTURE(resource);
            int64_t n = s.count("SELECT COUNT(*) FROM records WHERE connection_id = ? AND resource = '" + resource + "'", id);
            CHECK(n > 0);
            for (const auto& [name, kind] : kinds)
                if (resource == name) CHECK(n == s.dataset(kind));
            expected += n;
        }
        CHECK(run.created == expected);
    }
}

TEST_CASE("an incremental run asks only for what changed since the last run's frozen bound") {
    for (const char* platform : kCommerce) {
        CAPTURE(platform);
        SyncApp s;
        std::string id = s.connect(platform);
        s.engine.drain();
        onramp::sync::Run first = s.latest(id);
        REQUIRE(first.state == "succeeded");

        // Two products edited on the platform after the first run's bound.
        s.m.mock.state().data.touch(Kind::product, 4, s.t.clock + 60);
        s.m.mock.state().data.touch(Kind::product, 17, s.t.clock + 120);
        s.t.clock += 3600;
        auto queued = s.engine.enqueue(s.connection(id), "incremental");
        REQUIRE(bool(queued));
        CHECK(queued->window_after == first.window_before);
        s.engine.drain();

        onramp::sync::Run run = s.latest(id);
        CHECK_MESSAGE(run.state == "succeeded", run.errors.dump());
        CHECK(run.created == 0);
        CHECK(run.updated == 2);
        CHECK(s.products(id) == s.dataset(Kind::product));
        CHECK(s.variants(id) == 3 * s.dataset(Kind::product));
    }
}

TEST_CASE("without the optional orders scope the run skips orders, imports products and succeeds") {
    const std::pair<const char*, const char*> orders_scope[] = {{"bigcommerce", "store_v2_orders_read_only"},
                                                                {"shopify", "read_orders"}};
    for (const auto& [platform, scope] : orders_scope) {
        CAPTURE(platform);
        SyncApp s;
        onramp::mock::Faults f;
        f.missing_scopes = {scope};
        s.m.mock.set_faults(platform, f);
        std::string id = s.connect(platform);
        CHECK(s.connection(id).verified["limited"][0]["scope"] == scope);
        s.engine.drain();

        onramp::sync::Run run = s.latest(id);
        CHECK_MESSAGE(run.state == "succeeded", run.errors.dump());
        CHECK(s.products(id) == s.dataset(Kind::product));
        CHECK(s.orders(id) == 0);
        REQUIRE(run.errors.size() == 1);
        CHECK(run.errors[0]["resource"] == "orders");
        CHECK(run.errors[0]["skipped"] == true);
        CHECK(run.errors[0]["scope"] == scope);
        CHECK(run.errors[0]["message"].get<std::string>().find("orders will not sync") != std::string::npos);
        CHECK_FALSE(s.connection(id).last_error);
    }
}

TEST_CASE("a page that fails fails the run with its step and cause, and the connection says why") {
    SyncApp s;
    std::string id = s.connect("bigcommerce");
    // The token is revoked on the platform after the first page.
    s.engine.on_checkpoint = [&](const onramp::sync::Run& r) {
        if (r.pages == 1) {
            onramp::mock::Faults f;
            f.revoked = true;
            s.m.mock.set_faults("bigcommerce", f);
        }
    };
    s.engine.drain();

    onramp::sync::Run run = s.latest(id);
    CHECK(run.state == "failed");
    CHECK(run.pages == 1);
    CHECK(run.created == 250);
    REQUIRE(run.errors.size() == 1);
    CHECK(run.errors[0]["resource"] == "products");
    CHECK(run.errors[0]["step"] == "list_products");
    CHECK(run.errors[0]["cause"] == "credential_rejected");
    CHECK_FALSE(run.errors[0]["message"].get<std::string>().empty());
    onramp::store::Connection c = s.connection(id);
    REQUIRE(c.last_error);
    CHECK(*c.last_error == run.errors[0]["message"].get<std::string>());
    // What the first page brought stays; the failure lost nothing.
    CHECK(s.products(id) == 250);

    // Once the platform accepts the token again, a manual run succeeds and
    // clears the connection's error.
    s.m.mock.clear_faults();
    s.engine.on_checkpoint = nullptr;
    REQUIRE(bool(s.engine.enqueue(s.connection(id), "manual")));
    s.engine.drain();
    CHECK(s.latest(id).state == "succeeded");
    CHECK(s.products(id) == s.dataset(Kind::product));
    CHECK_FALSE(s.connection(id).last_error);
}

TEST_CASE("429s from the platform are waited out and the run completes with exact counts") {
    for (const char* platform : kCommerce) {
        CAPTURE(platform);
        SyncApp s;
        std::string id = s.connect(platform);
        onramp::mock::Faults f;
        f.rate_limit_next = 2;
        f.retry_after_s = 0.2;
        s.m.mock.set_faults(platform, f);
        s.engine.drain();

        onramp::sync::Run run = s.latest(id);
        CHECK_MESSAGE(run.state == "succeeded", run.errors.dump());
        CHECK(s.m.mock.stats(platform).rate_limited == 2);
        CHECK(s.products(id) == s.dataset(Kind::product));
        CHECK(s.orders(id) == s.dataset(Kind::order));
    }
}

TEST_CASE("the connection's budget paces a sync under a tight limit without meeting a 429") {
    onramp::mock::Options o = onramp::testing::small_mock();
    o.knobs["bigcommerce-quota"] = "2/400";  // two requests per 400 ms
    SyncApp s(o);
    std::string id = s.connect("bigcommerce");
    // The connection test spent this window; the sync starts in a fresh one.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    int64_t before = s.m.mock.stats("bigcommerce").rate_limited;
    s.engine.drain();

    onramp::sync::Run run = s.latest(id);
    CHECK_MESSAGE(run.state == "succeeded", run.errors.dump());
    CHECK(s.m.mock.stats("bigcommerce").rate_limited == before);
    CHECK(s.products(id) == s.dataset(Kind::product));
}

TEST_CASE("a run stopped mid-way resumes from its checkpoint: no page twice, no duplicates, no gaps") {
    for (const char* platform : kCommerce) {
        CAPTURE(platform);
        SyncApp s;
        std::string id = s.connect(platform);
        s.engine.on_checkpoint = [&](const onramp::sync::Run& r) {
            if (r.pages == 1) s.engine.stop();
        };
        s.engine.drain();

        onramp::sync::Run stopped = s.latest(id);
        CHECK(stopped.state == "running");  // as a killed process leaves it
        CHECK(stopped.pages == 1);
        CHECK_FALSE(stopped.cursor.empty());
        CHECK(s.products(id) == 250);

        // The next process: the run goes back to the queue and continues.
        onramp::sync::Engine next(s.t.app, 1);
        CHECK(next.recover() == 1);
        int64_t requests = s.m.mock.stats(platform).requests;
        next.drain();

        onramp::sync::Run run = s.latest(id);
        CHECK(run.id == stopped.id);
        CHECK_MESSAGE(run.state == "succeeded", run.errors.dump());
        CHECK(s.products(id) == s.dataset(Kind::product));
        CHECK(s.variants(id) == 3 * s.dataset(Kind::product));
        CHECK(s.orders(id) == s.dataset(Kind::order));
        // Every item counted once: nothing was fetched again as an update.
        CHECK(run.created == s.dataset(Kind::product) + s.dataset(Kind::order));
        CHECK(run.updated == 0);
        // The resumed run asked only for the pages after the checkpoint, and
        // Shopify for the orders' count.json with their first page.
        int64_t counts = std::string(platform) == "shopify" ? 1 : 0;
        CHECK(s.m.mock.stats(platform).requests - requests == run.pages - 1 + counts);
    }
}

TEST_CASE("schedules queue incremental runs when their frequency has passed, manual never") {
    SyncApp s;
    std::string daily = s.connect("bigcommerce", true, "daily");
    std::string manual = s.connect("shopify", true, "manual");
    s.engine.drain();
    CHECK(s.engine.schedule_due() == 0);  // both just synced

    s.t.clock += 86400;
    CHECK(s.engine.schedule_due() == 1);
    onramp::sync::Run run = s.latest(daily);
    CHECK(run.kind == "incremental");
    CHECK(run.state == "queued");
    CHECK(s.engine.schedule_due() == 0);  // one run per connection at a time
    CHECK(s.latest(manual).kind == "initial");
    s.engine.drain();
    CHECK(s.latest(daily).state == "succeeded");
}

TEST_CASE("a connection made without an initial sync is first synced one period after it was made") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false, "hourly");
    CHECK(s.engine.schedule_due() == 0);
    s.t.clock += 3599;
    CHECK(s.engine.schedule_due() == 0);
    s.t.clock += 1;
    CHECK(s.engine.schedule_due() == 1);
    CHECK(s.latest(id).kind == "initial");  // nothing synced yet: a full copy
}

TEST_CASE("frequencies in seconds") {
    CHECK(onramp::sync::frequency_seconds("hourly") == 3600);
    CHECK(onramp::sync::frequency_seconds("daily") == 86400);
    CHECK(onramp::sync::frequency_seconds("weekly") == 604800);
    CHECK(onramp::sync::frequency_seconds("manual") == 0);
}

}  // TEST_SUITE
