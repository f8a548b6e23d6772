// Specification of `onramp-edge backup` and `onramp-edge restore`, through
// the real binary: an archive taken while a server takes signed webhook
// deliveries as fast as they come, restored into a new directory where a
// new server decrypts the credentials and serves the documents; and the
// refusals — a non-empty directory, an altered archive, a missing document
// file — that change nothing.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "edge/backup/tar.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/store/db.h"
#include "edge/support/edge_process.h"
#include "edge/support/test_app.h"
#include "edge/platforms/shopify/webhook.h"

using namespace onramp;
using namespace onramp::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The operator `serve --demo` seeds (edge/demo.cpp).
constexpr const char* kDemoEmail = "demo@onramp.local";
constexpr const char* kDemoPassword = "onramp-demo";
constexpr const char* kWebhookSecret = "shpss_backup_test_client_secret";
constexpr const char* kDocument = "Refunds within thirty days. Call back within the hour.";
constexpr int kBulkDocuments = 5;

http::FetchResult call(EdgeProcess& edge, const std::string& method, const std::string& path, const json& body,
                       const std::string& token, const std::string& org_id = "") {
    http::FetchRequest req;
    req.method = method;
    req.url = edge.url(path);
    if (!body.is_null()) {
        req.body = body.dump();
        req.content_type = "application/json";
    }
    if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
    if (!org_id.empty()) req.headers.emplace("X-Org-Id", org_id);
    return http::fetch(req);
}

json expect(int status, http::FetchResult r) {
    REQUIRE_MESSAGE(r.ok(), r.failure.message);
    REQUIRE_MESSAGE(r.response.status == status, r.response.body);
    return json::parse(r.response.body, nullptr, false);
}

std::string sign_in(EdgeProcess& edge) {
    json pair = expect(200, call(edge, "POST", "/api/v1/auth/login", {{"email", kDemoEmail}, {"password", kDemoPassword}}, ""));
    return pair["access_token"];
}

// A demo server's organization with a Shopify connection (demo-mode
// credentials, webhook secret set) and one uploaded document.
struct Site {
    std::string token, org_id, connection_id, document_id;
};

// Uploads a text document (multipart, as `curl -F` sends it); returns its id.
std::string upload(EdgeProcess& edge, const Site& s, const std::string& filename, const std::string& content) {
    const std::string boundary = "----onramp";
    http::FetchRequest up;
    up.method = "POST";
    up.url = edge.url("/api/v1/onboarding/documents/upload");
    up.body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
              "\"\r\nContent-Type: text/plain\r\n\r\n" + content + "\r\n--" + boundary +
              "\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nsop\r\n--" + boundary + "--\r\n";
    up.content_type = "multipart/form-data; boundary=" + boundary;
    up.headers.emplace("Authorization", "Bearer " + s.token);
    up.headers.emplace("X-Org-Id", s.org_id);
    return expect(201, http::fetch(up))["data"]["document_id"];
}

