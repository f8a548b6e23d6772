// Specification of /api/dashboard/integrations: a signed-in user's own CRM
// integrations. The documented request bodies (README, "Per-user
// integrations") work as written;
// the provider definitions come from the connector catalog; credentials
// are tested before they are stored and come back masked; nobody else
// sees a user's integrations; without one, the environment's global
// Chatwoot credentials apply. The CRMs are the mock server.
#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"
#include "edge/support/test_app.h"

using nlohmann::json;
using onramp::testing::MockFixture;
using onramp::testing::Reply;
using onramp::testing::TestApp;

namespace {

const std::string kBase = "/api/dashboard/integrations";

json demo(const std::string& platform) { return onramp::mock::demo_credentials()[platform]; }

// Ann and Bob in Acme, Gina in Globex; the CRMs point at the mock.
struct Users {
    MockFixture m;
    TestApp t;
    std::map<std::string, std::string> env;
    std::string acme, globex, ann, bob, gina;

    Users() {
        t.app.config.demo = true;
        t.app.config.base_urls = onramp::mock::demo_base_urls(m.mock.url());
        t.app.env = [this](const std::string& name) { return env.count(name) ? env[name] : std::string(); };
        acme = t.make_org("Acme");
        globex = t.make_org("Globex");
        t.add_member(acme, t.make_user("ann@acme.test", "pw-123456"), "csr");
        t.add_member(acme, t.make_user("bob@acme.test", "pw-123456"), "manager");
        t.add_member(globex, t.make_user("gina@globex.test", "pw-123456"), "manager");
        ann = t.login("ann@acme.test", "pw-123456");
        bob = t.login("bob@acme.test", "pw-123456");
        gina = t.login("gina@globex.test", "pw-123456");
    }

    // A create body (name, type, configuration of provider, camelCase
    // credentials and features), with the mock's Chatwoot.
    json chatwoot_body() {
        json c = demo("chatwoot");
        return {{"name", "My Chatwoot"},
                {"type", "CRM"},
                {"configuration",
                 {{"provider", "CHATWOOT"},
                  {"baseUrl", c["base_url"]},
                  {"accountId", c["account_id"]},
                  {"apiKey", c["api_access_token"]},
                  {"features", {{"autoCreateInboxes", true}, {"autoCreateBots", false}, {"syncContacts", true}}}}}};
    }

    std::string create_chatwoot(const std::string& token) {
        Reply r = t.post(kBase + "/create", chatwoot_body(), token);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return r.json()["integration"]["id"];
    }
};

}  // namespace

