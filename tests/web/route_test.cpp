// Specification of the web client's routes: page addresses to screens and back.
#include <doctest/doctest.h>

#include "route.h"

using onramp::onboarding::WizardStep;

TEST_SUITE("web routes") {

TEST_CASE("the wizard's address without a step names the wizard at the client's step") {
    const Route r = parse_route("#/onboard");
    CHECK(r.place == RoutePlace::wizard);
    CHECK_FALSE(r.step.has_value());
    CHECK(format_route(r) == "#/onboard");
}

TEST_CASE("every wizard step has an address that reads back as that step") {
    for (int i = 0; i < onramp::onboarding::kWizardStepCount; ++i) {
        Route r;
        r.place = RoutePlace::wizard;
        r.step = static_cast<WizardStep>(i);
        const std::string hash = format_route(r);
        CHECK(hash == std::string("#/onboard/") + onramp::onboarding::wizard_step_name(*r.step));
        CHECK(parse_route(hash) == r);
    }
}

TEST_CASE("a step's address is not an onboarding link, and a link's token is not a route") {
    CHECK(onboarding_link_token("#/onboard/platforms") == "");
    CHECK(onboarding_link_token("#/onboard") == "");
    CHECK(onboarding_link_token("#/onboard/") == "");
    CHECK(onboarding_link_token("#/console/audit") == "");
    CHECK(onboarding_link_token("#/onboard/Zq3-x_9kLmN0pQ") == "Zq3-x_9kLmN0pQ");
    CHECK(parse_route("#/onboard/Zq3-x_9kLmN0pQ").place == RoutePlace::none);
}

TEST_CASE("every console screen has an address that reads back as that screen") {
    auto route = [](RoutePlace place, std::string org = "", std::string connection = "",
                    RouteTab tab = RouteTab::sync) {
        Route r;
        r.place = place;
        r.org_id = std::move(org);
        r.connection_id = std::move(connection);
        r.tab = tab;
        return r;
    };
    const struct {
        Route route;
        const char* hash;
    } cases[] = {
        {route(RoutePlace::clients), "#/console/clients"},
        {route(RoutePlace::new_client), "#/console/clients/new"},
        {route(RoutePlace::client, "org_1f2e"), "#/console/clients/org_1f2e"},
        {route(RoutePlace::connection, "org_1f2e", "con_9a"), "#/console/clients/org_1f2e/connections/con_9a/sync"},
        {route(RoutePlace::connection, "org_1f2e", "con_9a", RouteTab::products),
         "#/console/clients/org_1f2e/connections/con_9a/products"},
        {route(RoutePlace::connection, "org_1f2e", "con_9a", RouteTab::webhooks),
         "#/console/clients/org_1f2e/connections/con_9a/webhooks"},
        {route(RoutePlace::audit), "#/console/audit"},
        {route(RoutePlace::keys), "#/console/keys"},
        {route(RoutePlace::vault), "#/console/vault"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.hash);
        CHECK(format_route(c.route) == c.hash);
        CHECK(parse_route(c.hash) == c.route);
        CHECK(is_console_route(c.route));
    }
}

TEST_CASE("the console's address alone, and a connection without its tab, open their first screen") {
    CHECK(parse_route("#/console").place == RoutePlace::clients);
    const Route r = parse_route("#/console/clients/org_1/connections/con_2");
    CHECK(r.place == RoutePlace::connection);
    CHECK(r.tab == RouteTab::sync);
}

TEST_CASE("addresses that name no screen are no route") {
    for (const char* hash : {"", "#", "#/", "#/onboarding", "#/onboard/nowhere", "#/onboard/company/x",
                             "#/consoles", "#/console/", "#/console/clients/", "#/console/clients//connections",
                             "#/console/clients/org%2F1", "#/console/clients/org 1", "#/console/clients/..",
                             "#/console/clients/org_1/connections/con_2/ledger",
                             "#/console/clients/org_1/links/con_2/sync", "#/console/settings", "#/invite/abc",
                             "#/reset/abc"}) {
        CAPTURE(hash);
        CHECK(parse_route(hash).place == RoutePlace::none);
    }
    CHECK(format_route(Route{}) == "");
    CHECK_FALSE(is_console_route(Route{}));
    CHECK_FALSE(is_console_route(parse_route("#/onboard")));
}

}  // TEST_SUITE
