// The credential vault; the design and the rotation state table are in
// vault.h.
//
// [SECTION] Encodings: AADs, key ids
// [SECTION] Key files and ONRAMP_MASTER_KEY
// [SECTION] vault_keys
// [SECTION] open_master_key
// [SECTION] Vault
// [SECTION] Rotation
// [SECTION] mask_secret
#include "edge/vault.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "edge/auth/two_factor.h"
#include "edge/crypto/aead.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"

namespace onramp {

namespace {

constexpr size_t kKeySize = 32;
constexpr char kRunRotate[] = "onramp-edge rotate-key --data ";

int64_t now_seconds() { return int64_t(std::time(nullptr)); }

std::string key_path(const std::string& dir) { return dir + "/master.key"; }
std::string next_path(const std::string& dir) { return dir + "/master.key.next"; }
std::string tmp_path(const std::string& dir) { return dir + "/master.key.tmp"; }

// Every refusal to start is one problem code, so the serve command and the
// tests can tell it from a database failure; the detail is for the operator.
Problem refuse(std::string detail) {
    Problem p = internal_error(std::move(detail));
    p.error_code = "vault_master_key";
    p.title = "Master key refused";
    return p;
}

Problem integrity_failure() {
    Problem p = internal_error(
        "A stored credential failed its integrity check: the record was altered, moved from another "
        "record, or encrypted under another master key. It cannot be read; enter it again.");
    p.error_code = "vault_integrity";
    return p;
}

// --- [SECTION] Encodings: AADs, key ids -----------------------------------

// Appends a 4-byte big-endian length, then the bytes. Security: plain
// concatenation is ambiguous — ("ab","c") and ("a","bc") would share an AAD,
// letting a ciphertext authenticate under a different (org, connection,
// field) split.
void append_part(std::string& out, std::string_view part) {
    uint32_t n = uint32_t(part.size());
    out += char(n >> 24);
    out += char(n >> 16);
    out += char(n >> 8);
    out += char(n);
    out += part;
}

// AAD of a secret's value. Security: binds the ciphertext to its row, so
// blobs copied to another org, connection or field fail authentication.
std::string value_aad(std::string_view org_id, std::string_view connection_id, std::string_view field) {
    std::string aad;
    append_part(aad, "onramp-vault-value-v1");
    append_part(aad, org_id);
    append_part(aad, connection_id);
    append_part(aad, field);
    return aad;
}

// AAD of a wrapped DEK: the row again, and the id of the wrapping key, so a
// DEK cannot be passed off as wrapped by another key or for another row.
std::string dek_aad(std::string_view key_id, std::string_view org_id, std::string_view connection_id,
                    std::string_view field) {
    std::string aad;
    append_part(aad, "onramp-vault-dek-v1");
    append_part(aad, key_id);
    append_part(aad, org_id);
    append_part(aad, connection_id);
    append_part(aad, field);
    return aad;
}

struct Wrapped {
    std::string dek;  // the wrapped (encrypted) DEK, tag included
    std::string nonce;
};

Wrapped wrap_dek(const MasterKey& key, std::string_view dek, std::string_view org_id,
                 std::string_view connection_id, std::string_view field) {
    Wrapped w;
    w.nonce = crypto::random_bytes(crypto::kAeadNonceSize);
    w.dek = crypto::aead_seal(key.bytes, w.nonce, dek, dek_aad(key.id, org_id, connection_id, field));
    return w;
}

// aead_open for bytes read from the database: a nonce or key of the wrong
// length is tampering, not a programming error, so it fails like a bad tag.
std::optional<std::string> open_stored(std::string_view key, std::string_view nonce, std::string_view sealed,
                                       std::string_view aad) {
    if (key.size() != crypto::kAeadKeySize || nonce.size() != crypto::kAeadNonceSize) return std::nullopt;
    return crypto::aead_open(key, nonce, sealed, aad);
}

bool kcv_matches(std::string_view stored_kcv, const MasterKey& key) {
    return crypto::constant_time_equal(stored_kcv, key_check_value(key.bytes));
}

// --- [SECTION] Key files and ONRAMP_MASTER_KEY ----------------------------

struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

std::string errno_text() { return std::strerror(errno); }

std::string octal_mode(mode_t mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0%03o", unsigned(mode & 0777));
    return buf;
}

// Decodes base64 text holding 32 key bytes; wipes what it copied.
std::optional<MasterKey> decode_key(std::string_view text) {
    while (!text.empty() && std::strchr(" \t\r\n", text.back())) text.remove_suffix(1);
    while (!text.empty() && std::strchr(" \t\r\n", text.front())) text.remove_prefix(1);
    std::optional<std::string> raw = crypto::base64_decode(text);
    if (!raw) return std::nullopt;
    if (raw->size() != kKeySize) {
        crypto::wipe(*raw);
        return std::nullopt;
    }
    return make_master_key(std::move(*raw));
}

// Reads a key file; nullopt (not a problem) when it does not exist.
// Security: a key file that group or others can read has leaked to every
// account on the host, so it is refused rather than used. The mode is
// checked with fstat on the open descriptor, not by path, so the file
// cannot be swapped between check and read. O_NONBLOCK: a FIFO planted
// under the name must not hang the start (fstat then rejects it).
Result<std::optional<MasterKey>> read_key_file(const std::string& path) {
    Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
    if (f.fd < 0) {
        if (errno == ENOENT) return std::optional<MasterKey>();
        return refuse("Cannot read " + path + ": " + errno_text() + ".");
    }
    struct stat st;
    if (::fstat(f.fd, &st) != 0) return refuse("Cannot inspect " + path + ": " + errno_text() + ".");
    if (!S_ISREG(st.st_mode)) return refuse(path + " is not a regular file.");
    if (st.st_mode & 077) {
        return refuse(path + " has mode " + octal_mode(st.st_mode) +
                      ": a master key file must be readable by its owner only. Refusing to start. "
                      "Fix it with: chmod 600 " + path);
    }
    std::string text(256, '\0');
    size_t got = 0;
    while (got < text.size()) {
        ssize_t n = ::read(f.fd, text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            crypto::wipe(text);
            return refuse("Cannot read " + path + ": " + errno_text() + ".");
        }
        if (n == 0) break;
        got += size_t(n);
    }
    std::optional<MasterKey> key;
    if (got < text.size()) key = decode_key(std::string_view(text).substr(0, got));
    crypto::wipe(text);
    if (!key) {
        return refuse(path + " does not hold a master key: expected one line of base64 encoding 32 bytes.");
    }
    return std::optional<MasterKey>(std::move(*key));
}

Result<MasterKey> parse_env_key(const char* value) {
    std::optional<MasterKey> key = decode_key(value);
    if (!key) {
        return refuse(
            "ONRAMP_MASTER_KEY is not a master key: expected base64 of 32 random bytes "
            "(for example from `openssl rand -base64 32`). Refusing to start.");
    }
    return std::move(*key);
}

// fsync on the directory makes a create, link, rename or unlink in it
// durable; without it a power cut can undo a rename that already returned.
Status sync_dir(const std::string& dir) {
    Fd f{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (f.fd < 0 || ::fsync(f.fd) != 0) return refuse("Cannot sync directory " + dir + ": " + errno_text() + ".");
    return ok_status();
}

Status write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return refuse("Cannot write a key file: " + errno_text() + ".");
        data.remove_prefix(size_t(n));
    }
    return ok_status();
}

// Writes a key to `path`, which must not exist yet: the bytes go to a
// temporary file (mode 0600 from creation, never wider), are fsynced, and
// only then appear under the final name via link(2), which — unlike rename —
// refuses to replace an existing file. Security: a key file is never
// silently overwritten, and a crash never leaves a half-written one.
Status write_new_key_file(const std::string& dir, const std::string& path, const MasterKey& key) {
    std::string tmp = tmp_path(dir);
    std::string text = crypto::base64_encode(key.bytes) + "\n";
    Status written = ok_status();
    {
        Fd f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600)};
        if (f.fd < 0) {
            crypto::wipe(text);
            return refuse("Cannot create " + tmp + ": " + errno_text() + ".");
        }
        // A leftover temporary file keeps its old mode through O_CREAT.
        if (::fchmod(f.fd, 0600) != 0) written = refuse("Cannot chmod " + tmp + ": " + errno_text() + ".");
        if (written) written = write_all(f.fd, text);
        if (written && ::fsync(f.fd) != 0) written = refuse("Cannot sync " + tmp + ": " + errno_text() + ".");
    }
    crypto::wipe(text);
    if (written && ::link(tmp.c_str(), path.c_str()) != 0) {
        written = refuse("Cannot create " + path + ": " + errno_text() + ".");
    }
    ::unlink(tmp.c_str());
    if (!written) return written;
    return sync_dir(dir);
}

