// The Telegram bot platform: the production connector against the mock Bot
// API over loopback (getMe, refusals in words that never carry the token),
// the X-Telegram-Bot-Api-Secret-Token scheme, de-duplication by update_id
// through the webhook endpoint, and the mock's setWebhook rules.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/http/client.h"
#include "edge/platforms/telegram/webhook.h"
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

std::string demo_token() { return onramp::mock::demo_credentials()["telegram"]["bot_token"]; }

constexpr const char* kWrongToken = "7000000001:AAHwrongOnrampTelegramBot-token_9999";
constexpr const char* kSecret = "Telegram_secret-token-42";
constexpr const char* kHeader = "X-Telegram-Bot-Api-Secret-Token";

Delivery update(std::string body, std::initializer_list<std::pair<std::string, std::string>> headers) {
    return delivery(std::move(body), headers);
}

// One Bot API method on the mock, parameters as a JSON body.
onramp::http::FetchResponse bot_call(MockFixture& m, const std::string& token, const std::string& method,
                                     const json& params = json::object()) {
    onramp::http::FetchRequest req;
    req.method = "POST";
    req.url = m.mock.url() + "/telegram/bot" + token + "/" + method;
    req.body = params.dump();
    req.content_type = "application/json";
    auto res = onramp::http::fetch(req);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    return res.response;
}

}  // namespace

