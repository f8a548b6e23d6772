// The browser's side of the page's languages (web/i18n/language.h): which
// languages the browser asks for, the switch's choice kept across visits,
// the page's lang attribute, and fetching a language's table.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "platform/platform.h"

// navigator.languages, most wanted first: BCP 47 tags such as "de-AT".
std::vector<std::string> platform_browser_languages();

// The language chosen with the page's switch, kept in localStorage so that
// it outlives the tab; "" forgets it. "" when none was chosen or storage is
// refused (a privacy mode).
void platform_store_language(const std::string& code);
std::string platform_stored_language();

// Sets <html lang>, so screen readers pronounce the page's text right.
void platform_set_page_language(const std::string& code);

// GET of a file beside the page (`path` relative to it: "i18n/es.json"),
// with no credentials: the page's own static files. Like platform_fetch,
// the reply is filled in by a later browser event.
std::shared_ptr<HttpReply> platform_fetch_page_file(const std::string& path);
