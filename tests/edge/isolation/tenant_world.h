// Two tenants, each holding one of every kind of object the API names,
// made through the API as their own people would make them; an operator;
// the mock platforms on loopback. The world of the tenant-isolation walk
// (route_walk_test.cpp), which calls every route as one tenant with the
// other's ids.
//
// Each tenant's values are distinctive strings (names, e-mails, tokens),
// so that finding one in an answer to the other tenant is a leak and
// never a coincidence.
#pragma once

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "edge/auth/sessions.h"
#include "edge/connectors/mock_fixture.h"
#include "edge/mock/server.h"
#include "edge/store/accounts.h"
#include "edge/support/test_app.h"
#include "edge/sync/engine.h"
#include "edge/sync/records.h"
#include "edge/webhooks/webhook_test_support.h"

namespace onramp::testing {

struct Person {
    std::string id, email, name, password, access_token, refresh_token;
};

struct Tenant {
    std::string org_id, org_name;
    Person manager, member;  // the member is a csr
    // Shopify: synced (run_id), with a webhook secret and one delivery;
    // its access token in the vault is replaced by vault_secret afterwards,
    // a value no platform accepts, so that the stored credential is
    // distinctive (the mock takes only its published demo credentials).
    std::string shop_id, shop_name, run_id, delivery_seq, webhook_secret, vault_secret;
    std::string store_id, store_name;  // BigCommerce: the one-URL webhook route finds it by org
    std::string integration_id, integration_name;  // the manager's own Chatwoot
    std::string document_id, document_name;
    std::string invite_id, invite_email, invite_token;
    std::string link_id, link_token;  // minted, never opened
    // A link that was opened: its client, and the client's session.
    std::string client_id, client_access_token, client_refresh_token;
    std::string key_id, key_secret;  // the manager's API key, made for this org
    // An event endpoint (made first, so that what follows queues deliveries
    // to it), its secret, and one of its deliveries.
    std::string endpoint_id, endpoint_secret, event_delivery_id;
    nlohmann::json company;          // the company basics the manager sent
};

inline nlohmann::json demo_credentials(const std::string& platform) { return mock::demo_credentials()[platform]; }

// An integration create body (name, type, configuration) for the mock's Chatwoot.
inline nlohmann::json chatwoot_integration(const std::string& name) {
    nlohmann::json c = demo_credentials("chatwoot");
    return {{"name", name},
            {"type", "CRM"},
            {"configuration",
             {{"provider", "CHATWOOT"},
              {"baseUrl", c["base_url"]},
              {"accountId", c["account_id"]},
              {"apiKey", c["api_access_token"]}}}};
}

inline nlohmann::json goals_body() {
    return {{"primary_goals", {"Reduce response time"}},
            {"target_metrics", {{"response_time_hours", 2}}},
            {"notification_preferences", {{"email", true}, {"sms", false}, {"in_app", true}}},
            {"quiet_hours_start", "20:00"},
            {"quiet_hours_end", "08:00"}};
}

// A small data set, and platforms that let the walk's many calls through
// without rate-limit waits (pacing is tested in tests/edge/connectors).
inline mock::Options walk_mock() {
    mock::Options o = small_mock(5);
    o.knobs["shopify-bucket"] = "100000/100000";
    o.knobs["bigcommerce-quota"] = "100000/30000";
    return o;
}

struct TenantWorld {
    MockFixture m{walk_mock()};
    TestApp t;
    sync::Engine engine{t.app, 1};  // drained on the test's thread, never started
    Tenant a, b;
    Person op;
    std::string op_key_secret;  // an operator's API key made for A's org
    std::map<std::string, std::string> sessions;  // user id → access token, for session()

    TenantWorld() {
        t.app.config.demo = true;  // the mock is on loopback
        t.app.config.public_url = "https://edge.example.test";
        t.app.config.base_urls = mock::demo_base_urls(m.mock.url());
        op = person("olga.operator@onramp.test", "Olga Operator", true);
        sign_in(op);
        a = make_tenant("acme", "Acme Anvils", "Ada", "+1-555-010-1111");
        b = make_tenant("borealis", "Borealis Freight Lines", "Bea", "+1-555-020-2222");
        op_key_secret = text(json_of(t.post("/api/v1/auth/api-keys", {{"name", "ops for acme"}, {"org_id", a.org_id}},
                                            op.access_token),
                                     201)["key"]);
    }