TEST_SUITE("connectors.telegram") {

TEST_CASE("Telegram: the demo bot token passes getMe; the bot's username and id are the account") {
    MockFixture m;
    auto t = m.platform("telegram").test(m.creds("telegram"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_name == "@onramp_demo_bot");
    CHECK(t.verified.account_id == "7000000001");
    CHECK(t.verified.details["username"] == "onramp_demo_bot");
    CHECK(t.verified.details["id"] == 7000000001LL);
    CHECK(m.platform("telegram").resources().empty());
}

TEST_CASE("Telegram: a wrong token is refused in words, and the token is nowhere in the answer") {
    MockFixture m;
    auto t = m.platform("telegram").test(m.creds("telegram", {{"bot_token", kWrongToken}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->http_status == 401);
    CHECK(t.failure->platform_message == "Unauthorized");
    CHECK(t.failure->field == "bot_token");
    CHECK(t.failure->message.find("did not accept the bot token") != std::string::npos);
    CHECK(everything_said(*t.failure).find(kWrongToken) == std::string::npos);
    CHECK(everything_said(*t.failure).find("AAHwrong") == std::string::npos);
}

TEST_CASE("Telegram: a token not in Telegram's shape is refused before any request") {
    MockFixture m;
    int64_t before = m.mock.stats("telegram").requests;
    for (std::string bad : {"7000000001:AAH/../../bot1:x/getMe", "7000000001:AAHdemo?x=1&y=22222222", "notanumber:AAHdemoOnrampTelegram"}) {
        CAPTURE(bad);
        auto t = m.platform("telegram").test(m.creds("telegram", {{"bot_token", bad}}), m.ctx);
        REQUIRE_FALSE(t.ok());
        CHECK(t.failure->cause == Cause::credential_rejected);
        CHECK(t.failure->message.find("not a Telegram bot token") != std::string::npos);
        CHECK(everything_said(*t.failure).find(bad) == std::string::npos);
        CHECK_FALSE(m.platform("telegram").proxy(m.creds("telegram", {{"bot_token", bad}}), m.ctx).ok());
    }
    CHECK(m.mock.stats("telegram").requests == before);
}

TEST_CASE("Telegram: the connection test through the API answers a refusal without echoing the token") {
    MockFixture m;
    DemoEdge e(m.mock);
    std::string refusal = e.refused_credential_test("telegram", "bot_token", demo_token(), kWrongToken);
    CHECK(refusal.find("did not accept the bot token") != std::string::npos);
    CHECK(refusal.find("AAHwrong") == std::string::npos);
}

TEST_CASE("Telegram: nothing to sync; asking for a resource is refused without a request") {
    MockFixture m;
    int64_t before = m.mock.stats("telegram").requests;
    auto page = m.platform("telegram").fetch_page(m.creds("telegram"), m.ctx, Resource::contacts, "", {});
    CHECK_FALSE(page.ok());
    CHECK_FALSE(m.platform("telegram").fetch_one(m.creds("telegram"), m.ctx, Resource::contacts, "1").ok());
    CHECK(m.mock.stats("telegram").requests == before);
}

}

TEST_SUITE("webhooks.telegram") {

TEST_CASE("Telegram webhook: the right secret token passes, with update_id as the delivery id and the kind as topic") {
    auto v = verify("telegram", update(R"({"update_id":9001,"message":{"message_id":1,"text":"hi"}})", {{kHeader, kSecret}}),
                    secrets({kSecret}), 0);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "9001");
    CHECK(v.topic == "message");

    auto cb = verify("telegram",
                     update(R"({"update_id":9002,"callback_query":{"id":"4382","data":"yes"}})", {{kHeader, kSecret}}),
                     secrets({kSecret}), 0);
    CHECK(cb.valid);
    CHECK(cb.topic == "callback_query");
    CHECK(telegram_update_kind(R"({"edited_message":{"message_id":2},"update_id":3})") == "edited_message");
    CHECK(telegram_update_kind(R"({"update_id":3})").empty());
    CHECK(telegram_update_kind("not json").empty());
}

TEST_CASE("Telegram webhook: a wrong, missing, empty, case-changed or repeated secret token fails") {
    std::string body = R"({"update_id":9001,"message":{"message_id":1}})";
    auto sec = secrets({kSecret});
    CHECK(verify("telegram", update(body, {{kHeader, "Telegram_secret-token-43"}}), sec, 0).failure == Failure::mismatch);
    CHECK(verify("telegram", update(body, {{kHeader, "telegram_secret-token-42"}}), sec, 0).failure == Failure::mismatch);
    CHECK(verify("telegram", update(body, {{kHeader, "TELEGRAM_SECRET-TOKEN-42"}}), sec, 0).failure == Failure::mismatch);
    CHECK(verify("telegram", update(body, {{kHeader, std::string(kSecret) + " "}}), sec, 0).failure == Failure::mismatch);
    CHECK(verify("telegram", update(body, {{kHeader, ""}}), sec, 0).failure == Failure::mismatch);
    CHECK(verify("telegram", update(body, {}), sec, 0).failure == Failure::missing_header);
    CHECK_FALSE(verify("telegram", update(body, {{kHeader, kSecret}, {kHeader, kSecret}}), sec, 0).valid);
    CHECK(verify("telegram", update(body, {{kHeader, kSecret}}), secrets({}), 0).failure == Failure::no_secret);
    CHECK(verify("telegram", update(body, {{kHeader, ""}}), secrets({""}), 0).failure == Failure::no_secret);
    // The header name is matched in any case, as HTTP header names are.
    CHECK(verify("telegram", update(body, {{"x-telegram-bot-api-secret-token", kSecret}}), sec, 0).valid);
}

TEST_CASE("Telegram webhook: during rotation either secret passes; the signer sets the header") {
    std::string body = R"({"update_id":1,"channel_post":{"message_id":5}})";
    CHECK(verify("telegram", update(body, {{kHeader, "old-secret"}}), secrets({kSecret, "old-secret"}), 0).valid);
    Delivery d = update(body, {});
    find_scheme("telegram")->sign(d, secrets({kSecret}), 0);
    CHECK(d.headers.find(kHeader)->second == kSecret);
    CHECK(verify("telegram", d, secrets({kSecret}), 0).topic == "channel_post");
    CHECK(classify("telegram", "message", body).kind == Action::ignore);
}

TEST_CASE("Telegram webhook: secret tokens follow setWebhook's rules") {
    CHECK(telegram_secret_allowed("a"));
    CHECK(telegram_secret_allowed("AZaz09_-"));
    CHECK(telegram_secret_allowed(std::string(256, 'x')));
    CHECK_FALSE(telegram_secret_allowed(""));
    CHECK_FALSE(telegram_secret_allowed(std::string(257, 'x')));
    CHECK_FALSE(telegram_secret_allowed("with space"));
    CHECK_FALSE(telegram_secret_allowed("dot.ted"));
    CHECK_FALSE(telegram_secret_allowed("plus+slash/"));
}

TEST_CASE("Telegram webhook: through the endpoint an update is stored once per update_id") {
    MockFixture m;
    DemoEdge e(m.mock);
    std::string id = e.connect("telegram", "Bot", {{"bot_token", demo_token()}});
    std::string hooks = e.webhooks_path(id);
    Reply s = e.t.call("PUT", hooks + "/secret", json::object().dump(), e.session);
    REQUIRE_MESSAGE(s.status == 200, s.body);
    Reply view = e.t.get(hooks, e.session);
    REQUIRE(view.status == 200);
    CHECK(view.json()["can_register"] == false);
    CHECK(view.json()["steps"].dump().find("setWebhook") != std::string::npos);
    CHECK(view.body.find(demo_token()) == std::string::npos);

    // Onramp's generated secret is one setWebhook accepts as secret_token.
    CHECK(telegram_secret_allowed(s.json()["secret"].get<std::string>()));
    Reply mine = e.t.call("PUT", hooks + "/secret", json{{"secret", kSecret}}.dump(), e.session);
    REQUIRE_MESSAGE(mine.status == 200, mine.body);

    auto deliver = [&](const std::string& body, const std::string& secret) {
        return e.deliver("telegram", id, body, {{kHeader, secret}});
    };
    Reply first = deliver(R"({"update_id":500,"message":{"message_id":1,"text":"hi"}})", kSecret);
    REQUIRE_MESSAGE(first.status == 200, first.body);
    CHECK(first.json()["duplicate"] == false);
    Reply again = deliver(R"({"update_id":500,"message":{"message_id":1,"text":"hi again"}})", kSecret);
    CHECK(again.status == 200);
    CHECK(again.json()["duplicate"] == true);
    Reply next = deliver(R"({"update_id":501,"edited_message":{"message_id":1,"text":"hi!"}})", kSecret);
    CHECK(next.status == 200);
    CHECK(next.json()["duplicate"] == false);
    CHECK(deliver(R"({"update_id":502,"message":{}})", "Telegram_secret-token-4").status == 401);
    CHECK(deliver(R"({"update_id":503,"message":{}})", "").status == 401);
    CHECK(e.deliveries("telegram") == 2);
}

}

TEST_SUITE("mock.telegram") {

TEST_CASE("Telegram mock: setWebhook enforces HTTPS, the ports and the secret_token rules; getWebhookInfo hides the secret") {
    MockFixture m;
    std::string token = demo_token();
    auto description = [](const onramp::http::FetchResponse& r) { return json::parse(r.body).value("description", ""); };

    auto http_url = bot_call(m, token, "setWebhook", {{"url", "http://edge.example.test/webhooks/telegram/c1"}});
    CHECK(http_url.status == 400);
    CHECK(description(http_url).find("HTTPS") != std::string::npos);
    CHECK(bot_call(m, token, "setWebhook", {{"url", "https://edge.example.test:8080/w"}}).status == 400);
    auto chars = bot_call(m, token, "setWebhook", {{"url", "https://edge.example.test/w"}, {"secret_token", "a.b"}});
    CHECK(chars.status == 400);
    CHECK(description(chars) == "Bad Request: secret token contains unallowed characters");
    auto longer = bot_call(m, token, "setWebhook", {{"url", "https://edge.example.test/w"}, {"secret_token", std::string(257, 'a')}});
    CHECK(longer.status == 400);
    CHECK(description(longer) == "Bad Request: secret token is too long");
    auto wrong = bot_call(m, kWrongToken, "setWebhook", {{"url", "https://edge.example.test/w"}});
    CHECK(wrong.status == 401);
    CHECK(json::parse(wrong.body) == json{{"ok", false}, {"error_code", 401}, {"description", "Unauthorized"}});
    CHECK(json::parse(bot_call(m, token, "getWebhookInfo").body)["result"]["url"] == "");

    auto set = bot_call(m, token, "setWebhook", {{"url", "https://edge.example.test:8443/webhooks/telegram/c1"}, {"secret_token", kSecret}});
    REQUIRE(set.status == 200);
    CHECK(json::parse(set.body)["result"] == true);
    auto info = bot_call(m, token, "getWebhookInfo");
    CHECK(json::parse(info.body)["result"]["url"] == "https://edge.example.test:8443/webhooks/telegram/c1");
    CHECK(info.body.find(kSecret) == std::string::npos);

    CHECK(bot_call(m, token, "deleteWebhook").status == 200);
    CHECK(json::parse(bot_call(m, token, "getWebhookInfo").body)["result"]["url"] == "");
    CHECK(bot_call(m, token, "getMe").status == 200);
}

}
