// onramp-edge mock-platforms: the mock platform server as a process, for
// demos, manual testing and benchmarks. Declared here until
// edge/cli/commands.h lists it.
#pragma once

#include "edge/cli/commands.h"

namespace onramp::cli {

int mock_platforms(const Args& args);

}  // namespace onramp::cli