// Where the keys of a start come from. primary is ONRAMP_MASTER_KEY when
// set, else DIR/master.key; next is DIR/master.key.next (a rotation's).
struct KeySources {
    std::optional<MasterKey> primary;
    std::string source;  // for messages: "ONRAMP_MASTER_KEY" or the file's path
    bool from_env = false;
    std::optional<MasterKey> next;
};

Result<KeySources> load_sources(const std::string& dir, const char* env_value) {
    KeySources src;
    auto file = read_key_file(key_path(dir));
    if (!file) return file.problem();
    if (env_value) {
        auto env = parse_env_key(env_value);
        if (!env) return env.problem();
        // Two sources that disagree leave it to chance which one protects
        // new secrets; one source of truth only.
        if (file.value() && file.value()->id != env->id) {
            return refuse("ONRAMP_MASTER_KEY (key id " + env->id + ") and " + key_path(dir) + " (key id " +
                          file.value()->id + ") hold different keys. Refusing to start: keep only the right one.");
        }
        src.primary = std::move(*env);
        src.source = "ONRAMP_MASTER_KEY";
        src.from_env = true;
    } else {
        src.primary = std::move(file.value());
        src.source = key_path(dir);
    }
    auto next = read_key_file(next_path(dir));
    if (!next) return next.problem();
    src.next = std::move(next.value());
    return src;
}

