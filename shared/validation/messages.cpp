// Validation messages (messages.h): the table of codes and English
// templates, filling a template, and carrying codes in a problem+json.
// Each template is marked translatable(), so the web client's string tables
// must translate it (tests/web/i18n_tables.py checks).
#include "shared/validation/messages.h"

#include <nlohmann/json.hpp>

#include "shared/text.h"

namespace onramp::validation {

namespace {

// Body fields (fields.h): the message follows the field's name, which the
// problem's `errors` gives as its key.
constexpr MessageTemplate kFieldTemplates[] = {
    {"required", translatable("is required")},
    {"not_string", translatable("must be a string")},
    {"empty", translatable("must not be empty")},
    {"max_chars", translatable("must be at most {max} characters")},
    {"not_bool", translatable("must be true or false")},
    {"not_integer", translatable("must be a whole number")},
    {"out_of_range", translatable("must be between {min} and {max}")},
    {"not_object", translatable("must be an object")},
    {"not_choice", translatable("must be one of: {values}")},
};

// Credentials (validate.h): whole sentences naming the field by its label.
constexpr MessageTemplate kCredentialTemplates[] = {
    {"field_required", translatable("{label} is required.")},
    {"too_long", translatable("{label} is too long ({count} characters; at most {max}).")},
    {"too_long_max", translatable("{label} is too long (at most {max} characters).")},
    {"invalid_utf8", translatable("{label} contains bytes that are not valid text — type or paste it again.")},
    {"line_break", translatable("{label} contains a line break — paste it again on one line.")},
    {"control_char",
     translatable("{label} contains an invisible control character — type or paste it again.")},
    {"bad_percent", translatable("{label} has a % that is not followed by two hex digits.")},
    {"bad_char", translatable("{label} contains {char}, which is not allowed in a web address.")},
    {"dot_segment", translatable("{label} must not contain . or .. segments.")},
    {"url_space", translatable("{label} contains a space; a web address has none.")},
    {"url_http", translatable("{label} must start with https:// — Onramp sends credentials only over an "
                              "encrypted connection.")},
    {"url_scheme", translatable("{label} must be a web address starting with https://.")},
    {"url_userinfo", translatable("{label} must not contain a user name or password (the part before @); "
                                  "enter them in their own fields.")},
    {"ipv6_unclosed", translatable("{label} has an unclosed [ in its host.")},
    {"ipv6_empty", translatable("{label} has an empty IPv6 address in its host.")},
    {"ipv6_invalid", translatable("{label} has an invalid IPv6 address in its host.")},
    {"ipv6_trailing", translatable("{label} has text after its IPv6 address.")},
    {"host_missing", translatable("{label} has no host name, e.g. https://your-store.com.")},
    {"host_non_ascii", translatable("{label} contains non-English letters in its host; use the xn-- form of "
                                    "the domain name your host gives you.")},
    {"host_invalid", translatable("{label} has an invalid host name {host}: use letters, digits, hyphens and "
                                  "dots, e.g. your-store.com.")},
    {"host_no_dot", translatable("{label} needs a full host name with a dot, e.g. https://{host}.com.")},
    {"port_invalid", translatable("{label} has an invalid port after the host name.")},
    {"url_fragment", translatable("{label} must not contain a # part; remove the # and what follows it.")},
    {"url_query", translatable("{label} must not contain a ? part; remove the ? and what follows it.")},
    {"empty_segment", translatable("{label} contains an empty // segment.")},
    {"path_full_url", translatable("{label} is a path such as /me, not a full address; the address goes in "
                                   "the base URL.")},
    {"path_space", translatable("{label} contains a space or a backslash; a path has neither.")},
    {"path_climbs", translatable("{label} must not contain . or .. segments: the test has to stay under the "
                                 "base URL.")},
    {"header_empty", translatable("{label} is empty.")},
    {"header_char", translatable("{label} can only contain letters, digits and - such as X-API-Key; it "
                                 "contains {char}.")},
    {"header_reserved", translatable("{label} cannot be {value}: Onramp sets that header itself. Use the "
                                     "header your CRM names for API keys.")},
    {"shopify_public_domain",
     translatable("{label} must be your store's myshopify.com address, e.g. your-store.myshopify.com, not its "
                  "public domain. Shopify admin shows it under Settings → Domains.")},
    {"shopify_no_name", translatable("{label} needs your shop's name, e.g. your-store.myshopify.com.")},
    {"shopify_chars", translatable("{label} can only contain letters, digits and hyphens before "
                                   ".myshopify.com, e.g. your-store.myshopify.com.")},
    {"store_hash", translatable("{label} is the {min}–{max} letters and digits after /stores/ in your API "
                                "path, e.g. abc123 in https://api.bigcommerce.com/stores/abc123/v3/.")},
    {"hex_start", translatable("{label} should be {count} characters 0–9 and a–f.")},
    {"hex_start_prefix", translatable("{label} should be {prefix} followed by {count} characters 0–9 and a–f.")},
    {"hex_chars", translatable("{label} should be {count} characters 0–9 and a–f; it contains other "
                               "characters — check it was copied exactly.")},
    {"hex_chars_prefix", translatable("{label} should be {prefix} followed by {count} characters 0–9 and a–f; "
                                      "it contains other characters — check it was copied exactly.")},
    {"hex_length", translatable("{label} should be {count} characters 0–9 and a–f; this one has {actual} — "
                                "check it was copied whole.")},
    {"hex_length_prefix", translatable("{label} should be {prefix} followed by {count} characters 0–9 and a–f; "
                                       "this one has {actual} after {prefix} — check it was copied whole.")},
    {"token_bearer", translatable("Paste the {label_lc} alone, without \u201CBearer\u201D in front.")},
    // The prefix is given without a final "." ("amzn1.application-oa2-client."),
    // which the sentence's own full stop stands for.
    {"token_prefix", translatable("{label} should start with {prefix}.")},
    {"token_space", translatable("{label} should be one unbroken string: it contains a space in the middle.")},
    {"token_chars", translatable("{label} contains characters that can't be part of it (only letters, digits "
                                 "and punctuation) — check it was copied exactly.")},
    {"token_short", translatable("{label} looks too short ({count} characters) — check it was copied whole.")},
    {"token_long", translatable("{label} is too long ({count} characters; at most {max}) — check nothing else "
                                "was copied with it.")},
    {"amazon_id", translatable("{label} should be {min}–{max} capital letters and digits.")},
    {"amazon_id_example", translatable("{label} should be {min}–{max} capital letters and digits, e.g. "
                                       "{example}.")},
    {"amazon_id_list_empty", translatable("{label} needs at least one ID, e.g. {example}.")},
    {"amazon_id_list_item", translatable("{id} in {label} is not valid: each ID is {min}–{max} capital letters "
                                         "and digits. Separate several with commas.")},
    {"amazon_id_list_item_example",
     translatable("{id} in {label} is not valid: each ID is {min}–{max} capital letters and digits, e.g. "
                  "{example}. Separate several with commas.")},
    {"phone_country", translatable("{label} needs the country code: start with + and the country code, e.g. "
                                   "+1 555 123 4567.")},
    {"phone_plus", translatable("{label} should be a phone number starting with + and the country code, e.g. "
                                "+1 555 123 4567.")},
    {"phone_chars", translatable("{label} can only contain digits, spaces, dashes and brackets after the +, "
                                 "e.g. +1 555 123 4567 (no extension).")},
    {"phone_length", translatable("{label} should have 7 to 15 digits after the +, country code included; "
                                  "this one has {count}.")},
    {"digits", translatable("{label} should be a whole number.")},
    {"digits_example", translatable("{label} should be a whole number, e.g. {example}.")},
    {"callrail_account", translatable("{label} is the number under your account name in CallRail, e.g. "
                                      "713-863-719, or an ID starting with ACC.")},
    {"one_of", translatable("{label} must be one of {values} or {last}.")},
    {"one_of_single", translatable("{label} must be {value}.")},
    {"unchecked", translatable("{label} cannot be checked.")},
    {"unknown_field", translatable("{connector} has no field named {key}; its fields are {fields} and {last}.")},
    {"unknown_field_single", translatable("{connector} has no field named {key}; its fields are {last}.")},
    {"sent_twice", translatable("{label} was sent twice, as {first} and {second}; send it once.")},
    {"swapped", translatable("This looks like your {other_lc} (it starts with {other_prefix}); paste the "
                             "{label_lc} here.")},
    // As in token_prefix, {prefix} comes without a final ".".
    {"swapped_prefix", translatable("This looks like your {other_lc} (it starts with {other_prefix}); paste "
                                    "the {label_lc} here — it starts with {prefix}.")},
    {"credentials_not_object", translatable("Send the credentials as a JSON object of field names and values, "
                                            "e.g. {\"{field}\": \"…\"}.")},
    {"list_not_texts", translatable("{label} must be text, or a list of texts, in quotes.")},
    {"not_text", translatable("{label} must be text in quotes, not {kind}.")},
};

// Both tables as one list, built once.
struct AllTemplates {
    MessageTemplate items[std::size(kFieldTemplates) + std::size(kCredentialTemplates)] = {};
    constexpr AllTemplates() {
        size_t n = 0;
        for (const MessageTemplate& t : kFieldTemplates) items[n++] = t;
        for (const MessageTemplate& t : kCredentialTemplates) items[n++] = t;
    }
};
constexpr AllTemplates kAll;

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

void replace_all(std::string& out, const std::string& key, const std::string& value) {
    for (size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
        out.replace(at, key.size(), value);
}

}  // namespace

std::span<const MessageTemplate> message_templates() { return kAll.items; }

std::string_view message_template(std::string_view code) {
    for (const MessageTemplate& t : kAll.items)
        if (t.code == code) return t.text;
    return {};
}

std::string in_sentence(std::string_view label) {
    std::string s(label);
    if (s.size() >= 2 && is_upper(s[0]) && !is_upper(s[1])) s[0] = char(s[0] - 'A' + 'a');
    return s;
}

std::string fill_message(std::string_view text, const MessageParams& params, bool sentence_case) {
    std::string out(text);
    for (const auto& [name, value] : params) {
        replace_all(out, "{" + name + "_lc}", sentence_case ? in_sentence(value) : value);
        replace_all(out, "{" + name + "}", value);
    }
    return out;
}

std::string render(const Message& m) { return fill_message(message_template(m.code), m.params); }

Problem invalid_fields(const std::map<std::string, Message>& errors, std::string detail) {
    std::map<std::string, std::string> english;
    nlohmann::json codes = nlohmann::json::object();
    for (const auto& [field, m] : errors) {
        english[field] = render(m);
        nlohmann::json params = nlohmann::json::object();
        for (const auto& [name, value] : m.params) params[name] = value;
        codes[field] = {{"code", m.code}, {"params", params}};
    }
    Problem p = unprocessable(std::move(english), std::move(detail));
    if (!codes.empty()) p.extensions_json = nlohmann::json{{"error_codes", codes}}.dump();
    return p;
}

std::map<std::string, Message> read_error_codes(const nlohmann::json& problem) {
    std::map<std::string, Message> out;
    auto codes = problem.find("error_codes");
    if (!problem.is_object() || codes == problem.end() || !codes->is_object()) return out;
    for (const auto& [field, entry] : codes->items()) {
        if (!entry.is_object() || !entry.contains("code") || !entry["code"].is_string()) continue;
        Message m{entry["code"].get<std::string>(), {}};
        if (message_template(m.code).empty()) continue;
        if (auto params = entry.find("params"); params != entry.end() && params->is_object())
            for (const auto& [name, value] : params->items())
                if (value.is_string()) m.params.emplace_back(name, value.get<std::string>());
        out.emplace(field, std::move(m));
    }
    return out;
}

}  // namespace onramp::validation
