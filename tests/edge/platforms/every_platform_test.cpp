// Every platform in the table (edge/platforms/module.h) and every webhook
// scheme (edge/webhooks/scheme.h) through the same checks, so a platform
// added as a folder is tested without naming it here. Each platform's own
// behaviour is in tests/edge/platforms/<id>_test.cpp.
#include <doctest/doctest.h>

#include "edge/connectors/resilience.h"
#include "edge/platforms/module.h"
#include "edge/webhooks/scheme.h"

using onramp::testing::describe;
using onramp::testing::MockFixture;
namespace platforms = onramp::platforms;
namespace webhooks = onramp::webhooks;

namespace {

// Amazon's documented rates would make a first page of each resource take
// minutes; the mock's clock runs faster (bursts unchanged).
onramp::mock::Options quick_mock() {
    auto o = onramp::testing::small_mock(40);
    o.knobs["amazon-time-scale"] = "600";
    return o;
}

webhooks::Delivery example_delivery() {
    webhooks::Delivery d;
    d.url = "https://onramp.example/webhooks/scheme/conn_1";
    d.body = R"({"id": 1, "type": "example.created", "event": "contact_created"})";
    d.headers.emplace("Content-Type", "application/json");
    return d;
}

constexpr int64_t kNow = 1700000000;

}  // namespace

TEST_SUITE("platforms") {

TEST_CASE("every catalog entry is a platform module and every module has a catalog entry") {
    for (const auto& c : onramp::connectors::connectors()) {
        CAPTURE(c.id);
        CHECK(platforms::find_module(c.id) != nullptr);
    }
    for (const platforms::Module* m : platforms::modules()) {
        CAPTURE(m->id);
        CHECK(onramp::connectors::find_connector(m->id) != nullptr);
        bool has_connector = m->connector != nullptr;
        REQUIRE(has_connector);
        CHECK(m->connector().id() == m->id);
        CHECK(onramp::connectors::find_platform(m->id) == &m->connector());
    }
}

TEST_CASE("every platform's demo credentials pass its connection test against the mock") {
    MockFixture f(quick_mock());
    for (const platforms::Module* m : platforms::modules()) {
        std::string id(m->id);
        CAPTURE(id);
        auto t = f.platform(id).test(f.creds(id), f.ctx);
        CHECK_MESSAGE(t.ok(), describe(t));
    }
}

TEST_CASE("every platform serves the first page of each of its resources from the mock") {
    MockFixture f(quick_mock());
    for (const platforms::Module* m : platforms::modules()) {
        std::string id(m->id);
        for (auto resource : f.platform(id).resources()) {
            CAPTURE(id);
            CAPTURE(onramp::connectors::to_string(resource));
            auto page = f.platform(id).fetch_page(f.creds(id), f.ctx, resource, "", {});
            REQUIRE_MESSAGE(page.ok(), (page.ok() ? "" : page.failure().message + " / " + page.failure().platform_message));
            CHECK_FALSE(page->items.empty());
        }
    }
}

TEST_CASE("every platform without a revocation call says so and sends nothing") {
    MockFixture f(quick_mock());
    for (const platforms::Module* m : platforms::modules()) {
        std::string id(m->id);
        auto creds = f.creds(id);
        if (f.platform(id).can_revoke(creds)) continue;
        CAPTURE(id);
        int64_t before = f.mock.stats(id).requests;
        CHECK(f.platform(id).revoke(creds, f.ctx));
        CHECK(f.mock.stats(id).requests == before);
    }
}

TEST_CASE("every platform's mock base URLs are in the demo overrides") {
    auto urls = onramp::mock::demo_base_urls("http://127.0.0.1:9");
    for (const platforms::Module* m : platforms::modules()) {
        CAPTURE(m->id);
        CHECK(urls.count(std::string(m->id)) == 1);
        CHECK(onramp::mock::demo_credentials().contains(std::string(m->id)));
    }
}

TEST_CASE("every webhook scheme verifies what its signer signs") {
    for (const webhooks::Scheme* s : webhooks::schemes()) {
        for (bool variant : {false, true}) {
            CAPTURE(s->name);
            CAPTURE(variant);
            webhooks::Delivery d = example_delivery();
            webhooks::Secrets secrets = s->example_secrets(variant);
            s->sign(d, secrets, kNow);
            auto v = webhooks::verify(*s, d, secrets, kNow);
            CHECK_MESSAGE(v.valid, v.reason);
        }
    }
}

TEST_CASE("every webhook scheme rejects a delivery signed with another secret, and one with no secret set") {
    for (const webhooks::Scheme* s : webhooks::schemes()) {
        CAPTURE(s->name);
        webhooks::Delivery d = example_delivery();
        webhooks::Secrets theirs = s->example_secrets(false);
        s->sign(d, theirs, kNow);
        webhooks::Secrets ours = theirs;
        ours.keys = {theirs.keys.front() + "x"};
        if (s->whsec_secret) ours.keys = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx"};
        auto v = webhooks::verify(*s, d, ours, kNow);
        CHECK_FALSE(v.valid);
        CHECK(webhooks::verify(*s, d, webhooks::Secrets{}, kNow).failure == webhooks::Failure::no_secret);
    }
}

TEST_CASE("every webhook scheme is found by its name") {
    for (const webhooks::Scheme* s : webhooks::schemes()) CHECK(webhooks::find_scheme(s->name) == s);
}

}
