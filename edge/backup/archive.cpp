// Backup archives and restoring them (the format is in archive.h).
//
// [SECTION] Files
// [SECTION] What a snapshot holds
// [SECTION] Master keys
// [SECTION] create_backup
// [SECTION] Unpacking
// [SECTION] Checks
// [SECTION] restore_backup
#include "edge/backup/archive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "edge/api/views.h"
#include "edge/backup/tar.h"
#include "edge/crypto/aead.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/data_dir.h"
#include "edge/store/db.h"
#include "edge/vault.h"
#include "shared/json.h"
#include "shared/version.h"

namespace onramp::backup {

using nlohmann::json;

namespace {

constexpr const char* kFormat = "onramp-backup";
constexpr const char* kManifest = "manifest.json";
constexpr const char* kDatabase = "onramp.db";
constexpr const char* kKeyFile = "master.key";
constexpr const char* kNextKeyFile = "master.key.next";
constexpr size_t kMaxManifestBytes = 64 << 20;
constexpr size_t kMaxKeyFileBytes = 256;

// --- [SECTION] Files -----------------------------------------------------------

std::string errno_text() { return std::strerror(errno); }

struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

// Removes the files it names when it dies, unless released.
struct TempFiles {
    std::vector<std::string> paths;
    ~TempFiles() {
        for (const std::string& p : paths) ::unlink(p.c_str());
    }
};

// Removes a directory tree when it dies, unless released.
struct TempDir {
    std::string path;
    ~TempDir() {
        if (path.empty()) return;
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

// fsync on a directory makes a rename in it durable.
Status sync_dir(const std::string& dir) {
    Fd f(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (f.fd < 0 || ::fsync(f.fd) != 0) return internal_error("Cannot sync " + dir + ": " + errno_text() + ".");
    return ok_status();
}

std::string parent_of(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// A file created for this run only, mode 0600 whatever the umask or a
// leftover of an earlier run said.
Result<int> create_private(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return internal_error("Cannot create " + path + ": " + errno_text() + ".");
    if (::fchmod(fd, 0600) != 0) {
        ::close(fd);
        return internal_error("Cannot chmod " + path + ": " + errno_text() + ".");
    }
    return fd;
}

// Reads a small file whole; nullopt when it does not exist.
Result<std::optional<std::string>> read_small_file(const std::string& path, size_t limit) {
    Fd f(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (f.fd < 0) {
        if (errno == ENOENT) return std::optional<std::string>();
        return internal_error("Cannot read " + path + ": " + errno_text() + ".");
    }
    std::string text(limit + 1, '\0');
    size_t got = 0;
    while (got < text.size()) {
        ssize_t n = ::read(f.fd, text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return internal_error("Cannot read " + path + ": " + errno_text() + ".");
        if (n == 0) break;
        got += size_t(n);
    }
    if (got > limit) {
        crypto::wipe(text);
        return bad_request(path + " is larger than expected.");
    }
    text.resize(got);
    return std::optional<std::string>(std::move(text));
}

// Our ids are "<prefix>_<hex>": anything else in a document path is not
// ours, and must never become a path to read or write.
bool is_plain_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
    return true;
}

// "documents/<org_id>/<document_id>", both plain ids.
bool is_document_path(std::string_view path) {
    constexpr std::string_view kDir = "documents/";
    if (path.substr(0, kDir.size()) != kDir) return false;
    path.remove_prefix(kDir.size());
    auto slash = path.find('/');
    if (slash == std::string_view::npos) return false;
    return is_plain_id(path.substr(0, slash)) && is_plain_id(path.substr(slash + 1));
}

// --- [SECTION] What a snapshot holds --------------------------------------------

struct DocumentFile {
    std::string path;  // relative to the data directory
    int64_t size = 0;
    std::string sha256;
};

struct VaultKeyRow {
    std::string key_id, kcv_hex, state;
};

struct Snapshot {
    int schema_version = 0;
    std::map<std::string, int64_t> tables;
    std::vector<DocumentFile> documents;
    std::vector<VaultKeyRow> keys;
};

std::map<std::string, int64_t> count_rows(store::Db& db) {
    std::vector<std::string> names;
    {
        store::Stmt st(db.raw(),
                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                       "ORDER BY name");
        while (st.step()) names.push_back(st.text(0));
    }
    std::map<std::string, int64_t> out;
    for (const std::string& name : names) {
        std::string quoted = "\"";
        for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        store::Stmt st(db.raw(), "SELECT COUNT(*) FROM " + quoted + "\"");
        st.step();
        out[name] = st.i64(0);
    }
    return out;
}

bool has_table(const std::map<std::string, int64_t>& tables, const char* name) { return tables.count(name) > 0; }

Snapshot read_snapshot(store::Db& db) {
    Snapshot s;
    {
        store::Stmt st(db.raw(), "PRAGMA user_version");
        st.step();
        s.schema_version = int(st.i64(0));
    }
    s.tables = count_rows(db);
    if (has_table(s.tables, "documents")) {
        store::Stmt st(db.raw(), "SELECT storage_path, size, sha256 FROM documents ORDER BY storage_path");
        while (st.step()) s.documents.push_back({st.text(0), st.i64(1), st.text(2)});
    }
    if (has_table(s.tables, "vault_keys")) {
        store::Stmt st(db.raw(), "SELECT key_id, kcv, state FROM vault_keys ORDER BY created_at, rowid");
        while (st.step()) s.keys.push_back({st.text(0), crypto::hex_encode(st.text(1)), st.text(2)});
    }
    return s;
}

const VaultKeyRow* current_key(const std::vector<VaultKeyRow>& keys) {
    for (const VaultKeyRow& k : keys)
        if (k.state == "current") return &k;
    return nullptr;
}

// --- [SECTION] Master keys ------------------------------------------------------

// The key in a key file's or ONRAMP_MASTER_KEY's text: base64 of 32 bytes,
// surrounding white space allowed. Wipes what it decoded when it fails.
std::optional<MasterKey> parse_key(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    std::optional<std::string> raw = crypto::base64_decode(text);
    if (!raw) return std::nullopt;
    if (raw->size() != crypto::kAeadKeySize) {
        crypto::wipe(*raw);
        return std::nullopt;
    }
    return make_master_key(std::move(*raw));
}

// The key files an archive made with --include-key holds: the master key
// (the environment's when set: it is the one the server uses) and a
// rotation's next key. Each as a key file's text.
Result<std::vector<std::pair<std::string, std::string>>> key_files(const BackupOptions& o) {
    std::vector<std::pair<std::string, std::string>> out;
    if (o.env_key) {
        auto key = parse_key(o.env_key);
        if (!key) return bad_request("ONRAMP_MASTER_KEY is not a master key: expected base64 of 32 bytes.");
        out.emplace_back(kKeyFile, crypto::base64_encode(key->bytes) + "\n");
    } else {
        auto text = read_small_file(o.data_dir + "/" + kKeyFile, kMaxKeyFileBytes);
        if (!text) return text.problem();
        if (!*text)
            return bad_request("--include-key: there is no " + o.data_dir + "/" + kKeyFile +
                               " and ONRAMP_MASTER_KEY is not set.");
        if (!parse_key(**text)) return bad_request(o.data_dir + "/" + kKeyFile + " does not hold a master key.");
        out.emplace_back(kKeyFile, std::move(**text));
    }
    auto next = read_small_file(o.data_dir + "/" + kNextKeyFile, kMaxKeyFileBytes);
    if (!next) return next.problem();
    if (*next) out.emplace_back(kNextKeyFile, std::move(**next));
    return out;
}

// --- [SECTION] create_backup ----------------------------------------------------

// Copies the live database to `path` (SQLite online backup) and reads what
// the copy holds. The copy is switched out of WAL mode so that the archived
// file is complete on its own.
Result<Snapshot> take_snapshot(const std::string& db_path, const std::string& path) {
    auto fd = create_private(path);
    if (!fd) return fd.problem();
    ::close(*fd);
    try {
        store::backup(db_path, path);
        store::Db copy(path);
        copy.exec("PRAGMA journal_mode=DELETE");
        return read_snapshot(copy);
    } catch (const store::DbError& e) {
        return internal_error(std::string("Cannot copy the database: ") + e.what());
    }
}

Result<DocumentFile> archive_document(TarWriter& tar, const std::string& data_dir, const DocumentFile& doc) {
    if (!is_document_path(doc.path))
        return internal_error("A document row names the unexpected path " + doc.path + "; refusing to read it.");
    std::string path = data_dir + "/" + doc.path;
    Fd f(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (f.fd < 0) {
        return internal_error("The database lists the document " + doc.path + " but " + path +
                              " cannot be read (" + errno_text() + "). The data directory is damaged; the backup is "
                              "incomplete and was not written.");
    }
    struct stat st;
    if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != doc.size)
        return internal_error(path + " does not have the size its database row records; it was changed on disk.");
    auto sha = tar.add_file(doc.path, f.fd, doc.size, int64_t(st.st_mtime));
    if (!sha) return sha.problem();
    if (*sha != doc.sha256)
        return internal_error(path + " does not match the SHA-256 its database row records; it was changed on disk.");
    return doc;
}

json file_json(const std::string& path, int64_t size, const std::string& sha256) {
    return {{"path", path}, {"size", size}, {"sha256", sha256}};
}

json manifest_json(const Snapshot& snap, const json& files, const BackupOptions& o) {
    json keys = json::array();
    for (const VaultKeyRow& k : snap.keys) keys.push_back({{"key_id", k.key_id}, {"kcv", k.kcv_hex}, {"state", k.state}});
    const VaultKeyRow* current = current_key(snap.keys);
    return {{"format", kFormat},
            {"format_version", kFormatVersion},
            {"created_at", api::iso8601(o.now)},
            {"onramp_version", kVersion},
            {"schema_version", snap.schema_version},
            {"includes_master_key", o.include_key},
            {"files", files},
            {"tables", snap.tables},
            {"vault", {{"current_key_id", current ? json(current->key_id) : json(nullptr)}, {"keys", keys}}}};
}

}  // namespace

Result<BackupSummary> create_backup(const BackupOptions& o) {
    std::string db_path = database_path(o.data_dir);
    struct stat st;
    if (::stat(db_path.c_str(), &st) != 0) return bad_request("No database at " + db_path + "; is --data right?");
    std::vector<std::pair<std::string, std::string>> keys;
    if (o.include_key) {
        auto k = key_files(o);
        if (!k) return k.problem();
        keys = std::move(*k);
    }
    auto wipe_keys = [&] {
        for (auto& [name, text] : keys) crypto::wipe(text);
    };

    TempFiles temps;
    std::string snapshot_path = o.out_path + ".snapshot.tmp";
    std::string tmp_path = o.out_path + ".tmp";
    temps.paths = {snapshot_path, snapshot_path + "-journal", snapshot_path + "-wal", snapshot_path + "-shm", tmp_path};
    auto snap = take_snapshot(db_path, snapshot_path);
    if (!snap) {
        wipe_keys();
        return snap.problem();
    }

    auto out = create_private(tmp_path);
    if (!out) {
        wipe_keys();
        return out.problem();
    }
    Fd out_fd(*out);
    TarWriter tar(out_fd.fd);
    BackupSummary summary;
    json files = json::array();
    {
        Fd db(::open(snapshot_path.c_str(), O_RDONLY | O_CLOEXEC));
        struct stat dst;
        if (db.fd < 0 || ::fstat(db.fd, &dst) != 0) {
            wipe_keys();
            return internal_error("Cannot read the database copy: " + errno_text() + ".");
        }
        auto sha = tar.add_file(kDatabase, db.fd, dst.st_size, o.now);
        if (!sha) {
            wipe_keys();
            return sha.problem();
        }
        files.push_back(file_json(kDatabase, dst.st_size, *sha));
        summary.database_bytes = dst.st_size;
    }
    for (const DocumentFile& doc : snap->documents) {
        auto done = archive_document(tar, o.data_dir, doc);
        if (!done) {
            wipe_keys();
            return done.problem();
        }
        files.push_back(file_json(doc.path, doc.size, doc.sha256));
        summary.documents += 1;
        summary.document_bytes += doc.size;
    }
    for (const auto& [name, text] : keys) {
        auto sha = tar.add_bytes(name, text, o.now);
        if (!sha) {
            wipe_keys();
            return sha.problem();
        }
        files.push_back(file_json(name, int64_t(text.size()), *sha));
    }
    wipe_keys();
    auto manifest = tar.add_bytes(kManifest, manifest_json(*snap, files, o).dump(2) + "\n", o.now);
    if (!manifest) return manifest.problem();
    if (auto s = tar.finish(); !s) return s.problem();
    if (::fsync(out_fd.fd) != 0) return internal_error("Cannot sync " + tmp_path + ": " + errno_text() + ".");
    if (::rename(tmp_path.c_str(), o.out_path.c_str()) != 0)
        return internal_error("Cannot rename " + tmp_path + " to " + o.out_path + ": " + errno_text() + ".");
    temps.paths.pop_back();
    if (auto s = sync_dir(parent_of(o.out_path)); !s) return s.problem();
    summary.key_included = o.include_key;
    if (const VaultKeyRow* k = current_key(snap->keys)) summary.key_id = k->key_id;
    return summary;
}

namespace {

// --- [SECTION] Unpacking ----------------------------------------------------------

struct Unpacked {
    std::map<std::string, DocumentFile> files;  // by path; manifest.json not among them
    std::string manifest;
    bool has_manifest = false;
};

bool is_known_entry(const std::string& name) {
    return name == kDatabase || name == kKeyFile || name == kNextKeyFile || is_document_path(name);
}

Status make_dir(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
        return internal_error("Cannot create " + path + ": " + errno_text() + ".");
    return ok_status();
}

// A sink writing one entry to a new file under `root` and hashing it; the
// file is synced and closed, and its record completed, when the entry ends.
struct EntryFile {
    int fd = -1;
    crypto::Sha256 hash;
    DocumentFile* record = nullptr;
    int64_t left = 0;
    ~EntryFile() {
        if (fd >= 0) ::close(fd);
    }
};

Result<ChunkSink> open_entry(const std::string& root, const TarEntry& e, Unpacked& u) {
    if (e.name == kManifest) {
        if (u.has_manifest) return bad_request("The archive holds manifest.json twice.");
        if (e.size > int64_t(kMaxManifestBytes)) return bad_request("The archive's manifest.json is too large.");
        u.has_manifest = true;
        return ChunkSink([&u](std::string_view piece) {
            u.manifest.append(piece);
            return ok_status();
        });
    }
    if (!is_known_entry(e.name))
        return bad_request("The archive holds " + e.name + ", which is not part of a backup; refusing it.");
    if (u.files.count(e.name)) return bad_request("The archive holds " + e.name + " twice.");
    if (is_document_path(e.name)) {
        if (auto s = make_dir(root + "/documents"); !s) return s.problem();
        if (auto s = make_dir(root + "/" + parent_of(e.name)); !s) return s.problem();
    }
    std::string path = root + "/" + e.name;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return internal_error("Cannot create " + path + ": " + errno_text() + ".");
    auto file = std::make_shared<EntryFile>();
    file->fd = fd;
    file->record = &u.files[e.name];
    file->record->path = e.name;
    file->record->size = e.size;
    file->left = e.size;
    auto finish = [file, path]() -> Status {
        file->record->sha256 = crypto::hex_encode(file->hash.finish());
        bool synced = ::fsync(file->fd) == 0;
        bool closed = ::close(file->fd) == 0;
        file->fd = -1;
        if (!synced || !closed) return internal_error("Cannot write " + path + ": " + errno_text() + ".");
        return ok_status();
    };
    if (e.size == 0) {
        if (auto s = finish(); !s) return s.problem();
        return ChunkSink([](std::string_view) { return ok_status(); });
    }
    return ChunkSink([file, finish](std::string_view piece) -> Status {
        file->hash.update(piece);
        if (auto s = write_all(file->fd, piece); !s) return s;
        file->left -= int64_t(piece.size());
        return file->left == 0 ? finish() : ok_status();
    });
}

// --- [SECTION] Checks ------------------------------------------------------------

Result<json> parse_manifest(const Unpacked& u) {
    if (!u.has_manifest) return bad_request("The archive has no manifest.json: it is not a backup archive, or it is incomplete.");
    // An archive is outside input: its manifest goes through the parser's
    // limits, its strings bounded only by its own size.
    JsonLimits limits;
    limits.max_string_bytes = u.manifest.size();
    auto parsed = parse_json(u.manifest, limits);
    if (!parsed || !parsed->is_object() || parsed->value("format", "") != kFormat)
        return bad_request("The archive's manifest.json is not an Onramp backup manifest.");
    json m = std::move(*parsed);
    if (!m["format_version"].is_number_integer() || m["format_version"].get<int>() != kFormatVersion)
        return bad_request("The archive's format version is not one this onramp-edge reads (it reads " +
                           std::to_string(kFormatVersion) + ").");
    if (!m["files"].is_array() || !m["tables"].is_object() || !m["vault"].is_object())
        return bad_request("The archive's manifest.json is incomplete.");
    return m;
}

// Every entry listed with its size and SHA-256, and every listed one there.
Status check_files(const json& manifest, const Unpacked& u) {
    std::set<std::string> listed;
    for (const json& f : manifest["files"]) {
        if (!f.is_object() || !f["path"].is_string() || !f["size"].is_number_integer() || !f["sha256"].is_string())
            return bad_request("The archive's manifest.json lists a file badly.");
        std::string path = f["path"];
        listed.insert(path);
        auto it = u.files.find(path);
        if (it == u.files.end()) return bad_request("The archive is missing " + path + ", which its manifest lists.");
        if (it->second.size != f["size"].get<int64_t>() || it->second.sha256 != f["sha256"].get<std::string>())
            return bad_request(path + " in the archive does not match its SHA-256 in the manifest: the archive is "
                               "damaged or was altered.");
    }
    for (const auto& [path, file] : u.files)
        if (!listed.count(path)) return bad_request("The archive holds " + path + ", which its manifest does not list.");
    if (!u.files.count(kDatabase)) return bad_request("The archive holds no database.");
    return ok_status();
}

Status check_database(const std::string& path, const json& manifest, std::map<std::string, int64_t>& tables) {
    try {
        store::Db db(path);
        {
            store::Stmt st(db.raw(), "PRAGMA integrity_check");
            std::string verdict = st.step() ? st.text(0) : "";
            if (verdict != "ok") return bad_request("The archived database fails PRAGMA integrity_check: " + verdict);
        }
        tables = count_rows(db);
    } catch (const store::DbError& e) {
        return bad_request(std::string("The archived database cannot be read: ") + e.what());
    }
    std::map<std::string, int64_t> listed;
    for (const auto& [name, count] : manifest["tables"].items())
        listed[name] = count.is_number_integer() ? count.get<int64_t>() : -1;
    if (listed != tables)
        return bad_request("The archived database's row counts differ from its manifest's: the archive was altered.");
    return ok_status();
}

struct KeyCheck {
    std::string current_id;
    bool from_archive = false, from_env = false;
};

// Finds a key's row in the manifest and checks its KCV.
Status check_key(const json& keys, const MasterKey& key, const std::string& source) {
    std::string kcv = crypto::hex_encode(key_check_value(key.bytes));
    for (const json& k : keys)
        if (k.value("key_id", "") == key.id && crypto::constant_time_equal(k.value("kcv", ""), kcv)) return ok_status();
    return bad_request("The master key from " + source + " (key id " + key.id +
                       ") is not this backup's vault key; it would not decrypt the stored credentials.");
}

// Every key at hand must be one of the vault's, and one of them its
// current key; with none at hand the operator is told what to provide.
Result<KeyCheck> check_keys(const std::string& root, const json& manifest, const char* env_key) {
    KeyCheck out;
    const json& vault = manifest["vault"];
    json keys = vault.value("keys", json::array());
    if (vault["current_key_id"].is_string()) out.current_id = vault["current_key_id"];
    std::vector<std::pair<MasterKey, std::string>> held;
    for (const char* name : {kKeyFile, kNextKeyFile}) {
        auto text = read_small_file(root + "/" + name, kMaxKeyFileBytes);
        if (!text) return text.problem();
        if (!*text) continue;
        auto key = parse_key(**text);
        crypto::wipe(**text);
        if (!key) return bad_request(std::string("The archive's ") + name + " does not hold a master key.");
        held.emplace_back(std::move(*key), std::string("the archive's ") + name);
        out.from_archive = true;
    }
    if (env_key) {
        auto key = parse_key(env_key);
        if (!key) return bad_request("ONRAMP_MASTER_KEY is not a master key: expected base64 of 32 bytes.");
        if (out.from_archive && held.front().first.id != key->id)
            return bad_request("ONRAMP_MASTER_KEY (key id " + key->id + ") and the archive's master.key (key id " +
                               held.front().first.id + ") differ; the server would refuse to start. Unset one.");
        held.emplace_back(std::move(*key), "ONRAMP_MASTER_KEY");
        out.from_env = true;
    }
    if (out.current_id.empty()) return out;
    bool current_held = false;
    for (const auto& [key, source] : held) {
        if (auto s = check_key(keys, key, source); !s) return s.problem();
        current_held = current_held || key.id == out.current_id;
    }
    if (!held.empty() && !current_held)
        return bad_request("No master key at hand is the vault's current key (key id " + out.current_id + ").");
    return out;
}

// --- [SECTION] restore_backup -------------------------------------------------------

// Empty or missing is fine; anything in it is someone's data.
Status check_target(const std::string& dir) {
    struct stat st;
    if (::lstat(dir.c_str(), &st) != 0) {
        if (errno == ENOENT) return ok_status();
        return bad_request("Cannot inspect " + dir + ": " + errno_text() + ".");
    }
    if (!S_ISDIR(st.st_mode)) return bad_request(dir + " exists and is not a directory; restore into a new directory.");
    std::error_code ec;
    if (!std::filesystem::is_empty(dir, ec) || ec)
        return bad_request(dir + " is not empty; restore only into a new or empty directory. Nothing was changed.");
    return ok_status();
}

std::string without_trailing_slashes(std::string dir) {
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    return dir;
}

}  // namespace

Result<RestoreSummary> restore_backup(const RestoreOptions& o) {
    std::string dir = without_trailing_slashes(o.data_dir);
    if (dir.empty()) return bad_request("No data directory given (--data DIR or ONRAMP_DATA).");
    if (auto s = check_target(dir); !s) return s.problem();
    Fd in(::open(o.in_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.fd < 0) return bad_request("Cannot read " + o.in_path + ": " + errno_text() + ".");

    std::string pattern = dir + ".restore-XXXXXX";
    if (!::mkdtemp(pattern.data()))
        return bad_request("Cannot create a directory beside " + dir + ": " + errno_text() + ".");
    TempDir staging{pattern};

    Unpacked u;
    Status read = read_tar(in.fd, [&](const TarEntry& e) { return open_entry(staging.path, e, u); });
    if (!read) return read.problem();
    auto manifest = parse_manifest(u);
    if (!manifest) return manifest.problem();
    if (auto s = check_files(*manifest, u); !s) return s.problem();
    RestoreSummary summary;
    if (auto s = check_database(staging.path + "/" + kDatabase, *manifest, summary.tables); !s) return s.problem();
    auto keys = check_keys(staging.path, *manifest, o.env_key);
    if (!keys) return keys.problem();

    // The target may have appeared, or filled, while the archive was read.
    // rename(2) replaces an empty directory in one step.
    if (auto s = check_target(dir); !s) return s.problem();
    if (::rename(staging.path.c_str(), dir.c_str()) != 0)
        return internal_error("Cannot move the restored data to " + dir + ": " + errno_text() + ".");
    staging.path.clear();
    if (auto s = sync_dir(parent_of(dir)); !s) return s.problem();

    summary.created_at = manifest->value("created_at", "");
    for (const auto& [path, file] : u.files) summary.documents += is_document_path(path) ? 1 : 0;
    summary.key_id = keys->current_id;
    summary.key_restored = keys->from_archive;
    summary.key_from_env = keys->from_env;
    return summary;
}

}  // namespace onramp::backup
