// The TikTok Shop platform: the request signature against values computed
// outside the project, the production connector against the mock Open API
// over loopback (the test, products and orders over several pages, refetch
// by id, an access token renewed before it expires), the mock's refusals
// (a tampered or stale request, page_size and page_token rules), the
// seller's authorization of the app (single-use codes, nothing issued on
// failure), also through the edge's OAuth routes (the state works once,
// nothing is stored on failure), and the Authorization webhook scheme, also through the
// endpoint with the app key read from the connection's settings.
#include <doctest/doctest.h>

#include <cctype>
#include <ctime>

#include "edge/connectors/mock_fixture.h"
#include "edge/http/client.h"
#include "edge/platforms/tiktok_shop/api.h"
#include "edge/platforms/tiktok_shop/oauth.h"
#include "edge/platforms/tiktok_shop/webhook.h"
#include "edge/store/db.h"
#include "edge/support/test_app.h"
#include "edge/webhooks/topics.h"
#include "edge/webhooks/webhook_test_support.h"

using nlohmann::json;
using onramp::connectors::Cause;
using onramp::connectors::Credentials;
using onramp::connectors::Resource;
using onramp::testing::describe;
using onramp::testing::everything_said;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;
using namespace onramp::webhooks;
using namespace webhook_test;
namespace tts = onramp::platforms::tiktok_shop;

namespace {

// Signature vectors, computed once outside the project with Python's hmac
// module:
//   m = secret + path + "".join(k + v for k, v in sorted(query.items())
//                               if k not in ("sign", "access_token")) + body + secret
//   hmac.new(secret.encode(), m.encode(), hashlib.sha256).hexdigest()
constexpr const char* kSecret = "e59af819cc";
constexpr const char* kAppKey = "68xu9ks5p4i8";
constexpr const char* kCipher = "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK";
constexpr const char* kGetSign = "ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37";
constexpr const char* kPostBody = R"({"update_time_ge":1735689600})";
constexpr const char* kPostSign = "912090725f98dbf22ea043f525961145902a6a4c25b8beeb8fafb12d2375d37b";
// hmac.new(b"e59af819cc", ("68xu9ks5p4i8" + body).encode(), hashlib.sha256).hexdigest()
constexpr const char* kHookBody =
    R"({"type":1,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621",)"
    R"("timestamp":1696909648,"data":{"order_id":"576461413038785752","order_status":"AWAITING_SHIPMENT",)"
    R"("update_time":1696909640}})";
constexpr const char* kHookSign = "7d120ee572b0b9186438d56e63d2d78cf25c9d7fe0af7af755f0a8c8ae746ed9";

Credentials demo_app(MockFixture& m) {
    Credentials c = m.creds("tiktok_shop");
    Credentials app;
    for (const char* name : {"app_key", "app_secret", "service_id", "region"}) app[name] = c[name];
    return app;
}

// The request a connector would send, sent as it is.
onramp::http::FetchResponse send_raw(const onramp::connectors::wire::Request& r) {
    onramp::http::FetchRequest req;
    req.method = r.method;
    req.url = r.url;
    req.body = r.body;
    req.content_type = r.content_type;
    for (const auto& [k, v] : r.headers) req.headers.emplace(k, v);
    auto res = onramp::http::fetch(req);
    REQUIRE_MESSAGE(res.ok(), res.failure.message);
    return res.response;
}

int64_t code_of(const onramp::http::FetchResponse& r) { return json::parse(r.body).value("code", int64_t(-1)); }

std::string search_path() { return "/product/" + std::string(tts::kVersion) + "/products/search"; }

