// The Viber bot platform: the production connector against the mock REST
// bot API over loopback (get_account_info, refusals in words that never
// carry the token), the X-Viber-Content-Signature scheme keyed with the
// stored auth token, the set_webhook check answered 200 without storing,
// de-duplication by message_token through the webhook endpoint, and the
// mock's set_webhook rules.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/http/client.h"
#include "edge/platforms/viber/webhook.h"
#include "edge/support/demo_edge.h"
#include "edge/webhooks/topics.h"
#include "edge/webhooks/webhook_test_support.h"

using nlohmann::json;
using onramp::connectors::Cause;
using onramp::connectors::Resource;
using onramp::testing::DemoEdge;
using onramp::testing::describe;
using onramp::testing::everything_said;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using namespace onramp::webhooks;
using namespace webhook_test;

namespace {

std::string demo_token() { return onramp::mock::demo_credentials()["viber"]["auth_token"]; }

constexpr const char* kWrongToken = "4d0e7a11c0ffee42-0e1f2a3b4c5d6e7f-wrongviber99999";
constexpr const char* kToken = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f";
constexpr const char* kHeader = "X-Viber-Content-Signature";

// The vendor docs' message callback, and its signature under kToken computed
// once outside the project:
//   printf '%s' BODY | openssl dgst -sha256 -hmac 4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f
constexpr const char* kVectorBody =
    R"({"event":"message","timestamp":1457764197627,"message_token":4912661846655238145,)"
    R"("sender":{"id":"01234567890A=","name":"John McClane"},)"
    R"("message":{"type":"text","text":"a message to the service"}})";
constexpr const char* kVectorSignature = "fd740a9ecc530843f93628d91453edd4cd9ba371c051d92625c7f1442d02c8d7";

Delivery callback(std::string body, std::initializer_list<std::pair<std::string, std::string>> headers) {
    return delivery(std::move(body), headers);
}

Delivery signed_callback(const std::string& body, const std::string& token = kToken) {
    return callback(body, {{kHeader, hmac_sha256_hex(token, body)}});
}

// One endpoint of the mock, POSTed as Viber's are.
onramp::http::FetchResponse viber_call(MockFixture& m, const std::string& token, const std::string& endpoint,
                                       const json& body = json::object()) {
    onramp::http::FetchRequest req;
    req.method = "POST";
    req.url = m.mock.url() + "/viber/pa/" + endpoint;
    req.body = body.dump();
    req.content_type = "application/json";
    if (!token.empty()) req.headers.emplace("X-Viber-Auth-Token", token);
    auto res = onramp::http::fetch(req);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    return res.response;
}

}  // namespace

