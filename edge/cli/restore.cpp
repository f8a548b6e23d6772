// onramp-edge restore: unpacks an archive made by `onramp-edge backup` into
// a new data directory, after checking every byte of it (the checks are in
// edge/backup/archive.h). Refuses a directory that holds anything.
#include <cstdio>
#include <cstdlib>

#include "edge/backup/archive.h"
#include "edge/cli/commands.h"
#include "edge/cli/flags.h"

namespace onramp::cli {

namespace {

const std::vector<FlagSpec> kFlags = {
    {"data", true, false, "DIR  new or empty data directory to restore into (ONRAMP_DATA; default ./data)"},
};

void report_key(const backup::RestoreSummary& r, const std::string& dir) {
    if (r.key_id.empty()) return;
    if (r.key_restored) {
        std::printf("master key (key id %s) restored to %s/master.key\n", r.key_id.c_str(), dir.c_str());
    } else if (r.key_from_env) {
        std::printf("ONRAMP_MASTER_KEY is the vault's key (key id %s)\n", r.key_id.c_str());
    } else {
        std::printf(
            "the archive holds no master key: before starting the server, provide the vault's key (key id %s)\n"
            "  as ONRAMP_MASTER_KEY or in %s/master.key (mode 0600). Without it the server refuses to start\n"
            "  and no stored credential can be decrypted.\n",
            r.key_id.c_str(), dir.c_str());
    }
}

}  // namespace

int restore(const Args& args) {
    auto flags = parse_flags("restore", kFlags, args, 1);
    if (!flags) return 2;
    if (flags->help) {
        print_usage("restore IN",
                    "Restores an archive written by 'onramp-edge backup' into a new or empty data directory, "
                    "after checking its manifest, every file's SHA-256, the database's integrity and the "
                    "master key.",
                    kFlags);
        return 0;
    }
    if (flags->positional.size() != 1) {
        std::fprintf(stderr, "onramp-edge restore: name the archive: onramp-edge restore --data DIR IN\n");
        return 2;
    }
    const char* env = std::getenv("ONRAMP_DATA");
    backup::RestoreOptions o;
    o.data_dir = flags->get("data").value_or(env ? env : "./data");
    o.in_path = flags->positional[0];
    o.env_key = std::getenv("ONRAMP_MASTER_KEY");
    auto done = backup::restore_backup(o);
    if (!done) {
        std::fprintf(stderr, "onramp-edge restore: %s\n", done.problem().detail.c_str());
        return 1;
    }
    int64_t rows = 0;
    for (const auto& [table, count] : done->tables) rows += count;
    std::printf("restored %s (made %s) into %s: %zu tables, %lld rows, %d documents\n", o.in_path.c_str(),
                done->created_at.c_str(), o.data_dir.c_str(), done->tables.size(), static_cast<long long>(rows),
                done->documents);
    report_key(*done, o.data_dir);
    return 0;
}

}  // namespace onramp::cli
