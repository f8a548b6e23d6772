// parse_json and dump_json (shared/json.h): the limits are checked by one
// linear scan before nlohmann's parser builds anything, and a refusal is
// explained by a second, SAX-only pass. Neither throws, so the same code
// serves the WebAssembly client, which is built without exception catching.
#include "shared/json.h"

namespace onramp {

namespace {

using nlohmann::json;

bool is_number_char(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

Problem limit_exceeded(std::string detail) { return bad_request(std::move(detail), "json_limit_exceeded"); }

// Walks the text as a JSON lexer does, tracking only whether it is inside a
// string literal: outside one, '[' and '{' nest and a run of number
// characters is one number literal. On valid JSON the counts are exact;
// text that is not JSON passes on to the parser, which names its fault.
// Positions are 1-based bytes, as nlohmann's are.
std::optional<Problem> over_limits(std::string_view text, const JsonLimits& limits) {
    size_t depth = 0, number_chars = 0, string_bytes = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
                continue;
            }
            if (++string_bytes > limits.max_string_bytes)
                return limit_exceeded("The JSON holds more than " + std::to_string(limits.max_string_bytes) +
                                      " bytes of text in its strings.");
            continue;
        }
        if (is_number_char(c)) {
            if (++number_chars > limits.max_number_chars)
                return limit_exceeded("The number at byte " + std::to_string(i + 2 - number_chars) +
                                      " is longer than " + std::to_string(limits.max_number_chars) +
                                      " characters.");
            continue;
        }
        number_chars = 0;
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limits.max_depth)
                return limit_exceeded("The JSON nests deeper than " + std::to_string(limits.max_depth) +
                                      " levels at byte " + std::to_string(i + 1) + ".");
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

// A SAX consumer that builds nothing and keeps the first error: where the
// parser stopped and nlohmann's exception id (406 is a number overflow).
struct FirstError : json::json_sax_t {
    size_t position = 0;
    int id = 0;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t pos, const std::string&, const json::exception& e) override {
        position = pos;
        id = e.id;
        return false;
    }
};

// The refusal of a text the parser discarded. The parser's own message is
// not echoed: it quotes the offending token, which may be megabytes long
// or not UTF-8.
Problem malformed(std::string_view text) {
    FirstError error;
    if (json::sax_parse(text.begin(), text.end(), &error)) return bad_request("Malformed JSON.", "malformed_json");
    if (error.id == 406)
        return bad_request("The number ending at byte " + std::to_string(error.position) +
                               " is beyond the range of a 64-bit floating-point number.",
                           "malformed_json");
    return bad_request("Malformed JSON at byte " + std::to_string(error.position) + ".", "malformed_json");
}

}  // namespace

Result<json> parse_json(std::string_view text, const JsonLimits& limits) {
    if (auto refused = over_limits(text, limits)) return *refused;
    json value = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) return malformed(text);
    return value;
}

std::optional<Problem> check_json(std::string_view text, const JsonLimits& limits) {
    if (auto refused = over_limits(text, limits)) return refused;
    FirstError error;
    if (!json::sax_parse(text.begin(), text.end(), &error)) return malformed(text);
    return std::nullopt;
}

std::string dump_json(const json& value) {
    return value.dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

}  // namespace onramp
