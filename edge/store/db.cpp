// The SQLite layer (edge/store/db.h): statements, connections, transactions,
// migrations, the pool and backups.
#include "edge/store/db.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace onramp {
extern const EmbeddedFile onramp_migrations[];
extern const std::size_t onramp_migrations_count;
}  // namespace onramp

namespace onramp::store {

namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
    std::string msg(what);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw DbError(rc, msg);
}

// Security: the database holds password hashes, sealed secrets and every
// client's records; other local users must not read it. SQLite creates a
// new database file 0644 (less the umask) and gives its WAL, shared-memory
// and journal files the database file's mode, so creating the file 0600
// first makes all of them owner-only. Paths SQLite treats specially
// (":memory:", "file:" URIs, "" for a temporary database) are left to it.
// An existing file is not opened: closing any descriptor of the database
// file drops every POSIX lock this process holds on it, SQLite's included
// (https://www.sqlite.org/howtocorrupt.html, section 2.2), and another
// process (`onramp-edge backup`) would then take itself for the last
// connection and delete the WAL from under the running server.
void create_owner_only(const std::string& path) {
    if (path.empty() || path[0] == ':' || path.rfind("file:", 0) == 0) return;
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) return;
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
}

}  // namespace

void restrict_to_owner(const std::string& db_path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::chmod((db_path + suffix).c_str(), 0600);
}

// --- Stmt -------------------------------------------------------------------

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
    int rc = sqlite3_prepare_v2(db, sql.data(), int(sql.size()), &st_, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, "prepare");
}

Stmt::Stmt(Db& db, std::string_view sql) : db_(db.raw()), home_(&db), sql_(sql) {
    st_ = db.take_statement(sql);
}

Stmt::~Stmt() {
    if (!home_) {
        sqlite3_finalize(st_);
        return;
    }
    // Reset before it goes idle: a statement left mid-step would hold its
    // read snapshot open, and the WAL could not be checkpointed past it.
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
    home_->keep_statement(std::move(sql_), st_);
}

Stmt& Stmt::bind(int i, std::nullptr_t) {
    sqlite3_bind_null(st_, i);
    return *this;
}
Stmt& Stmt::bind(int i, int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
}
Stmt& Stmt::bind(int i, double v) {
    sqlite3_bind_double(st_, i, v);
    return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
    sqlite3_bind_text(st_, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Stmt& Stmt::bind(int i, const std::optional<std::string>& v) {
    return v ? bind(i, std::string_view(*v)) : bind(i, nullptr);
}
Stmt& Stmt::bind_blob(int i, std::string_view v) {
    sqlite3_bind_blob(st_, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
}

bool Stmt::step() {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        constraint_ = true;
        return false;
    }
    fail(db_, rc, "step");
}

int Stmt::run() {
    while (step()) {
    }
    return constraint_ ? 0 : sqlite3_changes(db_);
}

void Stmt::reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
    constraint_ = false;
}

bool Stmt::is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
int64_t Stmt::i64(int col) const { return sqlite3_column_int64(st_, col); }
double Stmt::real(int col) const { return sqlite3_column_double(st_, col); }
std::string Stmt::text(int col) const {
    auto p = static_cast<const char*>(sqlite3_column_blob(st_, col));
    int n = sqlite3_column_bytes(st_, col);
    return p ? std::string(p, size_t(n)) : std::string();
}
std::optional<std::string> Stmt::opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
}
std::optional<int64_t> Stmt::opt_i64(int col) const {
    if (is_null(col)) return std::nullopt;
    return i64(col);
}

// --- Db ---------------------------------------------------------------------

Db::Db(const std::string& path) {
    create_owner_only(path);
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = "open " + path;
        sqlite3_close(db_);
        db_ = nullptr;
        fail(nullptr, rc, msg);
    }
    // busy_timeout: writers queue behind each other instead of failing.
    // synchronous=FULL: a commit is on disk before we acknowledge it.
    // foreign_keys: SQLite leaves them off per connection unless asked.
    // secure_delete: deleted rows (expired tokens, idempotent answers) are
    // overwritten with zeros, not left readable in free pages. Debian's
    // SQLite is built with it on; this keeps it on with any other build.
    exec("PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;");
}

Db::~Db() {
    for (auto& [sql, st] : idle_statements_) sqlite3_finalize(st);
    sqlite3_close(db_);
}

