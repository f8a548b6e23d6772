// Document rows and files (see store.h for the layout and the save order).
//
// [SECTION] Names and paths
// [SECTION] Files
// [SECTION] Rows
// [SECTION] Saving and removing
// [SECTION] The ingestion queue
// [SECTION] Crash leftovers
#include "edge/documents/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/documents/detect.h"
#include "edge/events/events.h"

namespace onramp::documents {

namespace {

constexpr size_t kMaxFilenameBytes = 255;  // what most file systems and UIs expect of a name
constexpr size_t kMaxExtensionBytes = 16;

// --- [SECTION] Names and paths -------------------------------------------------

bool is_trimmed(char c) { return c == ' ' || c == '.'; }

// Our ids are "<prefix>_<hex>"; anything else must never reach a path.
bool is_plain_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
    return true;
}

std::string org_dir(const std::string& data_dir, const std::string& org_id) {
    return data_dir + "/documents/" + org_id;
}

// --- [SECTION] Files -------------------------------------------------------------

std::string errno_text() { return std::strerror(errno); }

Status make_dir(const std::string& path) {
    if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
        return internal_error("Cannot create the documents directory: " + errno_text() + ".");
    return ok_status();
}

Status make_org_dir(const std::string& data_dir, const std::string& org_id) {
    if (auto s = make_dir(data_dir + "/documents"); !s) return s;
    return make_dir(org_dir(data_dir, org_id));
}

// Writes a new file (never an existing one, never through a symlink) and
// syncs it to disk before returning.
Status write_new_file(const std::string& path, std::string_view content) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return internal_error("Cannot store the file: " + errno_text() + ".");
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            std::string why = errno_text();
            close(fd);
            return internal_error("Cannot store the file: " + why + ".");
        }
        done += size_t(n);
    }
    bool synced = fsync(fd) == 0;
    bool closed = close(fd) == 0;
    if (!synced || !closed) return internal_error("Cannot store the file: " + errno_text() + ".");
    return ok_status();
}

// A rename is durable only once its directory is synced.
void sync_dir(const std::string& dir) {
    int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    fsync(fd);
    close(fd);
}

// The bytes of a document on their way in: a temporary file, renamed into
// place by place(). Unless keep() is called, the destructor removes
// whichever of the two exists, so an error or exception on any path
// leaves no file behind.
class StagedFile {
public:
    StagedFile(std::string temp, std::string final_path) : temp_(std::move(temp)), final_(std::move(final_path)) {}
    ~StagedFile() {
        if (!kept_) unlink(placed_ ? final_.c_str() : temp_.c_str());
    }
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;

    Status write(std::string_view content) { return write_new_file(temp_, content); }
    Status place() {
        if (rename(temp_.c_str(), final_.c_str()) != 0)
            return internal_error("Cannot store the file: " + errno_text() + ".");
        placed_ = true;
        return ok_status();
    }
    void keep() { kept_ = true; }

private:
    std::string temp_, final_;
    bool placed_ = false, kept_ = false;
};

// --- [SECTION] Rows ----------------------------------------------------------------

constexpr const char* kColumns =
    "id, org_id, filename, category, role_target, metadata, content_type, size, sha256, storage_path,"
    " uploaded_by, ingestion_job_id, ingestion_status, progress, attempts, error_message, text_chars,"
    " text_truncated, created_at, updated_at";

Document row(const store::Stmt& st) {
    Document d;
    d.id = st.text(0);
    d.org_id = st.text(1);
    d.filename = st.text(2);
    d.category = st.text(3);
    d.role_target = st.opt_text(4);
    d.metadata = st.text(5);
    d.content_type = st.text(6);
    d.size = st.i64(7);
    d.sha256 = st.text(8);
    d.storage_path = st.text(9);
    d.uploaded_by = st.opt_text(10);
    d.ingestion_job_id = st.text(11);
    d.ingestion_status = st.text(12);
    if (!st.is_null(13)) d.progress = int(st.i64(13));
    d.attempts = int(st.i64(14));
    d.error_message = st.opt_text(15);
    if (!st.is_null(16)) d.text_chars = st.i64(16);
    d.text_truncated = st.i64(17) != 0;
    d.created_at = st.i64(18);
    d.updated_at = st.i64(19);
    return d;
}

template <class... A>
std::optional<Document> one(store::Db& db, const std::string& where, A&&... args) {
    store::Stmt st(db, std::string("SELECT ") + kColumns + " FROM documents WHERE " + where);
    st.bind_all(std::forward<A>(args)...);
    if (!st.step()) return std::nullopt;
    return row(st);
}

// Returns -1 when a constraint refused the row (the filename raced in).
int insert_row(store::Db& db, const Document& d) {
    return db.write(
        "INSERT INTO documents (id, org_id, filename, category, role_target, metadata, content_type, size, sha256,"
        " storage_path, uploaded_by, ingestion_job_id, ingestion_status, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        d.id, d.org_id, d.filename, d.category, d.role_target, d.metadata, d.content_type, d.size, d.sha256,
        d.storage_path, d.uploaded_by, d.ingestion_job_id, d.created_at, d.updated_at);
}

