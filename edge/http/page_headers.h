// The security headers of every HTML page the edge serves (the web client's
// index.html): what may run in it, who may frame it, and what it tells other
// sites. The client's page holds credential forms and, in its address, an
// onboarding link's token, so by default nobody may frame it and no request
// it makes carries a Referer.
#pragma once

#include <string>
#include <vector>

#include "edge/http/message.h"

namespace onramp::http {

// Sets Content-Security-Policy (frame-ancestors: `frame_ancestors`, or
// 'none' when empty), X-Frame-Options: DENY when nobody may frame it (for
// browsers without frame-ancestors), Referrer-Policy: no-referrer, and
// Strict-Transport-Security when the request came over HTTPS.
void add_page_headers(Response& r, const Request& req, const std::vector<std::string>& frame_ancestors);

bool is_page(const Response& r);

}  // namespace onramp::http
