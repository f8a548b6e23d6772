// Connections as a service: the steps every way of connecting a platform
// shares (the REST API, the one-call and phased onboarding, the
// operator's client creation, per-user integrations), so each of those is
// only a shape of request and response around the same rules:
//
//   validate (shared validator, 422) -> test against the platform
//     -> test failed: nothing is stored; the caller reports the failure
//     -> test passed: one transaction writes the row and the vault fields
//        -> initial sync queued when asked
//        -> webhooks registered on the platform where it has an API and
//           nothing is missing (edge/webhooks/automatic.h); a refusal is
//           recorded, never a failed create
//
// Rotation follows the same path, and replaces the stored credentials only
// after the new ones passed their test. Removal first deletes the hooks
// Onramp registered and gives the credentials up where the platform allows
// it (Shopify), best effort, then deletes the row and its vault fields.
// Every step writes an audit entry that names the platform and the
// outcome, never a credential value.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "edge/app.h"
#include "edge/auth/principal.h"
#include "edge/connectors/connector.h"
#include "edge/http/message.h"
#include "edge/store/connections.h"

namespace onramp::connections {

struct Draft {
    std::string org_id;
    std::optional<std::string> user_id;  // a per-user integration (its owner only)
    std::string platform, name;
    std::string sync_frequency = "daily";  // manual | hourly | daily | weekly
    nlohmann::json credentials;            // as the client sent them
    bool perform_initial_sync = false;
};

// What happened: `connection` is set when credentials were stored; `test`
// says what the platform confirmed, or why it refused.
struct Saved {
    std::optional<store::Connection> connection;
    connectors::TestOutcome test;
    std::optional<std::string> sync_run_id;  // the initial sync, when queued
    // The automatic webhook registration: {"state", "reason", "hooks"}
    // (edge/webhooks/automatic.h); null when nothing was stored.
    nlohmann::json webhooks;
};

// 404 for an unknown platform, 422 for missing or invalid fields (a
// private address typed into a URL field included). A platform's refusal
// is not a problem: it comes back as Saved::test with nothing stored.
Result<Saved> create(App& app, const Draft& draft, const auth::Principal* who, const http::Request* req);
// Tests new credentials for an existing connection and stores them in
// place of the old ones only when the test passes.
Result<Saved> rotate(App& app, const store::Connection& current, const nlohmann::json& credentials,
                     const auth::Principal* who, const http::Request* req);
// Tests the stored credentials again and records the connection's health.
Result<connectors::TestOutcome> retest(App& app, const store::Connection& current, const auth::Principal* who,
                                       const http::Request* req);
// Deletes the platform's hooks and revokes the credentials where the
// platform allows (best effort, audited when refused), then removes the
// row, its vault fields and everything synced for it.
bool remove(App& app, const std::string& org_id, const std::string& id, const auth::Principal* who,
            const http::Request* req);

// Validates and tests credentials without storing anything (one-off
// context: a connection has no rate budget yet).
Result<connectors::TestOutcome> test_only(App& app, const std::string& platform, const nlohmann::json& credentials);

// JSON views: secrets only ever masked.
nlohmann::json connection_json(const store::Connection& c);
nlohmann::json verified_json(const connectors::Verified& v);
nlohmann::json failure_json(const connectors::Failure& f);
// {"success", "platform", "verified", and the failure's fields when it failed}
nlohmann::json test_json(const std::string& platform, const connectors::TestOutcome& t);

bool valid_frequency(const std::string& f);

}  // namespace onramp::connections