// --- [SECTION] vault_keys -------------------------------------------------

struct StoredKey {
    std::string id;
    std::string kcv;
    std::string state;
    int64_t created_at = 0;
    std::optional<int64_t> retired_at;
};

std::vector<StoredKey> stored_keys(store::Db& db) {
    store::Stmt st(db,
                   "SELECT key_id, kcv, state, created_at, retired_at FROM vault_keys "
                   "ORDER BY created_at, rowid");
    std::vector<StoredKey> out;
    while (st.step()) {
        StoredKey k{st.text(0), st.text(1), st.text(2), st.i64(3), std::nullopt};
        if (!st.is_null(4)) k.retired_at = st.i64(4);
        out.push_back(std::move(k));
    }
    return out;
}

const StoredKey* find_state(const std::vector<StoredKey>& keys, std::string_view state) {
    for (const StoredKey& k : keys)
        if (k.state == state) return &k;
    return nullptr;
}

const StoredKey* find_id(const std::vector<StoredKey>& keys, std::string_view id) {
    for (const StoredKey& k : keys)
        if (k.id == id) return &k;
    return nullptr;
}

int64_t count_secrets(store::Db& db) {
    store::Stmt st(db, "SELECT count(*) FROM vault_secrets");
    st.step();
    return st.i64(0);
}

int64_t count_secrets_under(store::Db& db, std::string_view key_id) {
    store::Stmt st(db, "SELECT count(*) FROM vault_secrets WHERE key_id = ?");
    st.bind(1, key_id);
    st.step();
    return st.i64(0);
}

std::vector<std::string> secret_key_ids(store::Db& db) {
    store::Stmt st(db, "SELECT DISTINCT key_id FROM vault_secrets");
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
}

// Records a key's KCV. With only_if_empty the insert happens only in a
// vault with no key yet, so two first starts racing cannot both register.
bool register_key(store::Db& db, const MasterKey& key, std::string_view state, bool only_if_empty) {
    std::string sql =
        "INSERT INTO vault_keys (key_id, kcv, state, created_at) SELECT ?, ?, ?, ? WHERE ";
    sql += only_if_empty ? "NOT EXISTS (SELECT 1 FROM vault_keys)" : "true";
    store::Stmt st(db, sql);
    st.bind(1, key.id).bind_blob(2, key_check_value(key.bytes)).bind(3, state).bind(4, now_seconds());
    return st.run() == 1;
}

// --- [SECTION] open_master_key --------------------------------------------

// A vault with no key yet gets one: ONRAMP_MASTER_KEY's, an existing key
// file's, or a new DIR/master.key. Security: never when secrets exist —
// they were written under some key, and a new one cannot read them.
Status ensure_first_key(store::Db& db, const std::string& dir, KeySources& src) {
    if (!stored_keys(db).empty()) return ok_status();
    int64_t n = count_secrets(db);
    if (n > 0) {
        return refuse("The vault holds " + std::to_string(n) +
                      " secrets but no key check value: the database was edited or is damaged. Refusing to "
                      "start rather than guess a key. Restore the database from a backup.");
    }
    if (!src.primary) {
        MasterKey key = make_master_key(crypto::random_bytes(kKeySize));
        Status written = write_new_key_file(dir, key_path(dir), key);
        if (!written) return written;
        src.primary = std::move(key);
    }
    register_key(db, *src.primary, "current", true);
    return ok_status();
}