    // A live access token of `user_id`: the walk's last one, or a new one
    // made directly in the store when a request ended it (signing out), so
    // that no route changes what the routes after it test.
    std::string session(const std::string& user_id) {
        auto db = t.app.store->lease();
        std::string& token = sessions[user_id];
        if (token.empty() || !auth::user_for_access_token(*db, token, t.clock))
            token = auth::start_session(*db, user_id, t.clock).access_token;
        return token;
    }

    // Runs every queued sync to its end, as a running edge's engine would:
    // an events stream then ends instead of waiting for a run nobody runs.
    void settle() { engine.drain(); }

    nlohmann::json json_of(const Reply& r, int status) {
        REQUIRE_MESSAGE(r.status == status, r.body);
        return r.json();
    }

private:
    static std::string text(const nlohmann::json& j) { return j.get<std::string>(); }

    Person person(const std::string& email, const std::string& name, bool is_operator = false) {
        Person p{"", email, name, "pw-" + email, "", ""};
        p.id = t.make_user(email, p.password, is_operator, name);
        return p;
    }

    void sign_in(Person& p) {
        nlohmann::json r = json_of(t.post("/api/v1/auth/login", {{"email", p.email}, {"password", p.password}}), 200);
        p.access_token = text(r["access_token"]);
        p.refresh_token = text(r["refresh_token"]);
    }

