#include "edge/cli/installed.h"

#include <filesystem>
#include <system_error>

namespace onramp::cli {

namespace fs = std::filesystem;

std::string installed_web_root(const std::string& executable) {
    fs::path web = fs::path(executable).parent_path().parent_path() / "share" / "onramp" / "web";
    std::error_code ec;
    if (!fs::is_regular_file(web / "index.html", ec)) return "";
    return web.string();
}

namespace {

// Linux names the executable's resolved path here, symlinks followed,
// wherever it was started from.
std::string self_path() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? "" : self.string();
}

}  // namespace

std::string installed_web_root() {
    std::string self = self_path();
    return self.empty() ? "" : installed_web_root(self);
}

std::string reader_path(const std::string& executable) {
    fs::path dir = fs::path(executable).parent_path();
    std::error_code ec;
    for (const fs::path& p : {dir / "onramp-reader", dir.parent_path() / "libexec" / "onramp" / "onramp-reader"})
        if (fs::is_regular_file(p, ec)) return p.string();
    return "";
}

std::string reader_path() {
    std::string self = self_path();
    return self.empty() ? "" : reader_path(self);
}

}  // namespace onramp::cli
