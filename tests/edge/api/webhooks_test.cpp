// Specification of the webhook endpoints: POST /webhooks/{platform}/{id}
// and the one-URL POST /api/webhooks/bigcommerce store a delivery only after
// it verified, answer 2xx only once it is committed, acknowledge
// duplicates without storing them again, and reject everything else with
// the right status, storing nothing (only a counter moves). The management
// API under .../connections/{id}/webhooks sets and rotates secrets,
// registers hooks on the (mock) platforms, shows deliveries and counters
// and replays dead letters, with the usual tenancy and validation rules.
//
// Every signature here is computed with OpenSSL directly
// (webhook_test_support.h), never with the code under test.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/mock/internal.h"
#include "edge/store/db.h"
#include "edge/support/stripe_vector.h"
#include "edge/support/test_app.h"
#include "edge/webhooks/worker.h"
#include "edge/webhooks/webhook_test_support.h"

using nlohmann::json;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;
using namespace webhook_test;

namespace {

json demo(const std::string& platform) { return onramp::mock::demo_credentials()[platform]; }

constexpr const char* kPublicUrl = "https://edge.example.test";

struct Hooks {
    MockFixture m;
    TestApp t;
    std::string acme, globex, ann, carl, gina;

    Hooks() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.config.public_url = kPublicUrl;
        acme = t.make_org("Acme");
        globex = t.make_org("Globex");
        t.add_member(acme, t.make_user("ann@acme.test", "pw-123456"), "manager");
        t.add_member(acme, t.make_user("carl@acme.test", "pw-123456"), "csr");
        t.add_member(globex, t.make_user("gina@globex.test", "pw-123456"), "manager");
        ann = t.login("ann@acme.test", "pw-123456");
        carl = t.login("carl@acme.test", "pw-123456");
        gina = t.login("gina@globex.test", "pw-123456");
    }

    std::string connect(const std::string& platform, const std::string& org = "") {
        Reply r = t.post("/api/v1/orgs/" + (org.empty() ? acme : org) + "/connections",
                         {{"platform", platform}, {"name", platform}, {"credentials", demo(platform)}},
                         org == globex ? gina : ann);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return r.json()["id"];
    }
    std::string hooks_path(const std::string& id, const std::string& org = "") {
        return "/api/v1/orgs/" + (org.empty() ? acme : org) + "/connections/" + id + "/webhooks";
    }
    Reply put_secret(const std::string& id, const json& body) {
        return t.call("PUT", hooks_path(id) + "/secret", body.dump(), ann);
    }
    Reply deliver(const std::string& path, const std::string& body, std::map<std::string, std::string> headers,
                  const std::string& type = "application/json") {
        headers["Content-Type"] = type;
        return t.call("POST", path, body, "", std::move(headers));
    }
    Reply shopify(const std::string& id, const std::string& key, const std::string& body, const std::string& webhook_id,
                  const std::string& topic = "products/update") {
        return deliver("/webhooks/shopify/" + id, body,
                       {{"X-Shopify-Hmac-Sha256", hmac_sha256_b64(key, body)},
                        {"X-Shopify-Topic", topic},
                        {"X-Shopify-Shop-Domain", "onramp-demo.myshopify.com"},
                        {"X-Shopify-API-Version", "2024-04"},
                        {"X-Shopify-Webhook-Id", webhook_id}});
    }
    int64_t rows(const std::string& where = "1") {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT count(*) FROM webhook_deliveries WHERE " + where);
        st.step();
        return st.i64(0);
    }
    std::string inbox() {
        auto db = t.app.store->lease();
        onramp::store::Stmt st(*db, "SELECT group_concat(seq || ':' || state || ':' || hex(body), ',')"
                                          " FROM webhook_deliveries");
        return st.step() ? st.text(0) : "";
    }
    json counters(const std::string& id) {
        Reply r = t.get(hooks_path(id), ann);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return r.json()["counters"];
    }
};

}  // namespace