    // `key` spells the tenant's e-mail domain and tokens; `first` starts its people's names.
    Tenant make_tenant(const std::string& key, const std::string& org_name, const std::string& first,
                       const std::string& phone) {
        Tenant x;
        x.org_name = org_name;
        x.org_id = t.make_org(org_name);
        x.manager = person(key + ".manager@" + key + ".test", first + " Managerson-" + key);
        x.member = person(key + ".csr@" + key + ".test", first + " Csrdottir-" + key);
        t.add_member(x.org_id, x.manager.id, "manager");
        t.add_member(x.org_id, x.member.id, "csr");
        sign_in(x.manager);
        sign_in(x.member);
        const std::string& token = x.manager.access_token;
        const std::string org = "/api/v1/orgs/" + x.org_id;
        nlohmann::json endpoint = json_of(
            t.post(org + "/event-endpoints", {{"url", "https://hooks." + key + ".test/onramp"}, {"description", "CRM of " + org_name}},
                   token),
            201);
        x.endpoint_id = text(endpoint["id"]);
        x.endpoint_secret = text(endpoint["secret"]);

        x.company = {{"company_name", org_name},
                     {"company_phone", phone},
                     {"company_email", "office@" + key + ".test"},
                     {"company_domain", key + ".test"},
                     {"industry", "logistics"},
                     {"timezone", "America/New_York"},
                     {"team_size", 12},
                     {"admin_name", first + " Adminsen-" + key},
                     {"admin_email", "admin@" + key + ".test"}};
        json_of(t.post("/api/v1/onboarding/company-basics", x.company, token), 200);
        json_of(t.post("/api/v1/onboarding/goals", goals_body(), token), 200);

        x.shop_name = "Shop of " + org_name;
        x.shop_id = text(json_of(t.post(org + "/connections",
                                        {{"platform", "shopify"},
                                         {"name", x.shop_name},
                                         {"credentials", demo_credentials("shopify")},
                                         {"perform_initial_sync", true}},
                                        token),
                                 201)["id"]);
        settle();
        {
            auto db = t.app.store->lease();
            auto run = sync::latest_run(*db, x.shop_id);
            REQUIRE(run);
            x.run_id = run->id;
        }
        x.webhook_secret = "whsec-" + key + "-0123456789abcdef";
        json_of(t.call("PUT", org + "/connections/" + x.shop_id + "/webhooks/secret",
                       nlohmann::json{{"secret", x.webhook_secret}}.dump(), token),
                200);
        std::string delivery = R"({"id":7000000001,"title":"Mug"})";
        Reply hook = t.call("POST", "/webhooks/shopify/" + x.shop_id, delivery, "",
                            {{"Content-Type", "application/json"},
                             {"X-Shopify-Hmac-Sha256", webhook_test::hmac_sha256_b64(x.webhook_secret, delivery)},
                             {"X-Shopify-Topic", "products/update"},
                             {"X-Shopify-Shop-Domain", text(demo_credentials("shopify")["shop_domain"])},
                             {"X-Shopify-API-Version", "2024-04"},
                             {"X-Shopify-Webhook-Id", "walk-" + key}});
        x.delivery_seq = std::to_string(json_of(hook, 200)["id"].get<int64_t>());
        x.vault_secret = "shpat_" + key + "_stored_secret_0123456789";
        {
            auto db = t.app.store->lease();
            REQUIRE(t.app.vault->put(*db, x.org_id, x.shop_id, "access_token", x.vault_secret));
        }

        x.store_name = "Store of " + org_name;
        x.store_id = text(json_of(t.post(org + "/connections",
                                         {{"platform", "bigcommerce"},
                                          {"name", x.store_name},
                                          {"credentials", demo_credentials("bigcommerce")}},
                                         token),
                                  201)["id"]);

        x.integration_name = "Chatwoot of " + org_name;
        Reply integration =
            t.post("/api/dashboard/integrations/create", chatwoot_integration(x.integration_name), token);
        x.integration_id = text(json_of(integration, 201)["integration"]["id"]);

        x.document_name = key + "-playbook.txt";
        x.document_id = text(upload(token, x.document_name)["data"]["document_id"]);

        x.invite_email = key + ".newhire@" + key + ".test";
        nlohmann::json invite =
            json_of(t.post("/api/v1/onboarding/invite-user", {{"email", x.invite_email}, {"role", "csr"}}, token), 201);
        x.invite_id = text(invite["data"]["invite_id"]);
        std::string url = text(invite["data"]["invite_url"]);
        x.invite_token = url.substr(url.rfind('/') + 1);

        nlohmann::json link = json_of(t.post(org + "/onboarding-links", {{"note", "for " + org_name}}, token), 201);
        x.link_id = text(link["id"]);
        x.link_token = text(link["token"]);
        nlohmann::json opened = json_of(t.post(org + "/onboarding-links", {{"note", "opened"}}, token), 201);
        nlohmann::json client =
            json_of(t.post("/api/v1/onboarding-links/exchange", {{"token", opened["token"]}}), 200);
        x.client_access_token = text(client["access_token"]);
        x.client_refresh_token = text(client["refresh_token"]);
        {
            auto db = t.app.store->lease();
            auto user = store::find_user_by_email(*db, "link-" + text(opened["id"]) + "@onboarding.invalid");
            REQUIRE(user);
            x.client_id = user->id;
        }

        nlohmann::json key_body = {{"name", "key of " + org_name}, {"org_id", x.org_id}};
        nlohmann::json key_made = json_of(t.post("/api/v1/auth/api-keys", key_body, token), 201);
        x.key_id = text(key_made["id"]);
        x.key_secret = text(key_made["key"]);
        nlohmann::json log = json_of(t.get(org + "/event-endpoints/" + x.endpoint_id + "/deliveries", token), 200);
        REQUIRE(!log["items"].empty());
        x.event_delivery_id = std::to_string(log["items"][0]["id"].get<int64_t>());
        return x;
    }

    nlohmann::json upload(const std::string& token, const std::string& filename) {
        http::Request req;
        req.method = "POST";
        req.path = "/api/v1/onboarding/documents/upload";
        req.headers.emplace("Content-Type", "multipart/form-data; boundary=----onramp");
        req.headers.emplace("Authorization", "Bearer " + token);
        req.files.emplace("file", http::UploadedFile{filename, "text/plain", "Greet the caller by name.\n"});
        req.form.emplace("category", "sop");
        req.form.emplace("role_target", "sales_rep");
        return json_of(t.send(std::move(req)), 201);
    }
};

}  // namespace onramp::testing
