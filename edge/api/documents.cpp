// /api/v1/onboarding/documents: Phase 3 of the phased onboarding (README,
// "Phased onboarding, invitations, onboarding links"): upload, ingestion status, listing, the stored file,
// the extracted text, deletion. Storage and ingestion are edge/documents/.
//
//   POST   /api/v1/onboarding/documents/upload                multipart: file, category, role_target, metadata
//   GET    /api/v1/onboarding/documents/status/{document_id}  {document_id, ingestion_status, progress, ...}
//   GET    /api/v1/onboarding/documents                       the org's documents, newest first
//   GET    /api/v1/onboarding/documents/{document_id}/file    the bytes as uploaded (attachment)
//   GET    /api/v1/onboarding/documents/{document_id}/text    the extracted text
//   DELETE /api/v1/onboarding/documents/{document_id}
//
// Choices:
// - Who: a signed-in manager of the organization; operators too. Successes
//   use the envelope {success, data, meta} that clients of this API expect;
//   errors stay RFC 9457 problem+json with error_code (RFC 9457
//   obsoletes RFC 7807), not {"detail": {...}}.
// - Which organization: the caller's session decides, as for every
//   onboarding endpoint (onboarding_org() in edge/api/onboarding_org.cpp).
// - Duplicates: a second upload of a filename the org already has stores
//   nothing and answers 200 with the existing document and
//   "duplicate": true (a new one answers 201 with "duplicate": false). To
//   replace a document, delete it and upload again.
// - s3_url: the key is kept so clients that expect it work; it
//   holds this edge's URL of the stored file (…/documents/{id}/file).
// - Status: ingestion_status is the row's real state at the time; a fresh
//   upload is usually "pending" for a moment, then "processing".
#include <nlohmann/json.hpp>

#include "edge/api/onboarding_org.h"
#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/documents/detect.h"
#include "edge/documents/store.h"
#include "edge/store/accounts.h"
#include "shared/json.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