Document new_row(const NewDocument& in, std::string_view content, int64_t now) {
    Document d;
    d.id = crypto::random_id("doc");
    d.org_id = in.org_id;
    d.filename = in.filename;
    d.category = in.category;
    d.role_target = in.role_target;
    d.metadata = in.metadata;
    d.content_type = in.content_type;
    d.size = int64_t(content.size());
    d.sha256 = crypto::hex_encode(crypto::sha256(content));
    d.storage_path = "documents/" + in.org_id + "/" + d.id;
    d.uploaded_by = in.uploaded_by;
    d.ingestion_job_id = crypto::random_id("job");
    d.created_at = d.updated_at = now;
    return d;
}

}  // namespace

std::optional<std::string> base_name(std::string_view raw) {
    std::string s;
    for (char c : raw) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) continue;  // NUL truncation tricks, header and log injection
        s += c == '\\' ? '/' : c;
    }
    if (size_t slash = s.rfind('/'); slash != std::string::npos) s.erase(0, slash + 1);
    if (s.size() >= 2 && std::isalpha(static_cast<unsigned char>(s[0])) && s[1] == ':') s.erase(0, 2);
    size_t b = 0, e = s.size();
    while (b < e && is_trimmed(s[b])) ++b;
    while (e > b && is_trimmed(s[e - 1])) --e;
    s = s.substr(b, e - b);
    if (s.empty() || !valid_utf8(s)) return std::nullopt;
    if (s.size() > kMaxFilenameBytes) {
        size_t dot = s.rfind('.');
        std::string ext = dot != std::string::npos && s.size() - dot <= kMaxExtensionBytes ? s.substr(dot) : "";
        s = std::string(utf8_prefix(s.substr(0, s.size() - ext.size()), kMaxFilenameBytes - ext.size())) + ext;
    }
    return s;
}

std::string absolute_path(const std::string& data_dir, const Document& doc) {
    return data_dir + "/" + doc.storage_path;
}

std::optional<Document> find(store::Db& db, const std::string& org_id, const std::string& id) {
    return one(db, "org_id = ? AND id = ?", org_id, id);
}

std::optional<Document> find_by_filename(store::Db& db, const std::string& org_id, const std::string& filename) {
    return one(db, "org_id = ? AND filename = ?", org_id, filename);
}

std::vector<Document> list(store::Db& db, const std::string& org_id) {
    store::Stmt st(db, std::string("SELECT ") + kColumns +
                                 " FROM documents WHERE org_id = ? ORDER BY created_at DESC, rowid DESC");
    st.bind_all(org_id);
    std::vector<Document> out;
    while (st.step()) out.push_back(row(st));
    return out;
}

int count_ingested(store::Db& db, const std::string& org_id) {
    store::Stmt st(db, "SELECT COUNT(*) FROM documents WHERE org_id = ? AND ingestion_status = 'done'");
    st.bind_all(org_id);
    st.step();
    return int(st.i64(0));
}

// --- [SECTION] Saving and removing ---------------------------------------------

Result<Saved> save(store::Db& db, const std::string& data_dir, const NewDocument& in, std::string_view content,
                   int64_t now, const std::function<void(store::Db&, const Document&)>& in_tx) {
    if (auto existing = find_by_filename(db, in.org_id, in.filename)) return Saved{*existing, false};
    if (!is_plain_id(in.org_id)) return internal_error("Refusing an organization id that is not plain.");
    Document d = new_row(in, content, now);
    if (auto s = make_org_dir(data_dir, d.org_id); !s) return s.problem();
    std::string final_path = absolute_path(data_dir, d);
    StagedFile file(org_dir(data_dir, d.org_id) + "/." + d.id + ".part", final_path);
    if (auto s = file.write(content); !s) return s.problem();

    store::Tx tx(db);
    if (insert_row(db, d) < 0) {
        // Another upload of the same name committed after our first look.
        if (auto existing = find_by_filename(db, in.org_id, in.filename)) return Saved{*existing, false};
        return internal_error("The document row was refused by the database.");
    }
    if (auto s = file.place(); !s) return s.problem();
    if (in_tx) in_tx(db, d);
    tx.commit();
    file.keep();
    sync_dir(org_dir(data_dir, d.org_id));
    return Saved{d, true};
}

bool remove(store::Db& db, const std::string& data_dir, const std::string& org_id, const std::string& id) {
    std::optional<Document> doc;
    {
        store::Tx tx(db);
        doc = find(db, org_id, id);
        if (!doc) return false;
        db.write("DELETE FROM documents WHERE org_id = ? AND id = ?", org_id, id);
        tx.commit();
    }
    // After the commit: a crash in between leaves a file without a row
    // (invisible), never a row without its file.
    unlink(absolute_path(data_dir, *doc).c_str());
    return true;
}

