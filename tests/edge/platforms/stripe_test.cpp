// The production Stripe connector against the mock Stripe over loopback:
// the key test (a good key, a wrong one, a restricted key without a
// permission), payments and refunds paged by limit and starting_after, the
// mock refusing requests that break those rules, an incremental run on
// created, webhook events refetching the records they name, and the
// Stripe-Signature check on a vector computed apart from the code.
#include <doctest/doctest.h>

#include <set>

#include "edge/connectors/resilience.h"
#include "edge/http/client.h"
#include "edge/platforms/stripe/webhook.h"
#include "edge/sync/sync_fixture.h"
#include "edge/webhooks/inbox.h"
#include "edge/webhooks/topics.h"
#include "edge/webhooks/worker.h"

using nlohmann::json;
using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::demo::Kind;
using onramp::testing::describe;
using onramp::testing::MockFixture;
using onramp::testing::SyncApp;

namespace onramp::platforms::stripe {
const char* demo_secret_key();
}

namespace {

onramp::http::FetchResponse get(MockFixture& m, const std::string& path, const std::string& key) {
    onramp::http::FetchRequest r;
    r.url = m.mock.url() + "/stripe" + path;
    if (!key.empty()) r.headers.emplace("Authorization", "Bearer " + key);
    auto res = onramp::http::fetch(r);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    return res.response;
}

// A call as the merchant makes it, with the secret key: form-encoded POST.
json post(MockFixture& m, const std::string& path, const std::string& form) {
    onramp::http::FetchRequest r;
    r.method = "POST";
    r.url = m.mock.url() + "/stripe" + path;
    r.body = form;
    r.content_type = "application/x-www-form-urlencoded";
    r.headers.emplace("Authorization", std::string("Bearer ") + onramp::platforms::stripe::demo_secret_key());
    auto res = onramp::http::fetch(r);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    REQUIRE_MESSAGE(res.response.status == 200, res.response.body);
    return json::parse(res.response.body);
}

json error_of(const onramp::http::FetchResponse& res) { return json::parse(res.body)["error"]; }

// The first data set order with this status.
int64_t order_with(onramp::demo::Dataset& d, const std::string& status) {
    for (int64_t i = 0; i < d.count(Kind::order); ++i)
        if (d.order(i).status == status) return i;
    FAIL("no order is " << status);
    return -1;
}

std::string padded(const char* prefix, int64_t i) {
    std::string digits = std::to_string(i);
    return prefix + std::string(10 - digits.size(), '0') + digits;
}

int64_t refunded_orders(onramp::demo::Dataset& d) {
    int64_t n = 0;
    for (int64_t i = 0; i < d.count(Kind::order); ++i) n += d.order(i).status == "refunded";
    return n;
}

}  // namespace

