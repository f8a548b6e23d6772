-- 004: onboarding documents (edge/documents/) and their extracted text.
--
-- The bytes live on disk under <data_dir>/<storage_path>, where
-- storage_path is "documents/<org_id>/<id>": built from our own ids, never
-- from the client's filename, which is only shown.
--
-- ingestion_status is the job's state and also the worker's queue:
--   pending -> processing -> done | failed
-- A row left 'processing' by a crash goes back to 'pending' when the
-- worker starts; attempts counts claims, so a file that crashes the
-- extractor every time is failed instead of crashing the server forever.

CREATE TABLE documents (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    filename         TEXT NOT NULL,
    category         TEXT NOT NULL CHECK (category IN ('sop', 'training', 'reference', 'policy')),
    role_target      TEXT CHECK (role_target IN ('manager', 'csr', 'sales_rep')),
    metadata         TEXT NOT NULL DEFAULT '{}',
    content_type     TEXT NOT NULL,
    size             INTEGER NOT NULL,
    sha256           TEXT NOT NULL,
    storage_path     TEXT NOT NULL,
    uploaded_by      TEXT REFERENCES users(id) ON DELETE SET NULL,
    ingestion_job_id TEXT NOT NULL UNIQUE,
    ingestion_status TEXT NOT NULL DEFAULT 'pending'
                     CHECK (ingestion_status IN ('pending', 'processing', 'done', 'failed')),
    progress         INTEGER CHECK (progress BETWEEN 0 AND 100),
    attempts         INTEGER NOT NULL DEFAULT 0,
    error_message    TEXT,
    text_chars       INTEGER,
    text_truncated   INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    -- Uploads are deduplicated by filename within a tenant.
    UNIQUE (org_id, filename)
);
CREATE INDEX documents_queue ON documents(ingestion_status, created_at);

-- Kept apart from documents so that listing documents never reads
-- megabytes of text.
CREATE TABLE document_texts (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text        TEXT NOT NULL
);
