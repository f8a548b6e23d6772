// Secrets never rest or travel in plaintext, through the whole API: a real
// `onramp-edge serve --demo` is driven as its users drive it, every secret
// the test sends or receives is collected, and then the database, its WAL
// and shared-memory files, a backup archive, every other file of the data
// directory and the server's own output (access log, JSON log lines) are
// searched byte by byte for each of them (secret_scan.h).
//
// [SECTION] index
//   1. The client: every POST with an Idempotency-Key, answers harvested
//   2. The tour: what users do, step by step
//   3. The walk: every POST route the tour did not call, from the route table
//   4. The scan: backup, SIGKILL, files and logs
//   5. The test
//
// The demo operator's password is not among the secrets: demo mode prints
// it on purpose (edge/demo.h). The test signs in as an operator made by
// `create-admin` instead. The mock platforms accept only their published
// demo credentials, so those are the credentials that work; credentials a
// platform refuses are made for the test and must leave no trace either.
// Tokens a platform issues to the edge alone (a custom CRM's OAuth access
// and refresh tokens) never reach the test and are not searched for.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "edge/backup/tar.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/mock/server.h"
#include "edge/platforms/shopify/webhook.h"
#include "edge/platforms/woocommerce/webhook.h"
#include "edge/security/secret_scan.h"
#include "edge/support/edge_process.h"
#include "edge/support/smtp_server.h"
#include "edge/support/test_app.h"
#include "edge/webhooks/sign.h"
#include "shared/connectors/catalog.h"

using nlohmann::json;
using onramp::testing::EdgeProcess;
using onramp::testing::SecretSet;
using onramp::testing::TempDir;

namespace {

namespace fs = std::filesystem;
namespace http = onramp::http;

std::string fresh(const std::string& prefix) { return prefix + onramp::crypto::hex_encode(onramp::crypto::random_bytes(12)); }

// --- [1] The client ------------------------------------------------------------

struct Answer {
    std::string what;  // "METHOD path", for messages
    http::FetchResult result;
    int status() const { return result.response.status; }
    const std::string& body() const { return result.response.body; }
    json parsed() const { return json::parse(body(), nullptr, false); }
    bool replayed() const { return result.response.header("Idempotent-Replayed") == "true"; }
};

struct Sent {
    std::string method, path, body, content_type, token;
    http::Headers headers;
};

// Answer fields that carry a secret, wherever they appear in a JSON answer,
// and the secret's kind.
const std::map<std::string, std::string> kSecretFields = {
    {"access_token", "access token"},  {"refresh_token", "refresh token"},
    {"key", "API key"},                {"token", "link or invitation token"},
    {"secret", "secret shown once"},   {"state", "OAuth state"}};
// Answer fields holding a URL whose last path segment is a token.
const std::set<std::string> kTokenUrlFields = {"invite_url", "accept_url", "url"};

class Client {
public:
    Client(EdgeProcess& edge, SecretSet& secrets, const http::Router& table)
        : edge_(edge), secrets_(secrets), table_(table) {}

    // Sends a request; a POST carries `key` as Idempotency-Key, a fresh one
    // when empty. Every answer is harvested for secrets.
    Answer send(Sent s, const std::string& key = "") {
        if (s.method == "POST") {
            s.headers.emplace("Idempotency-Key", key.empty() ? fresh("scan-") : key);
            last_ = s;
        }
        http::FetchRequest req;
        req.method = s.method;
        req.url = edge_.url(s.path);
        req.body = s.body;
        req.content_type = s.content_type;
        req.headers = s.headers;
        if (!s.token.empty()) req.headers.emplace("Authorization", "Bearer " + s.token);
        Answer a{s.method + " " + s.path.substr(0, s.path.find('?')), http::fetch(req)};
        std::string pattern(table_.pattern_for(s.method, s.path.substr(0, s.path.find('?'))));
        if (!pattern.empty()) called_.insert(s.method + " " + pattern);
        harvest(a.parsed(), "");
        return a;
    }
    // A JSON request; the body is left out for routes that take none.
    Answer call(const std::string& method, const std::string& path, const json& body, const std::string& token = "") {
        bool has_body = method != "GET" && method != "DELETE" && takes_body(method, path);
        return send({method, path, has_body ? body.dump() : "", has_body ? "application/json" : "", token, {}});
    }
    // The last POST again with its Idempotency-Key: the stored answer.
    Answer repeat() {
        Sent s = last_;
        auto key = s.headers.find("Idempotency-Key");
        std::string k = key->second;
        s.headers.erase(key);
        return send(s, k);
    }

