// Specification of the catalog's words in the client's languages: every text
// of shared/connectors/catalog.cpp the web client shows (descriptions,
// field labels, help, prose placeholders, choice labels, what a scope is for
// and what is lost without it, category names) has a translation in each
// table of web/i18n/, keyed by its English. A new catalog text fails here
// until it is translated; tests/web/i18n_tables.py then wants it marked.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "i18n/i18n.h"
#include "shared/connectors/catalog.h"

namespace cx = onramp::connectors;

namespace {

std::map<std::string, std::string> table(const std::string& code) {
    std::ifstream in(std::string(ONRAMP_SOURCE_DIR) + "/web/i18n/" + code + ".json");
    std::stringstream text;
    text << in.rdbuf();
    return i18n_parse_table(text.str());
}

// A placeholder is words to translate ("Paste the access token",
// "Optional") unless it is an example value ("shpat_…", "+1 555 123 4567",
// "Atzr|…"): words have a space after a first letter, or are one
// capitalised word of letters.
bool is_prose(std::string_view s) {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (s.empty() || !letter(s[0])) return false;
    if (s.find(' ') != std::string_view::npos) return true;
    for (char c : s)
        if (!letter(c)) return false;
    return s[0] >= 'A' && s[0] <= 'Z';
}

std::vector<std::string> shown_texts() {
    std::vector<std::string> out;
    auto add = [&](std::string_view t) {
        if (!t.empty()) out.emplace_back(t);
    };
    for (cx::Category c : cx::kAllCategories) add(cx::label(c));
    for (const cx::Connector& c : cx::connectors()) {
        add(c.description);
        for (const cx::Scope& s : c.scopes) {
            add(s.purpose);
            add(s.feature);
        }
        for (const cx::Field& f : c.fields) {
            add(f.label);
            add(f.help);
            if (is_prose(f.placeholder)) add(f.placeholder);
            for (const cx::Option& o : f.options) add(o.label);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("every catalog text the client shows is translated in each language's table") {
    const std::vector<std::string> texts = shown_texts();
    REQUIRE(texts.size() > 100);
    for (const char* code : {"es", "de"}) {
        CAPTURE(code);
        const auto t = table(code);
        REQUIRE_FALSE(t.empty());
        for (const std::string& text : texts) {
            CAPTURE(text);
            auto it = t.find(text);
            CHECK((it != t.end() && !it->second.empty()));
        }
    }
}

TEST_CASE("placeholders that are example values stay out of the tables") {
    CHECK(is_prose("Paste the access token"));
    CHECK(is_prose("Optional"));
    CHECK(is_prose("the phrase set in the App Dashboard"));
    CHECK_FALSE(is_prose("shpat_\xE2\x80\xA6"));
    CHECK_FALSE(is_prose("+1 555 123 4567"));
    CHECK_FALSE(is_prose("Atzr|\xE2\x80\xA6"));
    CHECK_FALSE(is_prose("abc123"));
}
