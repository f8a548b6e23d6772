// The data directory holds everything a running edge keeps: the database
// (onramp.db and its WAL), the master key file, uploaded documents.
#pragma once

#include <string>

#include "shared/result.h"

namespace onramp {

// Creates the directory (mode 0700: other local users must not read the
// database or the key) if it does not exist. Returns its path.
Result<std::string> ensure_data_dir(const std::string& path);
std::string database_path(const std::string& data_dir);

}  // namespace onramp