// The problem for a key the vault needs but no source supplied.
Problem missing_key(store::Db& db, const std::string& dir, const KeySources& src,
                    const std::vector<StoredKey>& stored, const StoredKey& needed) {
    std::string id = needed.id;
    std::string count = std::to_string(count_secrets_under(db, id));
    if (needed.state == "next") {
        return refuse("A master key rotation to key id " + id + " is in progress, but " + next_path(dir) +
                      " does not hold that key; " + count +
                      " secrets are already wrapped under it. Refusing to start. Restore that file from "
                      "a backup, then run `" + kRunRotate + dir + "`.");
    }
    if (needed.state == "current" && !src.primary) {
        return refuse(key_path(dir) + " is missing and ONRAMP_MASTER_KEY is not set, but the vault already "
                      "has a master key (key id " + id + ", protecting " + count +
                      " secrets). Refusing to start: a new key could not read them. Restore master.key "
                      "from your backup (mode 0600) or set ONRAMP_MASTER_KEY.");
    }
    if (needed.state == "current") {
        const StoredKey* row = find_id(stored, src.primary->id);
        std::string was = row && row->state == "retired" ? " was retired by a key rotation" : " is not current";
        return refuse("The master key from " + src.source + " (key id " + src.primary->id + ")" + was +
                      "; the vault's current key id is " + id + ", protecting " + count +
                      " secrets. Refusing to start. Supply the current key (the one rotate-key wrote to " +
                      key_path(dir) + " or printed for ONRAMP_MASTER_KEY).");
    }
    return refuse(count + " stored secrets are wrapped under key id " + id + " (" + needed.state +
                  "), which no key source holds. Refusing to start. Restore the database or the key.");
}

// What to tell the operator about a rotation left half done.
std::string rotation_notice(const std::string& dir, const KeySources& src, const StoredKey& current,
                            const StoredKey* next, const std::vector<StoredKey>& stored) {
    std::string finish = " Run `" + std::string(kRunRotate) + dir + "` to finish it.";
    if (next) {
        return "A master key rotation to key id " + next->id +
               " is in progress; serving with both keys and wrapping new secrets under the new one." + finish;
    }
    if (!src.next) return "";
    if (src.next->id == current.id) {
        return "A master key rotation finished in the database, but " + next_path(dir) +
               " has not been installed yet." + finish;
    }
    if (!find_id(stored, src.next->id)) {
        return next_path(dir) + " holds a key the vault does not use yet (a rotation stopped before it "
               "began); it is ignored." + finish;
    }
    return next_path(dir) + " holds a retired key and is ignored; delete it.";
}

// Checks every supplied key against its KCV and demands every key that
// the vault's state or a stored row names.
Result<KeyRing> assemble_ring(store::Db& db, const std::string& dir, const KeySources& src) {
    std::vector<StoredKey> stored = stored_keys(db);
    const StoredKey* current = find_state(stored, "current");
    const StoredKey* next = find_state(stored, "next");
    if (!current) {
        return refuse("The vault has key check values but no current key: the database was edited or is "
                      "damaged. Refusing to start. Restore it from a backup.");
    }
    std::vector<MasterKey> held;
    if (src.primary) {
        const StoredKey* row = find_id(stored, src.primary->id);
        if (!row || !kcv_matches(row->kcv, *src.primary)) {
            return refuse("The master key from " + src.source + " (key id " + src.primary->id +
                          ") is not this vault's key: its current key id is " + current->id + ", protecting " +
                          std::to_string(count_secrets_under(db, current->id)) +
                          " secrets. Refusing to start with a wrong master key; supply the right one.");
        }
        if (row->state != "retired") held.push_back(*src.primary);
    }
    if (src.next) {
        const StoredKey* row = find_id(stored, src.next->id);
        if (row && !kcv_matches(row->kcv, *src.next)) {
            return refuse(next_path(dir) + " does not match its key check value. Refusing to start.");
        }
        bool already = !held.empty() && held.front().id == src.next->id;
        if (row && row->state != "retired" && !already) held.push_back(*src.next);
    }
    std::vector<std::string> needed = secret_key_ids(db);
    needed.push_back(current->id);
    if (next) needed.push_back(next->id);
    for (const std::string& id : needed) {
        bool have = std::any_of(held.begin(), held.end(), [&](const MasterKey& k) { return k.id == id; });
        if (have) continue;
        const StoredKey* row = find_id(stored, id);
        if (!row) return refuse("Stored secrets name key id " + id + ", which the vault does not know. Refusing to start.");
        return missing_key(db, dir, src, stored, *row);
    }
    // The key new secrets go under comes first: mid-rotation, the new one.
    const std::string& write_id = next ? next->id : current->id;
    std::stable_partition(held.begin(), held.end(), [&](const MasterKey& k) { return k.id == write_id; });
    KeyRing ring;
    ring.keys = std::move(held);
    ring.notice = rotation_notice(dir, src, *current, next, stored);
    return ring;
}

}  // namespace

MasterKey::~MasterKey() { crypto::wipe(bytes); }

std::string key_check_value(std::string_view master) { return crypto::hmac_sha256(master, "onramp-kcv"); }