TEST_SUITE("webhooks.api") {

TEST_CASE("a verified Shopify delivery is committed before its 200, and duplicates are acknowledged, not stored") {
    Hooks h;
    std::string id = h.connect("shopify");
    REQUIRE(h.put_secret(id, {{"secret", "shpss_app_client_secret_1"}}).status == 200);
    std::string body = R"({"id":7000000001,"title":"Mug"})";

    Reply r = h.shopify(id, "shpss_app_client_secret_1", body, "wh-1");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["duplicate"] == false);
    CHECK(h.rows("state = 'received' AND topic = 'products/update' AND delivery_id = 'wh-1'") == 1);

    SUBCASE("the same platform delivery id again") {
        Reply again = h.shopify(id, "shpss_app_client_secret_1", R"({"id":7000000001,"title":"Mug 2"})", "wh-1");
        CHECK(again.status == 200);
        CHECK(again.json()["duplicate"] == true);
        CHECK(again.json()["id"] == r.json()["id"]);
    }
    SUBCASE("the same body under a new id within the window") {
        Reply again = h.shopify(id, "shpss_app_client_secret_1", body, "wh-2");
        CHECK(again.status == 200);
        CHECK(again.json()["duplicate"] == true);
    }
    CHECK(h.rows() == 1);
    json c = h.counters(id);
    CHECK(c["received"] == 2);
    CHECK(c["verified"] == 2);
    CHECK(c["duplicate"] == 1);
    CHECK(c["rejected"] == 0);
}

TEST_CASE("the same body after the de-duplication window is a new delivery") {
    Hooks h;
    std::string id = h.connect("shopify");
    REQUIRE(h.put_secret(id, {{"secret", "k"}}).status == 200);
    CHECK(h.shopify(id, "k", R"({"id":1})", "a").json()["duplicate"] == false);
    h.t.clock += 86400 + 1;
    CHECK(h.shopify(id, "k", R"({"id":1})", "b").json()["duplicate"] == false);
    CHECK(h.rows() == 2);
}

TEST_CASE("forged, truncated, re-signed and header-less deliveries get 401, are stored nowhere, and are counted") {
    Hooks h;
    std::string id = h.connect("shopify");
    REQUIRE(h.put_secret(id, {{"secret", "right-key"}}).status == 200);
    std::string body = R"({"id":7000000001,"title":"Mug"})";
    std::string before = h.inbox();

    std::string sig = hmac_sha256_b64("right-key", body);
    auto send = [&](const std::string& b, const std::string& signature) {
        return h.deliver("/webhooks/shopify/" + id, b,
                         {{"X-Shopify-Hmac-Sha256", signature}, {"X-Shopify-Topic", "products/update"},
                          {"X-Shopify-Shop-Domain", "x.myshopify.com"}, {"X-Shopify-API-Version", "2024-04"},
                          {"X-Shopify-Webhook-Id", "w"}});
    };
    Reply forged = send(body, hmac_sha256_b64("wrong-key", body));
    CHECK(forged.status == 401);
    CHECK(forged.content_type == "application/problem+json");
    CHECK(forged.json()["error_code"] == "webhook_rejected");
    CHECK(send(body.substr(0, body.size() - 1), sig).status == 401);              // truncated
    CHECK(send(R"({"id":7000000001,"title":"Mud"})", sig).status == 401);         // altered
    CHECK(send(body, "not base64!").status == 401);                               // bad encoding
    CHECK(h.deliver("/webhooks/shopify/" + id, body, {{"X-Shopify-Topic", "products/update"}}).status == 401);

    CHECK(h.inbox() == before);
    CHECK(h.rows() == 0);
    CHECK(h.counters(id)["rejected"] == 5);
}

TEST_CASE("a connection without a secret rejects every delivery") {
    Hooks h;
    std::string id = h.connect("shopify");
    CHECK(h.shopify(id, "", R"({"id":1})", "a").status == 401);
    CHECK(h.shopify(id, "anything", R"({"id":1})", "a").status == 401);
    CHECK(h.rows() == 0);
}