// An authorization code from the mock's authorize page, after registering
// where it sends the seller back.
std::string authorize(MockFixture& m, const std::string& state) {
    onramp::http::FetchRequest reg;
    reg.method = "PUT";
    reg.url = m.mock.url() + "/tiktok_shop/partner_center/redirect_url";
    reg.body = R"({"redirect_url":"https://edge.example.test/oauth/tiktok_shop/callback"})";
    reg.content_type = "application/json";
    REQUIRE(onramp::http::fetch(reg).response.status == 200);
    onramp::http::FetchRequest req;
    req.url = tts::oauth::authorize_url(m.ctx, demo_app(m), state);
    auto res = onramp::http::fetch(req);
    REQUIRE(res.ok());
    REQUIRE(res.response.status == 302);
    std::string location = res.response.header("Location");
    CHECK(location.rfind("https://edge.example.test/oauth/tiktok_shop/callback?", 0) == 0);
    CHECK(onramp::connectors::wire::query_param(location, "state") == state);
    return onramp::connectors::wire::query_param(location, "code");
}

}  // namespace

TEST_SUITE("connectors.tiktok_shop") {

TEST_CASE("TikTok Shop signature: matches the vectors computed outside the project, leaving sign and "
          "access_token out") {
    tts::Query get = {{"app_key", kAppKey}, {"shop_cipher", kCipher}, {"timestamp", "1696909648"}};
    CHECK(tts::sign(kSecret, "/event/202309/webhooks", get, "") == kGetSign);
    get["sign"] = "anything";
    get["access_token"] = "ROW_token";
    CHECK(tts::sign(kSecret, "/event/202309/webhooks", get, "") == kGetSign);

    tts::Query post = {{"app_key", kAppKey}, {"page_size", "100"}, {"shop_cipher", kCipher},
                       {"timestamp", "1696909648"}, {"page_token", "b2Zmc2V0PTEwMA"}};
    CHECK(tts::sign(kSecret, search_path(), post, kPostBody) == kPostSign);
    // Each part counts: path, a value, the body, the secret.
    CHECK(tts::sign(kSecret, "/product/202309/products/searc", post, kPostBody) != kPostSign);
    post["page_size"] = "10";
    CHECK(tts::sign(kSecret, search_path(), post, kPostBody) != kPostSign);
    post["page_size"] = "100";
    CHECK(tts::sign(kSecret, search_path(), post, R"({"update_time_ge":1735689601})") != kPostSign);
    CHECK(tts::sign("e59af819cd", search_path(), post, kPostBody) != kPostSign);
}

TEST_CASE("TikTok Shop: the demo credentials pass the test; the authorized shop is the account") {
    MockFixture m;
    auto t = m.platform("tiktok_shop").test(m.creds("tiktok_shop"), m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    CHECK(t.verified.account_name == "Onramp Demo Shop");
    CHECK(t.verified.account_id == "7494049642642441621");
    CHECK(t.verified.details["region"] == "GB");
    CHECK(t.verified.details["api_version"] == "202309");
}

TEST_CASE("TikTok Shop mock: a tampered request, a stale timestamp or the token in the query is refused") {
    MockFixture m;
    Credentials creds = m.creds("tiktok_shop");
    std::string token = creds["access_token"];
    tts::Query q = {{"page_size", "100"}, {"shop_cipher", creds["shop_cipher"]}};
    auto good = tts::signed_request(m.ctx, creds, token, "list_products", "POST", search_path(), q, "{}");
    CHECK(send_raw(good).status == 200);

    auto tampered = good;
    tampered.body = R"({"update_time_ge":0})";
    auto refused = send_raw(tampered);
    CHECK(refused.status == 401);
    CHECK(code_of(refused) == 106001);
    auto other_query = good;
    other_query.url.replace(other_query.url.find("page_size=100"), 13, "page_size=99");
    CHECK(code_of(send_raw(other_query)) == 106001);

    // Signed correctly, but 400 s old.
    tts::Query stale = q;
    stale["app_key"] = creds["app_key"];
    stale["timestamp"] = std::to_string(int64_t(std::time(nullptr)) - 400);
    stale["sign"] = tts::sign(creds["app_secret"], search_path(), stale, "{}");
    auto old = good;
    old.url = m.mock.url() + "/tiktok_shop" + search_path() + "?" + tts::encode_query(stale);
    auto refused_old = send_raw(old);
    CHECK(refused_old.status == 401);
    CHECK(code_of(refused_old) == 106003);
    stale["timestamp"] = std::to_string(int64_t(std::time(nullptr)) - 60);
    stale["sign"] = tts::sign(creds["app_secret"], search_path(), stale, "{}");
    old.url = m.mock.url() + "/tiktok_shop" + search_path() + "?" + tts::encode_query(stale);
    CHECK(send_raw(old).status == 200);

    tts::Query with_token = q;
    with_token["access_token"] = token;
    auto in_query = send_raw(tts::signed_request(m.ctx, creds, token, "list_products", "POST", search_path(),
                                                 with_token, "{}"));
    CHECK(in_query.status == 400);
}

TEST_CASE("TikTok Shop: a wrong app secret is refused as a bad signature naming the field, never echoing it") {
    MockFixture m;
    const std::string wrong = "ffffffffffffffffffffffffffffffffwrongtts";
    auto t = m.platform("tiktok_shop").test(m.creds("tiktok_shop", {{"app_secret", wrong}}), m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == Cause::credential_rejected);
    CHECK(t.failure->field == "app_secret");
    CHECK(t.failure->platform_message.rfind("106001", 0) == 0);
    CHECK(everything_said(*t.failure).find(wrong) == std::string::npos);

    auto bad_token = m.platform("tiktok_shop").test(m.creds("tiktok_shop", {{"access_token", "ROW_notIssuedByTheMock00"}}), m.ctx);
    REQUIRE_FALSE(bad_token.ok());
    CHECK(bad_token.failure->field == "access_token");
    CHECK(everything_said(*bad_token.failure).find("ROW_notIssuedByTheMock00") == std::string::npos);
}

TEST_CASE("TikTok Shop: products and orders sync over several pages of at most 100, totals from the first page") {
    MockFixture m(onramp::testing::small_mock(250));
    m.ctx.budget = onramp::testing::fast_budget();
    auto creds = m.creds("tiktok_shop");
    size_t pages = 0;
    auto products = m.all("tiktok_shop", Resource::products, creds, &pages);
    CHECK(products.size() == 250);
    CHECK(pages == 3);
    const auto& p = products.front();
    CHECK(p.id == "1729000000000000000");
    CHECK(p.data["variants"].size() == 3);
    CHECK(p.data["price"].is_string());
    CHECK(p.data["currency"] == "USD");
    CHECK(p.data["inventory"].is_number_integer());
    CHECK(p.updated_at.size() == 20);

    auto orders = m.all("tiktok_shop", Resource::orders, creds, &pages);
    CHECK(orders.size() == 125);
    CHECK(pages == 2);
    CHECK(orders.front().data["total"].is_string());
    CHECK_FALSE(orders.front().data["line_items"].empty());
    int64_t units = 0;
    for (const json& l : orders.front().data["line_items"]) units += l["quantity"].get<int64_t>();
    CHECK(units >= 1);

    auto first = m.platform("tiktok_shop").fetch_page(creds, m.ctx, Resource::products, "", {});
    REQUIRE(first.ok());
    CHECK(first->items.size() == 100);
    CHECK(first->total == 250);
}

TEST_CASE("TikTok Shop mock: a search breaking the page_size or page_token rule is refused") {
    MockFixture m;
    Credentials creds = m.creds("tiktok_shop");
    std::string token = creds["access_token"];
    auto search = [&](tts::Query q, const std::string& body) {
        q["shop_cipher"] = creds["shop_cipher"];
        return tts::call(m.ctx, tts::signed_request(m.ctx, creds, token, "list_products", "POST", search_path(), q, body));
    };
    for (const char* size : {"101", "0", "-5", "ten"}) {
        CAPTURE(size);
        auto r = search({{"page_size", size}}, "{}");
        REQUIRE_FALSE(r.ok());
        CHECK(r.failure().http_status == 400);
        CHECK(r.failure().platform_message.find("36009004") != std::string::npos);
    }
    CHECK_FALSE(search({}, "{}").ok());

    auto first = search({{"page_size", "10"}}, R"({"update_time_ge":0})");
    REQUIRE(first.ok());
    std::string next = (*first)["next_page_token"];
    REQUIRE_FALSE(next.empty());
    CHECK(search({{"page_size", "10"}, {"page_token", next}}, R"({"update_time_ge":0})").ok());
    auto other_filters = search({{"page_size", "10"}, {"page_token", next}}, R"({"update_time_ge":5})");
    REQUIRE_FALSE(other_filters.ok());
    CHECK(other_filters.failure().platform_message.find("other filters") != std::string::npos);
    CHECK_FALSE(search({{"page_size", "10"}, {"page_token", "forged-token"}}, R"({"update_time_ge":0})").ok());
}

TEST_CASE("TikTok Shop: a product and an order are refetched by id; an id that is not a number is refused "
          "without a request") {
    MockFixture m;
    auto creds = m.creds("tiktok_shop");
    auto product = m.platform("tiktok_shop").fetch_one(creds, m.ctx, Resource::products, "1729000000000000004");
    REQUIRE(product.ok());
    CHECK(product->id == "1729000000000000004");
    CHECK(product->data["description"].is_string());
    auto order = m.platform("tiktok_shop").fetch_one(creds, m.ctx, Resource::orders, "576000000000000002");
    REQUIRE(order.ok());
    CHECK(order->id == "576000000000000002");
    int64_t before = m.mock.stats("tiktok_shop").requests;
    CHECK_FALSE(m.platform("tiktok_shop").fetch_one(creds, m.ctx, Resource::orders, "../1").ok());
    CHECK(m.mock.stats("tiktok_shop").requests == before);
}

TEST_CASE("TikTok Shop: an access token about to expire is renewed with the refresh token first, and the new "
          "tokens are saved") {
    MockFixture m;
    int64_t now = std::time(nullptr);
    auto creds = m.creds("tiktok_shop", {{"expires_at", std::to_string(now + 30)}});
    Credentials saved;
    m.ctx.save_credentials = [&saved](const Credentials& changed) { saved = changed; };
    auto t = m.platform("tiktok_shop").test(creds, m.ctx);
    REQUIRE_MESSAGE(t.ok(), describe(t));
    REQUIRE(saved.count("access_token"));
    CHECK(saved["access_token"] != creds["access_token"]);
    CHECK(std::stoll(saved["expires_at"]) > now + 3600);
    CHECK(saved["refresh_token"] == creds["refresh_token"]);

    // A token far from expiry is used as it is.
    saved.clear();
    auto fresh = m.creds("tiktok_shop", {{"expires_at", std::to_string(now + 86400)}});
    onramp::connectors::CallContext ctx = m.fresh_context();
    ctx.save_credentials = [&saved](const Credentials& changed) { saved = changed; };
    CHECK(m.platform("tiktok_shop").test(fresh, ctx).ok());
    CHECK(saved.empty());

    // A refused refresh says so, without quoting the refresh token.
    auto dead = m.creds("tiktok_shop", {{"expires_at", std::to_string(now - 5)},
                                        {"refresh_token", "ROW_aRefreshTokenTheMockNeverIssued"}});
    onramp::connectors::CallContext other = m.fresh_context();
    auto refused = m.platform("tiktok_shop").test(dead, other);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.failure->step == "refresh_token");
    CHECK(everything_said(*refused.failure).find("ROW_aRefreshTokenTheMockNeverIssued") == std::string::npos);
}

TEST_CASE("TikTok Shop: the proxy is refused, since a fixed header cannot sign each request") {
    MockFixture m;
    CHECK_FALSE(m.platform("tiktok_shop").proxy(m.creds("tiktok_shop"), m.ctx).ok());
}

}

