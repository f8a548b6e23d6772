// Backup archives of a data directory, and restoring one into a new data
// directory (`onramp-edge backup` and `onramp-edge restore`).
//
// An archive is one ustar file (edge/backup/tar.h), mode 0600, holding:
//   onramp.db        the database, a snapshot taken with SQLite's online
//                    backup API while the server keeps writing
//   documents/<org_id>/<document_id>
//                    every document file a row of that snapshot names, and
//                    no other (files of uploads still in flight, or left by a
//                    crash, have no row in it)
//   master.key       only with --include-key: the vault's master key (from
//                    ONRAMP_MASTER_KEY when set, else DIR/master.key), and
//                    master.key.next when a key rotation is under way
//   manifest.json    last: format and version, created_at, the schema
//                    version, every other entry's size and SHA-256, the row
//                    count of every table, and the vault's key ids with their
//                    key check values (edge/vault.h), so a restore can tell
//                    whether the key it is given is the right one
//
// Security: without --include-key an archive holds no key material, and a
// copy of it reveals no stored credential (the vault is encrypted under the
// master key). With the key it holds everything: keep it as safe as the key.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "shared/result.h"

namespace onramp::backup {

inline constexpr int kFormatVersion = 1;

struct BackupOptions {
    std::string data_dir;
    std::string out_path;
    bool include_key = false;
    const char* env_key = nullptr;  // ONRAMP_MASTER_KEY, or null when unset
    int64_t now = 0;                // unix seconds, for created_at
};

struct BackupSummary {
    int64_t database_bytes = 0;
    int documents = 0;
    int64_t document_bytes = 0;
    bool key_included = false;
    std::string key_id;  // the vault's current key id; empty when it has none
};

// Writes the archive to out_path + ".tmp" and renames it over out_path once
// complete and synced, so out_path is never a partial archive. Fails, and
// leaves out_path as it was, when the database is missing, a document row's
// file is missing or does not match the row's size and SHA-256, or (with
// include_key) no master key can be read.
Result<BackupSummary> create_backup(const BackupOptions& options);

struct RestoreOptions {
    std::string data_dir;
    std::string in_path;
    const char* env_key = nullptr;  // ONRAMP_MASTER_KEY, or null when unset
};

struct RestoreSummary {
    std::string created_at;  // from the manifest
    std::map<std::string, int64_t> tables;
    int documents = 0;
    std::string key_id;     // the vault's current key id; empty when it has none
    bool key_restored = false;  // master.key came from the archive
    bool key_from_env = false;  // ONRAMP_MASTER_KEY was checked against the vault
};

// Restores an archive into data_dir, which must not exist or be empty.
// Everything is unpacked into a temporary sibling directory and checked
// there first: the manifest is present, every entry is listed in it with
// the same size and SHA-256 and every listed entry is present, the database
// passes PRAGMA integrity_check and has the manifest's row counts, and a
// master key that is at hand (the archive's, or ONRAMP_MASTER_KEY) matches
// the vault's key check value. Only then does it become data_dir (a
// rename), mode 0700 with files 0600. On any failure nothing is left behind
// and data_dir is as it was.
Result<RestoreSummary> restore_backup(const RestoreOptions& options);

}  // namespace onramp::backup
