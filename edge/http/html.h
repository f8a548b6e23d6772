// Text placed into the HTML pages and e-mails the edge writes itself (the
// OAuth result page, e-mail bodies).
#pragma once

#include <string>

namespace onramp::http {

// `s` with the five characters that are markup in HTML text and quoted
// attribute values replaced by their character references.
std::string escape_html(const std::string& s);

}  // namespace onramp::http
