#include "edge/cli/web_root.h"

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

std::string installed_web_root() {
    std::error_code ec;
    // Linux names the executable's resolved path here, symlinks followed,
    // wherever it was started from.
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? "" : installed_web_root(self.string());
}

}  // namespace onramp::cli
