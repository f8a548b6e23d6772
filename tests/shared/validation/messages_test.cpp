// Specification of validation messages as codes (shared/validation/messages.h):
// every code has a template, every template's placeholders are filled by
// the checks that use it, and a 422 carries the codes next to the English.
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "shared/connectors/catalog.h"
#include "shared/validation/fields.h"
#include "shared/validation/messages.h"
#include "shared/validation/validate.h"

using namespace onramp::validation;
using json = nlohmann::json;

namespace {

// The {placeholders} of a template, "_lc" forms counted as their value.
std::set<std::string> placeholders(std::string_view text) {
    std::set<std::string> out;
    static const std::regex re(R"(\{([a-z_]+)\})");
    std::string s(text);
    for (std::sregex_iterator it(s.begin(), s.end(), re), end; it != end; ++it) {
        std::string name = (*it)[1];
        if (name.ends_with("_lc")) name.resize(name.size() - 3);
        out.insert(name);
    }
    return out;
}

const onramp::connectors::Field& field_of(std::string_view connector, std::string_view name) {
    return *onramp::connectors::find_connector(connector)->find_field(name);
}

}  // namespace

TEST_CASE("every message code has one non-empty template") {
    std::set<std::string_view> seen;
    for (const MessageTemplate& t : message_templates()) {
        CAPTURE(t.code);
        CHECK_FALSE(t.text.empty());
        CHECK(seen.insert(t.code).second);
        CHECK(message_template(t.code) == t.text);
    }
    CHECK(seen.size() > 50);
    CHECK(message_template("no_such_code").empty());
}

TEST_CASE("rendering fills named values, in any order, and the in-sentence form of a label") {
    CHECK(render({"max_chars", {{"max", "200"}}}) == "must be at most 200 characters");
    CHECK(render({"out_of_range", {{"max", "9"}, {"min", "1"}}}) == "must be between 1 and 9");
    CHECK(render({"token_bearer", {{"label", "Access token"}}}) ==
          "Paste the access token alone, without \u201CBearer\u201D in front.");
    CHECK(render({"token_bearer", {{"label", "API key"}}}) ==
          "Paste the API key alone, without \u201CBearer\u201D in front.");
    // A translation's values are translated already: no English casing.
    CHECK(fill_message("Pegue solo el {label_lc}, {label}.", {{"label", "Token"}}, false) ==
          "Pegue solo el Token, Token.");
}

TEST_CASE("every message a check gives is a code whose placeholders it fills") {
    // One failing value per kind of check, and the English each renders to.
    struct Case {
        std::string_view connector, field, value;
    };
    const Case cases[] = {
        {"bigcommerce", "store_hash", "x"},         {"bigcommerce", "access_token", "Bearer abc"},
        {"bigcommerce", "access_token", "short"},   {"shopify", "shop_domain", "shop.example.com"},
        {"shopify", "access_token", "abc"},         {"woocommerce", "site_url", "http://shop.com"},
        {"woocommerce", "site_url", "https://a b"}, {"woocommerce", "consumer_key", "xyz"},
        {"bigcommerce", "store_hash", ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.field);
        CAPTURE(c.value);
        FieldCheck r = validate_field(field_of(c.connector, c.field), c.value);
        REQUIRE_FALSE(r.ok());
        REQUIRE_FALSE(message_template(r.message.code).empty());
        std::set<std::string> given;
        for (const auto& [name, value] : r.message.params) given.insert(name);
        CHECK(placeholders(message_template(r.message.code)) == given);
        CHECK(render(r.message) == r.error);
        CHECK(r.error.find('{') == std::string::npos);
    }
}

TEST_CASE("a required credential field names its label and keeps its English wording") {
    FieldCheck r = validate_field(field_of("bigcommerce", "store_hash"), "  ");
    CHECK(r.message.code == "field_required");
    CHECK(r.error == "Store hash is required.");
}

TEST_CASE("a 422 from body fields carries each code and its values beside the English") {
    json body = {{"name", std::string(300, 'x')}, {"count", 50}};
    onramp::Fields f(body);
    f.text("name", 200);
    f.opt_int("count", 1, 10);
    f.fail("own", "has the handler's own words");
    onramp::Problem p = f.problem();
    CHECK(p.errors.at("name") == "must be at most 200 characters");
    CHECK(p.errors.at("count") == "must be between 1 and 10");
    CHECK(p.errors.at("own") == "has the handler's own words");
    const json ext = json::parse(p.extensions_json);
    std::map<std::string, Message> codes = read_error_codes(ext);
    REQUIRE(codes.size() == 2);  // the handler's own message has no code
    CHECK(codes.at("name").code == "max_chars");
    CHECK(render(codes.at("name")) == p.errors.at("name"));
    CHECK(render(codes.at("count")) == p.errors.at("count"));
}

TEST_CASE("a credentials 422 carries the codes of validate_credentials") {
    const auto& c = *onramp::connectors::find_connector("bigcommerce");
    Validation v = validate_credentials(c, json{{"store_hash", "x"}, {"nope", "1"}});
    onramp::Problem p = invalid_fields(v.messages);
    CHECK(p.errors == v.errors);
    std::map<std::string, Message> codes = read_error_codes(json::parse(p.extensions_json));
    CHECK(codes.at("store_hash").code == "store_hash");
    CHECK(codes.at("nope").code == "unknown_field");
    for (const auto& [field, m] : codes) CHECK(render(m) == v.errors.at(field));
}

TEST_CASE("reading error codes skips unknown codes and malformed entries") {
    json problem = {{"error_codes",
                     {{"a", {{"code", "no_such_code"}}}, {"b", "text"}, {"c", {{"code", "required"}}}}}};
    std::map<std::string, Message> codes = read_error_codes(problem);
    REQUIRE(codes.size() == 1);
    CHECK(codes.at("c").code == "required");
    CHECK(read_error_codes(json::array()).empty());
}
