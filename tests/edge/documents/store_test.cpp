// Specification of document storage: client filenames reduced to base
// names, files under <data>/documents/<org>/<id> only, deduplication by
// filename per tenant, and nothing left behind when a save fails.
#include <doctest/doctest.h>

#include <ctime>
#include <filesystem>
#include <fstream>

#include "edge/documents/detect.h"
#include "edge/documents/store.h"
#include "edge/support/test_app.h"

using namespace onramp;
using namespace onramp::documents;
using onramp::testing::TestApp;

namespace {

namespace fs = std::filesystem;

NewDocument text_doc(const std::string& org, const std::string& name) {
    return {org, name, "sop", std::nullopt, "{}", "text/plain; charset=utf-8", std::nullopt};
}

// Every file under the data directory except the database's own.
// The database and the vault's key file live beside the documents.
bool is_document_file(const fs::path& p) {
    std::string name = p.filename().string();
    return name.rfind("onramp.db", 0) != 0 && name != "master.key";
}

std::vector<std::string> stored_files(const std::string& data_dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(data_dir))
        if (e.is_regular_file() && is_document_file(e.path()))
            out.push_back(fs::relative(e.path(), data_dir).string());
    return out;
}

}  // namespace

TEST_SUITE("documents.store") {

TEST_CASE("filenames lose directories, drive letters, control characters and leading dots") {
    CHECK(base_name("sales_script.pdf") == "sales_script.pdf");
    CHECK(base_name("../../etc/passwd") == "passwd");
    CHECK(base_name("/etc/cron.d/job.txt") == "job.txt");
    CHECK(base_name("..\\..\\Windows\\win.ini.md") == "win.ini.md");
    CHECK(base_name("C:\\Users\\ann\\plan.docx") == "plan.docx");
    CHECK(base_name("C:plan.docx") == "plan.docx");
    CHECK(base_name(std::string("evil.pdf\0.txt", 13)) == "evil.pdf.txt");
    CHECK(base_name("line\r\nbreak.txt") == "linebreak.txt");
    CHECK(base_name(".hidden.md") == "hidden.md");
    CHECK(base_name("  spaced name.txt  ") == "spaced name.txt");
    CHECK(base_name("report.pdf...") == "report.pdf");
    CHECK(base_name("caf\xC3\xA9.txt") == "caf\xC3\xA9.txt");
    CHECK_FALSE(base_name(""));
    CHECK_FALSE(base_name(".."));
    CHECK_FALSE(base_name("../"));
    CHECK_FALSE(base_name("a/.."));
    CHECK_FALSE(base_name(std::string("\0", 1)));
    CHECK_FALSE(base_name("caf\xE9.txt"));  // Latin-1, not UTF-8
}

TEST_CASE("a long filename is shortened to 255 bytes keeping its extension") {
    auto name = base_name(std::string(300, 'a') + ".pdf");
    REQUIRE(name);
    CHECK(name->size() == 255);
    CHECK(name->substr(name->size() - 4) == ".pdf");
    // The cut would fall inside "é": it backs up to the whole character.
    auto wide = base_name(std::string(250, 'a') + "\xC3\xA9\xC3\xA9\xC3\xA9.txt");
    REQUIRE(wide);
    CHECK(*wide == std::string(250, 'a') + ".txt");
    CHECK(valid_utf8(*wide));
}

TEST_CASE("save writes the bytes under the org's directory and a pending row") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    auto saved = save(*db, t.dir.path, text_doc(org, "notes.txt"), "hello", t.clock);
    REQUIRE_MESSAGE(saved, saved.problem().detail);
    CHECK(saved->created);
    const Document& d = saved->doc;
    CHECK(d.id.rfind("doc_", 0) == 0);
    CHECK(d.ingestion_job_id.rfind("job_", 0) == 0);
    CHECK(d.storage_path == "documents/" + org + "/" + d.id);
    CHECK(d.sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    CHECK(stored_files(t.dir.path) == std::vector<std::string>{d.storage_path});
    CHECK((fs::status(t.dir.path + "/" + d.storage_path).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    auto row = find(*db, org, d.id);
    REQUIRE(row);
    CHECK(row->ingestion_status == "pending");
    CHECK(row->filename == "notes.txt");
    CHECK(*read_content(t.dir.path, *row) == "hello");
}

TEST_CASE("the same filename in the same org is the same document; another org has its own") {
    TestApp t;
    std::string acme = t.make_org("Acme"), globex = t.make_org("Globex");
    auto db = t.app.store->lease();
    auto first = save(*db, t.dir.path, text_doc(acme, "notes.txt"), "one", t.clock);
    auto again = save(*db, t.dir.path, text_doc(acme, "notes.txt"), "two", t.clock);
    REQUIRE(again);
    CHECK_FALSE(again->created);
    CHECK(again->doc.id == first->doc.id);
    CHECK(*read_content(t.dir.path, again->doc) == "one");
    auto other = save(*db, t.dir.path, text_doc(globex, "notes.txt"), "three", t.clock);
    REQUIRE(other);
    CHECK(other->created);
    CHECK(stored_files(t.dir.path).size() == 2);
    CHECK_FALSE(find(*db, globex, first->doc.id));  // reads are tenant-scoped
    CHECK(list(*db, acme).size() == 1);
}

TEST_CASE("a save whose transaction fails leaves no file and no row") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    std::string before = t.snapshot();
    CHECK_THROWS(save(*db, t.dir.path, text_doc(org, "notes.txt"), "hello", t.clock,
                      [](store::Db&, const Document&) { throw std::runtime_error("audit failed"); }));
    CHECK(t.snapshot() == before);
    CHECK(stored_files(t.dir.path).empty());
}

TEST_CASE("a file changed on disk is not read back as the document") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    auto saved = save(*db, t.dir.path, text_doc(org, "notes.txt"), "hello", t.clock);
    std::ofstream(t.dir.path + "/" + saved->doc.storage_path, std::ios::trunc) << "HELLO";
    auto content = read_content(t.dir.path, saved->doc);
    REQUIRE_FALSE(content);
    CHECK(content.problem().detail == "The stored file was changed on disk since it was uploaded.");
}

TEST_CASE("remove deletes the row, its text and its file, within the org only") {
    TestApp t;
    std::string acme = t.make_org("Acme"), globex = t.make_org("Globex");
    auto db = t.app.store->lease();
    auto saved = save(*db, t.dir.path, text_doc(acme, "notes.txt"), "hello", t.clock);
    claim_next(*db, t.clock);
    mark_done(*db, saved->doc.id, "hello", false, t.clock);
    CHECK(text_of(*db, saved->doc.id) == "hello");
    CHECK_FALSE(remove(*db, t.dir.path, globex, saved->doc.id));
    CHECK(remove(*db, t.dir.path, acme, saved->doc.id));
    CHECK_FALSE(find(*db, acme, saved->doc.id));
    CHECK_FALSE(text_of(*db, saved->doc.id));
    CHECK(stored_files(t.dir.path).empty());
}

TEST_CASE("the queue: claim the oldest pending row; done and failed only change a processing row") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    auto a = save(*db, t.dir.path, text_doc(org, "a.txt"), "a", t.clock);
    auto b = save(*db, t.dir.path, text_doc(org, "b.txt"), "b", t.clock + 1);
    auto claimed = claim_next(*db, t.clock);
    REQUIRE(claimed);
    CHECK(claimed->id == a->doc.id);
    CHECK(claimed->ingestion_status == "processing");
    CHECK(claimed->progress == 0);
    CHECK(claimed->attempts == 1);
    mark_failed(*db, b->doc.id, "not claimed", t.clock);  // b is pending: unchanged
    CHECK(find(*db, org, b->doc.id)->ingestion_status == "pending");
    CHECK(count_ingested(*db, org) == 0);
    mark_done(*db, a->doc.id, "a", false, t.clock);
    CHECK(count_ingested(*db, org) == 1);
    auto done = find(*db, org, a->doc.id);
    CHECK(done->ingestion_status == "done");
    CHECK(done->progress == 100);
    CHECK(done->text_chars == 1);
    mark_failed(*db, a->doc.id, "too late", t.clock);  // done stays done
    CHECK(find(*db, org, a->doc.id)->ingestion_status == "done");
    CHECK(claim_next(*db, t.clock)->id == b->doc.id);
    CHECK_FALSE(claim_next(*db, t.clock));
}

TEST_CASE("a sweep removes old temporary and row-less files, never a document's or a fresh one") {
    TestApp t;
    std::string org = t.make_org("Acme");
    auto db = t.app.store->lease();
    auto saved = save(*db, t.dir.path, text_doc(org, "kept.txt"), "kept", t.clock);
    std::string dir = t.dir.path + "/documents/" + org + "/";
    std::ofstream(dir + ".doc_crashed.part") << "half";
    std::ofstream(dir + "doc_without_row") << "orphan";
    fs::create_directories(t.dir.path + "/documents/org_deleted");
    std::ofstream(t.dir.path + "/documents/org_deleted/doc_x") << "of a deleted org";
    int64_t wall = int64_t(std::time(nullptr));
    CHECK(sweep_orphans(*db, t.dir.path, wall) == 0);  // all fresh: an upload could be in flight
    CHECK(sweep_orphans(*db, t.dir.path, wall + 7200) == 3);
    CHECK(stored_files(t.dir.path) == std::vector<std::string>{saved->doc.storage_path});
    CHECK_FALSE(fs::exists(t.dir.path + "/documents/org_deleted"));
}

}