TEST_CASE("unknown platform, unknown connection, another scheme, wrong content type, oversized: refused, nothing stored") {
    Hooks h;
    std::string id = h.connect("shopify");
    REQUIRE(h.put_secret(id, {{"secret", "k"}}).status == 200);
    std::string body = R"({"id":1})";
    CHECK(h.deliver("/webhooks/myspace/" + id, body, {}).status == 404);
    CHECK(h.deliver("/webhooks/shopify/conn_nope", body, {}).status == 404);
    // The connection takes Shopify deliveries; a WooCommerce one is 404 as if it did not exist.
    Reply other = h.deliver("/webhooks/woocommerce/" + id, body, {{"X-WC-Webhook-Signature", hmac_sha256_b64("k", body)}});
    CHECK(other.status == 404);
    CHECK(h.deliver("/webhooks/shopify/" + id, body, {{"X-Shopify-Hmac-Sha256", hmac_sha256_b64("k", body)}},
                    "text/plain")
              .status == 415);
    CHECK(h.deliver("/webhooks/shopify/" + id, std::string(2 << 20, 'x'), {}).status == 413);
    CHECK(h.rows() == 0);
    CHECK(h.counters(id)["rejected"] == 2);
}

TEST_CASE("WooCommerce's unsigned creation ping is answered 200 and not stored; its signed deliveries are") {
    Hooks h;
    std::string id = h.connect("woocommerce");
    Reply s = h.put_secret(id, json::object());  // Onramp may generate a WooCommerce secret
    REQUIRE_MESSAGE(s.status == 200, s.body);
    std::string secret = s.json()["secret"];
    Reply ping = h.deliver("/webhooks/woocommerce/" + id, "webhook_id=42", {}, "application/x-www-form-urlencoded");
    CHECK(ping.status == 200);
    CHECK(ping.json()["ping"] == true);
    CHECK(h.rows() == 0);

    std::string body = R"({"id":17,"name":"Mug"})";
    Reply ok = h.deliver("/webhooks/woocommerce/" + id, body,
                         {{"X-WC-Webhook-Signature", hmac_sha256_b64(secret, body)},
                          {"X-WC-Webhook-Topic", "product.updated"},
                          {"X-WC-Webhook-Delivery-ID", "d-1"}});
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(h.rows("topic = 'product.updated' AND delivery_id = 'd-1'") == 1);
}

TEST_CASE("Stripe-signed deliveries to a connection that chose the Stripe scheme: tolerance enforced") {
    Hooks h;
    std::string id = h.connect("custom_crm");
    std::string secret = "whsec_test_secret_0123";
    REQUIRE(h.put_secret(id, {{"scheme", "stripe"}, {"secret", secret}}).status == 200);
    std::string body = R"({"id":"evt_1","type":"customer.updated"})";
    auto sign = [&](int64_t t) { return stripe_signature(secret, t, body); };
    CHECK(h.deliver("/webhooks/stripe/" + id, body, {{"Stripe-Signature", sign(h.t.clock - 400)}}).status == 401);
    Reply ok = h.deliver("/webhooks/stripe/" + id, body, {{"Stripe-Signature", sign(h.t.clock - 10)}});
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(h.rows("topic = 'customer.updated' AND delivery_id = 'evt_1'") == 1);
    // Replayed later with a fresh signature: the event id makes it a duplicate.
    h.t.clock += 600;
    CHECK(h.deliver("/webhooks/stripe/" + id, body, {{"Stripe-Signature", sign(h.t.clock)}}).json()["duplicate"] == true);
}

TEST_CASE("Twilio signs the public URL: verified against --public-url plus the request target, with the auth token") {
    Hooks h;
    std::string id = h.connect("twilio");
    std::string token = demo("twilio")["auth_token"];
    std::string path = "/webhooks/twilio/" + id + "?kind=status";
    std::string body = "CallSid=CA123&CallStatus=completed&From=%2B15125550100";
    // URL + params sorted by name, each name then its decoded value.
    std::string signed_text = std::string(kPublicUrl) + path + "CallSidCA123CallStatuscompletedFrom+15125550100";
    Reply ok = h.deliver(path, body, {{"X-Twilio-Signature", hmac_sha1_b64(token, signed_text)}},
                         "application/x-www-form-urlencoded");
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(h.rows("topic = 'call.completed'") == 1);
    // Signed for the address the edge listens on instead of the public one: rejected.
    std::string internal = "http://127.0.0.1:8080" + path + "CallSidCA123CallStatuscompletedFrom+15125550100";
    CHECK(h.deliver(path, body, {{"X-Twilio-Signature", hmac_sha1_b64(token, internal)}},
                    "application/x-www-form-urlencoded")
              .status == 401);
}

