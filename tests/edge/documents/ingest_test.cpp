// Specification of the ingestion worker: documents move pending ->
// processing -> done with their text stored, or -> failed with a message;
// PDF and DOCX are read by the built onramp-edge in a child process, and a
// reader that crashes or passes its limits fails that document only; rows
// left behind by a crash are picked up on start; a file that keeps
// crashing the extractor is eventually failed; the thread stops cleanly.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "edge/documents/detect.h"
#include "edge/documents/document_fixtures.h"
#include "edge/documents/fake_reader.h"
#include "edge/documents/ingest.h"
#include "edge/documents/store.h"
#include "edge/support/test_app.h"

using namespace onramp;
using namespace onramp::documents;
using onramp::testing::FakeReader;
using onramp::testing::make_docx;
using onramp::testing::make_pdf;
using onramp::testing::TestApp;

namespace {

struct Bench {
    TestApp t;
    std::string org = t.make_org("Acme");

    IngestOptions options(std::chrono::milliseconds poll = std::chrono::milliseconds(50)) {
        IngestOptions o;
        o.data_dir = t.dir.path;
        o.now = [this] { return t.clock; };
        o.poll_interval = poll;
        o.extractor = ONRAMP_READER_BINARY;
        return o;
    }

    std::string add(const std::string& name, Kind kind, const std::string& content) {
        auto db = t.app.store->lease();
        NewDocument d{org, name, "training", "csr", "{}", content_type_of(kind), std::nullopt};
        auto saved = save(*db, t.dir.path, d, content, t.clock);
        REQUIRE_MESSAGE(saved, saved.problem().detail);
        return saved->doc.id;
    }

    Document row(const std::string& id) {
        auto db = t.app.store->lease();
        auto d = find(*db, org, id);
        REQUIRE(d);
        return *d;
    }

    // Puts a row in the state a crash mid-extraction leaves behind.
    void interrupt(const std::string& id, int attempts) {
        auto db = t.app.store->lease();
        db->write("UPDATE documents SET ingestion_status = 'processing', progress = 40, attempts = ? WHERE id = ?",
                  attempts, id);
    }

    // Waits (up to 10 s) until the row reaches `status`.
    bool wait_for(const std::string& id, const std::string& status) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            if (row(id).ingestion_status == status) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
};

}  // namespace

TEST_SUITE("documents.ingest") {

TEST_CASE("a PDF, a DOCX and a Markdown file move to done with their text stored") {
    Bench b;
    std::string pdf = b.add("script.pdf", Kind::Pdf, make_pdf({"Greeting script", "Closing"}));
    std::string docx = b.add("handbook.docx", Kind::Docx, make_docx({"Refund policy", "Thirty days"}));
    std::string md = b.add("faq.md", Kind::Markdown, "# FAQ\n\nWe open at nine.\n");
    IngestWorker worker(*b.t.app.store, b.options());
    CHECK(worker.run_pending() == 3);
    for (const std::string& id : {pdf, docx, md}) {
        Document d = b.row(id);
        CAPTURE(d.filename);
        CHECK(d.ingestion_status == "done");
        CHECK(d.progress == 100);
        CHECK_FALSE(d.error_message);
        CHECK(d.text_chars > 0);
        CHECK(d.attempts == 1);
    }
    auto db = b.t.app.store->lease();
    CHECK(text_of(*db, docx) == "Refund policy\nThirty days");
    CHECK(text_of(*db, md) == "# FAQ\n\nWe open at nine.");
    CHECK(text_of(*db, pdf)->find("Closing") != std::string::npos);
    CHECK(b.row(docx).text_chars == int64_t(std::string("Refund policy\nThirty days").size()));
}

TEST_CASE("a broken PDF moves to failed with a message, and the worker carries on") {
    Bench b;
    std::string broken = b.add("broken.pdf", Kind::Pdf, "%PDF-1.7\nthis is not a PDF body at all\n");
    std::string good = b.add("good.txt", Kind::Text, "fine");
    IngestWorker worker(*b.t.app.store, b.options());
    CHECK(worker.run_pending() == 2);
    Document d = b.row(broken);
    CHECK(d.ingestion_status == "failed");
    REQUIRE(d.error_message);
    CHECK(*d.error_message == "The PDF could not be read: it is damaged or not really a PDF.");
    CHECK_FALSE(d.progress);
    CHECK_FALSE(d.text_chars);
    CHECK(b.row(good).ingestion_status == "done");
}

TEST_CASE("a PDF whose reader crashes is failed with the reason; the API shows it and the next document is done") {
    Bench b;
    std::string manager = b.t.make_user("ann@acme.test", "pw-123456");
    b.t.add_member(b.org, manager, "manager");
    std::string crafted = b.add("crafted.pdf", Kind::Pdf, make_pdf({"x"}));
    std::string notes = b.add("notes.md", Kind::Markdown, "# Notes");
    // Crashes on a PDF; any other file goes to the real reader, its request
    // read again from the start (/proc/self/fd/0 opens the file anew).
    FakeReader crash(std::string("read -r verb kind rest\n[ \"$kind\" = pdf ] && kill -SEGV $$\nexec ") +
                     ONRAMP_READER_BINARY + " </proc/self/fd/0");
    IngestOptions o = b.options();
    o.extractor = crash.path;
    IngestWorker worker(*b.t.app.store, o);
    CHECK(worker.run_pending() == 2);
    Document d = b.row(crafted);
    CHECK(d.ingestion_status == "failed");
    REQUIRE(d.error_message);
    CHECK(*d.error_message == "The document could not be read (the reader crashed).");
    CHECK(d.attempts == 1);
    CHECK(b.row(notes).ingestion_status == "done");
    auto r = b.t.get("/api/v1/onboarding/documents/status/" + crafted, b.t.login("ann@acme.test", "pw-123456"));
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["data"]["error_message"] == "The document could not be read (the reader crashed).");
}

