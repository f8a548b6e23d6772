// Specification of the edge's English texts in the client's language
// (web/i18n/i18n.h, tr_edge): a webhook step or a registration's reason as
// the edge writes it (GET .../connections/{id}/webhooks) is found by its
// template in the tables' "edge" section and shown translated with its
// values filled in again, the way the wizard reads that answer
// (web/screens/wizard/replies.cpp); a text no table holds stays English.
// The texts below are the edge's own words.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "i18n/i18n.h"

namespace {

void install(const std::string& code) {
    std::ifstream in(std::string(ONRAMP_SOURCE_DIR) + "/web/i18n/" + code + ".json");
    std::stringstream text;
    text << in.rdbuf();
    i18n_install(code, i18n_parse_table(text.str()));
}

const std::string kStripeUrl = "https://hub.example.com/webhooks/stripe/conn_7";
const std::string kShopifyUrl = "http://127.0.0.1:8080/webhooks/shopify/conn_9";

}  // namespace

TEST_SUITE("i18n.edge") {

TEST_CASE("a manual step shows in Spanish with its URL filled in") {
    install("es");
    CHECK(tr_edge("Stripe Dashboard > Developers > Webhooks > Add endpoint: " + kStripeUrl, {{"url", kStripeUrl}}) ==
          "Dashboard de Stripe > Developers > Webhooks > Add endpoint: " + kStripeUrl);
    CHECK(tr_edge("Viber signs with the bot's auth token, which Onramp already holds; there is no secret to set.",
                  {{"url", kStripeUrl}}) ==
          "Viber firma con el token de autenticación del bot, que Onramp ya tiene; no hay ningún secreto que "
          "configurar.");
    CHECK(tr_edge("A step no table holds: " + kStripeUrl, {{"url", kStripeUrl}}) ==
          "A step no table holds: " + kStripeUrl);
    i18n_install("en", {});
}

TEST_CASE("a platform the edge registers with is named in German, and so is the reason it waits") {
    install("de");
    CHECK(tr_edge("Onramp creates the hooks on shopify by itself once nothing is missing (see \"registration\"); "
                  "Register tries again.",
                  {{"url", kShopifyUrl}, {"platform", "shopify"}}) ==
          "Onramp legt die Hooks bei shopify selbst an, sobald nichts mehr fehlt (siehe \"registration\"); "
          "Registrieren versucht es erneut.");
    CHECK(tr_edge("Or by hand: Shopify admin > Settings > Notifications > Webhooks: create a webhook for each "
                  "product and order event with URL " + kShopifyUrl + " (JSON).",
                  {{"url", kShopifyUrl}, {"platform", "shopify"}}) ==
          "Oder von Hand: Shopify admin > Settings > Notifications > Webhooks: Erstellen Sie für jedes Produkt- und "
          "Bestellungsereignis einen Webhook mit der URL " + kShopifyUrl + " (JSON).");
    // The public URL goes first: the platform's id may be part of it.
    CHECK(tr_edge("The public URL http://127.0.0.1:8080 is this machine's own address, which shopify cannot reach: "
                  "set --public-url to the address the platform can reach, then register.",
                  {{"public_url", "http://127.0.0.1:8080"}, {"platform", "shopify"}}) ==
          "Die öffentliche URL http://127.0.0.1:8080 ist die eigene Adresse dieses Rechners, die shopify nicht "
          "erreichen kann: Setzen Sie --public-url auf die Adresse, die die Plattform erreichen kann, und "
          "registrieren Sie dann.");
    i18n_install("en", {});
}

TEST_CASE("an empty value is no placeholder, and in English the text shows as the edge wrote it") {
    i18n_install("es", i18n_parse_table(R"({"edge": {"Add {url}.": "Añada {url}."}, "Count": 3})"));
    CHECK(tr_edge("Add https://a/webhooks/x/1.", {{"url", "https://a/webhooks/x/1"}, {"platform", ""}}) ==
          "Añada https://a/webhooks/x/1.");
    i18n_install("en", {});
    CHECK(tr_edge("Add https://a/webhooks/x/1.", {{"url", "https://a/webhooks/x/1"}}) ==
          "Add https://a/webhooks/x/1.");
}

}  // TEST_SUITE
