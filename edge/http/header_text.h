// Header values as RFC 9110 §5.6 reads them: optional whitespace (spaces
// and tabs) around a value is not part of it, and tokens (media types,
// codings, parameter names) compare without ASCII case.
#pragma once

#include <string>
#include <string_view>

namespace onramp::http {

std::string_view trim_ows(std::string_view s);
std::string ascii_lower(std::string_view s);
bool iequals_ascii(std::string_view a, std::string_view b);

}  // namespace onramp::http
