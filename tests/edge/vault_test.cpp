// Specification of the credential vault (edge/vault.h) and of
// `onramp-edge rotate-key` (edge/cli/rotate_key.h). Each test works in its
// own temporary data directory, removed afterwards.
#include "edge/vault.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "edge/cli/commands.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"

using namespace onramp;

namespace {

struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/onramp-vault-XXXXXX";
        char* p = ::mkdtemp(tmpl);
        REQUIRE_MESSAGE(p != nullptr, "mkdtemp failed");
        path = p;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

template <class T>
std::string why(const Result<T>& r) {
    return r ? std::string("(ok)") : r.problem().error_code + ": " + r.problem().detail;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

unsigned file_mode(const std::string& path) {
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_mode & 0777;
}

std::string key_file_id(const std::string& path) {
    auto raw = crypto::base64_decode(read_file(path).substr(0, 44));
    REQUIRE_MESSAGE(raw.has_value(), path << " is not base64");
    return make_master_key(*raw).id;
}

void write_key_file(const std::string& path, const std::string& bytes, mode_t mode) {
    std::ofstream(path, std::ios::trunc) << crypto::base64_encode(bytes) << "\n";
    ::chmod(path.c_str(), mode);
}

// A data directory with a migrated database holding two orgs. restart()
// closes every connection and reopens, as a server restart would.
struct Fixture {
    TempDir dir;
    std::unique_ptr<store::Store> store;

    Fixture() {
        open_store();
        auto db = store->lease();
        for (const char* org : {"org_a", "org_b"}) {
            db->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES (?, ?, 0, 0)", org, org);
        }
    }
    void open_store() { store = std::make_unique<store::Store>(dir.path + "/onramp.db"); }
    void restart() {
        store.reset();
        open_store();
    }
    std::string key_path() const { return dir.path + "/master.key"; }
    std::string next_path() const { return dir.path + "/master.key.next"; }

    Result<KeyRing> open(const char* env = nullptr) {
        auto db = store->lease();
        return open_master_key(*db, dir.path, env);
    }
    Vault vault(const char* env = nullptr) {
        auto ring = open(env);
        REQUIRE_MESSAGE(ring.ok(), "open_master_key: " << why(ring));
        return Vault(ring->keys);
    }
    Result<RotationResult> rotate(const RotationOptions& options = {}, const char* env = nullptr) {
        auto db = store->lease();
        return rotate_master_key(*db, dir.path, env, options);
    }

    void put(const Vault& v, const std::string& org, const std::string& conn, const std::string& field,
             const std::string& value) {
        auto db = store->lease();
        Status s = v.put(*db, org, conn, field, value);
        REQUIRE_MESSAGE(s.ok(), "put " << org << "/" << conn << "/" << field << ": " << why(s));
    }
    Result<std::string> get(const Vault& v, const std::string& org, const std::string& conn,
                            const std::string& field) {
        auto db = store->lease();
        return v.get(*db, org, conn, field);
    }

    // Raw access to one row's columns, for tampering.
    std::string column(const char* col, const std::string& org, const std::string& conn, const std::string& field) {
        auto db = store->lease();
        store::Stmt st(*db, std::string("SELECT ") + col +
                                      " FROM vault_secrets WHERE org_id = ? AND connection_id = ? AND field = ?");
        st.bind_all(org, conn, field);
        REQUIRE_MESSAGE(st.step(), "no row " << org << "/" << conn << "/" << field);
        return st.text(0);
    }
    void set_column(const char* col, const std::string& value, const std::string& org, const std::string& conn,
                    const std::string& field) {
        auto db = store->lease();
        store::Stmt st(*db, std::string("UPDATE vault_secrets SET ") + col +
                                      " = ? WHERE org_id = ? AND connection_id = ? AND field = ?");
        st.bind_blob(1, value).bind(2, org).bind(3, conn).bind(4, field);
        REQUIRE_MESSAGE(st.run() == 1, "tampering with " << col << " changed no row");
    }
    int64_t count(const std::string& sql) {
        auto db = store->lease();
        store::Stmt st(*db, sql);
        st.step();
        return st.i64(0);
    }
};

std::string flip(std::string s, size_t i) {
    s[i] = char(s[i] ^ 0x01);
    return s;
}

std::string secret_value(int i) { return "sk_live_secret_value_" + std::to_string(i); }

void put_many(Fixture& f, const Vault& v, int n) {
    for (int i = 0; i < n; ++i) f.put(v, i % 2 ? "org_a" : "org_b", "conn_" + std::to_string(i), "api_key", secret_value(i));
}

void check_all_readable(Fixture& f, const Vault& v, int n) {
    for (int i = 0; i < n; ++i) {
        auto got = f.get(v, i % 2 ? "org_a" : "org_b", "conn_" + std::to_string(i), "api_key");
        REQUIRE_MESSAGE(got.ok(), "secret " << i << " unreadable: " << why(got));
        CHECK_MESSAGE(*got == secret_value(i), "secret " << i << " decrypted to something else");
    }
}

void check_integrity_failure(const Result<std::string>& got, const std::string& plaintext) {
    REQUIRE_MESSAGE(!got.ok(), "a tampered record decrypted");
    CHECK(got.problem().status == 500);
    CHECK_MESSAGE(got.problem().error_code == "vault_integrity", "got " << why(got));
    CHECK_MESSAGE(got.problem().detail.find(plaintext) == std::string::npos, "the problem leaks the secret");
}

void check_refused(const Result<KeyRing>& ring, const std::string& expected_words) {
    REQUIRE_MESSAGE(!ring.ok(), "the vault opened but should have refused (" << expected_words << ")");
    CHECK_MESSAGE(ring.problem().error_code == "vault_master_key", "got " << why(ring));
    CHECK_MESSAGE(ring.problem().detail.find(expected_words) != std::string::npos,
                  "expected \"" << expected_words << "\" in: " << ring.problem().detail);
}

// Redirects stdout and stderr into files while a CLI command runs.
struct Captured {
    int rc = 0;
    std::string out, err;
};

Captured run_cli(const TempDir& dir, const cli::Args& args) {
    std::string out_path = dir.path + "/cli.out", err_path = dir.path + "/cli.err";
    std::fflush(stdout);
    std::fflush(stderr);
    int saved_out = ::dup(1), saved_err = ::dup(2);
    int out_fd = ::open(out_path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    int err_fd = ::open(err_path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    Captured c;
    c.rc = cli::rotate_key(args);
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(saved_out, 1);
    ::dup2(saved_err, 2);
    for (int fd : {saved_out, saved_err, out_fd, err_fd}) ::close(fd);
    c.out = read_file(out_path);
    c.err = read_file(err_path);
    std::remove(out_path.c_str());
    std::remove(err_path.c_str());
    return c;
}

}  // namespace

// --- storing and reading ----------------------------------------------------

TEST_CASE("vault: put then get returns the stored plaintext") {
    Fixture f;
    Vault v = f.vault();
    f.put(v, "org_a", "conn_1", "api_key", "sk_live_abcdef123456");
    f.put(v, "org_a", "conn_1", "api_secret", "s3cr3t\xE2\x80\xA2 with unicode");
    f.put(v, "org_a", "conn_1", "empty", "");

    auto got = f.get(v, "org_a", "conn_1", "api_key");
    REQUIRE_MESSAGE(got.ok(), why(got));
    CHECK(*got == "sk_live_abcdef123456");
    CHECK(*f.get(v, "org_a", "conn_1", "api_secret") == "s3cr3t\xE2\x80\xA2 with unicode");
    CHECK(*f.get(v, "org_a", "conn_1", "empty") == "");

    SUBCASE("put replaces a field's value") {
        f.put(v, "org_a", "conn_1", "api_key", "sk_live_rotated_by_client");
        CHECK(*f.get(v, "org_a", "conn_1", "api_key") == "sk_live_rotated_by_client");
        CHECK(f.count("SELECT count(*) FROM vault_secrets") == 3);
    }
    SUBCASE("fields lists one connection's fields and remove deletes them") {
        auto db = f.store->lease();
        f.put(v, "org_a", "conn_2", "token", "other connection");
        CHECK(v.fields(*db, "org_a", "conn_1") == std::vector<std::string>{"api_key", "api_secret", "empty"});
        CHECK(v.remove_field(*db, "org_a", "conn_1", "empty"));
        CHECK_FALSE(v.remove_field(*db, "org_a", "conn_1", "empty"));
        CHECK(v.remove(*db, "org_a", "conn_1") == 2);
        CHECK(v.fields(*db, "org_a", "conn_1").empty());
        CHECK_MESSAGE(f.get(v, "org_a", "conn_2", "token").ok(), "remove reached another connection");
    }
}

TEST_CASE("vault: an absent secret or unknown org is not found") {
    Fixture f;
    Vault v = f.vault();
    auto got = f.get(v, "org_a", "conn_1", "api_key");
    REQUIRE_FALSE(got.ok());
    CHECK(got.problem().status == 404);
    auto db = f.store->lease();
    Status s = v.put(*db, "org_nope", "conn_1", "api_key", "value");
    REQUIRE_FALSE(s.ok());
    CHECK_MESSAGE(s.problem().status == 404, why(s));
}

TEST_CASE("vault: each put uses a fresh data key and nonce") {
    Fixture f;
    Vault v = f.vault();
    f.put(v, "org_a", "conn_1", "a", "same value");
    f.put(v, "org_a", "conn_1", "b", "same value");
    CHECK(f.column("ciphertext", "org_a", "conn_1", "a") != f.column("ciphertext", "org_a", "conn_1", "b"));
    CHECK(f.column("nonce", "org_a", "conn_1", "a") != f.column("nonce", "org_a", "conn_1", "b"));
    std::string before = f.column("wrapped_dek", "org_a", "conn_1", "a");
    f.put(v, "org_a", "conn_1", "a", "same value");
    CHECK_MESSAGE(f.column("wrapped_dek", "org_a", "conn_1", "a") != before, "an update reused the data key");
}

// --- tampering --------------------------------------------------------------

TEST_CASE("vault: tampered ciphertext fails the integrity check") {
    Fixture f;
    Vault v = f.vault();
    f.put(v, "org_a", "conn_1", "api_key", "sk_live_tamper_me_123");
    std::string ct = f.column("ciphertext", "org_a", "conn_1", "api_key");
    f.set_column("ciphertext", flip(ct, 0), "org_a", "conn_1", "api_key");
    check_integrity_failure(f.get(v, "org_a", "conn_1", "api_key"), "sk_live_tamper_me_123");
}

TEST_CASE("vault: tampered tag fails the integrity check") {
    Fixture f;
    Vault v = f.vault();
    f.put(v, "org_a", "conn_1", "api_key", "sk_live_tamper_me_123");
    std::string ct = f.column("ciphertext", "org_a", "conn_1", "api_key");
    f.set_column("ciphertext", flip(ct, ct.size() - 1), "org_a", "conn_1", "api_key");
    check_integrity_failure(f.get(v, "org_a", "conn_1", "api_key"), "sk_live_tamper_me_123");
}

TEST_CASE("vault: tampered wrapped data key or nonces fail the integrity check") {
    Fixture f;
    Vault v = f.vault();
    f.put(v, "org_a", "conn_1", "api_key", "sk_live_tamper_me_123");
    const char* column = "wrapped_dek";
    std::string value;
    SUBCASE("wrapped DEK") { column = "wrapped_dek"; }
    SUBCASE("wrapped DEK's nonce") { column = "dek_nonce"; }
    SUBCASE("value's nonce") { column = "nonce"; }
    value = f.column(column, "org_a", "conn_1", "api_key");
    f.set_column(column, flip(value, 3), "org_a", "conn_1", "api_key");
    check_integrity_failure(f.get(v, "org_a", "conn_1", "api_key"), "sk_live_tamper_me_123");
    // A nonce of the wrong length is tampering too: a problem, not a throw.
    f.set_column(column, value.substr(0, 5), "org_a", "conn_1", "api_key");
    check_integrity_failure(f.get(v, "org_a", "conn_1", "api_key"), "sk_live_tamper_me_123");
}

TEST_CASE("vault: blobs copied to another org or connection or field do not decrypt") {
    Fixture f;
    Vault v = f.vault();
    f.put(v, "org_a", "conn_1", "api_key", "sk_live_org_a_only");
    std::string org = "org_a", conn = "conn_1", field = "api_key";
    SUBCASE("another org") { org = "org_b"; }
    SUBCASE("another connection") { conn = "conn_2"; }
    SUBCASE("another field") { field = "api_secret"; }
    SUBCASE("a split that concatenates to the same bytes") {
        conn = "conn_1api";
        field = "_key";
    }
    // The attacker's own row, then the victim's blobs pasted over it.
    f.put(v, org, conn, field, "attacker value");
    for (const char* col : {"wrapped_dek", "dek_nonce", "nonce", "ciphertext"}) {
        f.set_column(col, f.column(col, "org_a", "conn_1", "api_key"), org, conn, field);
    }
    check_integrity_failure(f.get(v, org, conn, field), "sk_live_org_a_only");
    CHECK_MESSAGE(*f.get(v, "org_a", "conn_1", "api_key") == "sk_live_org_a_only", "the original stopped working");
}

// --- the master key at start ------------------------------------------------

TEST_CASE("vault: first start creates a 0600 key file and records its check value") {
    Fixture f;
    auto ring = f.open();
    REQUIRE_MESSAGE(ring.ok(), why(ring));
    REQUIRE(ring->keys.size() == 1);
    CHECK_MESSAGE(file_mode(f.key_path()) == 0600, "mode is 0" << std::oct << file_mode(f.key_path()));
    CHECK(key_file_id(f.key_path()) == ring->keys[0].id);
    CHECK(ring->keys[0].id.size() == 16);
    CHECK(ring->notice.empty());
    auto db = f.store->lease();
    store::Stmt st(*db, "SELECT key_id, kcv, state FROM vault_keys");
    REQUIRE(st.step());
    CHECK(st.text(0) == ring->keys[0].id);
    CHECK(st.text(1) == key_check_value(ring->keys[0].bytes));
    CHECK(st.text(2) == "current");
    CHECK_FALSE(st.step());

    auto again = f.open();
    REQUIRE_MESSAGE(again.ok(), why(again));
    CHECK_MESSAGE(again->keys[0].id == ring->keys[0].id, "a second start used another key");
}

TEST_CASE("vault: a wrong master key is refused at start") {
    Fixture f;
    Vault v = f.vault();
    f.put(v, "org_a", "conn_1", "api_key", "sk_live_abc12345");
    std::string right_id = v.key_id();
    write_key_file(f.key_path(), crypto::random_bytes(32), 0600);
    std::string wrong = read_file(f.key_path());
    f.restart();
    auto ring = f.open();
    check_refused(ring, "wrong master key");
    CHECK_MESSAGE(ring.problem().detail.find(right_id) != std::string::npos, "the message should name the right key id");
    CHECK_MESSAGE(read_file(f.key_path()) == wrong, "the key file was changed");
}

TEST_CASE("vault: a missing key file with stored secrets is refused and no key is created") {
    Fixture f;
    Vault v = f.vault();
    f.put(v, "org_a", "conn_1", "api_key", "sk_live_abc12345");
    std::filesystem::remove(f.key_path());
    f.restart();
    check_refused(f.open(), "is missing");
    CHECK_FALSE_MESSAGE(exists(f.key_path()), "a new key file was created over existing secrets");
}

TEST_CASE("vault: a missing key file with a check value but no secrets is refused") {
    Fixture f;
    f.vault();
    std::filesystem::remove(f.key_path());
    check_refused(f.open(), "is missing");
    CHECK_FALSE(exists(f.key_path()));
}

TEST_CASE("vault: a key file readable by group or others is refused") {
    Fixture f;
    f.vault();
    for (mode_t mode : {0644, 0640, 0604, 0660}) {
        ::chmod(f.key_path().c_str(), mode);
        check_refused(f.open(), "chmod 600");
    }
    for (mode_t mode : {0600, 0400}) {
        ::chmod(f.key_path().c_str(), mode);
        auto ring = f.open();
        CHECK_MESSAGE(ring.ok(), "mode 0" << std::oct << mode << " refused: " << why(ring));
    }
}

TEST_CASE("vault: a key file that is not base64 of 32 bytes is refused") {
    Fixture f;
    for (const char* text : {"not base64 at all!", "c2hvcnQ=", ""}) {
        std::ofstream(f.key_path(), std::ios::trunc) << text;
        ::chmod(f.key_path().c_str(), 0600);
        check_refused(f.open(), "does not hold a master key");
    }
}

TEST_CASE("vault: ONRAMP_MASTER_KEY supplies the key and nothing is written to disk") {
    Fixture f;
    std::string key = crypto::base64_encode(crypto::random_bytes(32));
    Vault v = f.vault(key.c_str());
    f.put(v, "org_a", "conn_1", "api_key", "sk_live_from_env_key");
    CHECK_FALSE_MESSAGE(exists(f.key_path()), "an environment key must not be copied to a file");
    f.restart();
    Vault again = f.vault(key.c_str());
    CHECK(*f.get(again, "org_a", "conn_1", "api_key") == "sk_live_from_env_key");

    SUBCASE("another environment key is refused") {
        std::string other = crypto::base64_encode(crypto::random_bytes(32));
        check_refused(f.open(other.c_str()), "wrong master key");
    }
    SUBCASE("a malformed environment key is refused") {
        check_refused(f.open("too-short"), "ONRAMP_MASTER_KEY is not a master key");
        check_refused(f.open(""), "ONRAMP_MASTER_KEY is not a master key");
    }
    SUBCASE("no key at all is refused") {
        check_refused(f.open(nullptr), "is missing");
        CHECK_FALSE(exists(f.key_path()));
    }
    SUBCASE("a key file that disagrees with the environment is refused") {
        write_key_file(f.key_path(), crypto::random_bytes(32), 0600);
        check_refused(f.open(key.c_str()), "hold different keys");
    }
    SUBCASE("a key file that agrees with the environment is accepted") {
        write_key_file(f.key_path(), *crypto::base64_decode(key), 0600);
        auto ring = f.open(key.c_str());
        CHECK_MESSAGE(ring.ok(), why(ring));
    }
}

// --- rotation ---------------------------------------------------------------

TEST_CASE("vault: rotation re-wraps every secret under a new key file") {
    Fixture f;
    Vault v = f.vault();
    put_many(f, v, 10);
    std::string old_id = v.key_id();
    std::string old_file = read_file(f.key_path());

    RotationOptions small;
    small.batch_size = 3;
    auto r = f.rotate(small);
    REQUIRE_MESSAGE(r.ok(), why(r));
    CHECK(r->finished);
    CHECK_FALSE(r->resumed);
    CHECK(r->rewrapped == 10);
    CHECK(r->old_key_id == old_id);
    CHECK(r->new_key_id != old_id);
    CHECK_MESSAGE(r->new_key_base64.empty(), "a file key must never be printed");
    CHECK(key_file_id(f.key_path()) == r->new_key_id);
    CHECK(file_mode(f.key_path()) == 0600);
    CHECK_FALSE(exists(f.next_path()));
    CHECK(f.count("SELECT count(*) FROM vault_secrets WHERE key_id = '" + r->new_key_id + "'") == 10);
    CHECK(f.count("SELECT count(*) FROM vault_keys WHERE key_id = '" + old_id + "' AND state = 'retired'") == 1);

    f.restart();
    auto ring = f.open();
    REQUIRE_MESSAGE(ring.ok(), why(ring));
    CHECK(ring->keys.size() == 1);
    CHECK(ring->notice.empty());
    check_all_readable(f, Vault(ring->keys), 10);

    // The old key file restored from an old backup is now refused.
    std::ofstream(f.key_path(), std::ios::trunc) << old_file;
    check_refused(f.open(), "was retired by a key rotation");
}

TEST_CASE("vault: rotation with an environment key hands the new key over once") {
    Fixture f;
    std::string old_key = crypto::base64_encode(crypto::random_bytes(32));
    Vault v = f.vault(old_key.c_str());
    put_many(f, v, 5);

    auto r = f.rotate({}, old_key.c_str());
    REQUIRE_MESSAGE(r.ok(), why(r));
    CHECK(r->finished);
    REQUIRE_FALSE(r->new_key_base64.empty());
    CHECK(make_master_key(*crypto::base64_decode(r->new_key_base64)).id == r->new_key_id);
    CHECK_FALSE_MESSAGE(exists(f.key_path()), "an environment-key rotation must not create master.key");
    CHECK_MESSAGE(exists(f.next_path()), "the new key must stay on disk until it has been shown");
    {
        auto db = f.store->lease();
        Status gone = forget_next_key_file(*db, f.dir.path);
        REQUIRE_MESSAGE(gone.ok(), why(gone));
    }
    CHECK_FALSE(exists(f.next_path()));

    f.restart();
    check_refused(f.open(old_key.c_str()), "was retired by a key rotation");
    Vault rotated = f.vault(r->new_key_base64.c_str());
    CHECK(rotated.key_id() == r->new_key_id);
    check_all_readable(f, rotated, 5);
}

TEST_CASE("vault: an interrupted rotation resumes and every secret stays readable") {
    Fixture f;
    Vault old_server = f.vault();
    put_many(f, old_server, 25);
    std::string old_id = old_server.key_id();

    RotationOptions crash;
    crash.batch_size = 4;
    crash.stop_after = RotationOptions::StopAfter::batches;
    crash.batch_limit = 2;
    auto first = f.rotate(crash);
    REQUIRE_MESSAGE(first.ok(), why(first));
    CHECK_FALSE(first->finished);
    CHECK(first->rewrapped == 8);
    std::string new_id = first->new_key_id;
    CHECK(f.count("SELECT count(*) FROM vault_secrets WHERE key_id = '" + new_id + "'") == 8);
    CHECK(f.count("SELECT count(*) FROM vault_secrets WHERE key_id = '" + old_id + "'") == 17);
    CHECK(key_file_id(f.key_path()) == old_id);
    CHECK(key_file_id(f.next_path()) == new_id);

    // A server restarted now holds both keys and writes under the new one.
    f.restart();
    auto ring = f.open();
    REQUIRE_MESSAGE(ring.ok(), why(ring));
    REQUIRE(ring->keys.size() == 2);
    CHECK(ring->keys[0].id == new_id);
    CHECK_MESSAGE(ring->notice.find("in progress") != std::string::npos, "notice: " << ring->notice);
    Vault mid = Vault(ring->keys);
    check_all_readable(f, mid, 25);
    f.put(mid, "org_a", "conn_new", "api_key", "written mid-rotation");
    CHECK(f.column("key_id", "org_a", "conn_new", "api_key") == new_id);
    // A server that started before the rotation still writes under the
    // old key, which is current until the rotation finishes.
    f.put(old_server, "org_b", "conn_old", "api_key", "written by the old server");

    auto second = f.rotate();
    REQUIRE_MESSAGE(second.ok(), why(second));
    CHECK(second->finished);
    CHECK(second->resumed);
    CHECK(second->new_key_id == new_id);
    CHECK(second->rewrapped == 18);
    CHECK(f.count("SELECT count(*) FROM vault_secrets WHERE key_id <> '" + new_id + "'") == 0);
    CHECK(key_file_id(f.key_path()) == new_id);
    CHECK_FALSE(exists(f.next_path()));

    f.restart();
    Vault after = f.vault();
    check_all_readable(f, after, 25);
    CHECK(*f.get(after, "org_a", "conn_new", "api_key") == "written mid-rotation");
    CHECK(*f.get(after, "org_b", "conn_old", "api_key") == "written by the old server");
}

TEST_CASE("vault: a rotation interrupted before the database knew the new key adopts that key") {
    Fixture f;
    Vault v = f.vault();
    put_many(f, v, 3);
    RotationOptions crash;
    crash.stop_after = RotationOptions::StopAfter::next_key_written;
    auto first = f.rotate(crash);
    REQUIRE_MESSAGE(first.ok(), why(first));
    CHECK_FALSE(first->finished);
    REQUIRE(exists(f.next_path()));

    f.restart();
    auto ring = f.open();
    REQUIRE_MESSAGE(ring.ok(), why(ring));
    CHECK_MESSAGE(ring->keys.size() == 1, "an unregistered next key must not be used");
    CHECK(ring->keys[0].id == v.key_id());
    CHECK_MESSAGE(ring->notice.find("ignored") != std::string::npos, "notice: " << ring->notice);
    check_all_readable(f, Vault(ring->keys), 3);

    auto second = f.rotate();
    REQUIRE_MESSAGE(second.ok(), why(second));
    CHECK(second->finished);
    CHECK(second->resumed);
    CHECK(second->new_key_id == first->new_key_id);
    f.restart();
    check_all_readable(f, f.vault(), 3);
}

TEST_CASE("vault: a rotation interrupted after finalising installs the key on the next run") {
    Fixture f;
    Vault v = f.vault();
    put_many(f, v, 3);
    RotationOptions crash;
    crash.stop_after = RotationOptions::StopAfter::finalised;
    auto first = f.rotate(crash);
    REQUIRE_MESSAGE(first.ok(), why(first));
    CHECK_FALSE(first->finished);
    CHECK(key_file_id(f.key_path()) == v.key_id());

    f.restart();
    auto ring = f.open();
    REQUIRE_MESSAGE(ring.ok(), "the server must start from master.key.next: " << why(ring));
    REQUIRE(ring->keys.size() == 1);
    CHECK(ring->keys[0].id == first->new_key_id);
    CHECK_MESSAGE(ring->notice.find("not been installed") != std::string::npos, "notice: " << ring->notice);
    check_all_readable(f, Vault(ring->keys), 3);

    auto second = f.rotate();
    REQUIRE_MESSAGE(second.ok(), why(second));
    CHECK(second->finished);
    CHECK(second->resumed);
    CHECK(second->old_key_id == v.key_id());
    CHECK(key_file_id(f.key_path()) == first->new_key_id);
    CHECK_FALSE(exists(f.next_path()));
}

TEST_CASE("vault: a server that missed a finished rotation cannot use the retired key") {
    Fixture f;
    Vault stale = f.vault();
    f.put(stale, "org_a", "conn_1", "api_key", "sk_live_before_rotation");
    auto r = f.rotate();
    REQUIRE_MESSAGE(r.ok(), why(r));

    auto db = f.store->lease();
    Status s = stale.put(*db, "org_a", "conn_2", "api_key", "would be stranded");
    REQUIRE_FALSE_MESSAGE(s.ok(), "a write under a retired key was accepted");
    CHECK_MESSAGE(s.problem().error_code == "vault_key_retired", why(s));
    CHECK(f.count("SELECT count(*) FROM vault_secrets WHERE connection_id = 'conn_2'") == 0);
    auto got = stale.get(*db, "org_a", "conn_1", "api_key");
    REQUIRE_FALSE(got.ok());
    CHECK_MESSAGE(got.problem().error_code == "vault_key_unavailable", why(got));
}

TEST_CASE("vault: the next key file of an unfinished rotation is kept") {
    Fixture f;
    Vault v = f.vault();
    put_many(f, v, 4);
    RotationOptions crash;
    crash.batch_size = 1;
    crash.stop_after = RotationOptions::StopAfter::batches;
    crash.batch_limit = 1;
    REQUIRE(f.rotate(crash).ok());

    SUBCASE("forget_next_key_file refuses to delete it") {
        auto db = f.store->lease();
        CHECK_FALSE(forget_next_key_file(*db, f.dir.path).ok());
        CHECK(exists(f.next_path()));
    }
    SUBCASE("a start without it is refused") {
        std::filesystem::remove(f.next_path());
        f.restart();
        check_refused(f.open(), "master.key.next does not hold that key");
    }
}

TEST_CASE("vault: status reports keys and states and secret counts") {
    Fixture f;
    Vault v = f.vault();
    put_many(f, v, 6);
    RotationOptions crash;
    crash.batch_size = 2;
    crash.stop_after = RotationOptions::StopAfter::batches;
    crash.batch_limit = 1;
    auto r = f.rotate(crash);
    REQUIRE_MESSAGE(r.ok(), why(r));
    Vault mid = f.vault();
    auto db = f.store->lease();
    VaultStatus s = mid.status(*db);
    CHECK(s.secrets == 6);
    REQUIRE(s.rotating_to.has_value());
    CHECK(*s.rotating_to == r->new_key_id);
    REQUIRE(s.keys.size() == 2);
    CHECK(s.keys[0].key_id == v.key_id());
    CHECK(s.keys[0].state == "current");
    CHECK(s.keys[0].secrets == 4);
    CHECK(s.keys[0].held);
    CHECK(s.keys[1].state == "next");
    CHECK(s.keys[1].secrets == 2);
    CHECK(s.keys[1].held);
}

// --- masking and leaks ------------------------------------------------------

TEST_CASE("vault: mask_secret shows only the last four characters of long secrets") {
    const std::string dots = "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2";
    CHECK(mask_secret("sk_live_abcd1234") == dots + "1234");
    CHECK(mask_secret("12345678") == dots + "5678");
    CHECK_MESSAGE(mask_secret("1234567") == dots, "7 characters: the tail would be more than half");
    CHECK(mask_secret("abc") == dots);
    CHECK(mask_secret("") == dots);
    CHECK_MESSAGE(mask_secret("\xC3\xA4\xC3\xA4\xC3\xA4" "1234") == dots,
                  "3 two-byte characters and 4 digits are 7 characters (10 bytes): fully masked");
    CHECK(mask_secret("\xC3\xA4\xC3\xA4\xC3\xA4\xC3\xA4" "1234") == dots + "1234");
    CHECK_MESSAGE(mask_secret("passw\xC3\xB6rd_\xC3\xA4\xC3\xA4") == dots, "a non-ASCII tail stays masked");
    CHECK_MESSAGE(mask_secret("secret_value\x1b[2J") == dots, "a control character is never echoed");
}

TEST_CASE("vault: no plaintext or key reaches the database file or its WAL") {
    Fixture f;
    std::vector<std::string> plaintexts;
    for (int i = 0; i < 20; ++i) plaintexts.push_back("PLAINTEXT-MARKER-" + std::to_string(1000 + i) + "-sk_live");
    auto ring = f.open();
    REQUIRE_MESSAGE(ring.ok(), why(ring));
    std::string key_bytes = ring->keys[0].bytes;
    Vault v(ring->keys);
    for (size_t i = 0; i < plaintexts.size(); ++i) {
        f.put(v, "org_a", "conn-visible-marker", "field_" + std::to_string(i), plaintexts[i]);
    }
    auto scan = [&](const char* when) {
        std::string db = read_file(f.dir.path + "/onramp.db");
        std::string wal = read_file(f.dir.path + "/onramp.db-wal");
        std::string all = db + wal;
        // The scan must see real data, or finding nothing would prove nothing.
        CHECK_MESSAGE(all.find("conn-visible-marker") != std::string::npos, when << ": the scan sees no rows");
        for (const std::string& p : plaintexts) {
            CHECK_MESSAGE(db.find(p) == std::string::npos, when << ": plaintext in the database file: " << p);
            CHECK_MESSAGE(wal.find(p) == std::string::npos, when << ": plaintext in the WAL: " << p);
        }
        CHECK_MESSAGE(all.find("PLAINTEXT-MARKER") == std::string::npos, when << ": a plaintext fragment leaked");
        CHECK_MESSAGE(all.find(key_bytes) == std::string::npos, when << ": the master key is in the database");
        CHECK_MESSAGE(all.find(crypto::base64_encode(key_bytes)) == std::string::npos,
                      when << ": the base64 master key is in the database");
        return wal.size();
    };
    CHECK_MESSAGE(scan("before checkpoint") > 0, "the WAL was empty, so it was not really scanned");
    auto r = f.rotate();
    REQUIRE_MESSAGE(r.ok(), why(r));
    scan("after rotation");
    f.store->checkpoint();
    scan("after checkpoint");
}

// --- the rotate-key command -------------------------------------------------

TEST_CASE("vault: rotate-key command rotates a data directory") {
    Fixture f;
    ::unsetenv("ONRAMP_MASTER_KEY");
    Vault v = f.vault();
    put_many(f, v, 3);
    f.store.reset();

    Captured c = run_cli(f.dir, {"--data", f.dir.path});
    CHECK_MESSAGE(c.rc == 0, "stderr: " << c.err);
    CHECK_MESSAGE(c.out.empty(), "a file key rotation must print nothing on stdout, got: " << c.out);
    CHECK_MESSAGE(c.err.find("done") != std::string::npos, "stderr: " << c.err);
    CHECK(key_file_id(f.key_path()) != v.key_id());
    f.open_store();
    check_all_readable(f, f.vault(), 3);

    CHECK(run_cli(f.dir, {"--help"}).rc == 0);
    CHECK(run_cli(f.dir, {"--data"}).rc == 2);
    CHECK(run_cli(f.dir, {"--data", f.dir.path, "--bogus"}).rc == 2);
    Captured missing = run_cli(f.dir, {"--data", f.dir.path + "/nowhere"});
    CHECK(missing.rc == 1);
    CHECK_MESSAGE(missing.err.find("no database") != std::string::npos, "stderr: " << missing.err);
}

TEST_CASE("vault: rotate-key with an environment key prints the new key once") {
    Fixture f;
    std::string old_key = crypto::base64_encode(crypto::random_bytes(32));
    Vault v = f.vault(old_key.c_str());
    put_many(f, v, 3);
    f.store.reset();

    ::setenv("ONRAMP_MASTER_KEY", old_key.c_str(), 1);
    Captured c = run_cli(f.dir, {"--data=" + f.dir.path});
    ::unsetenv("ONRAMP_MASTER_KEY");
    CHECK_MESSAGE(c.rc == 0, "stderr: " << c.err);
    REQUIRE_MESSAGE(c.out.rfind("ONRAMP_MASTER_KEY=", 0) == 0, "stdout: " << c.out);
    std::string new_key = c.out.substr(18, c.out.find('\n') - 18);
    CHECK_MESSAGE(c.out == "ONRAMP_MASTER_KEY=" + new_key + "\n", "stdout must hold the key line only");
    CHECK_MESSAGE(c.err.find("printed above, once") != std::string::npos, "stderr: " << c.err);
    CHECK_MESSAGE(c.err.find(new_key) == std::string::npos, "the key leaked into stderr");
    CHECK_FALSE_MESSAGE(exists(f.next_path()), "the printed key must not stay on disk");
    CHECK_FALSE(exists(f.key_path()));

    f.open_store();
    check_refused(f.open(old_key.c_str()), "was retired");
    check_all_readable(f, f.vault(new_key.c_str()), 3);
}