TEST_SUITE("oauth.tiktok_shop") {

TEST_CASE("TikTok Shop sign-in: the authorize URL carries the service id and state; the US region its own host") {
    MockFixture m;
    onramp::connectors::CallContext none;
    auto app = demo_app(m);
    std::string url = tts::oauth::authorize_url(none, app, "st-1");
    CHECK(url == "https://services.tiktokshop.com/open/authorize?service_id=" + app["service_id"] + "&state=st-1");
    app["region"] = "us";
    CHECK(tts::oauth::authorize_url(none, app, "st 2").rfind("https://services.us.tiktokshop.com/open/authorize?", 0) == 0);
    CHECK(tts::oauth::authorize_url(none, app, "st 2").find("state=st%202") != std::string::npos);
}

TEST_CASE("TikTok Shop sign-in: a code is exchanged once for tokens and the shop cipher, which then connect") {
    MockFixture m;
    std::string code = authorize(m, "state-1");
    REQUIRE_FALSE(code.empty());
    auto signed_in = tts::oauth::sign_in(m.ctx, demo_app(m), code);
    REQUIRE_MESSAGE(signed_in.ok(), signed_in.failure().message);
    CHECK(signed_in->shop_name == "Onramp Demo Shop");
    const Credentials* creds = &signed_in->credentials;
    CHECK(creds->at("shop_cipher") == m.creds("tiktok_shop")["shop_cipher"]);
    CHECK(creds->at("refresh_token") == m.creds("tiktok_shop")["refresh_token"]);
    CHECK(std::stoll(creds->at("expires_at")) > std::time(nullptr));
    CHECK(creds->at("access_token") != m.creds("tiktok_shop")["access_token"]);
    auto t = m.platform("tiktok_shop").test(*creds, m.ctx);
    CHECK_MESSAGE(t.ok(), describe(t));

    auto again = tts::oauth::sign_in(m.ctx, demo_app(m), code);
    REQUIRE_FALSE(again.ok());
    CHECK(again.failure().step == "exchange_code");
    CHECK(again.failure().cause == Cause::credential_rejected);
}

TEST_CASE("TikTok Shop sign-in: a wrong app secret or an unknown code gives a failure and no credentials, and "
          "leaves the code usable") {
    MockFixture m;
    std::string code = authorize(m, "state-2");
    auto app = demo_app(m);
    app["app_secret"] = "ffffffffffffffffffffffffffffffffwrongtts";
    auto wrong = tts::oauth::sign_in(m.ctx, app, code);
    REQUIRE_FALSE(wrong.ok());
    CHECK(everything_said(wrong.failure()).find("wrongtts") == std::string::npos);
    CHECK(everything_said(wrong.failure()).find(code) == std::string::npos);
    CHECK_FALSE(tts::oauth::sign_in(m.ctx, demo_app(m), "ROW_neverIssued").ok());
    CHECK(tts::oauth::sign_in(m.ctx, demo_app(m), code).ok());
}

}

