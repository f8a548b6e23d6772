// `onramp-edge rotate-key --data DIR`: re-wraps every secret's data key
// under a new master key, or finishes a rotation that was interrupted.
// Safe to re-run at any point: each step is durable before the next begins
// (the state table is in edge/vault.h).
//
// Output: progress on stderr. When the key comes from ONRAMP_MASTER_KEY the
// new key is printed once on stdout as `ONRAMP_MASTER_KEY=<base64>` — the
// only output that is ever a secret — and only then removed from disk.
#include "edge/cli/commands.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "edge/cli/flags.h"
#include "edge/crypto/aead.h"
#include "edge/data_dir.h"
#include "edge/store/db.h"
#include "edge/vault.h"

namespace onramp::cli {

namespace {

const std::vector<FlagSpec> kFlags = {
    {"data", true, false, "DIR  data directory (ONRAMP_DATA; default ./data)"},
};

void report(const RotationResult& r, const std::string& dir) {
    std::fprintf(stderr, "rotate-key: master key %s -> %s: %lld secrets re-wrapped by this run%s.\n",
                 r.old_key_id.c_str(), r.new_key_id.c_str(), static_cast<long long>(r.rewrapped),
                 r.resumed ? " (continued an interrupted rotation)" : "");
    if (r.new_key_base64.empty()) {
        std::fprintf(stderr,
                     "rotate-key: done. %s/master.key now holds key %s; key %s is retired.\n"
                     "rotate-key: restart the server: a running one keeps the keys it started with.\n",
                     dir.c_str(), r.new_key_id.c_str(), r.old_key_id.c_str());
    }
}

// Prints the new environment key once, then removes its last copy on disk.
// Security: if stdout could not take it (closed pipe, full disk), the file
// stays, so the only copy of the key is never lost.
int hand_over_env_key(store::Db& db, RotationResult& r, const std::string& dir) {
    std::fflush(stderr);
    std::printf("ONRAMP_MASTER_KEY=%s\n", r.new_key_base64.c_str());
    crypto::wipe(r.new_key_base64);
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::fprintf(stderr,
                     "rotate-key: could not print the new key. It is kept in %s/master.key.next; copy it "
                     "into ONRAMP_MASTER_KEY from there, then delete that file.\n",
                     dir.c_str());
        return 1;
    }
    std::fprintf(stderr,
                 "rotate-key: done. The master key comes from ONRAMP_MASTER_KEY, so the new key (id %s) is\n"
                 "  printed above, once, and is no longer kept anywhere else. Put it in the server's\n"
                 "  environment in place of the old value before the next start: the old key (id %s) is\n"
                 "  retired and will be refused. Keep it as safe as the old one: without it no stored\n"
                 "  credential can be decrypted. A running server keeps its old keys until restarted.\n",
                 r.new_key_id.c_str(), r.old_key_id.c_str());
    Status forgotten = forget_next_key_file(db, dir);
    if (!forgotten) {
        std::fprintf(stderr, "rotate-key: %s\n", forgotten.problem().detail.c_str());
        return 1;
    }
    return 0;
}

int run(const std::string& dir) {
    std::string db_path = database_path(dir);
    struct stat st;
    // Opening a missing database would create an empty one, and with it a
    // fresh key: a mistyped --data must fail instead.
    if (::stat(db_path.c_str(), &st) != 0) {
        std::fprintf(stderr, "rotate-key: no database at %s; is --data right?\n", db_path.c_str());
        return 1;
    }
    store::Store store(db_path);
    auto db = store.lease();
    auto result = rotate_master_key(*db, dir, std::getenv("ONRAMP_MASTER_KEY"));
    if (!result) {
        std::fprintf(stderr, "rotate-key: %s\n", result.problem().detail.c_str());
        return 1;
    }
    report(*result, dir);
    if (!result->new_key_base64.empty()) return hand_over_env_key(*db, *result, dir);
    return 0;
}

}  // namespace

int rotate_key(const Args& args) {
    auto flags = parse_flags("rotate-key", kFlags, args);
    if (!flags) return 2;
    if (flags->help) {
        print_usage("rotate-key",
                    "Re-wraps every stored credential's data key under a new master key. The current key "
                    "comes from DIR/master.key or ONRAMP_MASTER_KEY. Re-run it to finish an interrupted "
                    "rotation.",
                    kFlags);
        return 0;
    }
    const char* env = std::getenv("ONRAMP_DATA");
    std::string dir = flags->get("data").value_or(env ? env : "./data");
    try {
        return run(dir);
    } catch (const std::exception& e) {
        // DbError and the like; their messages carry no secret (SQLite
        // reports statements and constraints, never bound values).
        std::fprintf(stderr, "rotate-key: failed: %s\n", e.what());
        return 1;
    }
}

}  // namespace onramp::cli
