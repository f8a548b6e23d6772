// A thin RAII layer over SQLite: connections, prepared statements,
// transactions, and a small pool so that request threads never share one
// connection (a connection's transaction state is per connection, so
// sharing one between threads would interleave their transactions).
//
// Failure policy: SQLite failures that mean the disk or the schema is
// broken (I/O error, corrupt file, a statement that does not prepare) throw
// DbError; the HTTP layer turns that into a 500 problem in one place.
// Outcomes a caller expects (no row, a duplicate key it checks for) are
// ordinary return values.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "edge/store/embedded.h"

namespace onramp::store {

struct DbError : std::runtime_error {
    int code;
    DbError(int code, const std::string& what) : std::runtime_error(what), code(code) {}
};

class Db;

class Stmt {
public:
    // Prepared from the connection's cache of idle statements, and given
    // back to it (reset) when this dies: most statements here are small, and
    // preparing one cost more than running it.
    Stmt(Db& db, std::string_view sql);
    // Prepared for this use only (statements a connection runs once).
    Stmt(sqlite3* db, std::string_view sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    // Binding is 1-based, as in SQLite.
    Stmt& bind(int i, std::nullptr_t);
    Stmt& bind(int i, int64_t v);
    Stmt& bind(int i, int v) { return bind(i, int64_t(v)); }
    Stmt& bind(int i, bool v) { return bind(i, int64_t(v)); }
    Stmt& bind(int i, double v);
    Stmt& bind(int i, std::string_view v);
    Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, const std::optional<std::string>& v);
    Stmt& bind_blob(int i, std::string_view v);
    template <class... A>
    Stmt& bind_all(A&&... args) {
        int i = 0;
        (bind(++i, std::forward<A>(args)), ...);
        return *this;
    }

    // Returns true when a row is available; false when done. Throws DbError
    // on failure, except SQLITE_CONSTRAINT which sets constraint_failed().
    bool step();
    // Runs to completion; returns the number of rows changed.
    int run();
    void reset();

    bool constraint_failed() const { return constraint_; }
    int columns() const { return sqlite3_column_count(st_); }
    bool is_null(int col) const;
    int64_t i64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::optional<std::string> opt_text(int col) const;
    std::optional<int64_t> opt_i64(int col) const;

private:
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
    bool constraint_ = false;
    Db* home_ = nullptr;  // the cache it goes back to, if any
    std::string sql_;     // its key there
};

class Db {
public:
    // Opens (creating if needed) and applies the connection pragmas.
    explicit Db(const std::string& path);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(std::string_view sql);
    int64_t last_insert_rowid() const;
    sqlite3* raw() { return db_; }

    // Shorthand for single-statement writes: returns rows changed, or -1 when
    // a constraint (unique, foreign key, check) rejected the write.
    template <class... A>
    int write(std::string_view sql, A&&... args) {
        Stmt st(*this, sql);
        st.bind_all(std::forward<A>(args)...);
        int n = st.run();
        return st.constraint_failed() ? -1 : n;
    }

private:
    friend class Stmt;
    sqlite3_stmt* take_statement(std::string_view sql);
    void keep_statement(std::string sql, sqlite3_stmt* st);

    struct SqlHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
    };
    sqlite3* db_ = nullptr;
    std::unordered_multimap<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> idle_statements_;
};

// BEGIN IMMEDIATE takes the write lock up front, so two writers never
// deadlock upgrading from a read lock; rolls back unless commit() ran.
class Tx {
public:
    explicit Tx(Db& db);
    ~Tx();
    void commit();

private:
    Db& db_;
    bool done_ = false;
};

class Store;

// A connection borrowed from the pool; returned when the lease dies.
class Lease {
public:
    Lease(Store& store, std::unique_ptr<Db> db) : store_(&store), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Db& operator*() { return *db_; }
    Db* operator->() { return db_.get(); }

private:
    Store* store_;
    std::unique_ptr<Db> db_;
};

struct Migration {
    int version;
    std::string name;
    std::string sql;
};

// The built-in migrations (edge/store/migrations/NNN_name.sql), in order.
std::vector<Migration> builtin_migrations();

// Applies every migration newer than PRAGMA user_version in one
// transaction together with the version bump: an upgrade is all or
// nothing, so a crash or a failing migration leaves the database at the
// version it had, and a new database costs one commit (one fsync) instead
// of one per migration, which is most of a first start. Returns the final
// version.
int migrate(Db& db, const std::vector<Migration>& migrations);

class Store {
public:
    // Opens data_dir/onramp.db, switches it to WAL and applies migrations.
    explicit Store(const std::string& path, const std::vector<Migration>& migrations = builtin_migrations());
    Lease lease();
    const std::string& path() const { return path_; }
    int schema_version() const { return version_; }
    // Folds the WAL into the main file; used at shutdown and by backup.
    void checkpoint();

private:
    friend class Lease;
    void give_back(std::unique_ptr<Db> db);

    std::string path_;
    int version_ = 0;
    std::mutex mu_;
    std::vector<std::unique_ptr<Db>> idle_;
};

// Online backup (SQLite backup API) of a live database into out_path,
// which is made readable and writable by its owner only.
void backup(const std::string& db_path, const std::string& out_path);

// Sets mode 0600 on a database file and on its WAL, shared-memory and
// journal files where they exist. New files are created so (Db's
// constructor); this narrows files an older version left readable.
void restrict_to_owner(const std::string& db_path);

}  // namespace onramp::store