TEST_SUITE("webhooks.tiktok_shop") {

Delivery notification(std::string body, std::initializer_list<std::pair<std::string, std::string>> headers) {
    return delivery(std::move(body), headers);
}

Secrets app_secrets(const std::string& secret = kSecret, const std::string& app_key = kAppKey) {
    Secrets s = secrets({secret});
    s.signed_credential = app_key;
    return s;
}

TEST_CASE("TikTok Shop webhook: the vector computed outside the project matches the helper, signer and verifier") {
    CHECK(hmac_sha256_hex(kSecret, std::string(kAppKey) + kHookBody) == kHookSign);
    CHECK(sign_tiktok_shop(kSecret, kAppKey, kHookBody) == kHookSign);
    Delivery d = notification(kHookBody, {});
    find_scheme("tiktok_shop")->sign(d, app_secrets(), 0);
    CHECK(d.headers.find("Authorization")->second == kHookSign);
    auto v = verify("tiktok_shop", notification(kHookBody, {{"Authorization", kHookSign}}), app_secrets(), 0);
    CHECK_MESSAGE(v.valid, v.reason);
    CHECK(v.delivery_id == "7327112393057371910");
    CHECK(v.topic == "ORDER_STATUS_CHANGE");
    // Uppercase hex spells the same MAC.
    std::string upper = kHookSign;
    for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
    CHECK(verify("tiktok_shop", notification(kHookBody, {{"Authorization", upper}}), app_secrets(), 0).valid);
}

TEST_CASE("TikTok Shop webhook: another secret or app key, an altered body, a missing, repeated or malformed "
          "header, or no secret fails") {
    std::string body = kHookBody;
    auto sec = app_secrets();
    auto check = [&](const Delivery& d, const Secrets& s, Failure expected) {
        auto v = verify("tiktok_shop", d, s, 0);
        CHECK_FALSE(v.valid);
        CHECK_MESSAGE(v.failure == expected, v.reason);
    };
    check(notification(body, {{"Authorization", hmac_sha256_hex("another-secret", kAppKey + body)}}), sec,
          Failure::mismatch);
    check(notification(body, {{"Authorization", hmac_sha256_hex(kSecret, "otherappkey" + body)}}), sec,
          Failure::mismatch);
    check(notification(body, {{"Authorization", hmac_sha256_hex(kSecret, body)}}), sec, Failure::mismatch);
    check(notification(body + " ", {{"Authorization", kHookSign}}), sec, Failure::mismatch);
    check(notification(body, {}), sec, Failure::missing_header);
    check(notification(body, {{"Authorization", std::string("Bearer ") + kHookSign}}), sec, Failure::bad_encoding);
    check(notification(body, {{"Authorization", std::string(kHookSign).substr(1)}}), sec, Failure::bad_encoding);
    CHECK_FALSE(verify("tiktok_shop", notification(body, {{"Authorization", kHookSign}, {"Authorization", kHookSign}}),
                       sec, 0).valid);
    check(notification(body, {{"Authorization", kHookSign}}), secrets({}), Failure::no_secret);
    check(notification(body, {{"Authorization", kHookSign}}), app_secrets(kSecret, ""), Failure::bad_secret);
}

TEST_CASE("TikTok Shop webhook: order and product changes are refetched; other types are kept, nothing synced") {
    CHECK(tiktok_shop_topic(R"({"type":5})") == "PRODUCT_STATUS_CHANGE");
    CHECK(tiktok_shop_topic(R"({"type":6})") == "SELLER_DEAUTHORIZATION");
    CHECK(tiktok_shop_topic(R"({"type":12})") == "type_12");
    CHECK(tiktok_shop_topic(R"({"type":"1"})").empty());
    CHECK(tiktok_shop_topic("not json").empty());
    auto order = classify("tiktok_shop", "ORDER_STATUS_CHANGE", kHookBody);
    CHECK(order.kind == Action::refetch);
    CHECK(order.resource == Resource::orders);
    CHECK(order.object_id == "576461413038785752");
    auto product = classify("tiktok_shop", "PRODUCT_STATUS_CHANGE", R"({"type":5,"data":{"product_id":"1729000000000000004"}})");
    CHECK(product.kind == Action::refetch);
    CHECK(product.resource == Resource::products);
    CHECK(product.object_id == "1729000000000000004");
    CHECK(classify("tiktok_shop", "SELLER_DEAUTHORIZATION", R"({"type":6})").kind == Action::ignore);
    const Scheme* s = find_scheme("tiktok_shop");
    REQUIRE(s != nullptr);
    CHECK(s->credential_secret == "app_secret");
    CHECK(s->signed_credential == "app_key");
}

TEST_CASE("TikTok Shop webhook: through the endpoint, keyed with the stored app secret and app key, a notification "
          "is stored once per tts_notification_id") {
    MockFixture m;
    TestApp t;
    t.app.config.demo = true;
    t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
    t.app.config.public_url = "https://edge.example.test";
    std::string org = t.make_org("Acme");
    t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
    std::string ann = t.login("ann@acme.test", "pw-123456");
    json demo = onramp::mock::demo_credentials()["tiktok_shop"];
    Reply c = t.post("/api/v1/orgs/" + org + "/connections",
                     {{"platform", "tiktok_shop"}, {"name", "Shop"}, {"credentials", demo}}, ann);
    REQUIRE_MESSAGE(c.status == 201, c.body);
    std::string id = c.json()["id"];
    CHECK(c.body.find(demo["app_secret"].get<std::string>()) == std::string::npos);

    std::string secret = demo["app_secret"], app_key = demo["app_key"];
    auto deliver = [&](const std::string& body, const std::string& signature) {
        return t.call("POST", "/webhooks/tiktok_shop/" + id, body, "",
                      {{"Content-Type", "application/json"}, {"Authorization", signature}});
    };
    auto rows = [&] {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM webhook_deliveries WHERE platform = 'tiktok_shop'");
        st.step();
        return st.i64(0);
    };
    std::string body = R"({"type":1,"tts_notification_id":"900","shop_id":"7494049642642441621","timestamp":1700000000,)"
                       R"("data":{"order_id":"576000000000000002","order_status":"AWAITING_SHIPMENT"}})";
    Reply first = deliver(body, hmac_sha256_hex(secret, app_key + body));
    REQUIRE_MESSAGE(first.status == 200, first.body);
    CHECK(first.json()["duplicate"] == false);
    Reply again = deliver(body, hmac_sha256_hex(secret, app_key + body));
    CHECK(again.status == 200);
    CHECK(again.json()["duplicate"] == true);
    CHECK(deliver(body, hmac_sha256_hex(secret, body)).status == 401);
    CHECK(deliver(body, hmac_sha256_hex("another-secret-0123456789", app_key + body)).status == 401);
    CHECK(t.call("POST", "/webhooks/tiktok_shop/" + id, body, "", {{"Content-Type", "application/json"}}).status == 401);
    CHECK(rows() == 1);
}

}

