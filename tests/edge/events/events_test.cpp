// Specification of events out (edge/events/): outbound webhooks signed
// with the Standard Webhooks scheme, sent to a receiver on loopback (a
// router served by the edge's own HTTP server), retried with backoff while
// it is down, never acknowledged twice; endpoint URLs that lead to this
// machine or its network refused; the realtime stream resuming from
// Last-Event-ID without gaps; and the secrets never stored or shown but
// once.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "edge/connectors/mock_fixture.h"
#include "edge/crypto/encoding.h"
#include "edge/documents/ingest.h"
#include "edge/events/dispatcher.h"
#include "edge/events/endpoints.h"
#include "edge/events/events.h"
#include "edge/mock/server.h"
#include "edge/onboarding/progress.h"
#include "edge/support/served.h"
#include "edge/support/test_app.h"
#include "edge/sync/engine.h"
#include "edge/webhooks/verify.h"
#include "edge/webhooks/webhook_test_support.h"
#include "edge/webhooks/worker.h"

using nlohmann::json;
using onramp::events::DispatcherOptions;
using onramp::testing::Reply;
using onramp::testing::TestApp;

namespace {

// An HTTP receiver on loopback that records every request, answering
// `status` (503 while "down").
struct Receiver {
    struct Got {
        std::string id, timestamp, signature, body;
    };
    std::mutex mu;
    std::vector<Got> got;
    std::atomic<int> status{200};
    onramp::http::Router router;
    std::unique_ptr<onramp::testing::Served> served;

    Receiver() {
        router.add({"POST", "/hook", onramp::http::Access::Public, onramp::http::Body::Raw,
                    [this](const onramp::http::Call& c) -> onramp::Result<onramp::http::Response> {
                        std::lock_guard<std::mutex> lock(mu);
                        got.push_back({c.req.header("webhook-id"), c.req.header("webhook-timestamp"),
                                       c.req.header("webhook-signature"), c.req.body});
                        return onramp::http::Response::empty(status.load());
                    }});
        served = std::make_unique<onramp::testing::Served>(router);
    }
    std::string url() const { return served->url() + "/hook"; }
    std::vector<Got> all() {
        std::lock_guard<std::mutex> lock(mu);
        return got;
    }
};

// The edge's own verifier, as a receiver would run it.
onramp::webhooks::Verdict verify(const Receiver::Got& g, const std::string& secret, int64_t now) {
    onramp::webhooks::Delivery d;
    d.headers.emplace("webhook-id", g.id);
    d.headers.emplace("webhook-timestamp", g.timestamp);
    d.headers.emplace("webhook-signature", g.signature);
    d.body = g.body;
    d.content_type = "application/json";
    onramp::webhooks::Secrets s;
    s.keys = {secret};
    return onramp::webhooks::verify("standard", d, s, now);
}

struct World {
    onramp::testing::MockFixture m{onramp::testing::small_mock(5)};
    TestApp t;
    std::string org, manager, member, op;
    std::string logged;
    DispatcherOptions options;
    std::unique_ptr<onramp::events::Dispatcher> dispatcher;

    World() {
        t.app.log = [this](const std::string& line) { logged += line + "\n"; };
        t.app.config.demo = true;  // the mock platforms are on loopback
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.config.outbound_allow_http = true;
        t.app.config.outbound_allow_private = true;
        t.app.config.event_stream_ms = 0;  // a stream sends what there is, then ends
        org = t.make_org("Acme");
        t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
        t.add_member(org, t.make_user("carl@acme.test", "pw-123456"), "csr");
        manager = t.login("ann@acme.test", "pw-123456");
        member = t.login("carl@acme.test", "pw-123456");
        t.make_user("op@hub.test", "pw-123456", true);
        op = t.login("op@hub.test", "pw-123456");
        options.random = [] { return 0.5; };
        options.timeout_ms = 2000;
        dispatcher = std::make_unique<onramp::events::Dispatcher>(t.app, options);
    }
    std::string base() const { return "/api/v1/orgs/" + org + "/event-endpoints"; }
    // Moves the clock on; sessions expire meanwhile, so everyone signs in again.
    void advance(int64_t seconds) {
        t.clock += seconds;
        manager = t.login("ann@acme.test", "pw-123456");
        member = t.login("carl@acme.test", "pw-123456");
    }
    json endpoint(const std::string& url, const json& extra = json::object()) {
        json body = {{"url", url}, {"description", "Acme's CRM"}};
        body.update(extra);
        Reply r = t.post(base(), body, manager);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return r.json();
    }
    json shop(const json& credentials, bool sync = false) {
        return t.post("/api/v1/orgs/" + org + "/connections",
                      {{"platform", "shopify"}, {"name", "Acme shop"}, {"credentials", credentials},
                       {"perform_initial_sync", sync}},
                      manager)
            .json();
    }
    int64_t count(const std::string& sql) {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, sql);
        st.step();
        return st.i64(0);
    }
};