TEST_SUITE("connectors.viber") {

TEST_CASE("Viber: the demo auth token passes get_account_info; the bot's name and id are the account") {
    MockFixture m;
    auto t = m.platform("viber").test(m.creds("viber"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_name == "Onramp Demo");
    CHECK(t.verified.account_id == "pa:5894726012547361234");
    CHECK(t.verified.details["uri"] == "onrampdemo");
    CHECK(t.verified.details["id"] == "pa:5894726012547361234");
    CHECK(m.platform("viber").resources().empty());
}

TEST_CASE("Viber: a wrong auth token (status 2) is refused in words naming the field, never echoing the token") {
    MockFixture m;
    auto t = m.platform("viber").test(m.creds("viber", {{"auth_token", kWrongToken}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->http_status == 200);
    CHECK(t.failure->platform_message == "invalidAuthToken");
    CHECK(t.failure->field == "auth_token");
    CHECK(t.failure->message.find("did not accept the auth token") != std::string::npos);
    CHECK(everything_said(*t.failure).find(kWrongToken) == std::string::npos);
    CHECK(everything_said(*t.failure).find("wrongviber") == std::string::npos);
}

TEST_CASE("Viber: a token that could break the header is refused before any request") {
    MockFixture m;
    int64_t before = m.mock.stats("viber").requests;
    // The catalog's validator refuses these first; the connector does not
    // rely on it, so they are handed to it directly.
    for (std::string bad : {std::string("4d0e7a11c0ffee42-0e1f\r\nX-Other: 1"), std::string("4d0e7a11c0ffee42 0e1f2a3b4c5d6e7f")}) {
        CAPTURE(bad);
        auto creds = m.creds("viber");
        creds["auth_token"] = bad;
        auto t = m.platform("viber").test(creds, m.ctx);
        REQUIRE_FALSE(t.ok());
        CHECK(t.failure->cause == Cause::credential_rejected);
        CHECK(t.failure->field == "auth_token");
        CHECK(everything_said(*t.failure).find(bad) == std::string::npos);
        CHECK_FALSE(m.platform("viber").proxy(creds, m.ctx).ok());
    }
    CHECK(m.mock.stats("viber").requests == before);
}

TEST_CASE("Viber: the connection test through the API answers a refusal without echoing the token") {
    MockFixture m;
    DemoEdge e(m.mock);
    std::string refusal = e.refused_credential_test("viber", "auth_token", demo_token(), kWrongToken);
    CHECK(refusal.find("did not accept the auth token") != std::string::npos);
    CHECK(refusal.find("wrongviber") == std::string::npos);
}

TEST_CASE("Viber: nothing to sync; asking for a resource is refused without a request") {
    MockFixture m;
    int64_t before = m.mock.stats("viber").requests;
    CHECK_FALSE(m.platform("viber").fetch_page(m.creds("viber"), m.ctx, Resource::contacts, "", {}).ok());
    CHECK_FALSE(m.platform("viber").fetch_one(m.creds("viber"), m.ctx, Resource::contacts, "1").ok());
    CHECK(m.mock.stats("viber").requests == before);
}

}

TEST_SUITE("webhooks.viber") {

TEST_CASE("Viber webhook: the test vector, computed outside the project, matches the helper and the signer") {
    CHECK(onramp::crypto::hex_encode(onramp::crypto::hmac_sha256(kToken, kVectorBody)) == kVectorSignature);
    CHECK(sign_viber(kToken, kVectorBody) == kVectorSignature);
    Delivery d = callback(kVectorBody, {});
    find_scheme("viber")->sign(d, secrets({kToken}), 0);
    CHECK(d.headers.find(kHeader)->second == kVectorSignature);
    auto v = verify("viber", callback(kVectorBody, {{kHeader, kVectorSignature}}), secrets({kToken}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "4912661846655238145");
    CHECK(v.topic == "message");
}

TEST_CASE("Viber webhook: the right signature passes, with message_token as the delivery id and event as topic") {
    for (const char* event : {"delivered", "seen", "subscribed", "unsubscribed", "conversation_started", "failed"}) {
        CAPTURE(event);
        std::string body = std::string(R"({"event":")") + event +
                           R"(","timestamp":1457764197627,"message_token":491266184665523145,"user_id":"01234567890A="})";
        auto v = verify("viber", signed_callback(body), secrets({kToken}), 0);
        CHECK_MESSAGE(v.valid, v.reason);
        CHECK(v.delivery_id == "491266184665523145");
        CHECK(v.topic == event);
    }
    CHECK(viber_event(R"({"event":"seen"})") == "seen");
    CHECK(viber_event(R"({"event":5})").empty());
    CHECK(viber_event("not json").empty());
}

TEST_CASE("Viber webhook: a wrong, missing, malformed or repeated signature, or an altered body, fails") {
    std::string body = kVectorBody;
    auto sec = secrets({kToken});
    std::string right = kVectorSignature;
    std::string wrong_key = hmac_sha256_hex("another-token-0123456789abcdef", body);
    CHECK(verify("viber", callback(body, {{kHeader, wrong_key}}), sec, 0).failure == Failure::mismatch);
    std::string altered = body;
    altered.replace(altered.find("a message"), 9, "b message");
    CHECK(verify("viber", callback(altered, {{kHeader, right}}), sec, 0).failure == Failure::mismatch);
    CHECK(verify("viber", callback(body + " ", {{kHeader, right}}), sec, 0).failure == Failure::mismatch);
    CHECK(verify("viber", callback(body, {}), sec, 0).failure == Failure::missing_header);
    CHECK(verify("viber", callback(body, {{kHeader, ""}}), sec, 0).failure == Failure::bad_encoding);
    CHECK(verify("viber", callback(body, {{kHeader, right.substr(1)}}), sec, 0).failure == Failure::bad_encoding);
    CHECK(verify("viber", callback(body, {{kHeader, right.substr(0, 63) + "g"}}), sec, 0).failure == Failure::bad_encoding);
    CHECK(verify("viber", callback(body, {{kHeader, b64(mac(EVP_sha256(), kToken, body))}}), sec, 0).failure ==
          Failure::bad_encoding);
    CHECK_FALSE(verify("viber", callback(body, {{kHeader, right}, {kHeader, right}}), sec, 0).valid);
    CHECK(verify("viber", callback(body, {{kHeader, right}}), secrets({}), 0).failure == Failure::no_secret);
    CHECK(verify("viber", callback(body, {{kHeader, hmac_sha256_hex("", body)}}), secrets({""}), 0).failure ==
          Failure::no_secret);
    // The header name is matched in any case, as HTTP header names are.
    CHECK(verify("viber", callback(body, {{"x-viber-content-signature", right}}), sec, 0).valid);
}

TEST_CASE("Viber webhook: set_webhook's check is a ping only when signed; the scheme keys on the stored token") {
    std::string check = R"({"event":"webhook","timestamp":1457764197627,"message_token":241256543215})";
    auto v = verify("viber", signed_callback(check), secrets({kToken}), 0);
    CHECK_FALSE(v.valid);
    CHECK(v.ping);
    CHECK(v.failure == Failure::ping);
    auto forged = verify("viber", signed_callback(check, "another-token-0123456789abcdef"), secrets({kToken}), 0);
    CHECK_FALSE(forged.ping);
    CHECK(forged.failure == Failure::mismatch);

    const Scheme* s = find_scheme("viber");
    REQUIRE(s != nullptr);
    CHECK(s->credential_secret == "auth_token");
    CHECK_FALSE(s->secret_generated);
    CHECK(classify("viber", "message", kVectorBody).kind == Action::ignore);
}

TEST_CASE("Viber webhook: through the endpoint, keyed with the stored token, the check stores nothing and a "
          "callback is stored once per message_token") {
    MockFixture m;
    DemoEdge e(m.mock);
    std::string id = e.connect("viber", "Bot", {{"auth_token", demo_token()}});
    Reply view = e.t.get(e.webhooks_path(id), e.session);
    REQUIRE(view.status == 200);
    CHECK(view.json()["can_register"] == false);
    CHECK(view.json()["steps"].dump().find("set_webhook") != std::string::npos);
    CHECK(view.body.find(demo_token()) == std::string::npos);

    auto deliver = [&](const std::string& body, const std::string& token) {
        return e.deliver("viber", id, body, {{kHeader, hmac_sha256_hex(token, body)}});
    };
    Reply check = deliver(R"({"event":"webhook","timestamp":1457764197627,"message_token":241256543215})", demo_token());
    REQUIRE_MESSAGE(check.status == 200, check.body);
    CHECK(check.json()["ping"] == true);
    CHECK(e.deliveries("viber") == 0);

    std::string message = R"({"event":"message","timestamp":1457764197627,"message_token":500,"message":{"type":"text","text":"hi"}})";
    Reply first = deliver(message, demo_token());
    REQUIRE_MESSAGE(first.status == 200, first.body);
    CHECK(first.json()["duplicate"] == false);
    Reply again = deliver(message, demo_token());
    CHECK(again.status == 200);
    CHECK(again.json()["duplicate"] == true);
    Reply seen = deliver(R"({"event":"seen","timestamp":1457764197628,"message_token":501,"user_id":"01234567890A="})",
                         demo_token());
    CHECK(seen.status == 200);
    CHECK(seen.json()["duplicate"] == false);
    CHECK(deliver(R"({"event":"message","message_token":502})", kWrongToken).status == 401);
    CHECK(deliver(R"({"event":"webhook","message_token":503})", kWrongToken).status == 401);
    CHECK(e.deliver("viber", id, R"({"event":"message","message_token":504})", {}).status == 401);
    CHECK(e.deliveries("viber") == 2);
}

}

TEST_SUITE("mock.viber") {

TEST_CASE("Viber mock: set_webhook enforces HTTPS, the event types and the token; get_account_info shows the hook") {
    MockFixture m;
    std::string token = demo_token();
    auto status = [](const onramp::http::FetchResponse& r) { return json::parse(r.body)["status"]; };

    auto http_url = viber_call(m, token, "set_webhook", {{"url", "http://edge.example.test/webhooks/viber/c1"}});
    CHECK(http_url.status == 200);
    CHECK(status(http_url) == 1);
    CHECK(json::parse(http_url.body)["status_message"] == "invalidUrl");
    CHECK(status(viber_call(m, token, "set_webhook", {{"url", "https://edge.example.test/w"}, {"event_types", {"typing"}}})) == 3);
    CHECK(status(viber_call(m, token, "set_webhook", {{"event_types", {"seen"}}})) == 4);
    auto wrong = viber_call(m, kWrongToken, "set_webhook", {{"url", "https://edge.example.test/w"}});
    CHECK(wrong.status == 200);
    CHECK(json::parse(wrong.body) == json{{"status", 2}, {"status_message", "invalidAuthToken"}});
    CHECK(wrong.body.find(kWrongToken) == std::string::npos);
    CHECK(status(viber_call(m, "", "get_account_info")) == 2);
    CHECK(json::parse(viber_call(m, token, "get_account_info").body)["webhook"] == "");

    auto set = viber_call(m, token, "set_webhook",
                          {{"url", "https://edge.example.test/webhooks/viber/c1"}, {"event_types", {"delivered", "seen"}}});
    REQUIRE(set.status == 200);
    CHECK(status(set) == 0);
    CHECK(json::parse(set.body)["event_types"] == json({"delivered", "seen"}));
    auto info = json::parse(viber_call(m, token, "get_account_info").body);
    CHECK(info["webhook"] == "https://edge.example.test/webhooks/viber/c1");
    CHECK(info["event_types"] == json({"delivered", "seen"}));

    CHECK(status(viber_call(m, token, "set_webhook", {{"url", ""}})) == 0);
    CHECK(json::parse(viber_call(m, token, "get_account_info").body)["webhook"] == "");
}

}