MasterKey make_master_key(std::string bytes) {
    MasterKey key;
    key.id = crypto::hex_encode(crypto::sha256(key_check_value(bytes)).substr(0, 8));
    key.bytes = std::move(bytes);
    return key;
}

Result<KeyRing> open_master_key(store::Db& db, const std::string& data_dir, const char* env_value) {
    auto src = load_sources(data_dir, env_value);
    if (!src) return src.problem();
    Status first = ensure_first_key(db, data_dir, src.value());
    if (!first) return first.problem();
    return assemble_ring(db, data_dir, src.value());
}

// --- [SECTION] Vault ------------------------------------------------------

Vault::Vault(std::vector<MasterKey> keys) : keys_(std::move(keys)) {
    if (keys_.empty()) throw std::invalid_argument("Vault needs at least one master key");
}

const MasterKey* Vault::find(std::string_view key_id) const {
    for (const MasterKey& k : keys_)
        if (k.id == key_id) return &k;
    return nullptr;
}

Status Vault::put(store::Db& db, std::string_view org_id, std::string_view connection_id,
                  std::string_view field, std::string_view plaintext) const {
    const MasterKey& key = keys_.front();
    std::string dek = crypto::random_bytes(crypto::kAeadKeySize);
    std::string nonce = crypto::random_bytes(crypto::kAeadNonceSize);
    std::string ciphertext = crypto::aead_seal(dek, nonce, plaintext, value_aad(org_id, connection_id, field));
    Wrapped wrapped = wrap_dek(key, dek, org_id, connection_id, field);
    crypto::wipe(dek);
    // One statement, so it can join the caller's transaction: the row is
    // written only while its key is current or next. Security: a server
    // that missed a finished rotation must not write under the retired key
    // — nothing would hold that key for long, and the secret would be lost.
    store::Stmt st(db,
                   "INSERT INTO vault_secrets (org_id, connection_id, field, key_id, wrapped_dek, dek_nonce, "
                   "nonce, ciphertext, created_at, updated_at) "
                   "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9 WHERE EXISTS "
                   "(SELECT 1 FROM vault_keys WHERE key_id = ?4 AND state IN ('current', 'next')) "
                   "ON CONFLICT (org_id, connection_id, field) DO UPDATE SET key_id = excluded.key_id, "
                   "wrapped_dek = excluded.wrapped_dek, dek_nonce = excluded.dek_nonce, nonce = excluded.nonce, "
                   "ciphertext = excluded.ciphertext, updated_at = excluded.updated_at");
    st.bind(1, org_id).bind(2, connection_id).bind(3, field).bind(4, key.id);
    st.bind_blob(5, wrapped.dek).bind_blob(6, wrapped.nonce).bind_blob(7, nonce).bind_blob(8, ciphertext);
    st.bind(9, now_seconds());
    int changed = st.run();
    if (st.constraint_failed()) return not_found("No such organization.");
    if (changed == 0) {
        Problem p = internal_error("This server's master key (key id " + key.id +
                                   ") was retired by a key rotation; restart the server with the new key.");
        p.error_code = "vault_key_retired";
        return p;
    }
    return ok_status();
}

Result<std::string> Vault::get(store::Db& db, std::string_view org_id, std::string_view connection_id,
                               std::string_view field) const {
    store::Stmt st(db,
                   "SELECT key_id, wrapped_dek, dek_nonce, nonce, ciphertext FROM vault_secrets "
                   "WHERE org_id = ? AND connection_id = ? AND field = ?");
    st.bind_all(org_id, connection_id, field);
    if (!st.step()) return not_found("No stored credential for this field.");
    std::string key_id = st.text(0);
    const MasterKey* key = find(key_id);
    if (!key) {
        Problem p = internal_error("The credential is wrapped under master key id " + key_id +
                                   ", which this server does not hold; restart it after a key rotation.");
        p.error_code = "vault_key_unavailable";
        return p;
    }
    std::optional<std::string> dek =
        open_stored(key->bytes, st.text(2), st.text(1), dek_aad(key_id, org_id, connection_id, field));
    if (!dek) return integrity_failure();
    std::optional<std::string> plaintext =
        open_stored(*dek, st.text(3), st.text(4), value_aad(org_id, connection_id, field));
    crypto::wipe(*dek);
    if (!plaintext) return integrity_failure();
    return std::move(*plaintext);
}

std::vector<std::string> Vault::fields(store::Db& db, std::string_view org_id,
                                       std::string_view connection_id) const {
    store::Stmt st(db,
                   "SELECT field FROM vault_secrets WHERE org_id = ? AND connection_id = ? ORDER BY field");
    st.bind_all(org_id, connection_id);
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.text(0));
    return out;
}

