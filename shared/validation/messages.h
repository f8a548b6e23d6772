// Validation messages as values: a stable code, an English template with
// named placeholders ("{label} is required."), and the values to put in
// them. The edge sends the English text in a 422's `errors` and the code with
// its values in `error_codes` (see invalid_fields()); the web client draws the
// same code through its string table (web/i18n/), so both speak of a bad
// field alike and a translation can reorder the values.
//
// Placeholders: "{name}" is the value as given; "{name_lc}" is the same value
// placed inside an English sentence ("Access token" → "access token", while
// "API key" keeps its capitals). A translation uses the same placeholders and
// receives the translated value for both forms.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "shared/problem.h"

namespace onramp::validation {

using MessageParams = std::vector<std::pair<std::string, std::string>>;

struct Message {
    std::string code;  // one of message_templates(); empty when there is no message
    MessageParams params;
};

struct MessageTemplate {
    std::string_view code;
    std::string_view text;  // English, with {placeholders}
};

// Every code with its English template.
std::span<const MessageTemplate> message_templates();

// The English template of `code`, or "" for an unknown code.
std::string_view message_template(std::string_view code);

// `text` with each placeholder of `params` filled (see the top of this file);
// `sentence_case` lowercases "{name_lc}" values as English does, and is off
// for a translated text, whose values are translated already.
std::string fill_message(std::string_view text, const MessageParams& params, bool sentence_case = true);

// The message in English.
std::string render(const Message& message);

// A label inside an English sentence: "Access token" → "access token", but
// "API key" and "LWA client secret" keep their capitals.
std::string in_sentence(std::string_view label);

// A 422 problem naming each bad field: `errors` in English, as ever, and the
// extension member `error_codes`, {field: {"code": …, "params": {…}}}, from
// which a client renders the message in its own language (absent when
// `errors` is empty).
Problem invalid_fields(const std::map<std::string, Message>& errors,
                       std::string detail = "Some fields are missing or invalid.");

// The `error_codes` member of a parsed problem+json body read back: field → message.
// Entries that are not well-formed are skipped.
std::map<std::string, Message> read_error_codes(const nlohmann::json& problem);

}  // namespace onramp::validation
