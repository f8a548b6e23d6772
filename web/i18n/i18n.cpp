// The string table (i18n.h): lookup, placeholders, the choice of language,
// and the words for the edge's error codes. No browser calls here, so the
// native tests compile it too (tests/web/i18n_test.cpp).
#include "i18n/i18n.h"

#include <nlohmann/json.hpp>

#include "shared/problem.h"
#include "shared/validation/messages.h"

namespace {

// The table tr() reads. One per page, like the language it shows.
struct Table {
    std::string code = "en";
    std::map<std::string, std::string> entries;
};
Table table;

}  // namespace

const char* tr(const char* english) {
    if (table.entries.empty()) return english;
    auto it = table.entries.find(english);
    return it == table.entries.end() ? english : it->second.c_str();
}

const char* tr_text(const char* english) { return tr(english); }

std::string tr_catalog(std::string_view english) { return tr(std::string(english).c_str()); }

std::string validation_text(const onramp::validation::Message& m) {
    const std::string english(onramp::validation::message_template(m.code));
    if (english.empty()) return {};
    const char* text = tr(english.c_str());
    const bool translated = text != english.c_str();
    onramp::validation::MessageParams values;
    for (const auto& [name, value] : m.params) values.emplace_back(name, translated ? tr_catalog(value) : value);
    // An English text keeps English casing of a label inside a sentence.
    return onramp::validation::fill_message(text, values, !translated);
}

std::string i18n_fill(std::string_view text, TrArgs args) {
    std::string out(text);
    for (const auto& [name, value] : args) {
        const std::string key = std::string("{") + name + "}";
        for (size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
            out.replace(at, key.size(), value);
    }
    return out;
}

std::string trf(const char* english, TrArgs args) { return i18n_fill(tr(english), args); }

std::string tr_edge(const std::string& english, TrArgs values) {
    std::string key = english;
    for (const auto& [name, value] : values) {
        if (value.empty()) continue;
        const std::string placeholder = std::string("{") + name + "}";
        for (size_t at = key.find(value); at != std::string::npos; at = key.find(value, at + placeholder.size()))
            key.replace(at, value.size(), placeholder);
    }
    const char* text = tr(key.c_str());
    return text == key.c_str() ? english : i18n_fill(text, values);
}

std::map<std::string, std::string> i18n_parse_table(const std::string& text) {
    std::map<std::string, std::string> out;
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object()) return out;
    for (const auto& [key, value] : j.items())
        if (value.is_string()) out.emplace(key, value.get<std::string>());
    const auto edge = j.find("edge");
    if (edge != j.end() && edge->is_object())
        for (const auto& [key, value] : edge->items())
            if (value.is_string()) out.emplace(key, value.get<std::string>());
    return out;
}

bool i18n_supported(const std::string& code) {
    for (const Language& l : kLanguages)
        if (code == l.code) return true;
    return false;
}

std::string i18n_choose(const std::string& chosen, const std::string& org_default,
                        const std::vector<std::string>& browser) {
    if (i18n_supported(chosen)) return chosen;
    if (i18n_supported(org_default)) return org_default;
    for (const std::string& tag : browser) {
        std::string primary = tag.substr(0, tag.find('-'));
        for (char& c : primary)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (i18n_supported(primary)) return primary;
    }
    return "en";
}

void i18n_install(const std::string& code, std::map<std::string, std::string> entries) {
    table.code = code;
    table.entries = std::move(entries);
}

const std::string& i18n_installed() { return table.code; }

std::string problem_text(const onramp::Problem& p) {
    const std::string& c = p.error_code;
    if (c == "unreachable") return tr("Can't reach the Onramp server. Check your connection and try again.");
    if (c == "invalid_credentials") return tr("The e-mail or password is not right.");
    if (c == "rate_limited")
        return trf("Too many attempts. Try again in {seconds} seconds.",
                   {{"seconds", std::to_string(p.retry_after > 0 ? p.retry_after : 1)}});
    if (c == "second_factor_wrong") return tr("That code is not right, or was already used.");
    if (c == "mfa_token_invalid") return tr("This sign-in has expired or was finished. Sign in again.");
    if (c == "wrong_password") return tr("The password is not right.");
    if (c == "code_invalid") return tr("That code is not right. Check the e-mail and try again.");
    if (c == "code_expired") return tr("This code has expired or was tried too many times. Ask for a new code.");
    if (c == "code_required") return tr("To open this link on a new device, type the 6-digit code we e-mailed you.");
    if (c == "reset_link_invalid") return tr("This reset link is not valid: it was used, it expired or it was not copied whole. Ask for a new one.");
    if (c == "invitation_used") return tr("This invitation was already used. Sign in instead.");
    if (c == "invitation_revoked") return tr("This invitation was withdrawn. Ask for a new one.");
    if (c == "invitation_expired") return tr("This invitation has expired. Ask for a new one.");
    if (c == "forbidden") return tr("Your role does not allow this.");
    if (c == "internal_error") return tr("Something went wrong on our side. Try again in a moment.");
    if (c == "validation_failed" && p.detail == "Some fields are missing or invalid.")
        return tr("Some fields are missing or invalid.");
    return p.detail;
}
