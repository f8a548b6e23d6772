// JSON helpers the edge and the web client share, and the one way text from
// outside (a request body, a platform's answer, a webhook delivery) becomes
// a JSON value.
//
//   Result<nlohmann::json> parse_json(std::string_view text, const JsonLimits& limits = {});
//
// Parses one JSON document (RFC 8259) and never throws or recurses on its
// input: every refusal is a 400 problem. "malformed_json" when the text is
// not JSON (naming the byte), is not UTF-8, or holds a number beyond a
// double's range; "json_limit_exceeded" when it nests deeper than
// limits.max_depth, holds a number literal longer than
// limits.max_number_chars, or more than limits.max_string_bytes of string
// and key text in all. Security: nlohmann's copy, comparison and dump()
// recurse once per level of nesting, so a body of 300,000 '[' (well within
// a 1 MiB body limit) overflows the stack in whatever touches the value
// next; the depth is checked in a linear scan before the parser builds
// anything. Long number literals are refused in the same scan, before
// strtod spends a tenth of a second on half a million digits.
//
//   std::optional<Problem> check_json(std::string_view text, const JsonLimits& limits = {});
//
// What parse_json would refuse, without building the value: for text kept
// as it came, such as a webhook body copied into an event, where building
// a tree only to write it out again cost more than storing the delivery.
//
//   std::string dump_json(const nlohmann::json& value);
//
// value.dump() that never throws: text that is not UTF-8 (a path or a
// header echoed into a problem or a log line) is written with U+FFFD in
// place of the bad bytes, where dump() would throw type_error 316.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "shared/result.h"

namespace onramp {

struct JsonLimits {
    // Arrays and objects inside each other; a lone scalar is depth 0 and
    // {"a": [1]} is depth 2. Onramp's own documents stay under 10.
    size_t max_depth = 64;
    // Characters of one number literal: 17 significant digits and an
    // exponent are all a double holds; the rest is padding.
    size_t max_number_chars = 100;
    // Bytes inside all string and key literals together (escapes counted as
    // written): the default body limit, 1 MiB.
    size_t max_string_bytes = size_t(1) << 20;
};

Result<nlohmann::json> parse_json(std::string_view text, const JsonLimits& limits = {});

std::optional<Problem> check_json(std::string_view text, const JsonLimits& limits = {});

std::string dump_json(const nlohmann::json& value);

// The value, or null when unset: answers list every field, set or not.
template <class T>
nlohmann::json nullable(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace onramp