sqlite3_stmt* Db::take_statement(std::string_view sql) {
    if (auto it = idle_statements_.find(sql); it != idle_statements_.end()) {
        sqlite3_stmt* st = it->second;
        idle_statements_.erase(it);
        return st;
    }
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare");
    return st;
}

void Db::keep_statement(std::string sql, sqlite3_stmt* st) {
    // Bounded: statements built from data (IN lists, optional filters) vary,
    // and a long-lived connection must not keep every variant.
    if (idle_statements_.size() >= 128) {
        sqlite3_finalize(st);
        return;
    }
    idle_statements_.emplace(std::move(sql), st);
}

void Db::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw DbError(rc, "exec: " + msg);
    }
}

int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

// --- Tx ---------------------------------------------------------------------

Tx::Tx(Db& db) : db_(db) { Stmt(db_, "BEGIN IMMEDIATE").run(); }

Tx::~Tx() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (const DbError&) {
            // The transaction may already be gone (SQLite rolls back on some
            // errors by itself); nothing else to undo.
        }
    }
}

void Tx::commit() {
    Stmt(db_, "COMMIT").run();
    done_ = true;
}

// --- migrations -------------------------------------------------------------

std::vector<Migration> builtin_migrations() {
    std::vector<Migration> out;
    for (size_t i = 0; i < onramp_migrations_count; ++i) {
        const EmbeddedFile& f = onramp_migrations[i];
        out.push_back({std::atoi(f.name), f.name, f.text});
    }
    return out;
}

namespace {

int user_version(Db& db) {
    Stmt st(db, "PRAGMA user_version");
    return st.step() ? int(st.i64(0)) : 0;
}

}  // namespace

int migrate(Db& db, const std::vector<Migration>& migrations) {
    const int before = user_version(db);
    int version = before;
    if (migrations.empty() || migrations.back().version <= before) return before;
    Tx tx(db);
    for (const Migration& m : migrations) {
        if (m.version <= version) continue;
        db.exec(m.sql);
        version = m.version;
    }
    db.exec("PRAGMA user_version=" + std::to_string(version));
    tx.commit();
    return version;
}

// --- Store ------------------------------------------------------------------

Store::Store(const std::string& path, const std::vector<Migration>& migrations) : path_(path) {
    auto db = std::make_unique<Db>(path);
    // Files made by older versions were 0644.
    restrict_to_owner(path);
    db->exec("PRAGMA journal_mode=WAL");
    int before = user_version(*db);
    version_ = migrate(*db, migrations);
    // A migration may drop rows that must not linger (the idempotency one
    // drops plain-text answers): fold the WAL, whose frames still hold the
    // old pages, into the zeroed file and empty it. A new database has no
    // old rows, and its first start skips the two fsyncs.
    if (before != 0 && version_ != before) db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    idle_.push_back(std::move(db));
}

Lease Store::lease() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (!idle_.empty()) {
            auto db = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(db));
        }
    }
    return Lease(*this, std::make_unique<Db>(path_));
}

void Store::give_back(std::unique_ptr<Db> db) {
    std::lock_guard<std::mutex> lock(mu_);
    // Keep a bounded number of idle connections; the rest close. The bound
    // is above the request threads' peak: a connection closed and opened
    // again reads the schema and its pragmas again, and under load that
    // churn cost more than the queries.
    if (idle_.size() < 64) idle_.push_back(std::move(db));
}

void Store::checkpoint() {
    auto db = lease();
    db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Lease::~Lease() {
    if (db_) store_->give_back(std::move(db_));
}

// --- backup -----------------------------------------------------------------

void backup(const std::string& db_path, const std::string& out_path) {
    Db src(db_path);
    Db dst(out_path);
    restrict_to_owner(out_path);  // a file that was there before keeps its mode
    sqlite3_backup* b = sqlite3_backup_init(dst.raw(), "main", src.raw(), "main");
    if (!b) fail(dst.raw(), sqlite3_errcode(dst.raw()), "backup init");
    // The whole database in one step: it reads inside one transaction, and in
    // WAL mode that is a consistent snapshot that writers do not wait for.
    // Stepping in slices would let each commit by the server restart the
    // copy from the first page (https://www.sqlite.org/backup.html), so
    // under steady writes it never finished.
    int rc;
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) fail(dst.raw(), rc, "backup");
}

}  // namespace onramp::store