json demo_shop() { return onramp::mock::demo_credentials()["shopify"]; }

// Every event's type in order, from a receiver's requests.
std::vector<std::string> types_of(const std::vector<Receiver::Got>& got) {
    std::vector<std::string> out;
    for (const auto& g : got) out.push_back(json::parse(g.body)["type"].get<std::string>());
    return out;
}

// Server-sent events as (id, event, data) from a stream's body.
struct Sse {
    int64_t id;
    std::string event;
    json data;
};
std::vector<Sse> parse_sse(const std::string& body) {
    std::vector<Sse> out;
    size_t at = 0;
    while (at < body.size()) {
        size_t end = body.find("\n\n", at);
        if (end == std::string::npos) break;
        std::string block = body.substr(at, end - at);
        at = end + 2;
        Sse e{-1, "", nullptr};
        size_t line_at = 0;
        while (line_at < block.size()) {
            size_t nl = block.find('\n', line_at);
            std::string line = block.substr(line_at, nl == std::string::npos ? std::string::npos : nl - line_at);
            line_at = nl == std::string::npos ? block.size() : nl + 1;
            if (line.rfind("id: ", 0) == 0) e.id = std::stoll(line.substr(4));
            if (line.rfind("event: ", 0) == 0) e.event = line.substr(7);
            if (line.rfind("data: ", 0) == 0) e.data = json::parse(line.substr(6));
        }
        if (e.id >= 0) out.push_back(e);
    }
    return out;
}

}  // namespace

TEST_SUITE("events.signing") {

TEST_CASE("a delivery is signed as the Standard Webhooks spec's example, with both secrets during a rotation") {
    // spec/standard-webhooks.md's example (also svix-webhooks' test vector).
    const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const std::string expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    CHECK(onramp::events::signature_header({secret}, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                           R"({"test": 2432232314})") == expected);
    std::string other = onramp::events::new_secret();
    std::string both = onramp::events::signature_header({other, secret}, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                                        R"({"test": 2432232314})");
    REQUIRE(both.find(' ') != std::string::npos);
    CHECK(both.substr(both.find(' ') + 1) == expected);
    CHECK(both.rfind("v1,", 0) == 0);
}

TEST_CASE("a new secret is whsec_ and the base64 of 32 random bytes, different each time") {
    std::string a = onramp::events::new_secret(), b = onramp::events::new_secret();
    REQUIRE(a.rfind("whsec_", 0) == 0);
    auto key = onramp::crypto::base64_decode(a.substr(6));
    REQUIRE(key);
    CHECK(key->size() == 32);
    CHECK(a != b);
}

TEST_CASE("backoff doubles from the base up to the cap, drawn within a quarter either way") {
    DispatcherOptions o;
    o.base_backoff_s = 10;
    o.max_backoff_s = 7200;
    CHECK(onramp::events::backoff_seconds(o, 1, 0.5) == 10);
    CHECK(onramp::events::backoff_seconds(o, 2, 0.5) == 20);
    CHECK(onramp::events::backoff_seconds(o, 5, 0.5) == 160);
    CHECK(onramp::events::backoff_seconds(o, 30, 0.5) == 7200);
    CHECK(onramp::events::backoff_seconds(o, 3, 0.0) == 30);   // 40 · 0.75
    CHECK(onramp::events::backoff_seconds(o, 3, 0.999) == 50);  // 40 · ~1.25
    // Within a day: about twenty tries before giving up.
    int64_t waited = 0;
    int tries = 0;
    while (waited <= 24 * 3600) waited += onramp::events::backoff_seconds(o, ++tries, 0.5);
    CHECK(tries > 10);
    CHECK(tries < 30);
}

TEST_CASE("endpoint URLs must be https and public unless the deployment allows otherwise") {
    onramp::Config c;
    auto refused = [&](const std::string& url) { return !onramp::events::check_url(c, url); };
    CHECK_FALSE(refused("https://hooks.example.com/onramp"));
    CHECK(refused("http://hooks.example.com/onramp"));
    CHECK(refused("ftp://hooks.example.com/"));
    CHECK(refused("https://user@hooks.example.com/"));
    CHECK(refused("https://127.0.0.1/hook"));
    CHECK(refused("https://[::1]/hook"));
    CHECK(refused("https://169.254.169.254/latest/meta-data"));
    CHECK(refused("https://10.0.0.5/admin"));
    CHECK(refused("https://192.168.1.1/"));
    CHECK(refused("https://[::ffff:127.0.0.1]/"));
    CHECK(refused("https://hooks.example.com/" + std::string(2100, 'a')));
    c.outbound_allow_http = true;
    CHECK_FALSE(refused("http://hooks.example.com/onramp"));
    CHECK(refused("http://127.0.0.1:9/hook"));
    c.outbound_allow_private = true;
    CHECK_FALSE(refused("http://127.0.0.1:9/hook"));
}

}  // TEST_SUITE

