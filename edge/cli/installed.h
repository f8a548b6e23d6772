// Where an installed edge finds the web client: `cmake --install` puts the
// executable in <prefix>/bin and the client's files in
// <prefix>/share/onramp/web, so `serve` needs no --web-root there.
#pragma once

#include <string>

namespace onramp::cli {

// <prefix>/share/onramp/web for the executable at <prefix>/bin/NAME, when
// that directory holds index.html; empty otherwise (a build tree, or an
// install without the client).
std::string installed_web_root(const std::string& executable);

// The same for the running process (/proc/self/exe).
std::string installed_web_root();

}  // namespace onramp::cli