bool Vault::remove_field(store::Db& db, std::string_view org_id, std::string_view connection_id,
                         std::string_view field) const {
    return db.write("DELETE FROM vault_secrets WHERE org_id = ? AND connection_id = ? AND field = ?", org_id,
                    connection_id, field) > 0;
}

int Vault::remove(store::Db& db, std::string_view org_id, std::string_view connection_id) const {
    return db.write("DELETE FROM vault_secrets WHERE org_id = ? AND connection_id = ?", org_id, connection_id);
}

// Blob layout: key id (16 hex) | DEK nonce | wrapped DEK (with tag) |
// value nonce | ciphertext (with tag). The AADs are a vault_secrets row's
// with org_id "": no row has that org (it references orgs), so a detached
// blob never authenticates as a stored secret or the other way round.
constexpr size_t kKeyIdSize = 16;
constexpr size_t kWrappedDekSize = crypto::kAeadKeySize + crypto::kAeadTagSize;
constexpr char kDetached[] = "detached";

std::string Vault::seal(std::string_view context, std::string_view plaintext) const {
    const MasterKey& key = keys_.front();
    std::string dek = crypto::random_bytes(crypto::kAeadKeySize);
    std::string nonce = crypto::random_bytes(crypto::kAeadNonceSize);
    std::string ciphertext = crypto::aead_seal(dek, nonce, plaintext, value_aad("", kDetached, context));
    Wrapped wrapped = wrap_dek(key, dek, "", kDetached, context);
    crypto::wipe(dek);
    return key.id + wrapped.nonce + wrapped.dek + nonce + ciphertext;
}

Result<std::string> Vault::open(std::string_view context, std::string_view sealed) const {
    size_t head = kKeyIdSize + crypto::kAeadNonceSize + kWrappedDekSize + crypto::kAeadNonceSize;
    if (sealed.size() < head + crypto::kAeadTagSize) return integrity_failure();
    std::string key_id(sealed.substr(0, kKeyIdSize));
    const MasterKey* key = find(key_id);
    if (!key) {
        Problem p = internal_error("The value is wrapped under master key id " + key_id +
                                   ", which this server does not hold.");
        p.error_code = "vault_key_unavailable";
        return p;
    }
    std::string_view rest = sealed.substr(kKeyIdSize);
    std::optional<std::string> dek = open_stored(key->bytes, rest.substr(0, crypto::kAeadNonceSize),
                                                 rest.substr(crypto::kAeadNonceSize, kWrappedDekSize),
                                                 dek_aad(key_id, "", kDetached, context));
    if (!dek) return integrity_failure();
    rest = rest.substr(crypto::kAeadNonceSize + kWrappedDekSize);
    std::optional<std::string> plaintext = open_stored(*dek, rest.substr(0, crypto::kAeadNonceSize),
                                                       rest.substr(crypto::kAeadNonceSize),
                                                       value_aad("", kDetached, context));
    crypto::wipe(*dek);
    if (!plaintext) return integrity_failure();
    return std::move(*plaintext);
}

VaultStatus Vault::status(store::Db& db) const {
    VaultStatus out;
    for (StoredKey& k : stored_keys(db)) {
        VaultKeyStatus s;
        s.secrets = count_secrets_under(db, k.id);
        s.held = find(k.id) != nullptr;
        s.key_id = std::move(k.id);
        s.state = std::move(k.state);
        s.created_at = k.created_at;
        s.retired_at = k.retired_at;
        if (s.state == "next") out.rotating_to = s.key_id;
        out.secrets += s.secrets;
        out.keys.push_back(std::move(s));
    }
    return out;
}

// --- [SECTION] Rotation ---------------------------------------------------