namespace {

const std::string kOrigin = "https://onramp.test";

// A manager of Acme signing a TikTok Shop seller in through the edge's
// OAuth routes, with the mock standing in for TikTok Shop.
struct RouteSignIn {
    MockFixture m;
    TestApp t;
    std::string acme, ann;

    RouteSignIn() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.config.public_url = kOrigin;
        acme = t.make_org("Acme");
        t.add_member(acme, t.make_user("ann@acme.test", "pw-123456"), "manager");
        ann = t.login("ann@acme.test", "pw-123456");
    }

    json app_fields() {
        json demo = onramp::mock::demo_credentials()["tiktok_shop"];
        return {{"app_key", demo["app_key"]}, {"app_secret", demo["app_secret"]},
                {"service_id", demo["service_id"]}, {"region", "row"}};
    }

    Reply start(const json& creds) {
        return t.post("/api/v1/orgs/" + acme + "/oauth/tiktok_shop/start", {{"credentials", creds}, {"name", "Shop"}},
                      ann);
    }

    // The seller approves at the mock: the code and state it sends back.
    std::pair<std::string, std::string> approve(const std::string& authorization_url) {
        onramp::http::FetchRequest reg;
        reg.method = "PUT";
        reg.url = m.mock.url() + "/tiktok_shop/partner_center/redirect_url";
        reg.body = json{{"redirect_url", kOrigin + "/oauth/tiktok_shop/callback"}}.dump();
        reg.content_type = "application/json";
        REQUIRE(onramp::http::fetch(reg).response.status == 200);
        onramp::http::FetchRequest req;
        req.url = authorization_url;
        auto res = onramp::http::fetch(req);
        REQUIRE(res.ok());
        REQUIRE_MESSAGE(res.response.status == 302, res.response.body);
        std::string location = res.response.header("Location");
        return {onramp::connectors::wire::query_param(location, "code"),
                onramp::connectors::wire::query_param(location, "state")};
    }

