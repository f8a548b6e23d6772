// onramp-edge backup: one archive of a data directory — a consistent copy
// of the live database (SQLite online backup, taken while the server keeps
// running), the document files it references, a manifest, and with
// --include-key the master key. The format is in edge/backup/archive.h.
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "edge/backup/archive.h"
#include "edge/cli/commands.h"
#include "edge/cli/flags.h"

namespace onramp::cli {

namespace {

const std::vector<FlagSpec> kFlags = {
    {"data", true, false, "DIR  data directory of the running edge (ONRAMP_DATA; default ./data)"},
    {"include-key", false, false,
     "also archive the master key (ONRAMP_MASTER_KEY, else DIR/master.key): the archive then decrypts "
     "every credential; keep it as safe as the key"},
};

}  // namespace

int backup(const Args& args) {
    auto flags = parse_flags("backup", kFlags, args, 1);
    if (!flags) return 2;
    if (flags->help) {
        print_usage("backup OUT",
                    "Writes one archive (tar, mode 0600) of the data directory to OUT: the live database, "
                    "its documents and a manifest; restore it with 'onramp-edge restore'.",
                    kFlags);
        return 0;
    }
    if (flags->positional.size() != 1) {
        std::fprintf(stderr, "onramp-edge backup: name the output file: onramp-edge backup --data DIR OUT\n");
        return 2;
    }
    const char* env = std::getenv("ONRAMP_DATA");
    backup::BackupOptions o;
    o.data_dir = flags->get("data").value_or(env ? env : "./data");
    o.out_path = flags->positional[0];
    o.include_key = flags->has("include-key");
    o.env_key = std::getenv("ONRAMP_MASTER_KEY");
    o.now = int64_t(std::time(nullptr));
    auto done = backup::create_backup(o);
    if (!done) {
        std::fprintf(stderr, "onramp-edge backup: %s\n", done.problem().detail.c_str());
        return 1;
    }
    std::printf("backed up %s to %s: database %lld bytes, %d documents (%lld bytes)\n", o.data_dir.c_str(),
                o.out_path.c_str(), static_cast<long long>(done->database_bytes), done->documents,
                static_cast<long long>(done->document_bytes));
    if (done->key_included) {
        std::printf("the archive holds the master key (key id %s): keep it as safe as the key itself\n",
                    done->key_id.c_str());
    } else if (!done->key_id.empty()) {
        std::printf("the archive holds no master key: keep the key (id %s) safe apart from it; without it no "
                    "stored credential can be decrypted\n",
                    done->key_id.c_str());
    }
    return 0;
}

}  // namespace onramp::cli