namespace {

const MasterKey* find_key(const std::vector<MasterKey>& keys, std::string_view id) {
    for (const MasterKey& k : keys)
        if (k.id == id) return &k;
    return nullptr;
}

struct RowRef {
    std::string org_id, connection_id, field, key_id, wrapped_dek, dek_nonce;
};

// S2 -> S2: re-wraps up to `limit` rows not yet under `target`, in one
// transaction, so a crash loses at most this batch's work and never leaves
// a row half updated. Returns how many rows it re-wrapped (0: none left).
// Only the DEK changes; the value's ciphertext is untouched.
Result<int> rewrap_batch(store::Db& db, const std::vector<MasterKey>& keys, const MasterKey& target, int limit) {
    store::Tx tx(db);
    std::vector<RowRef> rows;
    {
        store::Stmt st(db,
                       "SELECT org_id, connection_id, field, key_id, wrapped_dek, dek_nonce FROM vault_secrets "
                       "WHERE key_id <> ? LIMIT ?");
        st.bind(1, target.id).bind(2, limit);
        while (st.step()) rows.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
    }
    store::Stmt update(db,
                       "UPDATE vault_secrets SET key_id = ?, wrapped_dek = ?, dek_nonce = ? "
                       "WHERE org_id = ? AND connection_id = ? AND field = ? AND key_id = ?");
    for (const RowRef& r : rows) {
        std::string where = " (org " + r.org_id + ", connection " + r.connection_id + ", field " + r.field + ")";
        const MasterKey* old = find_key(keys, r.key_id);
        if (!old) return refuse("A secret" + where + " is under key id " + r.key_id + ", which is not held.");
        std::optional<std::string> dek =
            open_stored(old->bytes, r.dek_nonce, r.wrapped_dek, dek_aad(old->id, r.org_id, r.connection_id, r.field));
        if (!dek) {
            return refuse("A secret" + where +
                          " failed its integrity check, so its data key cannot be re-wrapped. Rotation "
                          "stopped; delete or re-enter that credential, then run rotate-key again.");
        }
        Wrapped w = wrap_dek(target, *dek, r.org_id, r.connection_id, r.field);
        crypto::wipe(*dek);
        update.reset();
        update.bind(1, target.id).bind_blob(2, w.dek).bind_blob(3, w.nonce);
        update.bind(4, r.org_id).bind(5, r.connection_id).bind(6, r.field).bind(7, r.key_id);
        // Inside BEGIN IMMEDIATE nobody else can touch the row, so anything
        // but one change means the target key is not registered.
        if (update.run() != 1) return refuse("Re-wrapping a secret" + where + " failed; rotation stopped.");
    }
    tx.commit();
    return int(rows.size());
}

// S2 -> S3, only once no row is left under another key: the old key is
// retired and the new one made current in one transaction. A server still
// writing under the old key is stopped by put's state check from here on.
//
// In the same transaction the sealed values that live as long as their
// row, TOTP secrets (table user_totp, edge/auth/two_factor.h), are opened
// and sealed again under the target: unlike the mail queue's bodies and
// idempotent answers (Vault::seal) they outlive a rotation, and under a
// retired key they would open no more. One that does not open now is left
// as it is.
bool finalise(store::Db& db, const std::vector<MasterKey>& keys, const MasterKey& target) {
    store::Tx tx(db);
    store::Stmt left(db, "SELECT count(*) FROM vault_secrets WHERE key_id <> ?");
    left.bind(1, target.id);
    left.step();
    if (left.i64(0) > 0) return false;
    Vault from(keys), to({target});
    std::vector<std::pair<std::string, std::string>> resealed;
    {
        store::Stmt st(db, "SELECT user_id, sealed_secret FROM user_totp");
        while (st.step()) {
            std::string sealed = st.text(1), context = auth::totp_seal_context(st.text(0));
            if (sealed.compare(0, target.id.size(), target.id) == 0) continue;
            auto secret = from.open(context, sealed);
            if (!secret) continue;
            resealed.emplace_back(st.text(0), to.seal(context, *secret));
            crypto::wipe(*secret);
        }
    }
    for (const auto& [user_id, sealed] : resealed) {
        store::Stmt update(db, "UPDATE user_totp SET sealed_secret = ? WHERE user_id = ?");
        update.bind_blob(1, sealed).bind(2, user_id).run();
    }
    const std::string& target_id = target.id;
    db.write("UPDATE vault_keys SET state = 'retired', retired_at = ? WHERE state = 'current'", now_seconds());
    db.write("UPDATE vault_keys SET state = 'current' WHERE key_id = ? AND state = 'next'", target_id);
    tx.commit();
    return true;
}

// S3 -> S0. With a key file, rename(2) replaces it atomically: at every
// instant master.key holds the old or the new key, never neither. With an
// environment key the new key is handed to the caller to print; the .next
// file stays until forget_next_key_file.
Status install_next(const std::string& dir, const KeySources& src, const MasterKey& target, RotationResult& out) {
    bool has_file = ::access(key_path(dir).c_str(), F_OK) == 0;
    if (!src.from_env || has_file) {
        if (::rename(next_path(dir).c_str(), key_path(dir).c_str()) != 0) {
            return refuse("Cannot rename " + next_path(dir) + " to " + key_path(dir) + ": " + errno_text() + ".");
        }
        Status synced = sync_dir(dir);
        if (!synced) return synced;
    }
    if (src.from_env) out.new_key_base64 = crypto::base64_encode(target.bytes);
    out.finished = true;
    return ok_status();
}

// The unique index on vault_keys(state) lets only one 'next' key exist.
Problem concurrent_rotation() {
    return refuse("Another rotate-key registered a different next key at the same time. Run rotate-key "
                  "again, once, to finish that rotation.");
}

std::string last_retired(const std::vector<StoredKey>& stored) {
    const StoredKey* last = nullptr;
    for (const StoredKey& k : stored)
        if (k.state == "retired" && (!last || k.retired_at > last->retired_at)) last = &k;
    return last ? last->id : "";
}

}  // namespace

