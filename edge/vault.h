// The credential vault: other companies' API keys and passwords, stored so
// that a copy of the database alone reveals none of them.
//
// Envelope encryption (AES-256-GCM, edge/crypto/aead.h):
//   - each secret gets its own random 256-bit data key (DEK) and 96-bit
//     nonce; the DEK encrypts the value once and is never reused;
//   - the DEK is wrapped (encrypted) by the master key with its own nonce;
//   - both AADs are a length-prefixed encoding of (org_id, connection_id,
//     field) — the wrap's also of the master key id — so a row's blobs moved
//     to another row or field fail authentication instead of decrypting.
//
// The master key (32 bytes) comes from ONRAMP_MASTER_KEY (base64) or from
// DIR/master.key (base64, mode 0600, created at first start). It is never
// stored in the database; vault_keys holds, per key, a key check value
// KCV = HMAC-SHA256(master, "onramp-kcv") and a key id = hex of the first 8
// bytes of SHA-256(KCV). Security: a server started with a missing or
// different key refuses to start (a new key over existing secrets would
// make every credential unreadable, and writing under it would split the
// vault between two keys).
//
// Rotation (rotate_master_key, `onramp-edge rotate-key`) re-wraps every DEK
// under a new key; values are not re-encrypted. It is a state machine whose
// every state survives a crash:
//
//   S0 idle --write master.key.next--> S1 --DB: key 'next'--> S2 rotating
//   S2 --re-wrap a batch (one tx)--> S2 ... --DB: next->current, old retired--> S3
//   S3 --rename(2) master.key.next over master.key (or, env key: print it)--> S0
//
//   state  files                          vault_keys              performed by
//   S0     master.key=A                   A current               begin_rotation
//   S1     master.key=A, .next=B          A current               register_next
//   S2     master.key=A, .next=B          A current, B next       rewrap_batch
//   S3     master.key=A, .next=B          B current, A retired    install_next
//
// A server (re)started in any state holds every key a row may name: in S2
// it reads both files and wraps new secrets under B; in S1 it ignores the
// unregistered .next; in S3 it serves with .next alone. Re-running
// rotate-key continues from whatever state it finds.
//
// Secrets never appear in problems, exceptions or logs; show them masked
// (mask_secret). Plaintext and key buffers are wiped after use where the
// code owns them; a caller of Vault::get should crypto::wipe the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edge/store/db.h"
#include "shared/result.h"

namespace onramp {

struct MasterKey {
    std::string id;     // 16 hex digits; safe to print and to store
    std::string bytes;  // 32 secret bytes

    MasterKey() = default;
    MasterKey(const MasterKey&) = default;
    MasterKey(MasterKey&&) = default;
    MasterKey& operator=(const MasterKey&) = default;
    MasterKey& operator=(MasterKey&&) = default;
    ~MasterKey();  // wipes bytes
};

// Derives the id of 32 key bytes. The bytes move into the result.
MasterKey make_master_key(std::string bytes);
// HMAC-SHA256(master, "onramp-kcv"): proves a key is the right one without
// revealing it.
std::string key_check_value(std::string_view master);

struct KeyRing {
    std::vector<MasterKey> keys;  // keys[0] wraps new secrets
    std::string notice;           // non-empty: tell the operator (interrupted rotation)
};

// Loads the master key(s) for a server start and checks them against the
// KCVs in the database. Creates DIR/master.key (mode 0600) only when the
// vault has neither secrets nor a KCV and no key was supplied. Fails, with
// a problem whose detail tells the operator what to do, when: the key is
// wrong or retired, the key file is missing while the vault has a KCV, the
// key file is readable by group or others, ONRAMP_MASTER_KEY is malformed
// or disagrees with the key file, or a rotation's next key is missing.
// env_value: the value of ONRAMP_MASTER_KEY, or null when unset.
Result<KeyRing> open_master_key(store::Db& db, const std::string& data_dir, const char* env_value);

struct VaultKeyStatus {
    std::string key_id;
    std::string state;  // current | next | retired
    int64_t created_at = 0;
    std::optional<int64_t> retired_at;
    int64_t secrets = 0;  // rows wrapped under this key
    bool held = false;    // this server has the key
};

struct VaultStatus {
    std::vector<VaultKeyStatus> keys;  // oldest first
    std::optional<std::string> rotating_to;
    int64_t secrets = 0;
};

// Reads and writes secrets with the keys of a KeyRing. Holds no connection:
// every call takes the caller's Db, so a put can join the caller's
// transaction. Thread-safe (all state is immutable after construction).
class Vault {
public:
    explicit Vault(std::vector<MasterKey> keys);  // keys[0] wraps new secrets

