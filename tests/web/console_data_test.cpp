// Specification of the console's presentation helpers (web/screens/console/
// data.h) that turn the edge's words into what a person reads: amounts in a
// currency's minor units, the record kinds a connection's tabs show, state
// words and problems in the client's language.
#include <doctest/doctest.h>

#include "i18n/i18n.h"
#include "screens/console/data.h"
#include "shared/problem.h"

TEST_SUITE("console data") {

TEST_CASE("an amount in minor units reads with its currency's decimals") {
    CHECK(minor_amount(1234, "usd") == "12.34 USD");
    CHECK(minor_amount(5, "eur") == "0.05 EUR");
    CHECK(minor_amount(-250, "usd") == "-2.50 USD");
    CHECK(minor_amount(500, "jpy") == "500 JPY");
    CHECK(minor_amount(1234, "KWD") == "1.234 KWD");
    CHECK(minor_amount(700, "") == "7.00");
}

TEST_CASE("a connection's record tabs follow its platform: payments and refunds for a payment platform") {
    CHECK(record_resources("stripe") == std::vector<std::string>{"payments", "refunds"});
    CHECK(record_resources("shopify") == std::vector<std::string>{"products", "orders"});
    CHECK(record_resources("no_such_platform") == std::vector<std::string>{"products", "orders", "contacts", "calls"});
}

TEST_CASE("state words are drawn in the client's language and unknown ones as the edge sent them") {
    CHECK(state_word("in_progress") == "in progress");
    CHECK(state_word("requires_capture") == "awaiting capture");
    i18n_install("es", {{"healthy", "en buen estado"}, {"succeeded", "completado"}});
    CHECK(state_word("healthy") == "en buen estado");
    CHECK(state_word("succeeded") == "completado");
    CHECK(state_word("something_new") == "something_new");
    i18n_install("en", {});
}

TEST_CASE("a problem with a known error code reads in the client's language, its field messages kept") {
    i18n_install("de", {{"Your role does not allow this.", "Ihre Rolle erlaubt dies nicht."}});
    onramp::Problem denied = onramp::forbidden("Managers only.");
    denied.error_code = "forbidden";
    CHECK(problem_words(denied) == "Ihre Rolle erlaubt dies nicht.");
    onramp::Problem unknown = onramp::conflict("That name is taken.", "name_taken");
    unknown.errors["name"] = "is taken";
    CHECK(problem_words(unknown) == unknown.title + ": That name is taken.; name is taken");
    i18n_install("en", {});
}

TEST_CASE("a refused form's field messages read in the client's language when the edge sent their codes") {
    const HttpReply reply{true, 422, R"({"title": "Validation failed", "detail": "Some fields are missing or invalid.",
        "error_code": "validation_failed", "errors": {"name": "is required", "tier": "is odd"},
        "error_codes": {"name": {"code": "required", "params": {}}}})"};
    i18n_install("de", {{"is required", "ist erforderlich"}});
    const onramp::Result<bool> r = parse_done(reply);
    REQUIRE_FALSE(r.ok());
    CHECK(r.problem().errors.at("name") == "ist erforderlich");
    CHECK(r.problem().errors.at("tier") == "is odd");  // no code: the edge's English
    i18n_install("en", {});
}

}  // TEST_SUITE
