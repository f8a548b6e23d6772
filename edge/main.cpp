// onramp-edge: one executable, one subcommand per job.
#include <cstdio>
#include <cstring>
#include <string>

#include "edge/cli/commands.h"

int main(int argc, char** argv) { return onramp::cli::dispatch(argc, argv); }
