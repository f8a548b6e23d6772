// Document rows (table documents, migration 004) and their files on disk.
//
// Layout: <data_dir>/documents/<org_id>/<document_id>, mode 0600 in 0700
// directories. Security: path tricks — the client's filename never becomes
// part of a path; it is reduced to a display name by base_name() and kept
// only in the row. Every read of a row by a request filters by org_id.
//
// Saving is ordered so that a failure leaves nothing behind: the bytes go
// to a temporary file first; the row is inserted and the file renamed into
// place inside one transaction; the file is removed unless that commits.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edge/store/db.h"
#include "shared/result.h"

namespace onramp::documents {

struct Document {
    std::string id;  // doc_<hex>
    std::string org_id;
    std::string filename;  // display name from base_name(), never a path
    std::string category;  // sop | training | reference | policy
    std::optional<std::string> role_target;  // manager | csr | sales_rep
    std::string metadata = "{}";             // a JSON object, as text
    std::string content_type;
    int64_t size = 0;
    std::string sha256;        // hex, of the stored bytes
    std::string storage_path;  // relative to the data directory
    std::optional<std::string> uploaded_by;
    std::string ingestion_job_id;  // job_<hex>
    std::string ingestion_status = "pending";
    std::optional<int> progress;  // 0..100 while processing, 100 when done
    int attempts = 0;
    std::optional<std::string> error_message;
    std::optional<int64_t> text_chars;
    bool text_truncated = false;
    int64_t created_at = 0, updated_at = 0;
};

// Reduces a client's filename to a base name safe to store and show:
// backslashes count as separators and everything up to the last one is
// dropped ("../../etc/passwd" -> "passwd", "C:\\x\\a.pdf" -> "a.pdf"),
// a drive prefix "C:" goes, control characters (NUL included) are removed,
// leading dots and spaces and trailing dots and spaces are trimmed (so "."
// and ".." vanish), and a name over 255 bytes is shortened keeping its
// extension. Returns nullopt when nothing is left or it is not UTF-8.
std::optional<std::string> base_name(std::string_view raw);

std::string absolute_path(const std::string& data_dir, const Document& doc);

// --- reads (tenant-scoped) --------------------------------------------------
std::optional<Document> find(store::Db& db, const std::string& org_id, const std::string& id);
std::optional<Document> find_by_filename(store::Db& db, const std::string& org_id, const std::string& filename);
std::vector<Document> list(store::Db& db, const std::string& org_id);  // newest first
// Documents of the org whose ingestion is done: the onboarding "documents"
// check (POST /api/v1/onboarding/verify) passes when this is at least one.
int count_ingested(store::Db& db, const std::string& org_id);

// --- writes ------------------------------------------------------------------
struct NewDocument {
    std::string org_id, filename, category;
    std::optional<std::string> role_target;
    std::string metadata = "{}";
    std::string content_type;
    std::optional<std::string> uploaded_by;
};

struct Saved {
    Document doc;
    bool created;  // false: a document of that filename existed and is returned unchanged
};

// Stores the bytes and inserts a 'pending' row, or returns the org's
// existing document of the same filename (deduplication; its bytes are not
// replaced). `in_tx` runs inside the inserting transaction (the audit
// entry), only when a row is created. Throws store::DbError on a broken
// database; returns a 500 Problem when the file cannot be written.
Result<Saved> save(store::Db& db, const std::string& data_dir, const NewDocument& doc, std::string_view content,
                   int64_t now, const std::function<void(store::Db&, const Document&)>& in_tx = {});

// Deletes the row (its text goes with it) and then the file. False when
// the org has no such document.
bool remove(store::Db& db, const std::string& data_dir, const std::string& org_id, const std::string& id);

// The stored bytes, checked against the row's size and SHA-256: a file
// changed or truncated on disk is an error, not a document.
Result<std::string> read_content(const std::string& data_dir, const Document& doc);

// --- the ingestion queue (edge/documents/ingest.h) ----------------------------
// Unscoped by tenant: the worker serves every org.
std::optional<Document> find_any(store::Db& db, const std::string& id);
// Rows left 'processing' by a crash: back to 'pending', or 'failed' when
// they were already claimed `max_attempts` times. Returns rows changed.
int recover_interrupted(store::Db& db, int max_attempts, int64_t now);
// Claims the oldest 'pending' row: 'processing', progress 0, attempts + 1.
std::optional<Document> claim_next(store::Db& db, int64_t now);
void set_progress(store::Db& db, const std::string& id, int percent, int64_t now);
// Back to 'pending' (the worker stopped mid-way).
void release(store::Db& db, const std::string& id, int64_t now);
// These change the row only while it is 'processing' (it may have been
// deleted meanwhile); mark_done also stores the text.
void mark_done(store::Db& db, const std::string& id, const std::string& text, bool truncated, int64_t now);
void mark_failed(store::Db& db, const std::string& id, const std::string& message, int64_t now);
std::optional<std::string> text_of(store::Db& db, const std::string& id);

// Removes what a crash can leave under <data_dir>/documents: temporary
// ".part" files, and files with no row (the server died between placing a
// file and committing its row, or the org was deleted). Only files older
// than `min_age_seconds` are touched, so an upload in flight is never
// swept. Returns the number of files removed.
int sweep_orphans(store::Db& db, const std::string& data_dir, int64_t now, int64_t min_age_seconds = 3600);

}  // namespace onramp::documents
