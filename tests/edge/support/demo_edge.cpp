// DemoEdge: a demo-mode TestApp with one org and its manager signed in.
#include "edge/support/demo_edge.h"

#include <doctest/doctest.h>

#include "edge/store/db.h"

namespace onramp::testing {

DemoEdge::DemoEdge(const mock::MockPlatforms& mock) {
    t.app.config.demo = true;
    t.app.config.base_urls = mock::demo_base_urls(mock.url());
    t.app.config.public_url = "https://edge.example.test";
    org = t.make_org("Acme");
    t.add_member(org, t.make_user("ann@acme.test", "pw-123456"), "manager");
    session = t.login("ann@acme.test", "pw-123456");
}

std::string DemoEdge::refused_credential_test(const std::string& platform, const std::string& field,
                                              const std::string& good, const std::string& wrong) {
    std::string path = "/api/v1/connectors/" + platform + "/test";
    Reply passed = t.post(path, {{"credentials", {{field, good}}}}, session);
    REQUIRE_MESSAGE(passed.status == 200, passed.body);
    CHECK(passed.json()["success"] == true);
    CHECK(passed.body.find(good) == std::string::npos);

    Reply refused = t.post(path, {{"credentials", {{field, wrong}}}}, session);
    REQUIRE_MESSAGE(refused.status == 200, refused.body);
    CHECK(refused.json()["success"] == false);
    CHECK(refused.body.find(wrong) == std::string::npos);
    return refused.body;
}

std::string DemoEdge::connect(const std::string& platform, const std::string& name,
                              const nlohmann::json& credentials) {
    Reply c = t.post("/api/v1/orgs/" + org + "/connections",
                     {{"platform", platform}, {"name", name}, {"credentials", credentials}}, session);
    REQUIRE_MESSAGE(c.status == 201, c.body);
    return c.json()["id"];
}

std::string DemoEdge::webhooks_path(const std::string& connection_id) const {
    return "/api/v1/orgs/" + org + "/connections/" + connection_id + "/webhooks";
}

Reply DemoEdge::deliver(const std::string& platform, const std::string& connection_id, const std::string& body,
                        std::map<std::string, std::string> headers) {
    headers.emplace("Content-Type", "application/json");
    return t.call("POST", "/webhooks/" + platform + "/" + connection_id, body, "", std::move(headers));
}

int64_t DemoEdge::deliveries(const std::string& platform) {
    auto db = t.app.store->lease();
    store::Stmt st(*db, "SELECT count(*) FROM webhook_deliveries WHERE platform = ?");
    st.bind(1, platform);
    st.step();
    return st.i64(0);
}

}  // namespace onramp::testing