namespace {

constexpr size_t kMaxFileBytes = 10 << 20;
// The route's body limit: the file plus multipart framing and text fields.
// A body over it is refused from Content-Length before it is read.
constexpr size_t kMaxUploadBody = kMaxFileBytes + (256 << 10);
constexpr size_t kMaxMetadataBytes = 16 << 10;
constexpr const char* kBase = "/api/v1/onboarding/documents";

// --- views -------------------------------------------------------------------

std::string file_url(const App& app, const documents::Document& d) {
    return app.config.public_url + kBase + "/" + d.id + "/file";
}

// Extraction is local and bounded: over 2 MiB may take a minute or two,
// anything smaller less than one.
std::string estimate(const documents::Document& d) {
    if (d.ingestion_status == "done" || d.ingestion_status == "failed") return "complete";
    return d.size > (2 << 20) ? "1-2 minutes" : "under a minute";
}

json upload_json(const App& app, const documents::Document& d, bool duplicate) {
    return {{"success", true},
            {"document_id", d.id},
            {"filename", d.filename},
            {"s3_url", file_url(app, d)},
            {"ingestion_job_id", d.ingestion_job_id},
            {"ingestion_status", d.ingestion_status},
            {"estimated_processing_time", estimate(d)},
            {"duplicate", duplicate}};
}

json status_json(const documents::Document& d) {
    return {{"document_id", d.id},
            {"ingestion_status", d.ingestion_status},
            {"ingestion_job_id", d.ingestion_job_id},
            {"progress", nullable(d.progress)},
            {"error_message", nullable(d.error_message)},
            {"filename", d.filename},
            {"text_chars", nullable(d.text_chars)}};
}

json document_json(const App& app, const documents::Document& d) {
    json meta = json::parse(d.metadata, nullptr, false);
    return {{"document_id", d.id},
            {"filename", d.filename},
            {"category", d.category},
            {"role_target", nullable(d.role_target)},
            {"metadata", meta.is_discarded() ? json::object() : meta},
            {"content_type", d.content_type},
            {"size", d.size},
            {"sha256", d.sha256},
            {"s3_url", file_url(app, d)},
            {"ingestion_job_id", d.ingestion_job_id},
            {"ingestion_status", d.ingestion_status},
            {"progress", nullable(d.progress)},
            {"error_message", nullable(d.error_message)},
            {"text_chars", nullable(d.text_chars)},
            {"text_truncated", d.text_truncated},
            {"created_at", iso8601(d.created_at)},
            {"updated_at", iso8601(d.updated_at)}};
}

// --- the upload form -----------------------------------------------------------

struct UploadForm {
    const http::UploadedFile* file = nullptr;
    std::string filename;  // base_name() of the client's
    std::string category;
    std::optional<std::string> role_target;
    std::string metadata = "{}";
};

std::optional<std::string> form_value(const http::Request& req, const std::string& name) {
    auto it = req.form.find(name);
    if (it == req.form.end()) return std::nullopt;
    return it->second;
}

void read_file_part(const http::Request& req, UploadForm& f, std::map<std::string, std::string>& errors) {
    size_t parts = req.files.count("file");
    if (parts == 0) {
        errors["file"] = req.form.count("file") ? "must be a file part (with a filename), not a text field"
                                                : "is required: send the document as the multipart part \"file\"";
        return;
    }
    if (parts > 1) {
        errors["file"] = "must be a single file; upload documents one at a time";
        return;
    }
    f.file = &req.files.find("file")->second;
    if (f.file->content.empty()) errors["file"] = "is empty";
    auto name = documents::base_name(f.file->filename);
    if (!name)
        errors["filename"] = "is not a usable file name (empty once directories and control characters are removed, "
                             "or not UTF-8)";
    else
        f.filename = *name;
}

void read_fields(const http::Request& req, UploadForm& f, std::map<std::string, std::string>& errors) {
    auto category = form_value(req, "category");
    if (!category || category->empty())
        errors["category"] = "is required: one of sop, training, reference, policy";
    else if (*category != "sop" && *category != "training" && *category != "reference" && *category != "policy")
        errors["category"] = "must be one of sop, training, reference, policy";
    else
        f.category = *category;

    // Clients may send role_target as null: a missing field, "" and "null" all mean no role.
    auto role = form_value(req, "role_target");
    if (role && !role->empty() && *role != "null") {
        if (*role == "manager" || *role == "csr" || *role == "sales_rep")
            f.role_target = *role;
        else
            errors["role_target"] = "must be one of manager, csr, sales_rep, or null";
    }

    auto metadata = form_value(req, "metadata");
    if (metadata && !metadata->empty()) {
        auto m = parse_json(*metadata);
        if (metadata->size() > kMaxMetadataBytes)
            errors["metadata"] = "is longer than " + std::to_string(kMaxMetadataBytes) + " bytes";
        else if (!m || !(m->is_object() || m->is_null()))
            errors["metadata"] = "must be a JSON object, sent as a string";
        else if (m->is_object())
            f.metadata = dump_json(*m);
    }
}

// Every field problem at once (422), except an over-limit file, which is
// a 413 on its own.
Result<UploadForm> read_upload(const http::Request& req) {
    UploadForm f;
    std::map<std::string, std::string> errors;
    read_file_part(req, f, errors);
    if (f.file && f.file->content.size() > kMaxFileBytes)
        return payload_too_large("The file is " + std::to_string(f.file->content.size()) +
                                 " bytes; the limit is 10 MiB (" + std::to_string(kMaxFileBytes) + " bytes).");
    read_fields(req, f, errors);
    if (!errors.empty()) return unprocessable(errors, "The upload is missing fields or has invalid ones.");
    return f;
}

// --- handlers ------------------------------------------------------------------

Result<Response> upload(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto form = read_upload(c.req);
    if (!form) return form.problem();
    auto kind = documents::detect(form->filename, form->file->content);
    if (!kind) return kind.problem();

    documents::NewDocument doc{*org, form->filename, form->category, form->role_target, form->metadata,
                               documents::content_type_of(*kind), c.who->user_id};
    auto db = app.store->lease();
    auto record = [&](store::Db& tx_db, const documents::Document& d) {
        audit(tx_db, app.now(), c.who, &c.req,
              {"document.uploaded", d.org_id, "document", d.id,
               {{"filename", d.filename}, {"category", d.category}, {"size", d.size}, {"sha256", d.sha256}}});
    };
    auto saved = documents::save(*db, app.config.data_dir, doc, form->file->content, app.now(), record);
    if (!saved) return saved.problem();
    return Response::json(envelope(upload_json(app, saved->doc, !saved->created), c, *org), saved->created ? 201 : 200);
}

Result<Response> status(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    auto doc = documents::find(*db, *org, c.req.param("document_id"));
    if (!doc) return not_found("No such document.");
    return Response::json(envelope(status_json(*doc), c, *org));
}

Result<Response> list(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    json items = json::array();
    for (const documents::Document& d : documents::list(*db, *org)) items.push_back(document_json(app, d));
    size_t total = items.size();
    return Response::json(envelope({{"documents", std::move(items)}, {"total", total}}, c, *org));
}

// RFC 6266 / RFC 8187: an ASCII fallback and the exact UTF-8 name.
// Security: the name is quoted and percent-encoded, so it cannot end the
// header or add one (base_name() already removed control characters).
std::string content_disposition(const std::string& filename) {
    std::string ascii, encoded;
    const char* hex = "0123456789ABCDEF";
    for (char ch : filename) {
        auto u = static_cast<unsigned char>(ch);
        bool plain = std::isalnum(u) || ch == '.' || ch == '-' || ch == '_';
        ascii += plain || ch == ' ' ? ch : '_';
        if (plain) {
            encoded += ch;
        } else {
            encoded += '%';
            encoded += hex[u >> 4];
            encoded += hex[u & 15];
        }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

Result<Response> file(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    auto doc = documents::find(*db, *org, c.req.param("document_id"));
    if (!doc) return not_found("No such document.");
    auto content = documents::read_content(app.config.data_dir, *doc);
    if (!content) return content.problem();
    Response r;
    r.content_type = doc->content_type;
    r.body = std::move(*content);
    // Security: stored files are the clients' content. They are always a
    // download, never rendered by the browser in our origin (a Markdown
    // file full of <script> would otherwise be stored XSS).
    r.set_header("Content-Disposition", content_disposition(doc->filename));
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
    r.set_header("Cache-Control", "private, no-store");
    return r;
}

Result<Response> text(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    auto db = app.store->lease();
    auto doc = documents::find(*db, *org, c.req.param("document_id"));
    if (!doc) return not_found("No such document.");
    if (doc->ingestion_status != "done")
        return conflict("The document's text is not ready: its ingestion is " + doc->ingestion_status + ".",
                        "not_ingested");
    auto body = documents::text_of(*db, doc->id);
    return Response::json(envelope({{"document_id", doc->id},
                                    {"text", body.value_or("")},
                                    {"text_chars", nullable(doc->text_chars)},
                                    {"text_truncated", doc->text_truncated}},
                                   c, *org));
}

Result<Response> remove(App& app, const Call& c) {
    auto org = onboarding_org(app, c);
    if (!org) return org.problem();
    std::string id = c.req.param("document_id");
    auto db = app.store->lease();
    auto doc = documents::find(*db, *org, id);
    if (!doc) return not_found("No such document.");
    if (!documents::remove(*db, app.config.data_dir, *org, id)) return not_found("No such document.");
    audit(*db, app.now(), c.who, &c.req,
          {"document.deleted", *org, "document", id, {{"filename", doc->filename}}});
    return Response::json(envelope({{"document_id", id}, {"deleted", true}}, c, *org));
}

}  // namespace

void add_document_routes(http::Router& r, App& app) {
    auto bind = [&app](auto fn) { return with_app(app, fn); };
    std::string base = kBase;
    r.add({"POST", base + "/upload", Access::User, Body::Multipart, bind(upload), kMaxUploadBody});
    r.add({"GET", base + "/status/{document_id}", Access::User, Body::None, bind(status)});
    r.add({"GET", base, Access::User, Body::None, bind(list)});
    r.add({"GET", base + "/{document_id}/file", Access::User, Body::None, bind(file)});
    r.add({"GET", base + "/{document_id}/text", Access::User, Body::None, bind(text)});
    r.add({"DELETE", base + "/{document_id}", Access::User, Body::None, bind(remove)});
}

}  // namespace onramp::api
