// Which language the page shows (i18n.h), and getting its table. By
// precedence: the client's choice with the page's switch (kept across
// visits), the organization's default for its clients (its branding,
// docs/branding.md), the browser's languages, English.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "platform/platform.h"

struct LanguageState {
    std::string chosen;                 // with the switch; "" : none
    std::string org_default;            // the onboarding organization's; "" : none
    std::vector<std::string> browser;   // navigator.languages
    std::string shown;                  // the language chosen by precedence
    std::string fetching;               // the language whose table is on its way
    std::shared_ptr<HttpReply> reply;   // ... its fetch
};

// Reads the browser's languages and the kept choice, and starts on the
// language they give. Call once, before the first frame.
void language_start(LanguageState& s);
// The switch: `code` from now on, kept for the next visits.
void language_choose(LanguageState& s, const std::string& code);
// The onboarding organization's default ("" when it has none, or when the
// page leaves its onboarding).
void language_set_org_default(LanguageState& s, const std::string& code);
// Installs a table that arrived. Returns true when the page's words changed.
bool language_poll(LanguageState& s);

// The small language switch (a combo, id "language", its options
// "language.<code>"), drawn at the cursor. Returns true when the client
// chose another language.
struct Ui;
bool language_switch(LanguageState& s, const Ui& ui);
// Its width in device pixels, for the screens that leave it room.
float language_switch_width();
