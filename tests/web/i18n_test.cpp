// Specification of the client's string table (web/i18n/i18n.h): the
// language chosen by precedence, placeholders filled by name in any order,
// tables read leniently, and the edge's error codes told in the client's
// language with the edge's English detail as the fallback; validation
// messages drawn from their codes with their values translated.
#include <doctest/doctest.h>

#include "i18n/i18n.h"
#include "shared/problem.h"
#include "shared/validation/messages.h"

TEST_SUITE("i18n") {

TEST_CASE("the switch's choice wins, then the organization's default, then the browser's languages") {
    CHECK(i18n_choose("de", "es", {"en-US"}) == "de");
    CHECK(i18n_choose("", "es", {"de-DE"}) == "es");
    CHECK(i18n_choose("", "", {"fr-FR", "de-AT", "es"}) == "de");
    CHECK(i18n_choose("", "", {"ES-mx"}) == "es");
    CHECK(i18n_choose("fr", "it", {"pt-BR"}) == "en");
    CHECK(i18n_choose("", "", {}) == "en");
}

TEST_CASE("placeholders are filled by name, so a translation may reorder them") {
    CHECK(i18n_fill("{done} of {total} steps", {{"done", "2"}, {"total", "7"}}) == "2 of 7 steps");
    CHECK(i18n_fill("{total} Schritte, {done} erledigt", {{"done", "2"}, {"total", "7"}}) ==
          "7 Schritte, 2 erledigt");
    CHECK(i18n_fill("{a} and {a}", {{"a", "{a}x"}}) == "{a}x and {a}x");
    CHECK(i18n_fill("{missing} stays", {}) == "{missing} stays");
}

TEST_CASE("a table translates what it holds and leaves the rest in English") {
    i18n_install("es", i18n_parse_table(R"({"Sign in": "Iniciar sesión", "Count": 3})"));
    CHECK(std::string(tr("Sign in")) == "Iniciar sesión");
    CHECK(std::string(tr("Count")) == "Count");  // not a string: skipped
    CHECK(std::string(tr("Not in the table")) == "Not in the table");
    CHECK(i18n_installed() == "es");
    i18n_install("en", i18n_parse_table("not json"));
    CHECK(std::string(tr("Sign in")) == "Sign in");
}

TEST_CASE("an edge error with a known code shows in the client's language; an unknown one shows its detail") {
    i18n_install("de", {{"The e-mail or password is not right.", "Die E-Mail-Adresse oder das Passwort stimmt nicht."},
                        {"Too many attempts. Try again in {seconds} seconds.",
                         "Zu viele Versuche. Versuchen Sie es in {seconds} Sekunden erneut."}});
    onramp::Problem wrong = onramp::unauthorized("The e-mail or password is not right.");
    wrong.error_code = "invalid_credentials";
    CHECK(problem_text(wrong) == "Die E-Mail-Adresse oder das Passwort stimmt nicht.");
    CHECK(problem_text(onramp::too_many_requests(30, "Too many sign-in attempts. Try again in 30 seconds.")) ==
          "Zu viele Versuche. Versuchen Sie es in 30 Sekunden erneut.");
    CHECK(problem_text(onramp::conflict("That name is taken.", "name_taken")) == "That name is taken.");
    i18n_install("en", {});
}

TEST_CASE("a validation message is drawn from its code in the client's language, its label translated too") {
    const onramp::validation::Message m{"token_bearer", {{"label", "Access token"}}};
    CHECK(validation_text(m) == "Paste the access token alone, without \u201CBearer\u201D in front.");
    i18n_install("de", {{"Paste the {label_lc} alone, without \u201CBearer\u201D in front.",
                         "F\u00FCgen Sie das {label_lc} ohne \u201EBearer\u201C davor ein."},
                        {"Access token", "Zugriffstoken"}});
    CHECK(validation_text(m) == "F\u00FCgen Sie das Zugriffstoken ohne \u201EBearer\u201C davor ein.");
    // A table without the template shows the English, cased as English.
    i18n_install("de", {{"Access token", "Zugriffstoken"}});
    CHECK(validation_text(m) == "Paste the access token alone, without \u201CBearer\u201D in front.");
    CHECK(validation_text({"no_such_code", {}}).empty());
    i18n_install("en", {});
}

TEST_CASE("a catalog text is looked up by its English") {
    i18n_install("es", {{"Store hash", "Hash de la tienda"}});
    CHECK(tr_catalog("Store hash") == "Hash de la tienda");
    CHECK(tr_catalog("Shopify") == "Shopify");
    i18n_install("en", {});
}

}  // TEST_SUITE