TEST_CASE("the one-URL /api/webhooks/bigcommerce routes by org_id and checks the connection's header secret") {
    Hooks h;
    std::string id = h.connect("bigcommerce");
    Reply s = h.put_secret(id, json::object());
    REQUIRE_MESSAGE(s.status == 200, s.body);
    std::string secret = s.json()["secret"];
    json payload = {{"scope", "store/product/updated"}, {"store_id", "1001234"},
                    {"data", {{"type", "product"}, {"id", 3}}}, {"hash", "abc123"},
                    {"producer", "stores/onrampdemo"},           {"org_id", h.acme}};
    Reply ok = h.deliver("/api/webhooks/bigcommerce", payload.dump(), {{"X-Onramp-Webhook-Secret", secret}});
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(h.rows("connection_id = '" + id + "' AND topic = 'store/product/updated' AND delivery_id = 'abc123'") == 1);

    CHECK(h.deliver("/api/webhooks/bigcommerce", payload.dump(), {{"X-Onramp-Webhook-Secret", "guess"}}).status == 401);
    payload["org_id"] = h.globex;  // no BigCommerce connection there
    CHECK(h.deliver("/api/webhooks/bigcommerce", payload.dump(), {{"X-Onramp-Webhook-Secret", secret}}).status == 404);
    payload.erase("org_id");
    CHECK(h.deliver("/api/webhooks/bigcommerce", payload.dump(), {{"X-Onramp-Webhook-Secret", secret}}).status == 404);
    CHECK(h.rows() == 1);
}

TEST_CASE("rotation: the previous secret verifies during the grace period only") {
    Hooks h;
    std::string id = h.connect("shopify");
    REQUIRE(h.put_secret(id, {{"secret", "old-secret"}}).status == 200);
    Reply rotated = h.put_secret(id, {{"secret", "new-secret"}, {"grace_seconds", 3600}});
    REQUIRE_MESSAGE(rotated.status == 200, rotated.body);
    CHECK(rotated.json()["previous_secret_valid_until"].is_string());
    CHECK(h.shopify(id, "old-secret", R"({"n":1})", "1").status == 200);
    CHECK(h.shopify(id, "new-secret", R"({"n":2})", "2").status == 200);
    h.t.clock += 3601;
    CHECK(h.shopify(id, "old-secret", R"({"n":3})", "3").status == 401);
    CHECK(h.shopify(id, "new-secret", R"({"n":4})", "4").status == 200);
    Reply shown = h.t.get(h.hooks_path(id), h.ann);
    CHECK(shown.json()["previous_secret_valid_until"].is_null());
}

TEST_CASE("the webhook view: URL, masked secret, steps, counters, deliveries by state; secrets never in the audit log") {
    Hooks h;
    std::string id = h.connect("shopify");
    REQUIRE(h.put_secret(id, {{"secret", "shpss_visible_once_123"}}).status == 200);
    REQUIRE(h.shopify(id, "shpss_visible_once_123", R"({"id":5})", "w5").status == 200);
    Reply r = h.t.get(h.hooks_path(id), h.carl);  // any member may look
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json v = r.json();
    CHECK(v["url"] == std::string(kPublicUrl) + "/webhooks/shopify/" + id);
    CHECK(v["scheme"] == "shopify");
    CHECK(v["secret_configured"] == true);
    CHECK(v["secret"] == "••••_123");
    CHECK(v["can_register"] == true);
    CHECK(v["steps"].size() >= 1);
    REQUIRE(v["deliveries"].size() == 1);
    CHECK(v["deliveries"][0]["topic"] == "products/update");
    CHECK(v["deliveries"][0]["state"] == "received");
    CHECK(v["deliveries"][0]["attempts"] == 0);
    CHECK(h.t.get(h.hooks_path(id) + "?state=dead", h.ann).json()["deliveries"].empty());
    CHECK(h.t.get(h.hooks_path(id) + "?state=bogus", h.ann).status == 422);
    CHECK(h.t.get(h.hooks_path(id) + "?limit=0", h.ann).status == 422);

    auto db = h.t.app.store->lease();
    onramp::store::Stmt st(*db, "SELECT group_concat(detail) FROM audit_log WHERE action LIKE 'webhook.%'");
    REQUIRE(st.step());
    CHECK(st.text(0).find("shpss_visible_once_123") == std::string::npos);
    CHECK(st.text(0).find("shopify") != std::string::npos);
}