    const std::string& key_id() const { return keys_.front().id; }

    // Inserts or replaces one field's value under a fresh DEK. Fails when
    // this server's key was retired by a rotation it did not see (writing
    // under it would strand the secret), or when org_id names no org.
    Status put(store::Db& db, std::string_view org_id, std::string_view connection_id,
               std::string_view field, std::string_view plaintext) const;
    // 404 when absent; 500 "vault_integrity" when authentication fails
    // (tampered row, or a row moved from elsewhere); 500
    // "vault_key_unavailable" when the row's key is not held.
    Result<std::string> get(store::Db& db, std::string_view org_id, std::string_view connection_id,
                            std::string_view field) const;
    // Field names stored for one connection, sorted.
    std::vector<std::string> fields(store::Db& db, std::string_view org_id,
                                    std::string_view connection_id) const;
    // Deletes one field; returns whether it existed.
    bool remove_field(store::Db& db, std::string_view org_id, std::string_view connection_id,
                      std::string_view field) const;
    // Deletes every field of one connection; returns how many.
    int remove(store::Db& db, std::string_view org_id, std::string_view connection_id) const;
    // For an operator's "vault key status" view. Contains no key material.
    VaultStatus status(store::Db& db) const;

    // A secret its owner keeps in its own row rather than in vault_secrets
    // (the mail queue's bodies, edge/mail/queue.h): the same envelope (a
    // fresh DEK wrapped by the master key), returned as one opaque blob
    // that names its key id. `context` binds it to that row, as the
    // (org, connection, field) AAD binds a vault_secrets row. Rotation does
    // not re-wrap these: they are meant to live hours, and one sealed under
    // a key this server no longer holds fails to open
    // ("vault_key_unavailable") instead of being readable.
    std::string seal(std::string_view context, std::string_view plaintext) const;
    // 500 "vault_integrity" for a blob altered or moved to another context;
    // 500 "vault_key_unavailable" when its key is not held.
    Result<std::string> open(std::string_view context, std::string_view sealed) const;

private:
    const MasterKey* find(std::string_view key_id) const;
    std::vector<MasterKey> keys_;
};

struct RotationOptions {
    int batch_size = 256;  // rows re-wrapped per transaction
    // Test hook: return as if the process died right after this step.
    enum class StopAfter { nothing, next_key_written, batches, finalised };
    StopAfter stop_after = StopAfter::nothing;
    int batch_limit = 0;  // with StopAfter::batches
};

struct RotationResult {
    std::string old_key_id;
    std::string new_key_id;
    int64_t rewrapped = 0;  // rows re-wrapped by this run
    bool resumed = false;   // continued an interrupted rotation
    bool finished = false;
    // Set when the key comes from ONRAMP_MASTER_KEY and the rotation
    // finished: the new key, base64, which the operator must put in the
    // environment. It also stays in DIR/master.key.next until
    // forget_next_key_file, so a crash before it is shown loses nothing.
    std::string new_key_base64;
};

// Rotates to a new master key, or continues an interrupted rotation (see
// the state table above). Loads keys as open_master_key does.
Result<RotationResult> rotate_master_key(store::Db& db, const std::string& data_dir, const char* env_value,
                                         const RotationOptions& options = {});

// Environment-key rotations only: deletes DIR/master.key.next once the
// operator has been shown new_key_base64. Refuses while that file belongs
// to an unfinished rotation (it would be the only copy of the new key).
Status forget_next_key_file(store::Db& db, const std::string& data_dir);

// "••••1234": the last 4 characters (UTF-8 code points) of a secret of 8
// or more; just "••••" for shorter ones, where 4 would be half the secret.
std::string mask_secret(std::string_view secret);

}  // namespace onramp
