// Where the edge finds the files it ships with. `cmake --install` puts the
// server in <prefix>/bin, its document reader in <prefix>/libexec/onramp
// and the web client's files in <prefix>/share/onramp/web; a build tree
// has the server and the reader side by side. So `serve` needs no
// --web-root and no reader path in either.
#pragma once

#include <string>

namespace onramp::cli {

// <prefix>/share/onramp/web for the executable at <prefix>/bin/NAME, when
// that directory holds index.html; empty otherwise (a build tree, or an
// install without the client).
std::string installed_web_root(const std::string& executable);

// The same for the running process (/proc/self/exe).
std::string installed_web_root();

// The document reader (onramp-reader) for the executable at
// <dir>/NAME: <dir>/onramp-reader in a build tree, else
// <dir>/../libexec/onramp/onramp-reader; empty when neither exists.
std::string reader_path(const std::string& executable);

// The same for the running process.
std::string reader_path();

}  // namespace onramp::cli