Result<std::string> read_content(const std::string& data_dir, const Document& doc) {
    std::string path = absolute_path(data_dir, doc);
    int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return internal_error("The stored file is missing: " + errno_text() + ".");
    std::string out;
    char buf[64 * 1024];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            std::string why = errno_text();
            close(fd);
            return internal_error("The stored file cannot be read: " + why + ".");
        }
        if (n == 0) break;
        out.append(buf, size_t(n));
        if (out.size() > size_t(doc.size)) break;
    }
    close(fd);
    if (int64_t(out.size()) != doc.size || crypto::hex_encode(crypto::sha256(out)) != doc.sha256)
        return internal_error("The stored file was changed on disk since it was uploaded.");
    return out;
}

// --- [SECTION] The ingestion queue ------------------------------------------------

std::optional<Document> find_any(store::Db& db, const std::string& id) { return one(db, "id = ?", id); }

int recover_interrupted(store::Db& db, int max_attempts, int64_t now) {
    store::Tx tx(db);
    int failed = db.write(
        "UPDATE documents SET ingestion_status = 'failed', progress = NULL, updated_at = ?,"
        " error_message = 'Extraction was interrupted ' || attempts || ' times (the server stopped or crashed"
        " while reading this file); giving up. Delete it and upload it again, or try another format.'"
        " WHERE ingestion_status = 'processing' AND attempts >= ?",
        now, max_attempts);
    int requeued = db.write(
        "UPDATE documents SET ingestion_status = 'pending', progress = NULL, updated_at = ?"
        " WHERE ingestion_status = 'processing'",
        now);
    tx.commit();
    return failed + requeued;
}

std::optional<Document> claim_next(store::Db& db, int64_t now) {
    store::Tx tx(db);
    std::string id;
    {
        store::Stmt st(db,
                       "SELECT id FROM documents WHERE ingestion_status = 'pending' ORDER BY created_at, rowid LIMIT 1");
        if (!st.step()) return std::nullopt;
        id = st.text(0);
    }
    db.write(
        "UPDATE documents SET ingestion_status = 'processing', progress = 0, attempts = attempts + 1,"
        " error_message = NULL, updated_at = ? WHERE id = ?",
        now, id);
    auto doc = find_any(db, id);
    tx.commit();
    return doc;
}

void set_progress(store::Db& db, const std::string& id, int percent, int64_t now) {
    db.write("UPDATE documents SET progress = ?, updated_at = ? WHERE id = ? AND ingestion_status = 'processing'",
             percent, now, id);
}

void release(store::Db& db, const std::string& id, int64_t now) {
    db.write(
        "UPDATE documents SET ingestion_status = 'pending', progress = NULL, attempts = MAX(attempts - 1, 0),"
        " updated_at = ? WHERE id = ? AND ingestion_status = 'processing'",
        now, id);
}

void mark_done(store::Db& db, const std::string& id, const std::string& text, bool truncated, int64_t now) {
    store::Tx tx(db);
    int changed = db.write(
        "UPDATE documents SET ingestion_status = 'done', progress = 100, error_message = NULL, text_chars = ?,"
        " text_truncated = ?, updated_at = ? WHERE id = ? AND ingestion_status = 'processing'",
        int64_t(utf8_length(text)), truncated, now, id);
    if (changed > 0) {
        db.write("INSERT OR REPLACE INTO document_texts (document_id, text) VALUES (?, ?)", id, text);
        events::emit_document_ingested(db, id, now);
    }
    tx.commit();
}

void mark_failed(store::Db& db, const std::string& id, const std::string& message, int64_t now) {
    db.write(
        "UPDATE documents SET ingestion_status = 'failed', progress = NULL, error_message = ?, updated_at = ?"
        " WHERE id = ? AND ingestion_status = 'processing'",
        message, now, id);
}

std::optional<std::string> text_of(store::Db& db, const std::string& id) {
    store::Stmt st(db, "SELECT text FROM document_texts WHERE document_id = ?");
    st.bind_all(id);
    if (!st.step()) return std::nullopt;
    return st.text(0);
}

// --- [SECTION] Crash leftovers ----------------------------------------------------

int sweep_orphans(store::Db& db, const std::string& data_dir, int64_t now, int64_t min_age_seconds) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path root = fs::path(data_dir) / "documents";
    if (!fs::is_directory(root, ec)) return 0;
    store::Stmt known(db, "SELECT 1 FROM documents WHERE org_id = ? AND id = ?");
    int removed = 0;
    for (const auto& org : fs::directory_iterator(root, ec)) {
        if (!org.is_directory(ec)) continue;
        for (const auto& f : fs::directory_iterator(org.path(), ec)) {
            struct stat st;
            // lstat: a symlink planted here is removed, never followed.
            if (lstat(f.path().c_str(), &st) != 0 || S_ISDIR(st.st_mode)) continue;
            if (now - int64_t(st.st_mtime) < min_age_seconds) continue;
            known.reset();
            known.bind_all(org.path().filename().string(), f.path().filename().string());
            if (known.step()) continue;
            if (unlink(f.path().c_str()) == 0) ++removed;
        }
        fs::remove(org.path(), ec);  // only succeeds when empty
    }
    return removed;
}

}  // namespace onramp::documents
