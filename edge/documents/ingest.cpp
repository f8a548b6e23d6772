// The ingestion worker (see ingest.h for the state diagram).
#include "edge/documents/ingest.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>

#include "edge/documents/detect.h"
#include "edge/documents/store.h"
#include "edge/log.h"
#include "edge/thread_name.h"

namespace onramp::documents {

namespace {

int64_t wall_clock() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// poppler complains about damaged PDFs in its own format; the reader sends
// those complaints as warning frames and the server's log is JSON lines, so
// they are made into those. The message quotes bytes of the (hostile)
// file: it is made valid UTF-8 and JSON-escaped, so it cannot forge log
// lines.
void log_poppler_message(const std::string& message) {
    nlohmann::json line = {{"level", "warn"}, {"worker", "document_ingest"}, {"poppler", to_valid_utf8(message)}};
    logging::log(std::move(line));
}

constexpr int kProgressStep = 10;  // percent between progress writes: a row update per page would be waste

}  // namespace

IngestWorker::IngestWorker(store::Store& store, IngestOptions options) : store_(store), opt_(std::move(options)) {
    if (!opt_.now) opt_.now = wall_clock;
}

IngestWorker::~IngestWorker() { stop(); }

void IngestWorker::start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    {
        auto db = store_.lease();
        recover_interrupted(*db, opt_.max_attempts, opt_.now());
        sweep_orphans(*db, opt_.data_dir, opt_.now());
    }
    thread_ = std::thread([this] {
        name_thread("doc-ingest");
        loop();
    });
}

void IngestWorker::stop() {
    stopping_ = true;
    {
        std::lock_guard<std::mutex> lock(mu_);
        woken_ = true;
    }
    wake_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void IngestWorker::notify() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        woken_ = true;
    }
    wake_cv_.notify_one();
}

void IngestWorker::loop() {
    while (!stopping_) {
        try {
            run_pending();
        } catch (const std::exception& e) {
            report(e.what());
        }
        std::unique_lock<std::mutex> lock(mu_);
        wake_cv_.wait_for(lock, opt_.poll_interval, [this] { return woken_ || stopping_.load(); });
        woken_ = false;
    }
}

int IngestWorker::run_pending() {
    int finished = 0;
    while (!stopping_ && process_next()) ++finished;
    return finished;
}

bool IngestWorker::process_next() {
    std::optional<Document> doc;
    {
        auto db = store_.lease();
        doc = claim_next(*db, opt_.now());
    }
    if (!doc) return false;
    process(doc->id);
    return true;
}

void IngestWorker::process(const std::string& id) {
    auto fail = [&](const std::string& message) {
        auto db = store_.lease();
        mark_failed(*db, id, message, opt_.now());
    };
    std::optional<Document> doc;
    {
        auto db = store_.lease();
        doc = find_any(*db, id);
    }
    if (!doc) return;  // deleted since it was claimed
    auto kind = kind_of_content_type(doc->content_type);
    if (!kind) return fail("This kind of file cannot be read (" + doc->content_type + ").");
    auto content = read_content(opt_.data_dir, *doc);
    if (!content) return fail(content.problem().detail);

    int reported = 0;
    Progress progress = [&](int percent) {
        if (stopping_) return false;
        if (percent >= reported + kProgressStep) {
            reported = percent;
            auto db = store_.lease();
            set_progress(*db, id, percent, opt_.now());
        }
        return true;
    };
    std::optional<Result<Extracted>> out;
    try {
        out.emplace(extract(*kind, *content, progress));
    } catch (const store::DbError&) {
        throw;  // the database, not the file: the loop reports it and the row is recovered later
    } catch (const std::exception& e) {
        return fail(std::string("The file could not be read (") + e.what() + ").");
    }
    auto db = store_.lease();
    if (!*out) {
        if (out->problem().error_code == "cancelled")
            release(*db, id, opt_.now());
        else
            mark_failed(*db, id, out->problem().detail, opt_.now());
        return;
    }
    mark_done(*db, id, (*out)->text, (*out)->truncated, opt_.now());
}

// Every kind goes through the reader, text included: one path, and the
// server itself holds no code that parses an upload.
Result<Extracted> IngestWorker::extract(Kind kind, const std::string& content, const Progress& progress) {
    if (opt_.extractor.empty())
        return extraction_problem("This server has no document reader installed (onramp-reader), so it cannot "
                                  "read uploaded files.");
    Sandbox sandbox{opt_.extractor, opt_.sandbox, log_poppler_message};
    return extract_in_child(sandbox, kind, content, opt_.limits, progress);
}

void IngestWorker::report(const std::string& what) const {
    if (opt_.on_error) return opt_.on_error(what);
    nlohmann::json line = {{"level", "error"}, {"worker", "document_ingest"}, {"error", what}};
    logging::log(std::move(line));
}

}  // namespace onramp::documents
