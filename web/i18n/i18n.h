// The page's words in the client's language, gettext-style: the English text
// stays in the code wrapped in tr() (or trf() when it carries values), and
// each other language's table, web/i18n/<code>.json, maps that English text
// to its translation. The tables are data beside the page, fetched when a
// language other than English is chosen (language.h), so that translations
// cost the .wasm nothing; until one arrives, and for a text it lacks, the
// English shows. tests/web/i18n_tables.py checks the tables against the
// code: every wrapped text translated, no stale key, the same placeholders.
//
// Placeholders are named, "{count} products", so that a translation may put
// them in another order. Texts that carry an ImGui id ("Save##client") keep
// the id out of the wrapped text: tr("Save") + "##client".
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onramp {
struct Problem;
namespace validation {
struct Message;
}
}  // namespace onramp

// A language the page is translated into: its code and its own name for
// itself, which is how the switch lists it. English is the code's own.
struct Language {
    const char* code;
    const char* name;
};
inline constexpr Language kLanguages[] = {{"en", "English"}, {"es", "Español"}, {"de", "Deutsch"}};

// `english` in the current language: its translation, or `english` itself
// when the current table lacks it. The pointer stays valid until another
// table is installed (between frames): copy it to keep it longer.
const char* tr(const char* english);

// Marks a text for the tables where it cannot be translated yet, in a
// constant list say, and is the text itself: tr_noop("Reference").
constexpr const char* tr_noop(const char* english) { return english; }
// tr() for a text marked elsewhere: with tr_noop(), or in shared code with
// translatable() (shared/text.h), such as a wizard step's title.
const char* tr_text(const char* english);

// Values for the placeholders of a text: {{"count", "12"}}.
using TrArgs = std::initializer_list<std::pair<const char*, std::string>>;

// tr(english) with its placeholders filled: trf("{count} products", {{"count", "12"}}).
std::string trf(const char* english, TrArgs args);

// `text` with each "{name}" of `args` replaced by its value; a placeholder
// without a value stays as it is.
std::string i18n_fill(std::string_view text, TrArgs args);

// A text the edge wrote in English with values in it (a webhook step with
// the hook's URL, a registration's reason with the platform) in the current
// language: each value back to its "{name}" (in order: put a value that may
// hold another first), that template looked up, and the values filled in
// again; `english` itself when the table lacks the template.
std::string tr_edge(const std::string& english, TrArgs values);

// A table as the page fetched it: a JSON object of English text to
// translation. Its member "edge" is an object of the edge's templates
// (tr_edge), kept apart because tests/edge/webhooks/texts_test.cpp checks
// them, not the code's check; they join the table. Other entries that are
// not strings are skipped; anything but an object gives an empty table
// (English shows).
std::map<std::string, std::string> i18n_parse_table(const std::string& json);

// The language to show, by precedence: the client's explicit choice with
// the switch, the organization's default for its clients, the browser's
// languages in order (a tag's region is ignored: "de-AT" is German), then
// English. Unsupported codes are passed over.
std::string i18n_choose(const std::string& chosen, const std::string& org_default,
                        const std::vector<std::string>& browser);

// Whether `code` is one of kLanguages.
bool i18n_supported(const std::string& code);

// Makes `table` (for language `code`) the one tr() reads: {} for English.
void i18n_install(const std::string& code, std::map<std::string, std::string> table);
// The code of the installed table's language, "en" before any.
const std::string& i18n_installed();

// What to tell the client about a problem the edge answered: the words for
// its error_code when the client knows the code, in the current language;
// else the edge's own detail, which is English.
std::string problem_text(const onramp::Problem& problem);

// A validation message (shared/validation/messages.h) in the current
// language: its template through the table, and each of its values too, so
// a field's label or a word such as "a space" is translated where the table
// has it (a client's own typing, quoted, is no key of any table).
std::string validation_text(const onramp::validation::Message& message);

// A text of the connector catalog (shared/connectors/catalog.cpp), such as a
// field's label or help, in the current language; the tables key it by its
// English text, which catalog.cpp marks with translatable().
std::string tr_catalog(std::string_view english);
