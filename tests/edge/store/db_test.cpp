// Specification of the store: WAL and foreign keys on every connection,
// migrations from empty and from the previous version, transactions that
// roll back unless committed, online backup; files readable by their owner
// only.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "edge/store/db.h"
#include "edge/support/edge_process.h"
#include "edge/support/test_app.h"

using namespace onramp;
using namespace onramp::store;

namespace {

std::string pragma(Db& db, const std::string& name) {
    Stmt st(db, "PRAGMA " + name);
    REQUIRE(st.step());
    return st.text(0);
}

int64_t count(Db& db, const std::string& table) {
    Stmt st(db, "SELECT COUNT(*) FROM " + table);
    st.step();
    return st.i64(0);
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

unsigned mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE_MESSAGE(::stat(path.c_str(), &st) == 0, path);
    return unsigned(st.st_mode & 0777);
}

// Sets the process umask for one test and puts the old one back.
struct Umask {
    mode_t old;
    explicit Umask(mode_t m) : old(::umask(m)) {}
    ~Umask() { ::umask(old); }
};

}  // namespace

TEST_SUITE("store") {

TEST_CASE("the database, its WAL and shared memory, and a backup are created readable by their owner only") {
    Umask umask(022);  // the usual one, under which SQLite's default makes 0644
    testing::TempDir dir;
    std::string path = dir.path + "/onramp.db";
    Store store(path);
    {
        auto db = store.lease();
        db->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('org_1', 'x', 1, 1)");
        for (const char* file : {"", "-wal", "-shm"}) CHECK_MESSAGE(mode_of(path + file) == 0600, path << file);
    }
    backup(path, dir.path + "/copy.db");
    CHECK(mode_of(dir.path + "/copy.db") == 0600);

    // A backup over a file that was there keeps nothing of its mode.
    { std::ofstream(dir.path + "/old.db") << ""; }
    ::chmod((dir.path + "/old.db").c_str(), 0644);
    backup(path, dir.path + "/old.db");
    CHECK(mode_of(dir.path + "/old.db") == 0600);
}

TEST_CASE("a database an older version left readable by others is narrowed to its owner when opened") {
    testing::TempDir dir;
    std::string path = dir.path + "/onramp.db";
    {
        Store first(path);
        first.lease()->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('org_1', 'x', 1, 1)");
    }
    ::chmod(path.c_str(), 0644);
    Store again(path);
    CHECK(mode_of(path) == 0600);
}

TEST_CASE("upgrading removes the plain-text answers of idempotent requests from the file and its WAL") {
    testing::TempDir dir;
    std::string path = dir.path + "/onramp.db";
    auto all = builtin_migrations();
    auto sealed = std::find_if(all.begin(), all.end(),
                               [](const Migration& m) { return m.name.find("idempotency") != std::string::npos; });
    REQUIRE(sealed != all.end());
    const std::string secret = "onr_PLAINTEXT-API-KEY-MARKER-0123456789";
    {
        Store old(path, std::vector<Migration>(all.begin(), sealed));
        auto db = old.lease();
        db->write("INSERT INTO idempotency (principal, key, method, path, body_hash, status, content_type, body,"
                  " created_at) VALUES ('usr_1', 'k1', 'POST', '/api/v1/auth/api-keys', 'h', 201,"
                  " 'application/json', ?, 1)",
                  "{\"key\":\"" + secret + "\"}");
    }
    // The scan sees what the old version left, or finding nothing would prove nothing.
    REQUIRE((file_bytes(path) + file_bytes(path + "-wal")).find(secret) != std::string::npos);
    Store upgraded(path, all);
    CHECK(upgraded.schema_version() == all.back().version);
    CHECK_MESSAGE(file_bytes(path).find(secret) == std::string::npos, "the answer is still in the database file");
    CHECK_MESSAGE(file_bytes(path + "-wal").find(secret) == std::string::npos, "the answer is still in the WAL");
    auto db = upgraded.lease();
    CHECK(count(*db, "idempotency") == 0);
}


TEST_CASE("a new database is migrated to the latest version in WAL mode with foreign keys on") {
    testing::TempDir dir;
    Store store(dir.path + "/onramp.db");
    auto all = builtin_migrations();
    REQUIRE_FALSE(all.empty());
    CHECK(store.schema_version() == all.back().version);
    auto db = store.lease();
    CHECK(pragma(*db, "journal_mode") == "wal");
    CHECK(pragma(*db, "foreign_keys") == "1");
    CHECK(pragma(*db, "user_version") == std::to_string(all.back().version));
}

TEST_CASE("migrations are numbered in order without gaps") {
    auto all = builtin_migrations();
    for (size_t i = 0; i < all.size(); ++i) CHECK(all[i].version == int(i + 1));
}

TEST_CASE("upgrading from the previous version keeps the data") {
    testing::TempDir dir;
    auto all = builtin_migrations();
    std::string path = dir.path + "/onramp.db";
    {
        std::vector<Migration> older(all.begin(), all.end() - 1);
        if (older.empty()) older = {all.front()};
        Store old(path, older);
        auto db = old.lease();
        db->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('org_1', 'Kept', 1, 1)");
    }
    Store upgraded(path, all);
    CHECK(upgraded.schema_version() == all.back().version);
    auto db = upgraded.lease();
    Stmt st(*db, "SELECT name FROM orgs WHERE id = 'org_1'");
    REQUIRE(st.step());
    CHECK(st.text(0) == "Kept");
}

TEST_CASE("opening an up-to-date database applies nothing twice") {
    testing::TempDir dir;
    std::string path = dir.path + "/onramp.db";
    { Store a(path); }
    Store b(path);
    CHECK(b.schema_version() == builtin_migrations().back().version);
}

TEST_CASE("a failing migration leaves the previous version intact") {
    testing::TempDir dir;
    std::string path = dir.path + "/onramp.db";
    auto all = builtin_migrations();
    auto broken = all;
    broken.push_back({int(all.size()) + 1, "broken.sql", "CREATE TABLE ok_table (x); THIS IS NOT SQL;"});
    CHECK_THROWS_AS(Store(path, broken), DbError);
    Store store(path, all);
    auto db = store.lease();
    CHECK(pragma(*db, "user_version") == std::to_string(all.back().version));
    Stmt st(*db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ok_table'");
    st.step();
    CHECK(st.i64(0) == 0);
}

TEST_CASE("a transaction rolls back unless committed") {
    testing::TempDir dir;
    Store store(dir.path + "/onramp.db");
    auto db = store.lease();
    {
        Tx tx(*db);
        db->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('org_a', 'A', 1, 1)");
    }
    CHECK(count(*db, "orgs") == 0);
    {
        Tx tx(*db);
        db->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('org_a', 'A', 1, 1)");
        tx.commit();
    }
    CHECK(count(*db, "orgs") == 1);
}

TEST_CASE("constraints are reported as values, foreign keys are enforced") {
    testing::TempDir dir;
    Store store(dir.path + "/onramp.db");
    auto db = store.lease();
    CHECK(db->write("INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ('nope', 'nope', 'csr', 1)") == -1);
    db->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('org_a', 'A', 1, 1)");
    CHECK(db->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('org_a', 'B', 1, 1)") == -1);
}

TEST_CASE("the audit log refuses updates and deletes") {
    testing::TempDir dir;
    Store store(dir.path + "/onramp.db");
    auto db = store.lease();
    db->write("INSERT INTO audit_log (at, action) VALUES (1, 'x')");
    CHECK(db->write("UPDATE audit_log SET action = 'y'") == -1);
    CHECK(db->write("DELETE FROM audit_log") == -1);
    CHECK(count(*db, "audit_log") == 1);
}

TEST_CASE("online backup copies a database that is being written") {
    testing::TempDir dir;
    Store store(dir.path + "/onramp.db");
    {
        auto db = store.lease();
        for (int i = 0; i < 200; ++i)
            db->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES (?, 'x', 1, 1)", "org_" + std::to_string(i));
    }
    backup(dir.path + "/onramp.db", dir.path + "/copy.db");
    Db copy(dir.path + "/copy.db");
    CHECK(count(copy, "orgs") == 200);
}

TEST_CASE("opening one more connection keeps the others' locks: another process closing the database leaves the WAL") {
    testing::TempDir dir;
    std::string path = dir.path + "/onramp.db";
    Store store(path);
    auto first = store.lease();
    first->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('org_1', 'x', 1, 1)");
    auto second = store.lease();  // a new connection while the first is open
    CHECK(count(*second, "orgs") == 1);
    // Another process opens and closes the database: `onramp-edge backup`.
    // Were this process's locks gone, it would take itself for the last
    // connection and delete the WAL.
    testing::CommandResult copied = testing::run_edge({"backup", "--data", dir.path, dir.path + "/copy.tar"});
    REQUIRE_MESSAGE(copied.exit_code == 0, copied.out);
    CHECK(::access((path + "-wal").c_str(), F_OK) == 0);
    first->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('org_2', 'x', 1, 1)");
    Db reader(path);
    CHECK(count(reader, "orgs") == 2);
}

TEST_CASE("a kept statement let go mid-read does not pin its connection to an old snapshot") {
    testing::TempDir dir;
    Store store(dir.path + "/onramp.db");
    auto reader = store.lease();
    Db writer(dir.path + "/onramp.db");
    for (int i = 0; i < 3; ++i)
        writer.write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES (?, 'Org', 0, 0)", "org_" + std::to_string(i));
    {
        Stmt st(*reader, "SELECT id FROM orgs ORDER BY id");
        REQUIRE(st.step());  // one row of three, then let go
    }
    writer.write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('org_late', 'Org', 0, 0)");
    CHECK(count(*reader, "orgs") == 4);
}

TEST_CASE("the same statement borrowed twice at once gives two independent cursors") {
    testing::TempDir dir;
    Store store(dir.path + "/onramp.db");
    auto db = store.lease();
    for (int i = 0; i < 2; ++i)
        db->write("INSERT INTO orgs (id, name, created_at, updated_at) VALUES (?, 'Org', 0, 0)", "org_" + std::to_string(i));
    const char* sql = "SELECT id FROM orgs ORDER BY id";
    Stmt outer(*db, sql);
    REQUIRE(outer.step());
    CHECK(outer.text(0) == "org_0");
    {
        Stmt inner(*db, sql);
        REQUIRE(inner.step());
        CHECK(inner.text(0) == "org_0");
    }
    REQUIRE(outer.step());
    CHECK(outer.text(0) == "org_1");
    CHECK_FALSE(outer.step());
}

}  // TEST_SUITE
