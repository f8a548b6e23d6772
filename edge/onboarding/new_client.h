// A new client in one call: an organization, optionally its first person,
// and its first connection — all of it or nothing. An operator's client
// creation (POST /api/superadmin/clients/api-integration) and the one-call
// BigCommerce onboarding (POST /api/onboarding/bigcommerce) are two request
// shapes around this.
//
//   validate -> e-mail free? (409) -> test the credentials (nothing stored
//   on refusal) -> one transaction: org, user, membership, `in_org_tx`
//   -> connections::create() (tests again, stores, queues the initial sync)
//   -> if that fails after all, the org and the user are removed again
//
// The connection needs its org committed first (connections::create()
// opens its own transaction), hence the removal in the last step; it only
// happens when a platform accepted the credentials and refused them a
// moment later.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "edge/app.h"
#include "edge/connections/service.h"
#include "edge/store/accounts.h"

namespace onramp::onboarding {

struct NewClient {
    std::string org_name, tier = "growth";
    // The client's first person, made a manager of the org. Without a
    // password the account has none until an invitation is accepted.
    std::optional<std::string> user_email;
    std::string user_full_name;
    std::optional<std::string> password;
    connections::Draft connection;  // org_id is filled in here
    // Runs inside the org's transaction (an invitation, say); a problem
    // rolls everything back.
    std::function<Status(store::Db&, const store::Org&, const std::optional<store::User>&)> in_org_tx;
};

struct ClientCreated {
    store::Org org;
    std::optional<store::User> user;
    connections::Saved saved;
};

// Where it stopped: "connection_test" with the platform's refusal, or a
// Problem (404 unknown platform, 422 invalid fields, 409 e-mail taken with
// error_code "email_taken").
struct ClientOutcome {
    std::optional<ClientCreated> created;
    std::string failed_step;
    connectors::TestOutcome test;
};

Result<ClientOutcome> create_client(App& app, const NewClient& nc, const auth::Principal* who,
                                    const http::Request* req);

}  // namespace onramp::onboarding