TEST_SUITE("events.out") {

TEST_CASE("a manager registers an endpoint: the secret is shown once, stored sealed, and never shown again") {
    World w;
    std::string before = w.t.snapshot();
    json made = w.endpoint("https://hooks.acme.test/onramp", {{"event_types", {"sync.finished", "sync.failed"}}});
    std::string secret = made["secret"];
    REQUIRE(secret.rfind("whsec_", 0) == 0);
    std::string id = made["id"];
    CHECK(made["event_types"] == json({"sync.finished", "sync.failed"}));
    Reply one = w.t.get(w.base() + "/" + id, w.manager);
    REQUIRE(one.status == 200);
    Reply listed = w.t.get(w.base(), w.manager);
    CHECK(listed.json()["total"] == 1);
    for (const Reply& r : {one, listed}) CHECK(r.body.find(secret.substr(6)) == std::string::npos);
    std::string stored = w.t.snapshot();
    CHECK(stored.find(secret.substr(6)) == std::string::npos);
    CHECK(stored != before);
    // A member may not manage them; another org's manager sees none of them.
    CHECK(w.t.get(w.base(), w.member).status == 403);
    std::string other = w.t.make_org("Borealis");
    w.t.add_member(other, w.t.make_user("bea@borealis.test", "pw-123456"), "manager");
    std::string bea = w.t.login("bea@borealis.test", "pw-123456");
    CHECK(w.t.get(w.base() + "/" + id, bea).status == 404);
    CHECK(w.t.get("/api/v1/orgs/" + other + "/event-endpoints/" + id, bea).status == 404);
}

TEST_CASE("bad endpoint bodies are 422 problems that change nothing") {
    World w;
    std::string before = w.t.snapshot();
    for (const json& body : {json{{"description", "no url"}}, json{{"url", "http://hooks.acme.test/"}},
                             json{{"url", "https://hooks.acme.test/"}, {"event_types", {"sync.exploded"}}},
                             json{{"url", "https://hooks.acme.test/"}, {"event_types", json::array()}},
                             json{{"url", "https://hooks.acme.test/"}, {"secret", "whsec_mine"}}}) {
        w.t.app.config.outbound_allow_http = false;
        Reply r = w.t.post(w.base(), body, w.manager);
        CAPTURE(body.dump());
        CHECK(r.status == 422);
        CHECK(r.content_type == "application/problem+json");
    }
    w.t.app.config.outbound_allow_private = false;
    CHECK(w.t.post(w.base(), {{"url", "https://169.254.169.254/"}}, w.manager).status == 422);
    CHECK(w.t.snapshot() == before);
}

TEST_CASE("every event type reaches the receiver once, signed so that the endpoint's secret verifies it") {
    World w;
    Receiver rx;
    json made = w.endpoint(rx.url());
    std::string secret = made["secret"];

    // onboarding.step_completed, onboarding.completed
    Reply basics = w.t.post("/api/v1/onboarding/company-basics",
                            {{"company_name", "Acme"}, {"company_phone", "+1-555-010-1111"},
                             {"company_email", "office@acme.test"}, {"company_domain", "acme.test"},
                             {"industry", "logistics"}, {"timezone", "America/New_York"}, {"team_size", 12},
                             {"admin_name", "Ann"}, {"admin_email", "ann@acme.test"}},
                            w.manager);
    REQUIRE_MESSAGE(basics.status == 200, basics.body);
    {
        auto db = w.t.app.store->lease();
        onramp::onboarding::mark_completed(*db, w.org, w.t.clock);
        onramp::onboarding::mark_completed(*db, w.org, w.t.clock + 5);  // already done: no second event
    }
    // Refused credentials are bad input: a 422, and no event.
    json bad = demo_shop();
    bad["access_token"] = "shpat_not_a_real_token_00000000";
    int64_t events_before = w.count("SELECT COUNT(*) FROM events");
    CHECK(w.shop(bad).contains("error_code"));
    CHECK(w.count("SELECT COUNT(*) FROM events") == events_before);
    // connection.created, sync.finished
    json shop = w.shop(demo_shop(), true);
    std::string shop_id = shop["id"];
    onramp::sync::Engine engine(w.t.app, 1);
    engine.drain();
    // webhook.received
    std::string hook_secret = "whsec-acme-0123456789abcdef";
    REQUIRE(w.t.call("PUT", "/api/v1/orgs/" + w.org + "/connections/" + shop_id + "/webhooks/secret",
                     json{{"secret", hook_secret}}.dump(), w.manager)
                .status == 200);
    std::string delivery = R"({"id":7000000001,"title":"Mug"})";
    Reply hook = w.t.call("POST", "/webhooks/shopify/" + shop_id, delivery, "",
                          {{"Content-Type", "application/json"},
                           {"X-Shopify-Hmac-Sha256", webhook_test::hmac_sha256_b64(hook_secret, delivery)},
                           {"X-Shopify-Topic", "products/update"},
                           {"X-Shopify-Shop-Domain", demo_shop()["shop_domain"].get<std::string>()},
                           {"X-Shopify-API-Version", "2024-04"},
                           {"X-Shopify-Webhook-Id", "events-1"}});
    REQUIRE_MESSAGE(hook.status == 200, hook.body);
    // connection.failed, webhook.dead_lettered and sync.failed: the stored
    // token is no longer accepted.
    {
        auto db = w.t.app.store->lease();
        REQUIRE(w.t.app.vault->put(*db, w.org, shop_id, "access_token", "shpat_revoked_0123456789abcdef"));
    }
    onramp::webhooks::WorkerOptions wo;
    wo.max_attempts = 1;
    onramp::webhooks::Worker worker(w.t.app, wo);
    worker.drain();
    REQUIRE(w.t.call("POST", "/api/v1/orgs/" + w.org + "/connections/" + shop_id + "/sync", "", w.manager).status == 202);
    engine.drain();
    Reply retest = w.t.call("POST", "/api/v1/orgs/" + w.org + "/connections/" + shop_id + "/test", "", w.manager);
    REQUIRE_MESSAGE(retest.status == 200, retest.body);
    CHECK(retest.json()["success"] == false);
    // document.ingested
    onramp::http::Request up;
    up.method = "POST";
    up.path = "/api/v1/onboarding/documents/upload";
    up.headers.emplace("Content-Type", "multipart/form-data; boundary=----onramp");
    up.headers.emplace("Authorization", "Bearer " + w.manager);
    up.files.emplace("file", onramp::http::UploadedFile{"playbook.txt", "text/plain", "Greet the caller.\n"});
    up.form.emplace("category", "sop");
    REQUIRE(w.t.send(std::move(up)).status == 201);
    onramp::documents::IngestOptions io;
    io.data_dir = w.t.dir.path;
    io.now = [&w] { return w.t.clock; };
    io.extractor = ONRAMP_READER_BINARY;
    onramp::documents::IngestWorker ingest(*w.t.app.store, io);
    CHECK(ingest.run_pending() == 1);

    int sent = w.dispatcher->drain();
    std::vector<Receiver::Got> got = rx.all();
    CHECK(sent == int(got.size()));
    std::vector<std::string> types = types_of(got);
    std::set<std::string> seen(types.begin(), types.end());
    for (const std::string& type : onramp::events::all_types()) CHECK_MESSAGE(seen.count(type), type);
    CHECK(std::count(types.begin(), types.end(), "onboarding.completed") == 1);
    std::set<std::string> ids;
    for (const auto& g : got) {
        CAPTURE(g.body);
        CHECK(ids.insert(g.id).second);  // none twice
        onramp::webhooks::Verdict v = verify(g, secret, w.t.clock);
        CHECK_MESSAGE(v.valid, v.reason);
        json body = json::parse(g.body);
        CHECK(body["data"]["org_id"] == w.org);
        CHECK(body["timestamp"].is_string());
        // No secret of any kind travels: not the platform's, not the hook's.
        CHECK(g.body.find(demo_shop()["access_token"].get<std::string>()) == std::string::npos);
        CHECK(g.body.find(hook_secret) == std::string::npos);
        CHECK(g.body.find(secret.substr(6)) == std::string::npos);
    }
    // A wrong secret does not verify.
    CHECK_FALSE(verify(got.front(), onramp::events::new_secret(), w.t.clock).valid);
    // webhook.received carries the platform's body, parsed.
    for (const auto& g : got)
        if (json::parse(g.body)["type"] == "webhook.received")
            CHECK(json::parse(g.body)["data"]["payload"]["title"] == "Mug");
    // Nothing is left to send; the log says so.
    CHECK(w.dispatcher->drain() == 0);
    CHECK(w.count("SELECT COUNT(*) FROM event_deliveries WHERE state != 'delivered'") == 0);
    CHECK(w.logged.find(secret.substr(6)) == std::string::npos);
}

TEST_CASE("a receiver down for a while gets every event once it is back, none acknowledged twice") {
    World w;
    Receiver rx;
    json made = w.endpoint(rx.url(), {{"event_types", {"onboarding.step_completed", "document.ingested"}}});
    std::string id = made["id"];
    rx.status = 503;
    std::vector<std::string> emitted;
    {
        auto db = w.t.app.store->lease();
        for (int i = 0; i < 5; ++i)
            emitted.push_back(std::to_string(onramp::events::emit(*db, w.t.clock, "onboarding.step_completed", w.org,
                                                                  {{"step", "s" + std::to_string(i)}})));
        onramp::events::emit(*db, w.t.clock, "sync.finished", w.org, json::object());  // not subscribed
    }
    // Down: the first attempt fails, the endpoint is not tried again in the
    // same pass, each delivery waits out its backoff.
    w.dispatcher->drain();
    size_t tried_while_down = rx.all().size();
    CHECK(tried_while_down == 5);
    CHECK(w.count("SELECT COUNT(*) FROM event_deliveries WHERE state = 'pending' AND attempts = 1") == 5);
    Reply log = w.t.get(w.base() + "/" + id + "/deliveries", w.manager);
    REQUIRE(log.status == 200);
    CHECK(log.json()["total"] == 5);
    CHECK(log.json()["items"][0]["response_status"] == 503);
    CHECK(log.json()["items"][0]["next_attempt_at"].is_string());
    // Nothing is due until time moves on.
    CHECK(w.dispatcher->drain() == 0);
    w.advance(3600);
    w.dispatcher->drain();  // still down: a second attempt each
    CHECK(rx.all().size() == 10);
    rx.status = 200;
    w.advance(3600);
    CHECK(w.dispatcher->drain() == 5);
    CHECK(w.dispatcher->drain() == 0);
    w.advance(86400);
    CHECK(w.dispatcher->drain() == 0);
    std::map<std::string, int> acknowledged;
    for (const auto& g : rx.all()) acknowledged[g.id] += 0;
    std::vector<Receiver::Got> got = rx.all();
    for (size_t i = 10; i < got.size(); ++i) acknowledged[got[i].id] += 1;
    CHECK(acknowledged.size() == 5);
    for (const auto& [event_id, n] : acknowledged) CHECK_MESSAGE(n == 1, event_id);
    CHECK(w.count("SELECT COUNT(*) FROM event_deliveries WHERE state = 'delivered' AND attempts = 3") == 5);
    // The same webhook-id on every attempt of an event.
    std::set<std::string> distinct;
    for (const auto& g : got) distinct.insert(g.id);
    CHECK(distinct.size() == 5);

    // Replay sends a delivered one again, on request only.
    json first = w.t.get(w.base() + "/" + id + "/deliveries", w.manager).json()["items"][0];
    Reply replayed = w.t.call("POST", w.base() + "/" + id + "/deliveries/" + std::to_string(first["id"].get<int64_t>()) +
                                           "/replay", "", w.manager);
    REQUIRE_MESSAGE(replayed.status == 202, replayed.body);
    CHECK(replayed.json()["state"] == "pending");
    CHECK(w.dispatcher->drain() == 1);
    CHECK(rx.all().size() == got.size() + 1);
    CHECK(rx.all().back().id == first["event_id"]);
    CHECK(w.t.call("POST", w.base() + "/" + id + "/deliveries/999999/replay", "", w.manager).status == 404);
}

TEST_CASE("a receiver that never comes back is failed after about a day, and the log shows why") {
    World w;
    Receiver rx;
    rx.status = 500;
    std::string id = w.endpoint(rx.url())["id"];
    {
        auto db = w.t.app.store->lease();
        onramp::events::emit(*db, w.t.clock, "sync.failed", w.org, {{"connection_id", "con_x"}});
    }
    int64_t start = w.t.clock;
    int attempts = 0;
    while (w.t.clock - start < 2 * 86400) {
        attempts += w.dispatcher->drain();
        w.t.clock += 600;
    }
    CHECK(attempts > 10);
    CHECK(attempts < 30);
    w.advance(0);
    Reply failed = w.t.get(w.base() + "/" + id + "/deliveries?state=failed", w.manager);
    REQUIRE_MESSAGE(failed.status == 200, failed.body);
    json d = failed.json();
    REQUIRE(d["total"] == 1);
    CHECK(d["items"][0]["state"] == "failed");
    CHECK(d["items"][0]["attempts"] == attempts);
    CHECK(d["items"][0]["response_status"] == 500);
    CHECK(d["items"][0]["next_attempt_at"].is_null());
    CHECK(w.t.get(w.base() + "/" + id + "/deliveries?state=lost", w.manager).status == 422);
}

TEST_CASE("without the private-address allowance a receiver on loopback is never contacted") {
    World w;
    Receiver rx;
    std::string id = w.endpoint("http://localhost:" + std::to_string(rx.served->server->port()) + "/hook")["id"];
    w.t.app.config.outbound_allow_private = false;
    {
        auto db = w.t.app.store->lease();
        onramp::events::emit(*db, w.t.clock, "sync.finished", w.org, json::object());
    }
    CHECK(w.dispatcher->drain() == 1);
    CHECK(rx.all().empty());
    json d = w.t.get(w.base() + "/" + id + "/deliveries", w.manager).json()["items"][0];
    CHECK(d["state"] == "pending");
    CHECK(d["response_status"].is_null());
    CHECK(d["last_error"].get<std::string>().find("private or local network") != std::string::npos);
}

TEST_CASE("after a rotation deliveries carry both signatures for a day, then only the new one") {
    World w;
    Receiver rx;
    json made = w.endpoint(rx.url());
    std::string old_secret = made["secret"], id = made["id"];
    Reply rotated = w.t.call("POST", w.base() + "/" + id + "/rotate-secret", "", w.manager);
    REQUIRE_MESSAGE(rotated.status == 200, rotated.body);
    std::string new_secret = rotated.json()["secret"];
    CHECK(new_secret != old_secret);
    CHECK(rotated.json()["previous_secret_expires_at"].is_string());
    CHECK(w.t.snapshot().find(new_secret.substr(6)) == std::string::npos);
    auto emit = [&] {
        auto db = w.t.app.store->lease();
        onramp::events::emit(*db, w.t.clock, "sync.finished", w.org, json::object());
    };
    emit();
    w.dispatcher->drain();
    Receiver::Got during = rx.all().back();
    CHECK(verify(during, old_secret, w.t.clock).valid);
    CHECK(verify(during, new_secret, w.t.clock).valid);
    w.advance(onramp::events::kRotationOverlapSeconds + 1);
    emit();
    w.dispatcher->drain();
    Receiver::Got after = rx.all().back();
    CHECK(after.signature.find(' ') == std::string::npos);
    CHECK(verify(after, new_secret, w.t.clock).valid);
    CHECK_FALSE(verify(after, old_secret, w.t.clock).valid);
}

TEST_CASE("a disabled or unsubscribed endpoint gets nothing; deleting one takes its log with it") {
    World w;
    Receiver rx;
    std::string id = w.endpoint(rx.url())["id"];
    Reply off = w.t.call("PATCH", w.base() + "/" + id, json{{"enabled", false}}.dump(), w.manager);
    REQUIRE_MESSAGE(off.status == 200, off.body);
    CHECK(off.json()["enabled"] == false);
    CHECK(w.t.call("PATCH", w.base() + "/" + id, json{{"url", "ftp://x"}}.dump(), w.manager).status == 422);
    {
        auto db = w.t.app.store->lease();
        onramp::events::emit(*db, w.t.clock, "sync.finished", w.org, json::object());
    }
    CHECK(w.dispatcher->drain() == 0);
    CHECK(rx.all().empty());
    REQUIRE(w.t.call("PATCH", w.base() + "/" + id, json{{"enabled", true}, {"event_types", {"sync.failed"}}}.dump(),
                     w.manager)
                .status == 200);
    {
        auto db = w.t.app.store->lease();
        onramp::events::emit(*db, w.t.clock, "sync.finished", w.org, json::object());
        onramp::events::emit(*db, w.t.clock, "sync.failed", w.org, json::object());
    }
    CHECK(w.dispatcher->drain() == 1);
    CHECK(types_of(rx.all()) == std::vector<std::string>{"sync.failed"});
    CHECK(w.t.call("DELETE", w.base() + "/" + id, "", w.manager).status == 204);
    CHECK(w.count("SELECT COUNT(*) FROM event_deliveries") == 0);
    CHECK(w.t.get(w.base() + "/" + id, w.manager).status == 404);
}

TEST_CASE("a deployment-wide endpoint of the operators receives every organization's events") {
    World w;
    Receiver rx;
    Reply made = w.t.post("/api/v1/event-endpoints", {{"url", rx.url()}}, w.op);
    REQUIRE_MESSAGE(made.status == 201, made.body);
    CHECK(made.json()["org_id"].is_null());
    CHECK(w.t.post("/api/v1/event-endpoints", {{"url", rx.url()}}, w.manager).status == 403);
    std::string other = w.t.make_org("Borealis");
    {
        auto db = w.t.app.store->lease();
        onramp::events::emit(*db, w.t.clock, "sync.finished", w.org, json::object());
        onramp::events::emit(*db, w.t.clock, "sync.finished", other, json::object());
    }
    CHECK(w.dispatcher->drain() == 2);
    std::set<std::string> orgs;
    for (const auto& g : rx.all()) orgs.insert(json::parse(g.body)["data"]["org_id"]);
    CHECK(orgs == std::set<std::string>{w.org, other});
    // An org's manager does not see it among the org's endpoints.
    CHECK(w.t.get(w.base(), w.manager).json()["total"] == 0);
    CHECK(w.t.get("/api/v1/event-endpoints", w.op).json()["total"] == 1);
}

}  // TEST_SUITE