TEST_CASE("the webhook view says whether Onramp may generate the secret: Stripe's is pasted, and a blank one is refused by field") {
    Hooks h;
    CHECK(h.t.get(h.hooks_path(h.connect("woocommerce")), h.ann).json()["can_generate_secret"] == true);
    std::string id = h.connect("stripe");
    json v = h.t.get(h.hooks_path(id), h.ann).json();
    CHECK(v["can_generate_secret"] == false);
    CHECK(v["secret_configured"] == false);
    std::string before = h.t.snapshot();
    Reply generated = h.put_secret(id, json::object());
    CHECK(generated.status == 422);
    CHECK(generated.json()["errors"].contains("secret"));
    Reply blank = h.put_secret(id, {{"secret", "  "}});
    CHECK(blank.status == 422);
    CHECK(blank.json()["error_codes"]["secret"]["code"] == "empty");
    CHECK(h.t.snapshot() == before);
    REQUIRE(h.put_secret(id, {{"secret", "whsec_from_the_dashboard"}}).status == 200);
    v = h.t.get(h.hooks_path(id), h.ann).json();
    CHECK(v["secret_configured"] == true);
    CHECK(v["secret"] == "••••oard");
}

TEST_CASE("management requests: no auth 401, another tenant 404, csr 403, bad bodies 400/413/415/422, nothing changed") {
    Hooks h;
    std::string id = h.connect("shopify");
    std::string path = h.hooks_path(id);
    std::string before = h.t.snapshot();

    CHECK(h.t.get(path).status == 401);
    CHECK(h.t.call("PUT", path + "/secret", R"({"secret":"x"})").status == 401);
    CHECK(h.t.get(path, h.gina).status == 404);
    CHECK(h.t.get(h.hooks_path(id, h.globex), h.gina).status == 404);
    CHECK(h.t.call("PUT", h.hooks_path(id, h.globex) + "/secret", R"({"secret":"x"})", h.gina).status == 404);
    CHECK(h.t.call("POST", h.hooks_path(id, h.globex) + "/registration", "", h.gina).status == 404);
    CHECK(h.t.call("PUT", path + "/secret", R"({"secret":"x"})", h.carl).status == 403);
    CHECK(h.t.call("PUT", path + "/secret", R"({"secret":)", h.ann).status == 400);
    CHECK(h.t.call("PUT", path + "/secret", R"({"secret":5})", h.ann).status == 422);
    CHECK(h.t.call("PUT", path + "/secret", R"({"grace_seconds":"soon","secret":"x"})", h.ann).status == 422);
    CHECK(h.t.call("PUT", path + "/secret", R"({"scheme":"myspace","secret":"x"})", h.ann).status == 422);
    CHECK(h.t.call("PUT", path + "/secret", R"({"colour":"red","secret":"x"})", h.ann).status == 422);
    CHECK(h.t.call("PUT", path + "/secret", "[]", h.ann).status == 422);
    CHECK(h.t.call("PUT", path + "/secret", "secret=x", h.ann, {{"Content-Type", "text/plain"}}).status == 415);
    CHECK(h.t.call("PUT", path + "/secret", "{\"secret\":\"" + std::string(2 << 20, 'x') + "\"}", h.ann).status == 413);
    // Shopify fixes its secret (the app's client secret): it cannot be generated.
    CHECK(h.t.call("PUT", path + "/secret", "{}", h.ann).status == 422);
    CHECK(h.t.call("POST", path + "/deliveries/999/replay", "", h.ann).status == 404);
    CHECK(h.t.call("POST", path + "/deliveries/abc/replay", "", h.ann).status == 404);
    CHECK(h.t.snapshot() == before);
}