    // The answer's JSON after checking its status; the message names the
    // request and shows the body with every known secret replaced by its kind.
    json expect(int status, const Answer& a) {
        INFO(a.what << " answered " << a.status() << ": " << secrets_.redact(a.body() + a.result.failure.message));
        INFO("server errors: " << secrets_.redact(server_errors()));
        REQUIRE(a.status() == status);
        json j = a.parsed();
        return j.is_discarded() ? json::object() : j;
    }

    bool was_called(const std::string& method, const std::string& pattern) const {
        return called_.count(method + " " + pattern) > 0;
    }

    // The server's error lines, for a message about an answer 500.
    std::string server_errors() const {
        std::string out;
        std::istringstream lines(edge_.stderr_text());
        for (std::string line; std::getline(lines, line);)
            if (line.find("\"level\":\"error\"") != std::string::npos) out += "\n" + line;
        return out;
    }

private:
    bool takes_body(const std::string& method, const std::string& path) const {
        std::string_view pattern = table_.pattern_for(method, path.substr(0, path.find('?')));
        for (const http::Route& r : table_.routes())
            if (r.method == method && r.pattern == pattern) return r.body != http::Body::None;
        return true;
    }

    // Records the secrets an answer shows: session tokens, API keys, link
    // and invitation tokens (also inside the URLs that carry them),
    // generated webhook secrets, OAuth states. Masked values are skipped.
    void harvest(const json& j, const std::string& field) {
        if (j.is_object()) {
            for (const auto& [k, v] : j.items()) harvest(v, k);
        } else if (j.is_array()) {
            for (const json& v : j) harvest(v, field);
        } else if (j.is_string()) {
            std::string v = j.get<std::string>();
            if (v.find("\xe2\x80\xa2") != std::string::npos || v.find("***") != std::string::npos) return;
            if (auto kind = kSecretFields.find(field); kind != kSecretFields.end()) secrets_.add(kind->second, v);
            if (kTokenUrlFields.count(field) && v.find("/invite/") != std::string::npos)
                secrets_.add("invitation token", v.substr(v.rfind('/') + 1));
        }
    }

