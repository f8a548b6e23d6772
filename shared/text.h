// Marks English text in shared code that the web client shows translated:
// translatable("Company basics") is the text itself, and tells the string
// table's check (tests/web/i18n_tables.py) that the client's tables must
// translate it. The client passes such text through tr_shared()
// (web/i18n/i18n.h); shared code knows nothing of languages.
#pragma once

namespace onramp {

constexpr const char* translatable(const char* english) { return english; }

}  // namespace onramp