TEST_CASE("registration creates the hooks on BigCommerce idempotently, with the generated header secret, and removes them") {
    Hooks h;
    std::string id = h.connect("bigcommerce");
    Reply r = h.t.call("POST", h.hooks_path(id) + "/registration", "", h.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["registered"].size() == 10);
    CHECK(r.json()["secret_configured"] == true);
    auto hooks = [&] {
        std::lock_guard<std::mutex> lock(h.m.mock.state().mu);
        return h.m.mock.state().hooks;
    };
    REQUIRE(hooks().size() == 10);
    std::string url = std::string(kPublicUrl) + "/webhooks/bigcommerce/" + id;
    for (const auto& hook : hooks()) {
        CHECK(hook.destination == url);
        CHECK(hook.headers.contains("X-Onramp-Webhook-Secret"));
    }
    std::string secret = hooks()[0].headers["X-Onramp-Webhook-Secret"];

    Reply again = h.t.call("POST", h.hooks_path(id) + "/registration", "", h.ann);
    REQUIRE(again.status == 200);
    CHECK(hooks().size() == 10);
    CHECK(again.json()["registered"] == r.json()["registered"]);

    // Rotation then registration pushes the new secret to the platform.
    Reply rotated = h.put_secret(id, json::object());
    REQUIRE(rotated.status == 200);
    REQUIRE(h.t.call("POST", h.hooks_path(id) + "/registration", "", h.ann).status == 200);
    CHECK(hooks()[0].headers["X-Onramp-Webhook-Secret"] == rotated.json()["secret"]);
    CHECK(hooks()[0].headers["X-Onramp-Webhook-Secret"] != secret);

    CHECK(h.t.call("DELETE", h.hooks_path(id) + "/registration", "", h.ann).status == 204);
    CHECK(hooks().empty());
    CHECK(h.t.get(h.hooks_path(id), h.ann).json()["registered"].empty());
}

TEST_CASE("registration on Shopify needs the app secret first; WooCommerce gets a generated secret; others are manual") {
    Hooks h;
    std::string shop = h.connect("shopify");
    CHECK(h.t.call("POST", h.hooks_path(shop) + "/registration", "", h.ann).status == 422);
    REQUIRE(h.put_secret(shop, {{"secret", "shpss_app"}}).status == 200);
    Reply s = h.t.call("POST", h.hooks_path(shop) + "/registration", "", h.ann);
    REQUIRE_MESSAGE(s.status == 200, s.body);
    CHECK(s.json()["registered"].size() == 5);

    std::string woo = h.connect("woocommerce");
    Reply w = h.t.call("POST", h.hooks_path(woo) + "/registration", "", h.ann);
    REQUIRE_MESSAGE(w.status == 200, w.body);
    CHECK(w.json()["registered"].size() == 7);
    {
        std::lock_guard<std::mutex> lock(h.m.mock.state().mu);
        int woo_hooks = 0;
        for (const auto& hook : h.m.mock.state().hooks)
            if (hook.platform == "woocommerce") {
                ++woo_hooks;
                CHECK(!hook.secret.empty());
            }
        CHECK(woo_hooks == 7);
    }

    std::string calls = h.connect("callrail");
    Reply manual = h.t.call("POST", h.hooks_path(calls) + "/registration", "", h.ann);
    CHECK(manual.status == 422);
    Reply view = h.t.get(h.hooks_path(calls), h.ann);
    CHECK(view.json()["can_register"] == false);
    CHECK(view.json()["steps"][0].get<std::string>().find(std::string(kPublicUrl) + "/webhooks/callrail/" + calls) !=
          std::string::npos);
}

TEST_CASE("an operator replays a dead delivery; live ones are not replayed") {
    Hooks h;
    std::string id = h.connect("shopify");
    REQUIRE(h.put_secret(id, {{"secret", "k"}}).status == 200);
    Reply r = h.shopify(id, "k", R"({"id":7000000001})", "w1");
    REQUIRE(r.status == 200);
    int64_t seq = r.json()["id"];
    std::string replay = h.hooks_path(id) + "/deliveries/" + std::to_string(seq) + "/replay";
    CHECK(h.t.call("POST", replay, "", h.ann).status == 409);
    {
        auto db = h.t.app.store->lease();
        db->write("UPDATE webhook_deliveries SET state = 'dead', attempts = 6, last_error = 'x' WHERE seq = ?", seq);
    }
    CHECK(h.t.call("POST", h.hooks_path(id, h.globex) + "/deliveries/" + std::to_string(seq) + "/replay", "", h.gina)
              .status == 404);
    CHECK(h.t.call("POST", replay, "", h.carl).status == 403);
    Reply ok = h.t.call("POST", replay, "", h.ann);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(h.rows("state = 'received' AND attempts = 0 AND last_error IS NULL") == 1);
}

}  // TEST_SUITE
