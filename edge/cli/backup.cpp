// onramp-edge backup: a consistent copy of the live database, taken with
// SQLite's online backup API while the server keeps running.
#include <cstdio>
#include <cstdlib>

#include "edge/cli/commands.h"
#include "edge/cli/flags.h"
#include "edge/data_dir.h"
#include "edge/store/db.h"

namespace onramp::cli {

namespace {

const std::vector<FlagSpec> kFlags = {
    {"data", true, false, "DIR  data directory of the running edge (ONRAMP_DATA; default ./data)"},
};

}  // namespace

int backup(const Args& args) {
    auto flags = parse_flags("backup", kFlags, args, 1);
    if (!flags) return 2;
    if (flags->help) {
        print_usage("backup OUT.db", "Copies the live database to OUT.db (SQLite online backup).", kFlags);
        return 0;
    }
    if (flags->positional.size() != 1) {
        std::fprintf(stderr, "onramp-edge backup: name the output file: onramp-edge backup --data DIR OUT.db\n");
        return 2;
    }
    const char* env = std::getenv("ONRAMP_DATA");
    std::string data = flags->get("data").value_or(env ? env : "./data");
    std::string db = database_path(data);
    if (FILE* f = std::fopen(db.c_str(), "rb")) {
        std::fclose(f);
    } else {
        std::fprintf(stderr, "onramp-edge backup: no database at %s\n", db.c_str());
        return 1;
    }
    try {
        store::backup(db, flags->positional[0]);
    } catch (const store::DbError& e) {
        std::fprintf(stderr, "onramp-edge backup: %s\n", e.what());
        return 1;
    }
    std::printf("backed up %s to %s\n", db.c_str(), flags->positional[0].c_str());
    return 0;
}

}  // namespace onramp::cli
