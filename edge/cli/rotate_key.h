// `onramp-edge rotate-key --data DIR`: moves the credential vault to a new
// master key (see edge/vault.h). Declared here until edge/cli/commands.h
// lists it with the other subcommands.
#pragma once

#include "edge/cli/commands.h"

namespace onramp::cli {

int rotate_key(const Args& args);

}  // namespace onramp::cli