TEST_SUITE("integrations.api") {

TEST_CASE("every endpoint needs a signed-in user") {
    Users u;
    std::string before = u.t.snapshot();
    const std::pair<const char*, std::string> routes[] = {
        {"GET", kBase + "/providers"}, {"GET", kBase},           {"GET", kBase + "/active"},
        {"POST", kBase + "/create"},   {"POST", kBase + "/test"}, {"GET", kBase + "/con_x"},
        {"PUT", kBase + "/con_x"},     {"POST", kBase + "/con_x/test"}, {"DELETE", kBase + "/con_x"},
    };
    for (const auto& [method, path] : routes) {
        CAPTURE(path);
        bool body = std::string(method) == "PUT" || path.ends_with("/create") || path.ends_with("s/test");
        CHECK(u.t.call(method, path, body ? u.chatwoot_body().dump() : "").status == 401);
    }
    CHECK(u.t.snapshot() == before);
}

TEST_CASE("provider definitions drive the form: catalog fields, camelCase client names, coming-soon providers") {
    Users u;
    Reply r = u.t.get(kBase + "/providers", u.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json providers = r.json()["providers"];
    REQUIRE(providers.size() == 6);
    json chatwoot = providers[0];
    CHECK(chatwoot["id"] == "CHATWOOT");
    CHECK(chatwoot["available"] == true);
    CHECK(chatwoot["features"] == json({{"autoCreateInboxes", true}, {"autoCreateBots", true}, {"syncContacts", true}}));
    json names = json::array();
    for (const json& f : chatwoot["fields"]) names.push_back(f["seed_name"]);
    CHECK(names == json({"baseUrl", "accountId", "apiKey"}));
    CHECK(chatwoot["fields"][2]["type"] == "password");
    CHECK(chatwoot["fields"][2]["sensitive"] == true);
    CHECK(chatwoot["fields"][2]["validation"]["required"] == true);
    CHECK(providers[1]["id"] == "CUSTOM");
    CHECK(providers[1]["fields"].size() > 5);
    CHECK(providers[2]["id"] == "SALESFORCE");
    CHECK(providers[2]["available"] == false);
}

TEST_CASE("a create body makes an integration: tested, masked, the features kept") {
    Users u;
    Reply r = u.t.post(kBase + "/create", u.chatwoot_body(), u.ann);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    json i = r.json()["integration"];
    CHECK(r.json()["success"] == true);
    CHECK(i["name"] == "My Chatwoot");
    CHECK(i["type"] == "CRM");
    CHECK(i["provider"] == "CHATWOOT");
    CHECK(i["isActive"] == true);
    CHECK(i["orgId"] == u.acme);
    CHECK(i["configuration"]["baseUrl"] == demo("chatwoot")["base_url"]);
    CHECK(i["configuration"]["accountId"] == "1");
    std::string key = demo("chatwoot")["api_access_token"];
    CHECK(i["configuration"]["apiKey"].get<std::string>().find(key) == std::string::npos);
    CHECK(i["configuration"]["features"]["autoCreateBots"] == false);
    CHECK(r.body.find(key) == std::string::npos);
    CHECK(r.header("Location") == kBase + "/" + i["id"].get<std::string>());

    Reply one = u.t.get(kBase + "/" + i["id"].get<std::string>(), u.ann);
    REQUIRE(one.status == 200);
    CHECK(one.json()["integration"] == i);
}

TEST_CASE("the custom CRM takes each authentication type, credentials as one JSON object") {
    Users u;
    json variants = onramp::mock::demo_custom_crm_variants();
    for (const char* type : {"api_key", "bearer", "basic", "oauth2"}) {
        CAPTURE(type);
        json v = variants[type];
        json configuration = {{"provider", "CUSTOM"}, {"crmName", std::string("CRM ") + type},
                              {"baseUrl", v["base_url"]}, {"testPath", v["test_path"]}, {"authType", v["auth_type"]}};
        json credentials = v;
        for (const char* k : {"base_url", "test_path", "auth_type"}) credentials.erase(k);
        configuration["credentials"] = credentials;
        Reply r = u.t.post(kBase + "/create", {{"type", "CRM"}, {"configuration", configuration}}, u.ann);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        CHECK(r.json()["integration"]["name"] == std::string("CRM ") + type);
        CHECK(r.json()["integration"]["configuration"]["authType"] == type);
    }
    CHECK(u.t.get(kBase, u.ann).json()["total"] == 4);
}

TEST_CASE("testing answers a success flag and stores nothing") {
    Users u;
    std::string before = u.t.snapshot();
    json body = {{"type", "CRM"}, {"configuration", u.chatwoot_body()["configuration"]}};
    Reply ok = u.t.post(kBase + "/test", body, u.ann);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(ok.json()["success"] == true);
    body["configuration"]["apiKey"] = "not-the-right-token-0123";
    Reply no = u.t.post(kBase + "/test", body, u.ann);
    REQUIRE(no.status == 200);
    CHECK(no.json()["success"] == false);
    CHECK(no.json()["message"].get<std::string>().rfind("Failed to connect to Chatwoot", 0) == 0);
    CHECK(u.t.snapshot() == before);
}

TEST_CASE("a refused create stores nothing and says which step failed") {
    Users u;
    std::string before = u.t.snapshot();
    json body = u.chatwoot_body();
    body["configuration"]["apiKey"] = "not-the-right-token-0123";
    Reply r = u.t.post(kBase + "/create", body, u.ann);
    REQUIRE_MESSAGE(r.status == 422, r.body);
    CHECK(r.json()["success"] == false);
    CHECK(r.json()["step"] == "connection_test");
    CHECK(r.json()["error"] == "Failed to connect to Chatwoot");
    CHECK(u.t.snapshot() == before);
}

TEST_CASE("bad bodies: 400, 413, 422 for types, providers, features and org, nothing stored") {
    Users u;
    std::string before = u.t.snapshot();
    CHECK(u.t.call("POST", kBase + "/create", "{\"name\": ", u.ann).status == 400);
    CHECK(u.t.call("POST", kBase + "/create", std::string(2 << 20, ' '), u.ann).status == 413);
    CHECK(u.t.call("POST", kBase + "/test", "[", u.ann).status == 400);

    json types = u.chatwoot_body();
    types["name"] = 3;
    types["type"] = "ERP";
    Reply t = u.t.post(kBase + "/create", types, u.ann);
    REQUIRE(t.status == 422);
    CHECK(t.json()["errors"].contains("name"));
    CHECK(t.json()["errors"].contains("type"));

    auto configured = [&](const char* key, const json& value) {
        json b = u.chatwoot_body();
        b["configuration"][key] = value;
        return u.t.post(kBase + "/create", b, u.ann);
    };
    CHECK(configured("provider", "HUBSPOT").json()["errors"].contains("configuration.provider"));
    CHECK(configured("provider", "MYSPACE").status == 422);
    CHECK(configured("features", {{"teleport", true}}).json()["errors"].contains("configuration.features.teleport"));
    CHECK(configured("features", {{"syncContacts", "yes"}}).status == 422);
    CHECK(configured("baseUrl", "ftp://chat").json()["errors"].contains("base_url"));
    json no_config = u.chatwoot_body();
    no_config.erase("configuration");
    CHECK(u.t.post(kBase + "/create", no_config, u.ann).status == 422);

    json foreign = u.chatwoot_body();
    foreign["org_id"] = u.globex;
    CHECK(u.t.post(kBase + "/create", foreign, u.ann).status == 404);
    CHECK(u.t.snapshot() == before);
}

TEST_CASE("each user sees only their own integrations, even their manager does not; others' ids are 404") {
    Users u;
    std::string id = u.create_chatwoot(u.ann);
    std::string before = u.t.snapshot();
    CHECK(u.t.get(kBase, u.ann).json()["total"] == 1);
    CHECK(u.t.get(kBase, u.bob).json()["total"] == 0);
    CHECK(u.t.get(kBase, u.gina).json()["total"] == 0);
    for (const std::string& other : {u.bob, u.gina}) {
        CHECK(u.t.get(kBase + "/" + id, other).status == 404);
        CHECK(u.t.call("PUT", kBase + "/" + id, json{{"name", "Mine now"}}.dump(), other).status == 404);
        CHECK(u.t.call("POST", kBase + "/" + id + "/test", "", other).status == 404);
        CHECK(u.t.call("DELETE", kBase + "/" + id, "", other).status == 404);
    }
    // The org's connection list hides it from the manager too.
    CHECK(u.t.get("/api/v1/orgs/" + u.acme + "/connections", u.bob).json()["total"] == 0);
    CHECK(u.t.snapshot() == before);
}

TEST_CASE("update renames, deactivates and rotates credentials only after a passing test; delete removes") {
    Users u;
    std::string id = u.create_chatwoot(u.ann);
    const std::string path = kBase + "/" + id;
    Reply r = u.t.call("PUT", path, json{{"name", "Updated Name"}, {"isActive", false}}.dump(), u.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["integration"]["name"] == "Updated Name");
    CHECK(r.json()["integration"]["isActive"] == false);
    CHECK(r.json()["integration"]["configuration"]["features"]["autoCreateBots"] == false);

    std::string before = u.t.snapshot();
    CHECK(u.t.call("PUT", path, "{\"name\": ", u.ann).status == 400);
    CHECK(u.t.call("PUT", path, std::string(2 << 20, ' '), u.ann).status == 413);
    CHECK(u.t.call("PUT", path, json{{"isActive", "yes"}}.dump(), u.ann).status == 422);
    CHECK(u.t.call("PUT", path, json{{"color", "red"}}.dump(), u.ann).status == 422);
    CHECK(u.t.call("PUT", path, json{{"configuration", {{"provider", "CUSTOM"}}}}.dump(), u.ann).status == 422);
    Reply refused = u.t.call("PUT", path, json{{"configuration", {{"apiKey", "not-the-right-token-0123"},
                                                                   {"baseUrl", demo("chatwoot")["base_url"]},
                                                                   {"accountId", "1"}}}}.dump(), u.ann);
    CHECK(refused.status == 422);
    CHECK(refused.json()["step"] == "connection_test");
    CHECK(u.t.snapshot() == before);

    Reply rotated = u.t.call("PUT", path, json{{"isActive", true}, {"configuration", u.chatwoot_body()["configuration"]}}.dump(), u.ann);
    REQUIRE_MESSAGE(rotated.status == 200, rotated.body);
    CHECK(rotated.json()["integration"]["isActive"] == true);
    CHECK(rotated.json()["integration"]["configuration"]["features"]["autoCreateBots"] == false);

    Reply retest = u.t.call("POST", path + "/test", "", u.ann);
    REQUIRE(retest.status == 200);
    CHECK(retest.json()["success"] == true);

    Reply gone = u.t.call("DELETE", path, "", u.ann);
    REQUIRE(gone.status == 200);
    CHECK(gone.json() == json({{"success", true}}));
    CHECK(u.t.get(path, u.ann).status == 404);
    CHECK(u.t.get(kBase, u.ann).json()["total"] == 0);
}

TEST_CASE("the user's own integration comes first, then the environment's Chatwoot, else 404") {
    Users u;
    Reply none = u.t.get(kBase + "/active?provider=CHATWOOT", u.ann);
    CHECK(none.status == 404);

    u.env = {{"CHATWOOT_BASE_URL", "https://chatwoot.example.test"},
             {"CHATWOOT_ACCOUNT_ID", "7"},
             {"CHATWOOT_API_KEY", "global-chatwoot-key-0123456789"}};
    Reply global = u.t.get(kBase + "/active?provider=CHATWOOT", u.ann);
    REQUIRE_MESSAGE(global.status == 200, global.body);
    CHECK(global.json()["source"] == "environment");
    CHECK(global.json()["configuration"]["baseUrl"] == "https://chatwoot.example.test");
    CHECK(global.json()["configuration"]["accountId"] == "7");
    CHECK(global.body.find("global-chatwoot-key") == std::string::npos);

    std::string id = u.create_chatwoot(u.ann);
    Reply own = u.t.get(kBase + "/active?provider=CHATWOOT", u.ann);
    CHECK(own.json()["source"] == "user");
    CHECK(own.json()["integration"]["id"] == id);
    // Bob has none of his own: the environment's applies to him.
    CHECK(u.t.get(kBase + "/active", u.bob).json()["source"] == "environment");
    // A deactivated integration gives way to the environment's.
    u.t.call("PUT", kBase + "/" + id, json{{"isActive", false}}.dump(), u.ann);
    CHECK(u.t.get(kBase + "/active", u.ann).json()["source"] == "environment");
    CHECK(u.t.get(kBase + "/active?provider=SALESFORCE", u.ann).status == 422);
}

TEST_CASE("a user in several organizations names one; without one the request is 422") {
    Users u;
    std::string multi_id = u.t.make_user("multi@test.test", "pw-123456");
    u.t.add_member(u.globex, multi_id, "csr");
    u.t.add_member(u.acme, multi_id, "csr");
    std::string multi = u.t.login("multi@test.test", "pw-123456");
    Reply r = u.t.post(kBase + "/create", u.chatwoot_body(), multi);
    REQUIRE(r.status == 422);
    CHECK(r.json()["errors"].contains("org_id"));
    json named = u.chatwoot_body();
    named["org_id"] = u.globex;
    Reply ok = u.t.post(kBase + "/create", named, multi);
    REQUIRE_MESSAGE(ok.status == 201, ok.body);
    CHECK(ok.json()["integration"]["orgId"] == u.globex);
}

}
