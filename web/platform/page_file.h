// Fetching one of the page's own files (beside onramp.wasm), such as the
// second font subset the first frame does not wait for (theme.h MoreGlyphs)
// or a language's string table (i18n/es.json).
#pragma once

#include <memory>
#include <string>

#include "platform/platform.h"

// Starts a GET of `name`, a file beside the page, by an address relative to
// the page's as boot.js and onramp.js are, so it works wherever the page is
// hosted. Unlike platform_fetch it always goes to the network: the static
// demo answers only the API inside the module. The reply is filled in by a
// later browser event, between frames.
std::shared_ptr<HttpReply> platform_fetch_page_file(const std::string& name);