    Reply callback(const std::string& code, const std::string& state) {
        return t.get("/oauth/tiktok_shop/callback?code=" + code + "&state=" + state);
    }

    int64_t connections() {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM connections");
        return st.step() ? st.i64(0) : -1;
    }

    static json posted(const Reply& r) {
        std::string marker = "var result = ";
        size_t at = r.body.find(marker);
        REQUIRE(at != std::string::npos);
        size_t end = r.body.find(";\n", at);
        return json::parse(r.body.substr(at + marker.size(), end - at - marker.size()));
    }
};

}  // namespace

TEST_SUITE("oauth.tiktok_shop") {

TEST_CASE("TikTok Shop sign-in through the edge: the connection is stored with its tokens and shop; the state "
          "works once") {
    RouteSignIn s;
    Reply started = s.start(s.app_fields());
    REQUIRE_MESSAGE(started.status == 200, started.body);
    std::string secret = s.app_fields()["app_secret"];
    CHECK(started.body.find(secret) == std::string::npos);
    std::string url = started.json()["authorization_url"];
    CHECK(url.rfind(s.m.mock.url() + "/tiktok_shop/services/open/authorize?", 0) == 0);
    CHECK(onramp::connectors::wire::query_param(url, "state") == started.json()["state"]);

    auto [code, state] = s.approve(url);
    Reply page = s.callback(code, state);
    REQUIRE_MESSAGE(page.status == 200, page.body);
    json message = RouteSignIn::posted(page);
    CHECK(message["success"] == true);
    CHECK(message["message"] == "Connected Shop (Onramp Demo Shop) to Onramp.");
    CHECK(page.body.find(secret) == std::string::npos);
    CHECK(s.connections() == 1);

    Reply again = s.callback(code, state);
    CHECK(again.status == 400);
    CHECK(RouteSignIn::posted(again)["error"] == "invalid_state");
    CHECK(s.connections() == 1);
}

TEST_CASE("TikTok Shop sign-in through the edge: a refused code stores nothing and spends the state") {
    RouteSignIn s;
    Reply started = s.start(s.app_fields());
    REQUIRE_MESSAGE(started.status == 200, started.body);
    auto [code, state] = s.approve(started.json()["authorization_url"]);
    Reply refused = s.callback("ROW_notTheCodeTheMockIssued", state);
    CHECK(refused.status == 502);
    CHECK(RouteSignIn::posted(refused)["error"] == "code_exchange_failed");
    CHECK(s.connections() == 0);
    CHECK(s.callback(code, state).status == 400);
    CHECK(s.connections() == 0);
    CHECK(s.callback(code, "").status == 400);
}

TEST_CASE("TikTok Shop sign-in through the edge: the start needs the app's fields and refuses the issued ones") {
    RouteSignIn s;
    json missing = s.app_fields();
    missing.erase("service_id");
    Reply no_service = s.start(missing);
    CHECK(no_service.status == 422);
    CHECK(no_service.body.find("service_id") != std::string::npos);
    json issued = s.app_fields();
    issued["access_token"] = "ROW_aTokenTheClientTyped01";
    Reply typed = s.start(issued);
    CHECK(typed.status == 422);
    CHECK(typed.body.find("access_token") != std::string::npos);
    CHECK(typed.body.find("ROW_aTokenTheClientTyped01") == std::string::npos);
}

TEST_CASE("TikTok Shop in demo mode: the edge's callback URL is registered with the mock at start, so its "
          "authorize page sends the seller back") {
    MockFixture m;
    onramp::http::FetchRequest req;
    req.url = tts::oauth::authorize_url(m.ctx, demo_app(m), "demo-state");
    REQUIRE(onramp::http::fetch(req).response.status == 400);

    onramp::mock::set_up_demo_apps(m.mock, "http://127.0.0.1:4321");
    auto res = onramp::http::fetch(req);
    REQUIRE(res.ok());
    REQUIRE(res.response.status == 302);
    std::string location = res.response.header("Location");
    CHECK(location.rfind("http://127.0.0.1:4321/oauth/tiktok_shop/callback?", 0) == 0);
    CHECK(onramp::connectors::wire::query_param(location, "state") == "demo-state");
}

}