Result<RotationResult> rotate_master_key(store::Db& db, const std::string& data_dir, const char* env_value,
                                         const RotationOptions& options) {
    using Stop = RotationOptions::StopAfter;
    auto ring = open_master_key(db, data_dir, env_value);
    if (!ring) return ring.problem();
    auto src = load_sources(data_dir, env_value);
    if (!src) return src.problem();
    std::vector<StoredKey> stored = stored_keys(db);
    const StoredKey* current = find_state(stored, "current");
    const StoredKey* next = find_state(stored, "next");
    std::vector<MasterKey> keys = ring->keys;
    RotationResult out;
    out.old_key_id = current->id;
    MasterKey target;
    if (next) {
        // S2: continue re-wrapping; open_master_key made sure we hold it.
        out.resumed = true;
        target = *find_key(keys, next->id);
    } else if (src->next && src->next->id == current->id) {
        // S3: finalised, not installed.
        out.resumed = true;
        out.old_key_id = last_retired(stored);
        out.new_key_id = current->id;
        Status installed = install_next(data_dir, *src, *src->next, out);
        if (!installed) return installed.problem();
        return out;
    } else if (src->next) {
        // S1: the key file was written but never registered; no row uses
        // it, so it can be adopted.
        if (find_id(stored, src->next->id)) {
            return refuse(next_path(data_dir) + " holds a retired key (id " + src->next->id +
                          "). Delete it, then run rotate-key again.");
        }
        out.resumed = true;
        target = *src->next;
        if (!register_key(db, target, "next", false)) return concurrent_rotation();
    } else {
        // S0: begin. The key reaches the disk before the database names
        // it, so no row is ever wrapped under a key that could be lost.
        target = make_master_key(crypto::random_bytes(kKeySize));
        Status written = write_new_key_file(data_dir, next_path(data_dir), target);
        if (!written) return written.problem();
        out.new_key_id = target.id;
        if (options.stop_after == Stop::next_key_written) return out;
        if (!register_key(db, target, "next", false)) return concurrent_rotation();
    }
    out.new_key_id = target.id;
    if (!find_key(keys, target.id)) keys.push_back(target);
    int batches = 0;
    for (;;) {
        auto n = rewrap_batch(db, keys, target, std::max(1, options.batch_size));
        if (!n) return n.problem();
        if (*n > 0) {
            out.rewrapped += *n;
            ++batches;
            if (options.stop_after == Stop::batches && batches >= options.batch_limit) return out;
            continue;
        }
        // Rows written under the old key by a server that started before
        // the rotation make finalise decline; re-wrap them and try again.
        if (finalise(db, keys, target)) break;
    }
    if (options.stop_after == Stop::finalised) return out;
    Status installed = install_next(data_dir, *src, target, out);
    if (!installed) return installed.problem();
    return out;
}

Status forget_next_key_file(store::Db& db, const std::string& data_dir) {
    auto next = read_key_file(next_path(data_dir));
    if (!next) return next.problem();
    if (!next.value()) return ok_status();
    // Security: deleting the .next of an unfinished rotation would destroy
    // the only copy of a key that secrets are already wrapped under.
    std::vector<StoredKey> stored = stored_keys(db);
    const StoredKey* current = find_state(stored, "current");
    if (!current || current->id != next.value()->id) {
        return refuse(next_path(data_dir) + " belongs to an unfinished rotation; it was not deleted.");
    }
    if (::unlink(next_path(data_dir).c_str()) != 0) {
        return refuse("Cannot delete " + next_path(data_dir) + ": " + errno_text() + ".");
    }
    return sync_dir(data_dir);
}

// --- [SECTION] mask_secret ------------------------------------------------

std::string mask_secret(std::string_view secret) {
    const std::string dots = "\u2022\u2022\u2022\u2022";
    auto is_continuation = [](char c) { return (uint8_t(c) & 0xC0) == 0x80; };
    size_t chars = size_t(std::count_if(secret.begin(), secret.end(), [&](char c) { return !is_continuation(c); }));
    if (chars < 8) return dots;
    std::string_view tail = secret.substr(secret.size() - 4);
    // Security: the tail is echoed into pages and terminals; only printable
    // ASCII is shown, so no control byte (terminal escape) or broken UTF-8
    // sequence rides along. Other tails stay fully masked.
    bool printable = std::all_of(tail.begin(), tail.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    return printable ? dots + std::string(tail) : dots;
}

}  // namespace onramp