TEST_SUITE("events.stream") {

TEST_CASE("the event stream resumes after Last-Event-ID or ?after= without a gap or a repeat") {
    World w;
    auto emit = [&](int n) {
        auto db = w.t.app.store->lease();
        for (int i = 0; i < n; ++i)
            onramp::events::emit(*db, w.t.clock, "onboarding.step_completed", w.org, {{"n", i}});
    };
    std::string other = w.t.make_org("Borealis");
    {
        auto db = w.t.app.store->lease();
        onramp::events::emit(*db, w.t.clock, "sync.finished", other, json::object());
    }
    emit(150);  // more than one write's worth
    auto open = [&](std::map<std::string, std::string> headers, const std::string& query = "") {
        headers["Accept"] = "text/event-stream";
        Reply r = w.t.call("GET", "/api/v1/orgs/" + w.org + "/events" + query, "", w.member, headers);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        CHECK(r.content_type == "text/event-stream");
        return parse_sse(r.body);
    };
    std::vector<Sse> first = open({});
    REQUIRE(first.size() == 150);
    for (size_t i = 1; i < first.size(); ++i) CHECK(first[i].id > first[i - 1].id);
    for (const Sse& e : first) {
        CHECK(e.event == "onboarding.step_completed");
        CHECK(e.data["data"]["org_id"] == w.org);  // never the other org's
    }
    int64_t last = first.back().id;
    emit(3);
    std::vector<Sse> resumed = open({{"Last-Event-ID", std::to_string(last)}});
    REQUIRE(resumed.size() == 3);
    CHECK(resumed[0].data["data"]["n"] == 0);
    CHECK(resumed[2].data["data"]["n"] == 2);
    std::vector<Sse> by_query = open({}, "?after=" + std::to_string(first[99].id));
    REQUIRE(by_query.size() == 53);
    CHECK(by_query[0].id == first[100].id);
    // Without Accept: text/event-stream, one JSON page.
    Reply page = w.t.get("/api/v1/orgs/" + w.org + "/events?after=" + std::to_string(last), w.member);
    REQUIRE(page.status == 200);
    CHECK(page.json()["items"].size() == 3);
    CHECK(page.json()["next_after"] == resumed.back().id);
    CHECK(w.t.get("/api/v1/orgs/" + w.org + "/events?after=abc", w.member).status == 422);
    CHECK(w.t.get("/api/v1/orgs/" + other + "/events", w.member).status == 404);
    CHECK(w.t.get("/api/v1/orgs/" + w.org + "/events").status == 401);
    // EventSource's way in: the token in the query.
    Reply q = w.t.call("GET", "/api/v1/orgs/" + w.org + "/events?access_token=" + w.member + "&after=" +
                                  std::to_string(last), "", "", {{"Accept", "text/event-stream"}});
    CHECK(parse_sse(q.body).size() == 3);
}

TEST_CASE("events older than the retention window are deleted; a reader far behind gets what is kept") {
    World w;
    int64_t old_seq = 0;
    {
        auto db = w.t.app.store->lease();
        old_seq = onramp::events::emit(*db, w.t.clock, "sync.finished", w.org, json::object());
    }
    w.advance(onramp::events::kRetentionSeconds - 60);
    {
        auto db = w.t.app.store->lease();
        onramp::events::emit(*db, w.t.clock, "sync.failed", w.org, json::object());
    }
    w.advance(120);
    w.dispatcher->drain();  // each pass deletes what is past retention
    CHECK(w.count("SELECT COUNT(*) FROM events") == 1);
    Reply page = w.t.get("/api/v1/orgs/" + w.org + "/events?after=" + std::to_string(old_seq - 1), w.member);
    REQUIRE_MESSAGE(page.status == 200, page.body);
    REQUIRE(page.json()["items"].size() == 1);
    CHECK(page.json()["items"][0]["type"] == "sync.failed");
}

}  // TEST_SUITE