    EdgeProcess& edge_;
    SecretSet& secrets_;
    const http::Router& table_;
    Sent last_;
    std::set<std::string> called_;
};

// --- [2] The tour ---------------------------------------------------------------

// What the tour made, for the steps after it and the walk's path parameters.
struct Made {
    std::string op_token, op_refresh, api_key, key_id;
    std::string org, manager_token, manager_password, csr_token;
    std::map<std::string, std::string> connections;  // platform (or custom_crm:variant) -> id
    std::string integration, document, invite, link, delivery_seq;
};

std::string text(const json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

// The credentials' sensitive fields (shared/connectors/catalog.h), each
// recorded under `kind`.
void record_credentials(SecretSet& secrets, const std::string& platform, const json& credentials,
                        const std::string& kind) {
    const onramp::connectors::Connector* c = onramp::connectors::find_connector(platform);
    REQUIRE(c);
    for (const auto& f : c->fields)
        if (f.sensitive && credentials.contains(std::string(f.name)) && credentials[std::string(f.name)].is_string())
            CHECK(secrets.add(kind, credentials[std::string(f.name)].get<std::string>()));
}

// The credentials with every sensitive value changed after its prefix to
// other hex digits: the same shape, which the validator accepts and the
// platform refuses.
json refused_credentials(const std::string& platform, json credentials) {
    const onramp::connectors::Connector* c = onramp::connectors::find_connector(platform);
    for (const auto& f : c->fields) {
        std::string name(f.name);
        if (!f.sensitive || !credentials.contains(name)) continue;
        std::string v = credentials[name].get<std::string>();
        std::string noise = onramp::crypto::hex_encode(onramp::crypto::random_bytes(v.size()));
        for (size_t i = f.prefix.size(); i < v.size(); ++i)
            if (std::isalnum(static_cast<unsigned char>(v[i]))) v[i] = noise[i];
        credentials[name] = v;
    }
    return credentials;
}

std::pair<std::string, std::string> sign_in(Client& client, const std::string& email, const std::string& password) {
    json r = client.expect(200, client.call("POST", "/api/v1/auth/login", {{"email", email}, {"password", password}}));
    return {text(r["access_token"]), text(r["refresh_token"])};
}

// The operator: sign-in, a repeated sign-in (stored answer), refresh, API key.
void operator_steps(Client& client, SecretSet& secrets, Made& m, const std::string& email, const std::string& password) {
    Answer login = client.call("POST", "/api/v1/auth/login", {{"email", email}, {"password", password}});
    json first = client.expect(200, login);
    Answer again = client.repeat();
    CHECK(again.replayed());
    CHECK(client.expect(200, again) == first);
    json refreshed =
        client.expect(200, client.call("POST", "/api/v1/auth/refresh", {{"refresh_token", first["refresh_token"]}}));
    CHECK(client.repeat().replayed());
    m.op_token = text(refreshed["access_token"]);
    m.op_refresh = text(refreshed["refresh_token"]);

    json key = client.expect(201, client.call("POST", "/api/v1/auth/api-keys", {{"name", "scan key"}}, m.op_token));
    CHECK(client.repeat().replayed());
    m.api_key = text(key["key"]);
    m.key_id = text(key["id"]);
    client.expect(200, client.call("GET", "/api/v1/auth/me", {}, m.api_key));
    CHECK(secrets.all().size() >= 4);
}

// An org, its manager by invitation, a CSR invited through onboarding.
void people_steps(Client& client, SecretSet& secrets, Made& m) {
    m.org = text(client.expect(201, client.call("POST", "/api/v1/orgs", {{"name", "Scan Co"}}, m.op_token))["id"]);
    json invited = client.expect(202, client.call("POST", "/api/v1/orgs/" + m.org + "/members",
                                                  {{"email", "manager@scan.test"}, {"role", "manager"}}, m.op_token));
    std::string url = text(invited["invite_url"]);
    std::string token = url.substr(url.rfind('/') + 1);
    client.expect(200, client.call("POST", "/api/v1/invitations/lookup", {{"token", token}}));
    m.manager_password = fresh("Manager-pw-");
    secrets.add("account password", m.manager_password);
    client.expect(200, client.call("POST", "/api/v1/invitations/accept",
                                   {{"token", token}, {"password", m.manager_password}, {"name", "Mona Manager"}}));
    m.manager_token = sign_in(client, "manager@scan.test", m.manager_password).first;

    client.expect(200, client.call("POST", "/api/v1/onboarding/company-basics",
                                   {{"company_name", "Scan Co"}, {"company_phone", "+1-555-010-3333"},
                                    {"company_email", "office@scan.test"}, {"company_domain", "scan.test"},
                                    {"industry", "logistics"}, {"timezone", "America/New_York"}, {"team_size", 4},
                                    {"admin_name", "Mona Manager"}, {"admin_email", "manager@scan.test"}},
                                   m.manager_token));
    json invite = client.expect(201, client.call("POST", "/api/v1/onboarding/invite-user",
                                                 {{"email", "csr@scan.test"}, {"role", "csr"}}, m.manager_token));
    CHECK(client.repeat().replayed());
    m.invite = text(invite["data"]["invite_id"]);
    std::string invite_url = text(invite["data"]["invite_url"]);
    std::string csr_password = fresh("Csr-pw-");
    secrets.add("account password", csr_password);
    client.expect(200, client.call("POST", "/api/v1/invitations/accept",
                                   {{"token", invite_url.substr(invite_url.rfind('/') + 1)},
                                    {"password", csr_password},
                                    {"name", "Cora Csr"}}));
    m.csr_token = sign_in(client, "csr@scan.test", csr_password).first;
}

// Every demo platform (and every custom CRM sign-in kind): tested, connected,
// rotated to the same credentials, refused new ones, tested again.
void connection_steps(Client& client, SecretSet& secrets, Made& m) {
    json demo = client.expect(200, client.call("GET", "/api/v1/demo/credentials", {}));
    std::vector<std::pair<std::string, json>> sets;
    for (const auto& [platform, credentials] : demo.items()) sets.emplace_back(platform, credentials);
    json crm = onramp::mock::demo_custom_crm_variants();
    for (const auto& [variant, credentials] : crm.items())
        if (variant != "api_key") sets.emplace_back("custom_crm:" + variant, credentials);
    REQUIRE(sets.size() >= 8);

    const std::string base = "/api/v1/orgs/" + m.org + "/connections";
    for (const auto& [name, credentials] : sets) {
        std::string platform = name.substr(0, name.find(':'));
        json body = credentials;
        if (platform == "callrail" || platform == "twilio") body["primary_tracking_number"] = "+1-555-123-4567";
        record_credentials(secrets, platform, credentials, "platform credential");
        CAPTURE(name);
        client.expect(200, client.call("POST", "/api/v1/connectors/" + platform + "/test", {{"credentials", body}},
                                       m.manager_token));
        json made = client.expect(201, client.call("POST", base,
                                                   {{"platform", platform},
                                                    {"name", "Scan " + name},
                                                    {"credentials", body},
                                                    {"perform_initial_sync", false}},
                                                   m.manager_token));
        std::string id = text(made["id"]);
        m.connections[name] = id;
        client.expect(200, client.call("PUT", base + "/" + id + "/credentials", {{"credentials", body}}, m.manager_token));
        json refused = refused_credentials(platform, body);
        record_credentials(secrets, platform, refused, "refused platform credential");
        client.expect(422, client.call("PUT", base + "/" + id + "/credentials", {{"credentials", refused}},
                                       m.manager_token));
        client.expect(422, client.call("POST", base,
                                       {{"platform", platform}, {"name", "Refused " + name}, {"credentials", refused}},
                                       m.manager_token));
        client.expect(200, client.call("POST", base + "/" + id + "/test", {}, m.manager_token));
    }
}

// Webhook secrets pasted and generated, signed deliveries, a replay.
void webhook_steps(Client& client, SecretSet& secrets, Made& m) {
    const std::string base = "/api/v1/orgs/" + m.org + "/connections/";
    std::string shop = m.connections.at("shopify"), woo = m.connections.at("woocommerce");
    std::string pasted = fresh("whsec-scan-");
    secrets.add("webhook secret", pasted);
    client.expect(200, client.call("PUT", base + shop + "/webhooks/secret", {{"secret", pasted}}, m.manager_token));
    // Generated secrets, shown once in the answer (and harvested from it).
    std::string generated = text(
        client.expect(200, client.call("PUT", base + woo + "/webhooks/secret", json::object(), m.manager_token))["secret"]);
    json bigcommerce = client.expect(200, client.call("PUT", base + m.connections.at("bigcommerce") + "/webhooks/secret",
                                                      json::object(), m.manager_token));
    for (const json& shown : {json(generated), bigcommerce["secret"]})
        CHECK(std::any_of(secrets.all().begin(), secrets.all().end(),
                          [&](const onramp::testing::Secret& s) { return s.value == text(shown); }));

    std::string product = R"({"id":7000000001,"title":"Scan mug"})";
    http::Headers shopify = {{"X-Shopify-Hmac-Sha256", onramp::webhooks::sign_shopify(pasted, product)},
                             {"X-Shopify-Topic", "products/update"},
                             {"X-Shopify-Shop-Domain", "onramp-demo.myshopify.com"},
                             {"X-Shopify-API-Version", "2024-04"},
                             {"X-Shopify-Webhook-Id", fresh("scan-")}};
    json hook = client.expect(200, client.send({"POST", "/webhooks/shopify/" + shop, product, "application/json", "",
                                                shopify}));
    m.delivery_seq = std::to_string(hook["id"].get<int64_t>());
    CHECK(client.repeat().replayed());
    http::Headers wc = {{"X-WC-Webhook-Signature", onramp::webhooks::sign_woocommerce(generated, product)},
                        {"X-WC-Webhook-Topic", "product.updated"},
                        {"X-WC-Webhook-Resource", "product"},
                        {"X-WC-Webhook-Event", "updated"},
                        {"X-WC-Webhook-ID", "7"},
                        {"X-WC-Webhook-Delivery-ID", fresh("")}};
    client.expect(200, client.send({"POST", "/webhooks/woocommerce/" + woo, product, "application/json", "", wc}));
    client.expect(200, client.call("GET", base + shop + "/webhooks", {}, m.manager_token));
    Answer replay = client.call("POST", base + shop + "/webhooks/deliveries/" + m.delivery_seq + "/replay", {},
                                m.manager_token);
    CHECK_MESSAGE(replay.status() < 500, secrets.redact(client.server_errors()));  // a processed delivery is not replayed (409)
    client.call("POST", base + shop + "/webhooks/registration", {}, m.manager_token);
}

// A user's own Chatwoot integration, tested, made, changed and tested again.
void integration_steps(Client& client, SecretSet& secrets, Made& m) {
    json c = onramp::mock::demo_credentials()["chatwoot"];
    json configuration = {{"provider", "CHATWOOT"},
                          {"baseUrl", c["base_url"]},
                          {"accountId", c["account_id"]},
                          {"apiKey", c["api_access_token"]}};
    client.expect(200, client.call("POST", "/api/dashboard/integrations/test",
                                   {{"type", "CRM"}, {"configuration", configuration}}, m.manager_token));
    json made = client.expect(201, client.call("POST", "/api/dashboard/integrations/create",
                                               {{"name", "Scan Chatwoot"}, {"type", "CRM"}, {"configuration", configuration}},
                                               m.manager_token));
    m.integration = text(made["integration"]["id"]);
    json refused = configuration;
    refused["apiKey"] = fresh("chatwoot-refused-");
    secrets.add("refused platform credential", text(refused["apiKey"]));
    CHECK(client.call("PUT", "/api/dashboard/integrations/" + m.integration, {{"configuration", refused}},
                      m.manager_token).status() >= 400);
    client.expect(200, client.call("POST", "/api/dashboard/integrations/" + m.integration + "/test", {}, m.manager_token));
}

Answer upload(Client& client, const std::string& path, const std::string& token) {
    const std::string boundary = "----scan";
    std::string body = "--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nsop\r\n"
                       "--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"role_target\"\r\n\r\nsales_rep\r\n"
                       "--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.txt\"\r\n"
                       "Content-Type: text/plain\r\n\r\nGreet the caller by name.\n\r\n"
                       "--" + boundary + "--\r\n";
    return client.send({"POST", path, body, "multipart/form-data; boundary=" + boundary, token, {}});
}

// A document, the credential proxy on every kind of credential placement,
// a manual sync followed to its end, and its events (token in the query).
void data_steps(Client& client, Made& m) {
    json doc = client.expect(201, upload(client, "/api/v1/onboarding/documents/upload", m.manager_token));
    m.document = text(doc["data"]["document_id"]);
    const std::map<std::string, std::string> proxied = {
        {"shopify", "products.json"}, {"woocommerce", "products"}, {"bigcommerce", "v3/catalog/products"}};
    for (const auto& [platform, path] : proxied) {
        CAPTURE(platform);
        client.expect(200, client.call("GET", "/api/v1/proxy/" + m.connections.at(platform) + "/" + path, {},
                                       m.manager_token));
    }
    Answer posted = client.send({"POST", "/api/v1/proxy/" + m.connections.at("shopify") + "/products.json",
                                 R"({"product":{"title":"Scan proxy"}})", "application/json", m.manager_token, {}});
    CHECK(posted.status() < 500);

    const std::string sync = "/api/v1/orgs/" + m.org + "/connections/" + m.connections.at("shopify") + "/sync";
    client.expect(202, client.call("POST", sync, {}, m.manager_token));
    std::string state;
    for (int i = 0; i < 800 && state != "succeeded" && state != "failed"; ++i) {
        json s = client.expect(200, client.call("GET", sync, {}, m.manager_token));
        state = s["current"].is_object() ? text(s["current"]["state"]) : "";
        if (state != "succeeded") std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(state == "succeeded");
    Answer events = client.call("GET", sync + "/events?access_token=" + m.manager_token, {});
    CHECK(events.status() == 200);
    CHECK(events.body().find("event: done") != std::string::npos);
}

// An onboarding link, opened by its client, who connects a platform.
void link_steps(Client& client, Made& m) {
    json link = client.expect(201, client.call("POST", "/api/v1/orgs/" + m.org + "/onboarding-links",
                                               {{"note", "for the scan"}, {"platforms", {"shopify"}}}, m.manager_token));
    CHECK(client.repeat().replayed());
    m.link = text(link["id"]);
    json session = client.expect(200, client.call("POST", "/api/v1/onboarding-links/exchange", {{"token", link["token"]}}));
    std::string token = text(session["access_token"]);
    json shop = {{"credentials", onramp::mock::demo_credentials()["shopify"]}};
    client.expect(200, client.call("POST", "/api/v1/onboarding/platforms/shopify/test", shop, token));
    CHECK(client.call("POST", "/api/v1/onboarding/platforms/shopify/connect", shop, token).status() < 300);
    json renewed =
        client.expect(200, client.call("POST", "/api/v1/auth/refresh", {{"refresh_token", session["refresh_token"]}}));
    client.expect(204, client.call("POST", "/api/v1/auth/logout", json::object(), text(renewed["access_token"])));
}

// An OAuth sign-in run to its end: start, the platform's consent page (the
// mock approves at once and redirects), the edge's callback.
void oauth_flow(Client& client, SecretSet& secrets, const std::string& start, const json& body, const std::string& token) {
    json started = client.expect(200, client.call("POST", start, body, token));
    http::FetchRequest consent;
    consent.url = text(started["authorization_url"]);
    http::FetchResult redirected = http::fetch(consent);
    REQUIRE(redirected.response.status == 302);
    std::string location = redirected.response.header("Location");
    for (const char* param : {"code", "state"}) {
        std::string value = onramp::connectors::wire::query_param(location.substr(location.find('?')), param);
        secrets.add(std::string("OAuth ") + param, value);
    }
    size_t path = location.find("/oauth/");
    REQUIRE(path != std::string::npos);
    client.expect(200, client.call("GET", location.substr(path), {}));
}

void oauth_steps(Client& client, SecretSet& secrets, Made& m) {
    const std::string start = "/api/v1/orgs/" + m.org + "/oauth/";
    oauth_flow(client, secrets, start + "shopify/start", {{"shop_domain", "onramp-demo.myshopify.com"}},
               m.manager_token);
    oauth_flow(client, secrets, start + "custom_crm/start",
               {{"credentials", onramp::mock::demo_custom_crm_variants()["oauth2"]}, {"name", "Scan CRM sign-in"}},
               m.manager_token);
}

// The operator's client creation and one-call BigCommerce onboarding, and
// the onboarding's call-tracking steps.
void operator_onboarding_steps(Client& client, SecretSet& secrets, Made& m) {
    json demo = onramp::mock::demo_credentials();
    client.expect(200, client.call("POST", "/api/superadmin/test-api-connection",
                                   {{"platform", "shopify"}, {"credentials", demo["shopify"]}}, m.op_token));
    std::string password = fresh("Client-pw-");
    secrets.add("account password", password);
    client.expect(201, client.call("POST", "/api/superadmin/clients/api-integration",
                                   {{"company_name", "Scan Client"}, {"email", "client@scan.test"},
                                    {"password", password}, {"platform", "bigcommerce"},
                                    {"credentials", demo["bigcommerce"]}, {"perform_initial_sync", false}},
                                   m.op_token));
    client.expect(201, client.call("POST", "/api/onboarding/bigcommerce",
                                   {{"organization_name", "Scan BigCommerce"}, {"user_email", "bc@scan.test"},
                                    {"bigcommerce_store_hash", demo["bigcommerce"]["store_hash"]},
                                    {"bigcommerce_access_token", demo["bigcommerce"]["access_token"]},
                                    {"perform_initial_sync", false}},
                                   m.op_token));
    for (const char* platform : {"callrail", "twilio"}) {
        json body = demo[platform];
        body["primary_tracking_number"] = "+1-555-123-4567";
        std::string path = std::string("/api/v1/onboarding/") + platform;
        client.expect(200, client.call("POST", path + "/test", body, m.manager_token));
        CHECK(client.call("POST", path + "/connect", body, m.manager_token).status() < 300);
    }
    client.expect(200, client.call("POST", "/api/v1/onboarding/goals",
                                   {{"primary_goals", {"Reduce response time"}},
                                    {"target_metrics", {{"response_time_hours", 2}}},
                                    {"notification_preferences", {{"email", true}, {"sms", false}, {"in_app", true}}},
                                    {"quiet_hours_start", "20:00"},
                                    {"quiet_hours_end", "08:00"}},
                                   m.manager_token));
    CHECK(client.call("POST", "/api/v1/onboarding/verify", json::object(), m.manager_token).status() == 200);
}

// --- [3] The walk ---------------------------------------------------------------

std::string fill_path(const std::string& pattern, const Made& m) {
    std::string out;
    size_t i = 0;
    while (i < pattern.size()) {
        size_t open = pattern.find('{', i);
        if (open == std::string::npos) return out + pattern.substr(i);
        size_t close = pattern.find('}', open);
        out += pattern.substr(i, open - i);
        std::string name = pattern.substr(open + 1, close - open - 1);
        const std::string& shop = m.connections.at("shopify");
        std::map<std::string, std::string> values = {
            {"org_id", m.org}, {"connection_id", shop}, {"key_id", m.key_id}, {"document_id", m.document},
            {"invite_id", m.invite}, {"link_id", m.link}, {"seq", m.delivery_seq}, {"platform", "shopify"},
            {"*rest", "products.json"},
            {"id", pattern.rfind("/api/dashboard/integrations", 0) == 0 ? m.integration : shop}};
        auto v = values.find(name);
        out += v == values.end() ? "unknown-" + name : v->second;
        i = close + 1;
    }
    return out;
}

// Every POST route the tour did not call, with a body naming the usual
// secret-bearing fields (each a new secret) and working demo credentials,
// so that a route added later is scanned without anyone writing its step.
std::vector<std::string> walk_remaining_posts(Client& client, SecretSet& secrets, const http::Router& table,
                                              const Made& m) {
    std::vector<std::string> walked;
    for (const http::Route& r : table.routes()) {
        if (r.method != "POST" || client.was_called(r.method, r.pattern)) continue;
        json body = {{"name", "Scan walk"}, {"email", "walk-" + fresh("") + "@scan.test"},
                     {"platform", "shopify"}, {"credentials", onramp::mock::demo_credentials()["shopify"]}};
        for (const char* field : {"password", "new_password", "current_password", "token", "code", "secret",
                                  "refresh_token", "api_key"}) {
            body[field] = fresh("Walk-");
            secrets.add(std::string("new route's ") + field, text(body[field]));
        }
        std::string path = fill_path(r.pattern, m);
        Answer a = r.body == http::Body::Multipart ? upload(client, path, m.op_token)
                                                    : client.call("POST", path, body, m.op_token);
        INFO(a.what << " answered " << a.status() << ": " << secrets.redact(a.body()));
        CHECK(a.status() != 500);
        walked.push_back(r.pattern);
    }
    return walked;
}

// --- [4] The scan ----------------------------------------------------------------

// Each entry of a backup archive, by name.
std::map<std::string, std::string> archive_entries(const std::string& path) {
    std::map<std::string, std::string> entries;
    int fd = open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    auto read = onramp::backup::read_tar(fd, [&](const onramp::backup::TarEntry& e)
                                                 -> onramp::Result<onramp::backup::ChunkSink> {
        std::string* into = &entries[e.name];
        return onramp::backup::ChunkSink([into](std::string_view piece) {
            into->append(piece);
            return onramp::ok_status();
        });
    });
    close(fd);
    REQUIRE(read);
    return entries;
}

std::string describe(const fs::path& file, const fs::path& dir) {
    std::string name = fs::relative(file, dir).string();
    if (name == "edge.stdout") return "the access log (stdout, " + name + ")";
    if (name == "edge.stderr") return "the server's log lines (stderr, " + name + ")";
    return "data directory file " + name;
}

}  // namespace

// --- [5] The test ----------------------------------------------------------------

TEST_SUITE("security") {

TEST_CASE("no secret sent to or shown by the API is found in the database, its WAL, a backup or the logs") {
    TempDir data, outside;
    onramp::testing::TestApp route_table;  // only for Router::routes() and pattern_for
    SecretSet secrets;

    onramp::testing::CommandResult admin =
        onramp::testing::run_edge({"create-admin", "--data", data.path, "--email", "olga@scan.test"});
    REQUIRE(admin.exit_code == 0);
    json op = json::parse(admin.out.substr(admin.out.find('{')));
    REQUIRE(secrets.add("account password", text(op["password"])));

    std::string metrics_token = fresh("metrics-");
    secrets.add("metrics token", metrics_token);
    std::string metrics_file = outside.path + "/metrics.token";
    std::ofstream(metrics_file) << metrics_token << "\n";

    onramp::testing::SmtpServer smtp;
    smtp.start();
    EdgeProcess edge(data.path, {"--demo", "--log-level", "debug", "--metrics-token-file", metrics_file,
                                 "--smtp-url", smtp.url(), "--mail-from", "Onramp <onramp@scan.test>"});
    auto master = onramp::crypto::base64_decode(onramp::testing::read_file(data.path + "/master.key").substr(0, 44));
    REQUIRE(master);
    secrets.add("master key", *master);

    Client client(edge, secrets, route_table.router);
    Made m;
    operator_steps(client, secrets, m, "olga@scan.test", text(op["password"]));
    client.expect(200, client.send({"GET", "/metrics", "", "", metrics_token, {}}));
    people_steps(client, secrets, m);
    connection_steps(client, secrets, m);
    webhook_steps(client, secrets, m);
    integration_steps(client, secrets, m);
    data_steps(client, m);
    link_steps(client, m);
    oauth_steps(client, secrets, m);
    operator_onboarding_steps(client, secrets, m);
    std::vector<std::string> walked = walk_remaining_posts(client, secrets, route_table.router, m);
    MESSAGE("POST routes the tour left to the walk: " << walked.size());
    for (const std::string& token : {m.manager_token, m.csr_token, m.op_token})
        client.expect(204, client.call("POST", "/api/v1/auth/logout", json::object(), token));
    for (const http::Route& r : route_table.router.routes())
        if (r.method == "POST") CHECK_MESSAGE(client.was_called(r.method, r.pattern), "not called: " << r.pattern);

    // The invitation mails carry their links: the scan finds what it looks for.
    std::string mail;
    for (const std::string& message : smtp.wait_for(2)) mail += onramp::testing::unfold_soft_breaks(message);
    CHECK_FALSE(secrets.find_in("the mail", mail).empty());

    std::string archive = outside.path + "/scan.tar";
    onramp::testing::CommandResult backup = onramp::testing::run_edge({"backup", "--data", data.path, archive});
    REQUIRE_MESSAGE(backup.exit_code == 0, backup.out);
    CHECK(edge.stop(SIGKILL) == 128 + SIGKILL);
    REQUIRE(fs::file_size(data.path + "/onramp.db-wal") > 0);
    REQUIRE(fs::exists(data.path + "/onramp.db-shm"));
    CHECK(edge.stdout_text().find("/api/v1/auth/login") != std::string::npos);

    std::vector<std::string> hits;
    auto scan = [&](const std::string& where, const std::string& bytes, const std::string& allowed = "") {
        for (std::string& h : secrets.find_in(where, bytes, allowed)) hits.push_back(std::move(h));
    };
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(data.path)) {
        if (!entry.is_regular_file()) continue;
        ++files;
        bool key_file = entry.path().filename() == "master.key";
        scan(describe(entry.path(), data.path), onramp::testing::read_file(entry.path()), key_file ? "master key" : "");
    }
    scan("the backup archive", onramp::testing::read_file(archive));
    std::map<std::string, std::string> entries = archive_entries(archive);
    REQUIRE(entries.count("onramp.db"));
    for (const auto& [name, bytes] : entries) scan("the backup's " + name, bytes);

    std::string kinds;
    for (const std::string& k : secrets.kinds()) kinds += (kinds.empty() ? "" : ", ") + k;
    MESSAGE(secrets.all().size() << " secrets of " << secrets.kinds().size() << " kinds (" << kinds << ") in "
                                 << files << " files and " << entries.size() << " archive entries");
    std::string report;
    for (const std::string& h : hits) report += "\n  " + h;
    CHECK_MESSAGE(hits.empty(), "secrets found in plaintext:" << report);
}

}  // TEST_SUITE
