// The request line's target (RFC 9112 §3.2) split into the decoded path and
// query that handlers see. Pure functions of the bytes received, so bad
// input is a 400 Problem here and never reaches a handler (or a JSON log
// line, which must be UTF-8) as garbage.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "shared/result.h"

namespace onramp::http {

struct Target {
    std::string path;                               // percent-decoded, valid UTF-8, no NUL
    std::multimap<std::string, std::string> query;  // decoded; '+' is a space (HTML forms)
};

// Parses an origin-form target ("/a%20b?x=1&y"), or the absolute form
// ("http://host/a?x=1", which RFC 9112 §3.2.2 says a server must accept)
// by its path and query. 400 when a byte is not visible ASCII, a
// percent-escape is not two hex digits, or a decoded path or query part is
// not valid UTF-8 or holds NUL (RFC 3986 §2.1; RFC 3629).
Result<Target> parse_target(std::string_view raw);

// The path part of a raw target (before '?'), undecoded: what an access
// line shows for a target too malformed to decode.
std::string_view raw_path(std::string_view raw);

}  // namespace onramp::http
