// An edge in demo mode whose platforms are a running mock's, with one
// manager of one org signed in: the setup the bot platform tests share for
// going through the API (the connection test, a connection and its webhook
// endpoint). The assertions stay in each platform's test file.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>

#include "edge/mock/server.h"
#include "edge/support/test_app.h"

namespace onramp::testing {

struct DemoEdge {
    TestApp t;
    std::string org;
    std::string session;  // the manager's access token

    // The edge's base URLs point at `mock`; its public URL is
    // https://edge.example.test, so webhook URLs are HTTPS.
    explicit DemoEdge(const mock::MockPlatforms& mock);

    // The connection test through the API (POST /api/v1/connectors/<platform>/test),
    // once with `good` and once with `wrong` as the credential `field`: both
    // are answered 200, the first a success, the second a refusal, and
    // neither answer carries the credential it was sent. Returns the
    // refusal's body, for the platform's own assertions on its words.
    std::string refused_credential_test(const std::string& platform, const std::string& field,
                                        const std::string& good, const std::string& wrong);
    // A connection of the org made through the API; its id (the test stops
    // unless it is created).
    std::string connect(const std::string& platform, const std::string& name, const nlohmann::json& credentials);
    // /api/v1/orgs/<org>/connections/<id>/webhooks
    std::string webhooks_path(const std::string& connection_id) const;
    // A delivery POSTed to /webhooks/<platform>/<connection_id> as JSON.
    Reply deliver(const std::string& platform, const std::string& connection_id, const std::string& body,
                  std::map<std::string, std::string> headers);
    // How many deliveries from `platform` the store holds.
    int64_t deliveries(const std::string& platform);
};

}  // namespace onramp::testing