TEST_CASE("a PDF too large for the reader's memory is failed while the PDF after it is done") {
    Bench b;
    // A valid PDF padded to 64 MiB: the reader cannot even hold it in 48 MiB.
    std::string padded = make_pdf({"Padded"}) + "%" + std::string(size_t(64) << 20, ' ') + "\n";
    std::string huge = b.add("huge.pdf", Kind::Pdf, padded);
    std::string small = b.add("small.pdf", Kind::Pdf, make_pdf({"Small enough"}));
    IngestOptions o = b.options();
    o.sandbox.memory_bytes = size_t(48) << 20;
    IngestWorker worker(*b.t.app.store, o);
    CHECK(worker.run_pending() == 2);
    Document d = b.row(huge);
    CHECK(d.ingestion_status == "failed");
    REQUIRE(d.error_message);
    CHECK(*d.error_message == "The document is too large to read (it needs more than 48 MiB of memory).");
    CHECK(b.row(small).ingestion_status == "done");
    auto db = b.t.app.store->lease();
    CHECK(text_of(*db, small) == "Small enough");
}

TEST_CASE("a stored file changed on disk fails instead of being ingested") {
    Bench b;
    std::string id = b.add("notes.txt", Kind::Text, "original");
    std::FILE* f = std::fopen((b.t.dir.path + "/" + b.row(id).storage_path).c_str(), "w");
    std::fputs("tampered", f);
    std::fclose(f);
    IngestWorker worker(*b.t.app.store, b.options());
    worker.run_pending();
    CHECK(b.row(id).ingestion_status == "failed");
    CHECK(*b.row(id).error_message == "The stored file was changed on disk since it was uploaded.");
}

TEST_CASE("on start the worker picks up rows left pending or processing by a crash") {
    Bench b;
    std::string pending = b.add("pending.txt", Kind::Text, "left pending");
    std::string processing = b.add("processing.txt", Kind::Text, "left processing");
    b.interrupt(processing, 1);
    IngestWorker worker(*b.t.app.store, b.options());
    worker.start();
    CHECK(worker.running());
    CHECK(b.wait_for(pending, "done"));
    CHECK(b.wait_for(processing, "done"));
    CHECK(b.row(processing).attempts == 2);
    worker.stop();
    CHECK_FALSE(worker.running());
}

TEST_CASE("a file interrupted max_attempts times is failed, not retried forever") {
    Bench b;
    std::string id = b.add("crashy.pdf", Kind::Pdf, make_pdf({"x"}));
    b.interrupt(id, 3);
    IngestWorker worker(*b.t.app.store, b.options());
    worker.start();
    worker.stop();
    Document d = b.row(id);
    CHECK(d.ingestion_status == "failed");
    REQUIRE(d.error_message);
    CHECK(d.error_message->find("interrupted 3 times") != std::string::npos);
}

TEST_CASE("notify wakes the worker long before its next poll") {
    Bench b;
    IngestWorker worker(*b.t.app.store, b.options(std::chrono::minutes(10)));
    worker.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let it go to sleep with nothing to do
    std::string id = b.add("late.txt", Kind::Text, "arrived after start");
    worker.notify();
    CHECK(b.wait_for(id, "done"));
    auto t0 = std::chrono::steady_clock::now();
    worker.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));  // stop does not wait for the poll
}

TEST_CASE("stop is safe without start and twice; the destructor stops a running worker") {
    Bench b;
    {
        IngestWorker idle(*b.t.app.store, b.options());
        idle.stop();
        idle.stop();
    }
    {
        IngestWorker running(*b.t.app.store, b.options());
        running.start();
        running.start();  // a second start does nothing
    }
    CHECK(true);  // reached: no hang, no crash
}

TEST_CASE("a stopped worker claims nothing; a released row is pending again without an attempt counted") {
    Bench b;
    std::string id = b.add("long.pdf", Kind::Pdf, make_pdf({"a", "b", "c"}));
    IngestWorker worker(*b.t.app.store, b.options());
    worker.stop();
    CHECK(worker.run_pending() == 0);
    CHECK(b.row(id).ingestion_status == "pending");
    auto db = b.t.app.store->lease();
    REQUIRE(claim_next(*db, b.t.clock));
    release(*db, id, b.t.clock);
    CHECK(b.row(id).ingestion_status == "pending");
    CHECK(b.row(id).attempts == 0);
    CHECK_FALSE(b.row(id).progress);
}

TEST_CASE("a document deleted while it was being processed stays deleted") {
    Bench b;
    std::string id = b.add("gone.txt", Kind::Text, "soon deleted");
    auto db = b.t.app.store->lease();
    REQUIRE(claim_next(*db, b.t.clock));
    REQUIRE(remove(*db, b.t.dir.path, b.org, id));
    mark_done(*db, id, "soon deleted", false, b.t.clock);
    CHECK_FALSE(find(*db, b.org, id));
    CHECK_FALSE(text_of(*db, id));
}

}
