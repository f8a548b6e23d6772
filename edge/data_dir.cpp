#include "edge/data_dir.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace onramp {

Result<std::string> ensure_data_dir(const std::string& path) {
    if (path.empty()) return bad_request("No data directory given (--data DIR or ONRAMP_DATA).");
    struct stat st;
    if (stat(path.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) return bad_request(path + " exists and is not a directory.");
        return path;
    }
    // Create parents too, like mkdir -p.
    for (size_t i = 1; i <= path.size(); ++i) {
        if (i < path.size() && path[i] != '/') continue;
        std::string part = path.substr(0, i);
        if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
            return bad_request("Cannot create " + part + ": " + std::strerror(errno));
    }
    return path;
}

std::string database_path(const std::string& data_dir) { return data_dir + "/onramp.db"; }

}  // namespace onramp