// Waits until the document's text is extracted (and so in the database).
void wait_ingested(EdgeProcess& edge, const Site& s, const std::string& id) {
    for (int i = 0; i < 400; ++i) {
        json st = expect(200, call(edge, "GET", "/api/v1/onboarding/documents/status/" + id, nullptr, s.token, s.org_id));
        if (st["data"]["ingestion_status"] == "done") return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("document " << id << " was not ingested");
}

Site prepare(EdgeProcess& edge) {
    Site s;
    s.token = sign_in(edge);
    s.org_id = expect(200, call(edge, "GET", "/api/v1/auth/me", nullptr, s.token))["orgs"][0]["id"];
    json creds = expect(200, call(edge, "GET", "/api/v1/demo/credentials", nullptr, ""))["shopify"];
    json conn = expect(201, call(edge, "POST", "/api/v1/orgs/" + s.org_id + "/connections",
                                 {{"platform", "shopify"}, {"name", "Backup shop"}, {"credentials", creds}}, s.token));
    s.connection_id = conn["id"];
    expect(200, call(edge, "PUT", "/api/v1/orgs/" + s.org_id + "/connections/" + s.connection_id + "/webhooks/secret",
                     {{"secret", kWebhookSecret}}, s.token));
    s.document_id = upload(edge, s, "refunds.txt", kDocument);
    return s;
}

// One Shopify-signed delivery, unique by n.
bool deliver(EdgeProcess& edge, const std::string& connection_id, uint64_t n) {
    http::FetchRequest req;
    req.method = "POST";
    req.url = edge.url("/webhooks/shopify/" + connection_id);
    req.body = R"({"id":)" + std::to_string(8000000000ULL + n) + R"(,"title":"Backup load"})";
    req.content_type = "application/json";
    req.headers.emplace("X-Shopify-Hmac-Sha256", webhooks::sign_shopify(kWebhookSecret, req.body));
    req.headers.emplace("X-Shopify-Topic", "products/update");
    req.headers.emplace("X-Shopify-Shop-Domain", "backup.myshopify.com");
    req.headers.emplace("X-Shopify-API-Version", "2024-04");
    req.headers.emplace("X-Shopify-Webhook-Id", "backup-" + std::to_string(n));
    auto r = http::fetch(req);
    return r.ok() && r.response.status == 200;
}

// The archive's entries by name (read with the edge's own tar reader).
std::map<std::string, std::string> entries(const std::string& archive) {
    std::map<std::string, std::string> out;
    int fd = ::open(archive.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    Status read = backup::read_tar(fd, [&](const backup::TarEntry& e) -> Result<backup::ChunkSink> {
        std::string* into = &out[e.name];
        return backup::ChunkSink([into](std::string_view piece) {
            into->append(piece);
            return ok_status();
        });
    });
    ::close(fd);
    REQUIRE_MESSAGE(read.ok(), read.problem().detail);
    return out;
}

std::map<std::string, int64_t> row_counts(const std::string& db_path) {
    store::Db db(db_path);
    std::vector<std::string> names;
    {
        store::Stmt st(db.raw(), "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        while (st.step()) names.push_back(st.text(0));
    }
    std::map<std::string, int64_t> out;
    for (const std::string& n : names) {
        store::Stmt st(db.raw(), "SELECT COUNT(*) FROM \"" + n + "\"");
        st.step();
        out[n] = st.i64(0);
    }
    return out;
}

mode_t mode_of(const std::string& path) {
    struct stat st;
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

// Every path under dir with its bytes: equal before and after means untouched.
std::map<std::string, std::string> tree(const std::string& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        out[e.path().string()] = e.is_regular_file() ? read_file(e.path().string()) : "<dir>";
    return out;
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string master_key_bytes(const std::string& data_dir) {
    std::string text = read_file(data_dir + "/master.key");
    while (!text.empty() && text.back() == '\n') text.pop_back();
    auto raw = crypto::base64_decode(text);
    REQUIRE(raw);
    return *raw;
}

}  // namespace

TEST_SUITE("cli.backup") {

TEST_CASE("backup finishes under sustained webhook load and restores into a server that decrypts and serves it all") {
    TempDir dir;
    std::string archive = dir.path + "/site.backup";
    Site site;
    std::atomic<int64_t> acked{0}, during{0};
    double seconds = 0;
    {
        fs::create_directories(dir.path + "/data");
        EdgeProcess edge(dir.path + "/data", {"--demo"});
        site = prepare(edge);
        // Megabytes of extracted text: a database of more pages than the
        // old backup copied between two commits of the server, which then
        // restarted it from the first page, over and over.
        std::string bulk;
        while (bulk.size() < (3 << 20)) bulk += "Line " + std::to_string(bulk.size()) + " of the staff handbook.\n";
        for (int i = 0; i < kBulkDocuments; ++i)
            wait_ingested(edge, site, upload(edge, site, "handbook-" + std::to_string(i) + ".txt", bulk));
        std::atomic<bool> stop{false}, backing_up{false};
        std::atomic<uint64_t> next{0};
        std::vector<std::thread> load;
        for (int t = 0; t < 2; ++t)
            load.emplace_back([&] {
                while (!stop) {
                    if (deliver(edge, site.connection_id, next++)) {
                        ++acked;
                        if (backing_up) ++during;
                    }
                }
            });
        while (acked < 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        backing_up = true;
        auto t0 = std::chrono::steady_clock::now();
        CommandResult r = run_edge({"backup", "--data", dir.path + "/data", "--include-key", archive});
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        backing_up = false;
        stop = true;
        for (auto& t : load) t.join();
        REQUIRE_MESSAGE(r.exit_code == 0, r.out);
        CHECK(r.out.find(std::to_string(1 + kBulkDocuments) + " documents") != std::string::npos);
    }
    std::printf("backup under webhook load: %.2f s; %lld deliveries acknowledged while it ran, %lld in all\n",
                seconds, static_cast<long long>(during.load()), static_cast<long long>(acked.load()));
    CHECK(mode_of(archive) == 0600);
    CHECK_FALSE(fs::exists(archive + ".tmp"));

    auto files = entries(archive);
    REQUIRE(files.count("manifest.json"));
    json manifest = json::parse(files["manifest.json"]);
    CHECK(manifest["format"] == "onramp-backup");
    CHECK(manifest["includes_master_key"] == true);
    std::string doc_path = "documents/" + site.org_id + "/" + site.document_id;
    CHECK(files[doc_path] == kDocument);
    CHECK(files.count("master.key") == 1);
    for (const json& f : manifest["files"])
        CHECK(crypto::hex_encode(crypto::sha256(files[f["path"].get<std::string>()])) == f["sha256"]);

    std::string restored = dir.path + "/restored";
    CommandResult r = run_edge({"restore", "--data", restored, archive});
    REQUIRE_MESSAGE(r.exit_code == 0, r.out);
    CHECK(r.out.find("master key (key id " + manifest["vault"]["current_key_id"].get<std::string>() + ") restored") !=
          std::string::npos);
    CHECK(mode_of(restored) == 0700);
    CHECK(mode_of(restored + "/master.key") == 0600);
    CHECK(mode_of(restored + "/onramp.db") == 0600);
    CHECK(mode_of(restored + "/" + doc_path) == 0600);
    CHECK(read_file(restored + "/master.key") == read_file(dir.path + "/data/master.key"));

    // The restored database has the snapshot's rows, load included.
    std::map<std::string, int64_t> counts = row_counts(restored + "/onramp.db");
    CHECK(json(counts) == manifest["tables"]);
    CHECK(counts["webhook_deliveries"] > 0);
    CHECK(counts["documents"] == 1 + kBulkDocuments);

    EdgeProcess again(restored, {"--demo"});
    std::string token = sign_in(again);
    auto file = call(again, "GET", "/api/v1/onboarding/documents/" + site.document_id + "/file", nullptr, token, site.org_id);
    REQUIRE(file.ok());
    CHECK(file.response.status == 200);
    CHECK(crypto::sha256(file.response.body) == crypto::sha256(kDocument));
    // The connection test reads the stored credentials: they decrypt.
    json tested = expect(200, call(again, "POST", "/api/v1/orgs/" + site.org_id + "/connections/" + site.connection_id + "/test",
                                   nullptr, token));
    CHECK_MESSAGE(tested["success"] == true, tested.dump());
}

TEST_CASE("without --include-key the archive holds no key bytes; restore names the key to provide and checks ONRAMP_MASTER_KEY") {
    TempDir dir;
    std::string data = dir.path + "/data";
    fs::create_directories(data);
    {
        EdgeProcess edge(data, {"--demo"});
        prepare(edge);
        CommandResult r = run_edge({"backup", "--data", data, dir.path + "/site.backup"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.out);
        CHECK(r.out.find("holds no master key") != std::string::npos);
    }
    std::string archive = read_file(dir.path + "/site.backup");
    std::string key = master_key_bytes(data);
    std::string key_text = crypto::base64_encode(key);
    CHECK(archive.find(key) == std::string::npos);
    CHECK(archive.find(key_text) == std::string::npos);
    CHECK(entries(dir.path + "/site.backup").count("master.key") == 0);

    CommandResult plain = run_edge({"restore", "--data", dir.path + "/a", dir.path + "/site.backup"});
    REQUIRE_MESSAGE(plain.exit_code == 0, plain.out);
    CHECK(plain.out.find("holds no master key") != std::string::npos);
    CHECK(plain.out.find("ONRAMP_MASTER_KEY") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.path + "/a/master.key"));

    ::setenv("ONRAMP_MASTER_KEY", crypto::base64_encode(std::string(32, 'x')).c_str(), 1);
    CommandResult wrong = run_edge({"restore", "--data", dir.path + "/b", dir.path + "/site.backup"});
    ::setenv("ONRAMP_MASTER_KEY", key_text.c_str(), 1);
    CommandResult right = run_edge({"restore", "--data", dir.path + "/c", dir.path + "/site.backup"});
    ::unsetenv("ONRAMP_MASTER_KEY");
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.out.find("not this backup's vault key") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.path + "/b"));
    CHECK_MESSAGE(right.exit_code == 0, right.out);
    CHECK(right.out.find("is the vault's key") != std::string::npos);
}

TEST_CASE("restore refuses a non-empty directory and an archive with one byte changed, and changes nothing") {
    TempDir dir;
    std::string data = dir.path + "/data";
    fs::create_directories(data);
    std::string doc_path;
    {
        EdgeProcess edge(data, {"--demo"});
        Site s = prepare(edge);
        doc_path = "documents/" + s.org_id + "/" + s.document_id;
        // A file no row references (an upload in flight, a crash's
        // leftover) is not part of the snapshot.
        write_bytes(data + "/documents/" + s.org_id + "/doc_stray", "not in the database");
        REQUIRE(run_edge({"backup", "--data", data, dir.path + "/site.backup"}).exit_code == 0);
    }
    auto files = entries(dir.path + "/site.backup");
    CHECK(files.count(doc_path) == 1);
    for (const auto& [name, bytes] : files) CHECK(name.find("doc_stray") == std::string::npos);

    fs::create_directories(dir.path + "/busy");
    write_bytes(dir.path + "/busy/keep.txt", "mine");
    auto before = tree(dir.path + "/busy");
    CommandResult busy = run_edge({"restore", "--data", dir.path + "/busy", dir.path + "/site.backup"});
    CHECK(busy.exit_code == 1);
    CHECK(busy.out.find("not empty") != std::string::npos);
    CHECK(tree(dir.path + "/busy") == before);

    std::string good = read_file(dir.path + "/site.backup");
    size_t in_document = good.rfind(kDocument);  // the file's entry; its text is in the database too
    REQUIRE(in_document != std::string::npos);
    size_t in_database = good.find("SQLite format 3");
    REQUIRE(in_database != std::string::npos);
    for (size_t at : {in_document + 5, in_database + 4096 + 100, size_t(10)}) {
        CAPTURE(at);
        std::string bad = good;
        bad[at] = char(bad[at] ^ 0x01);
        write_bytes(dir.path + "/bad.backup", bad);
        auto listing = tree(dir.path);
        CommandResult r = run_edge({"restore", "--data", dir.path + "/target", dir.path + "/bad.backup"});
        CHECK(r.exit_code == 1);
        CHECK_MESSAGE(r.out.find("onramp-edge restore: ") != std::string::npos, r.out);
        CHECK_FALSE(fs::exists(dir.path + "/target"));
        CHECK(tree(dir.path) == listing);  // no half-restored directory beside it either
    }
    CommandResult ok = run_edge({"restore", "--data", dir.path + "/target", dir.path + "/site.backup"});
    CHECK_MESSAGE(ok.exit_code == 0, ok.out);
}

TEST_CASE("a document the database lists but whose file is gone fails the backup and leaves no archive") {
    TempDir dir;
    std::string data = dir.path + "/data";
    fs::create_directories(data);
    EdgeProcess edge(data, {"--demo"});
    Site s = prepare(edge);
    std::string doc = data + "/documents/" + s.org_id + "/" + s.document_id;
    REQUIRE(::unlink(doc.c_str()) == 0);
    CommandResult r = run_edge({"backup", "--data", data, dir.path + "/site.backup"});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find(s.document_id) != std::string::npos);
    CHECK_FALSE(fs::exists(dir.path + "/site.backup"));
    CHECK_FALSE(fs::exists(dir.path + "/site.backup.tmp"));
}

TEST_CASE("backup and restore have --help and want one file name") {
    for (const char* cmd : {"backup", "restore"}) {
        CHECK(run_edge({cmd, "--help"}).exit_code == 0);
        CHECK(run_edge({cmd}).exit_code == 2);
        CHECK(run_edge({"--help"}).out.find(cmd) != std::string::npos);
    }
    CHECK(run_edge({"backup", "--help"}).out.find("--include-key") != std::string::npos);
}

}  // TEST_SUITE
