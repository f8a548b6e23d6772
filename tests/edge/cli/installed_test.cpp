// Specification of where an installed edge finds the web client without
// --web-root: <prefix>/share/onramp/web next to <prefix>/bin (the layout
// `cmake --install` makes). tests/deploy/install_test.sh checks the same
// through an installed binary.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "edge/cli/web_root.h"
#include "edge/support/test_app.h"

using namespace onramp;
using namespace onramp::testing;
namespace fs = std::filesystem;

TEST_SUITE("cli") {

TEST_CASE("an installed executable finds the web client in ../share/onramp/web when it holds index.html") {
    TempDir prefix;
    fs::create_directories(prefix.path + "/bin");
    fs::create_directories(prefix.path + "/share/onramp/web");
    std::string exe = prefix.path + "/bin/onramp-edge";
    CHECK(cli::installed_web_root(exe).empty());

    std::ofstream(prefix.path + "/share/onramp/web/index.html") << "<!doctype html>";
    CHECK(fs::equivalent(cli::installed_web_root(exe), prefix.path + "/share/onramp/web"));
}

}  // TEST_SUITE
