// The subcommands of onramp-edge. Each takes the arguments after its name
// and returns the process exit code: 0 success, 1 failure, 2 usage error.
#pragma once

#include <string>
#include <vector>

namespace onramp::cli {

using Args = std::vector<std::string>;

int dispatch(int argc, char** argv);

int serve(const Args& args);
int create_admin(const Args& args);
int backup(const Args& args);

}  // namespace onramp::cli
