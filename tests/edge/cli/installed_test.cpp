// Specification of where an installed edge finds what it ships with: the
// web client without --web-root, <prefix>/share/onramp/web next to
// <prefix>/bin, and its document reader, beside it in a build tree or in
// <prefix>/libexec/onramp (the layout `cmake --install` makes).
// tests/deploy/install_test.sh checks the same through an installed binary.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "edge/cli/installed.h"
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

TEST_CASE("the document reader is found beside the server, else in ../libexec/onramp") {
    TempDir prefix;
    fs::create_directories(prefix.path + "/bin");
    fs::create_directories(prefix.path + "/libexec/onramp");
    std::string exe = prefix.path + "/bin/onramp-edge";
    CHECK(cli::reader_path(exe).empty());

    std::ofstream(prefix.path + "/libexec/onramp/onramp-reader") << "reader";
    CHECK(fs::equivalent(cli::reader_path(exe), prefix.path + "/libexec/onramp/onramp-reader"));

    std::ofstream(prefix.path + "/bin/onramp-reader") << "reader";
    CHECK(fs::equivalent(cli::reader_path(exe), prefix.path + "/bin/onramp-reader"));
}

}  // TEST_SUITE
