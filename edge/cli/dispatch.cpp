// Picks the subcommand from argv[1] and hands it the remaining arguments.
#include <cstdio>
#include <cstring>

#include "edge/cli/commands.h"
#include "shared/version.h"

namespace onramp::cli {

namespace {

struct Command {
    const char* name;
    int (*run)(const Args&);
    const char* summary;
};

const Command kCommands[] = {
    {"serve", serve, "run the edge server (API, web client, workers)"},
    {"create-admin", create_admin, "create an operator account and print its login as JSON"},
    {"reset-password", reset_password, "print a one-time link that sets a new password for an account"},
    {"backup", backup, "archive the live database, documents and a manifest into one file"},
    {"restore", restore, "restore a backup archive into a new data directory, after checking it"},
    {"rotate-key", rotate_key, "re-wrap every stored secret under a new master key"},
    {"webhook-verify", static_cast<int (*)(const Args&)>(webhook_verify),
     "check a captured webhook delivery's signature"},
    {"mock-platforms", mock_platforms, "run the mock platform servers (offline demo, tests)"},
};

void usage(FILE* out) {
    std::fprintf(out,
                 "onramp-edge %s: the Onramp client-onboarding server\n\n"
                 "Usage: onramp-edge <command> [flags]\n\nCommands:\n",
                 kVersion);
    for (const Command& c : kCommands)
        std::fprintf(out, "  %-16s %s\n", c.name, c.summary);
    std::fprintf(out, "\nRun 'onramp-edge <command> --help' for a command's flags.\n");
}

}  // namespace

int dispatch(int argc, char** argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        usage(stdout);
        return 0;
    }
    if (name == "--version") {
        std::printf("onramp-edge %s\n", kVersion);
        return 0;
    }
    Args args(argv + 2, argv + argc);
    for (const Command& c : kCommands)
        if (name == c.name) return c.run(args);
    std::fprintf(stderr, "onramp-edge: unknown command '%s'\n\n", name.c_str());
    usage(stderr);
    return 2;
}

}  // namespace onramp::cli