TEST_SUITE("connectors.stripe") {

TEST_CASE("the demo restricted key tests successfully with both read permissions granted") {
    MockFixture m;
    auto t = m.platform("stripe").test(m.creds("stripe"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.granted_scopes == std::vector<std::string>{"payment_intents_read", "charges_read"});
    CHECK(t.verified.details["restricted"] == true);
    CHECK(t.verified.details["livemode"] == false);
    // A restricted key may not read the account; the secret key names it.
    auto s = m.platform("stripe").test(m.creds("stripe", {{"secret_key", onramp::platforms::stripe::demo_secret_key()}}), m.ctx);
    REQUIRE_MESSAGE(s.ok(), describe(s));
    CHECK(s.verified.account_name == "Onramp Demo Shop");
    CHECK(s.verified.account_id == "acct_1OnrampDemo0001");
}

TEST_CASE("a wrong key is credential_rejected and never quoted; a publishable key is refused before any call") {
    MockFixture m;
    std::string wrong = "sk_test_51WrongKeyWrongKeyWrongKey000";
    auto t = m.platform("stripe").test(m.creds("stripe", {{"secret_key", wrong}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->http_status == 401);
    CHECK(t.failure->field == "secret_key");
    CHECK(t.failure->message.find(wrong) == std::string::npos);
    CHECK(t.failure->platform_message.find(wrong) == std::string::npos);

    int64_t before = m.mock.stats("stripe").requests;
    auto p = m.platform("stripe").test(m.creds("stripe", {{"secret_key", "pk_test_51PublishableKey000000000"}}), m.ctx);
    REQUIRE_FALSE(p.ok());
    CHECK(p.failure->cause == Cause::credential_rejected);
    CHECK(p.failure->message.find("publishable") != std::string::npos);
    CHECK(m.mock.stats("stripe").requests == before);
}

TEST_CASE("a restricted key without Charges and Refunds read is scope_missing and says what to grant") {
    MockFixture m;
    onramp::mock::Faults f;
    f.missing_scopes = {"charges_read"};
    m.mock.set_faults("stripe", f);
    auto raw = get(m, "/v1/refunds?limit=1", m.creds("stripe").at("secret_key"));
    CHECK(raw.status == 403);
    CHECK(error_of(raw)["type"] == "permission_error");

    auto t = m.platform("stripe").test(m.creds("stripe"), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->step == "check_scopes");
    CHECK(t.failure->cause == Cause::scope_missing);
    CHECK(t.failure->missing_scopes == std::vector<std::string>{"charges_read"});
    CHECK(t.failure->message.find("Charges and Refunds: Read") != std::string::npos);
    CHECK(t.verified.granted_scopes == std::vector<std::string>{"payment_intents_read"});
}

TEST_CASE("payments and refunds come in pages of 100 by starting_after, amounts in minor units") {
    MockFixture m(onramp::testing::small_mock(600));
    auto& d = m.mock.state().data;
    auto c = m.creds("stripe");
    size_t pages = 0;
    auto payments = m.all("stripe", Resource::payments, c, &pages);
    CHECK(int64_t(payments.size()) == d.count(Kind::order));
    CHECK(pages == size_t((d.count(Kind::order) + 99) / 100));
    REQUIRE(pages >= 3);
    std::set<std::string> ids;
    for (const auto& p : payments) ids.insert(p.id);
    CHECK(ids.size() == payments.size());
    int64_t i = order_with(d, "paid");
    auto one = m.platform("stripe").fetch_one(c, m.ctx, Resource::payments, padded("pi_demo", i));
    REQUIRE(one.ok());
    CHECK(one->data["amount"] == d.order(i).total_cents);
    CHECK(one->data["currency"] == "usd");
    CHECK(one->data["status"] == "succeeded");
    CHECK(one->data["amount_refunded"] == 0);

    size_t refund_pages = 0;
    auto refunds = m.all("stripe", Resource::refunds, c, &refund_pages);
    CHECK(int64_t(refunds.size()) == refunded_orders(d));
    CHECK(refund_pages == size_t((refunded_orders(d) + 99) / 100));
    REQUIRE_FALSE(refunds.empty());
    CHECK(refunds[0].data["payment_id"].get<std::string>().rfind("pi_demo", 0) == 0);
    CHECK(refunds[0].data["amount"].is_number_integer());
}

TEST_CASE("the mock refuses a page size outside 1..100 and a cursor that is not an id of the list") {
    MockFixture m;
    std::string key = m.creds("stripe").at("secret_key");
    for (const char* limit : {"0", "101", "ten"}) {
        CAPTURE(limit);
        auto r = get(m, std::string("/v1/payment_intents?limit=") + limit, key);
        CHECK(r.status == 400);
        CHECK(error_of(r)["type"] == "invalid_request_error");
        CHECK(error_of(r)["param"] == "limit");
    }
    CHECK(get(m, "/v1/payment_intents?limit=100", key).status == 200);
    auto r = get(m, "/v1/refunds?starting_after=pi_demo0000000001", key);
    CHECK(r.status == 400);
    CHECK(error_of(r)["param"] == "starting_after");
    auto both = get(m, "/v1/refunds?starting_after=a&ending_before=b", key);
    CHECK(both.status == 400);

    // A connector handing a cursor from another list back fails the page.
    auto page = m.platform("stripe").fetch_page(m.creds("stripe"), m.ctx, Resource::refunds, "pi_demo0000000001", {});
    REQUIRE_FALSE(page.ok());
    CHECK(page.failure().http_status == 400);
    CHECK(page.failure().platform_message.find("starting_after") != std::string::npos);
}

TEST_CASE("the mock wants a Bearer key and answers Stripe's error shape; past 25 requests a second it answers 429") {
    auto options = onramp::testing::small_mock(40);
    options.now_ms = [] { return int64_t(1000); };  // one second that never ends
    MockFixture m(options);
    auto none = get(m, "/v1/payment_intents", "");
    CHECK(none.status == 401);
    CHECK(error_of(none)["type"] == "invalid_request_error");
    CHECK(error_of(none)["message"].get<std::string>().find("API key") != std::string::npos);
    std::string key = m.creds("stripe").at("secret_key");
    for (int k = 0; k < 25; ++k) REQUIRE(get(m, "/v1/payment_intents?limit=1", key).status == 200);
    auto limited = get(m, "/v1/payment_intents?limit=1", key);
    CHECK(limited.status == 429);
    CHECK(error_of(limited)["code"] == "rate_limit");
}

TEST_CASE("a sync stores payments and refunds; an incremental run asks only for what was created since its bound") {
    SyncApp s(onramp::testing::small_mock(300));
    auto& d = s.m.mock.state().data;
    std::string id = s.connect("stripe");
    s.engine.drain();
    onramp::sync::Run first = s.latest(id);
    REQUIRE_MESSAGE(first.state == "succeeded", first.errors.dump());
    CHECK(first.resources == std::vector<std::string>{"payments", "refunds"});
    auto count = [&](const char* resource) {
        return s.count(std::string("SELECT COUNT(*) FROM records WHERE connection_id = ? AND resource = '") + resource +
                           "'",
                       id);
    };
    CHECK(count("payments") == d.count(Kind::order));
    CHECK(count("refunds") == refunded_orders(d));

    // The merchant refunds part of a payment after the first run's bound.
    s.t.clock += 60;
    json refund = post(s.m, "/v1/refunds", "payment_intent=" + padded("pi_demo", order_with(d, "paid")) + "&amount=500");
    s.t.clock += 3600;
    auto queued = s.engine.enqueue(s.connection(id), "incremental");
    REQUIRE(bool(queued));
    CHECK(queued->window_after == first.window_before);
    s.engine.drain();
    onramp::sync::Run run = s.latest(id);
    CHECK_MESSAGE(run.state == "succeeded", run.errors.dump());
    CHECK(run.created == 1);
    CHECK(run.updated == 0);
    CHECK(count("refunds") == refunded_orders(d) + 1);
    CHECK(s.count("SELECT COUNT(*) FROM records WHERE connection_id = ? AND platform_id = '" +
                      refund["id"].get<std::string>() + "' AND json_extract(data_json, '$.amount') = 500",
                  id) == 1);
}

TEST_CASE("payment_intent.*, charge.refunded and refund.* events refetch the payment or refund they name") {
    SyncApp s(onramp::testing::small_mock(100));
    auto& d = s.m.mock.state().data;
    std::string conn = s.connect("stripe");
    s.engine.drain();
    onramp::webhooks::Inbox inbox(*s.t.app.store);
    onramp::webhooks::Worker w(s.t.app);
    auto deliver = [&](const std::string& type, const json& object) {
        onramp::webhooks::NewDelivery nd;
        nd.org_id = s.org;
        nd.connection_id = conn;
        nd.platform = "stripe";
        nd.topic = type;
        nd.body = json{{"id", "evt_" + type}, {"object", "event"}, {"type", type}, {"data", {{"object", object}}}}.dump();
        nd.body_sha256 = std::to_string(std::hash<std::string>{}(nd.body));
        nd.received_at = s.t.clock;
        REQUIRE(inbox.add(nd));
        CHECK(w.drain() == 1);
    };
    auto field = [&](const std::string& platform_id, const char* path) {
        auto db = s.t.app.store->lease();
        onramp::store::Stmt st(*db, std::string("SELECT json_extract(data_json, '") + path +
                                        "') FROM records WHERE connection_id = ? AND platform_id = ?");
        st.bind_all(conn, platform_id);
        return st.step() ? st.text(0) : std::string("(none)");
    };

    std::string pending = padded("pi_demo", order_with(d, "pending"));
    CHECK(field(pending, "$.status") == "requires_payment_method");
    post(s.m, "/v1/payment_intents/" + pending + "/cancel", "");
    deliver("payment_intent.canceled", {{"id", pending}, {"object", "payment_intent"}});
    CHECK(field(pending, "$.status") == "canceled");

    int64_t paid = order_with(d, "paid");
    std::string pi = padded("pi_demo", paid);
    json refund = post(s.m, "/v1/refunds", "payment_intent=" + pi + "&amount=250");
    deliver("charge.refunded", {{"id", padded("ch_demo", paid)}, {"object", "charge"}, {"payment_intent", pi}});
    CHECK(field(pi, "$.amount_refunded") == "250");
    std::string re = refund["id"];
    CHECK(field(re, "$.amount") == "(none)");
    deliver("refund.created", {{"id", re}, {"object", "refund"}});
    CHECK(field(re, "$.amount") == "250");
    CHECK(field(re, "$.payment_id") == pi);

    auto ignored = onramp::webhooks::classify("stripe", "customer.created", R"({"data":{"object":{"id":"cus_1"}}})");
    CHECK(ignored.kind == onramp::webhooks::Action::ignore);
}

TEST_CASE("a Stripe-Signature computed apart from the code verifies within five minutes, not after") {
    // HMAC-SHA256 over "<t>.<body>" keyed with the whole secret, computed with
    // printf '%s' "1767225600.<body>" | openssl dgst -sha256 -hmac whsec_onramp_test_vector
    const std::string body =
        R"({"id":"evt_1OnrampPi","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_demo0000000042","object":"payment_intent"}}})";
    const std::string header = "t=1767225600,v1=b09c1c5a33550b81f804490411096eb5a1d5bae472d100cd91bda83272862c75";
    onramp::webhooks::Delivery del;
    del.body = body;
    del.headers.emplace("Stripe-Signature", header);
    onramp::webhooks::Secrets secrets{.keys = {"whsec_onramp_test_vector"}};
    const auto& scheme = onramp::platforms::stripe::scheme();
    auto v = onramp::webhooks::verify(scheme, del, secrets, 1767225600 + 300);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.topic == "payment_intent.succeeded");
    CHECK(v.delivery_id == "evt_1OnrampPi");
    CHECK(onramp::webhooks::verify(scheme, del, secrets, 1767225600 + 301).failure ==
          onramp::webhooks::Failure::timestamp);
    CHECK(onramp::webhooks::sign_stripe("whsec_onramp_test_vector", 1767225600, body) == header);
    auto action = onramp::webhooks::classify("stripe", v.topic, body);
    CHECK(action.kind == onramp::webhooks::Action::refetch);
    CHECK(action.resource == Resource::payments);
    CHECK(action.object_id == "pi_demo0000000042");
}

}
