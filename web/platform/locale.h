// The browser's side of the page's languages (web/i18n/language.h): which
// languages the browser asks for, the switch's choice kept across visits,
// and the page's lang attribute. (A language's table is one of the page's
// own files: platform/page_file.h.)
#pragma once

#include <string>
#include <vector>


// navigator.languages, most wanted first: BCP 47 tags such as "de-AT".
std::vector<std::string> platform_browser_languages();

// The language chosen with the page's switch, kept in localStorage so that
// it outlives the tab; "" forgets it. "" when none was chosen or storage is
// refused (a privacy mode).
void platform_store_language(const std::string& code);
std::string platform_stored_language();

// Sets <html lang>, so screen readers pronounce the page's text right.
void platform_set_page_language(const std::string& code);
