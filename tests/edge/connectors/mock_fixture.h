// A mock platform server on a loopback port and a CallContext pointed at
// it, for running the production connectors against the mock in tests.
// Waits are real but short: the context backs off from 10 ms and the
// mock's Retry-After is set per test.
#pragma once

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "edge/connectors/connector.h"
#include "edge/mock/server.h"
#include "shared/validation/validate.h"

namespace onramp::testing {

struct Retry {
    std::string step;
    int status;
    int64_t wait_ms;
};

inline mock::Options small_mock(int64_t products = 600) {
    mock::Options o;
    o.products = products;
    o.seed = 7;
    return o;
}

struct MockFixture {
    mock::MockPlatforms mock;
    connectors::CallContext ctx;
    std::mutex mu;
    std::vector<Retry> retries;

    explicit MockFixture(mock::Options options = small_mock()) : mock(std::move(options)) {
        REQUIRE(mock.start());
        ctx = fresh_context();
    }

    // A context like a new connection's: its own budget and token cache.
    connectors::CallContext fresh_context() {
        connectors::CallContext c;
        c.base_urls = mock::demo_base_urls(mock.url());
        c.allow_private_addresses = true;  // the mock is on loopback
        c.connect_timeout_ms = 1000;
        c.read_timeout_ms = 3000;
        c.retry.base_delay_ms = 10;
        c.retry.max_delay_ms = 5000;
        c.on_retry = [this](const std::string& step, int status, int64_t wait) {
            std::lock_guard<std::mutex> lock(mu);
            retries.push_back({step, status, wait});
        };
        return c;
    }

    // The demo credentials of `platform`, through the shared validator
    // exactly as the API would pass them on.
    connectors::Credentials creds(const std::string& platform, const nlohmann::json& changes = nlohmann::json::object()) {
        nlohmann::json raw = mock::demo_credentials()[platform];
        raw.update(changes);
        const connectors::Connector* entry = connectors::find_connector(platform);
        REQUIRE(entry);
        validation::Validation v = validation::validate_credentials(*entry, raw);
        REQUIRE_MESSAGE(v.ok(), nlohmann::json(v.errors).dump());
        return v.values;
    }

    const connectors::Platform& platform(const std::string& id) {
        const connectors::Platform* p = connectors::find_platform(id);
        REQUIRE(p);
        return *p;
    }

    size_t retries_with(int status) {
        std::lock_guard<std::mutex> lock(mu);
        size_t n = 0;
        for (const Retry& r : retries) n += r.status == status;
        return n;
    }

    // Every page of `resource`, following cursors; fails the test on error.
    std::vector<connectors::Item> all(const std::string& platform_id, connectors::Resource resource,
                                      const connectors::Credentials& c, size_t* pages = nullptr,
                                      const connectors::Window& w = {}) {
        std::vector<connectors::Item> items;
        std::string cursor;
        size_t n = 0;
        do {
            auto page = platform(platform_id).fetch_page(c, ctx, resource, cursor, w);
            REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.failure().message + " / " + page.failure().platform_message));
            items.insert(items.end(), page->items.begin(), page->items.end());
            cursor = page->next_cursor;
            REQUIRE(++n < 1000);
        } while (!cursor.empty());
        if (pages) *pages = n;
        return items;
    }
};

// A budget that never waits, for platforms whose catalog default (a
// judgement, e.g. WooCommerce's 5/s) would make a many-page test slow.
inline std::shared_ptr<connectors::RateBudget> fast_budget() {
    return std::make_shared<connectors::RateBudget>(connectors::RateLimit{100000, 1});
}

// Every text a failure carries, to prove a secret is in none of them.
inline std::string everything_said(const connectors::Failure& f) {
    return f.step + "\n" + f.message + "\n" + f.platform_message + "\n" + f.field;
}

inline std::string describe(const connectors::TestOutcome& t) {
    if (t.ok()) return "ok: " + t.verified.account_name;
    const connectors::Failure& f = *t.failure;
    return f.step + " " + std::string(connectors::to_string(f.cause)) + " (" + std::to_string(f.http_status) +
           "): " + f.message + " / " + f.platform_message;
}

}  // namespace onramp::testing
