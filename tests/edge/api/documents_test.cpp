// Specification of /api/v1/onboarding/documents (Phase 3 of the phased
// onboarding): a multipart upload as a client sends it and the documented
// shapes back; who may call (401, 403, another tenant 404, X-Org-Id); bad uploads
// (empty, oversized, wrong type, mismatched name, bad fields, path tricks)
// rejected with nothing stored, neither row nor file; duplicates by name.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "edge/api/routes.h"
#include "edge/documents/document_fixtures.h"
#include "edge/documents/ingest.h"
#include "edge/http/client.h"
#include "edge/http/server.h"
#include "edge/support/test_app.h"

using namespace onramp;
using nlohmann::json;
using onramp::testing::make_docx;
using onramp::testing::make_pdf;
using onramp::testing::png_bytes;
using onramp::testing::Reply;
using onramp::testing::TestApp;

namespace {

namespace fs = std::filesystem;

// The database and the vault's key file live beside the documents.
bool is_document_file(const fs::path& p) {
    std::string name = p.filename().string();
    return name.rfind("onramp.db", 0) != 0 && name != "master.key";
}

const std::string kBase = "/api/v1/onboarding/documents";
const std::string kUpload = kBase + "/upload";

// One multipart part: a file when `filename` is set, else a text field.
struct Part {
    Part(std::string n, std::string v, std::optional<std::string> f = std::nullopt)
        : name(std::move(n)), value(std::move(v)), filename(std::move(f)) {}
    std::string name;
    std::string value;
    std::optional<std::string> filename;
};

Part file_part(std::string filename, std::string content) { return {"file", std::move(content), std::move(filename)}; }

// Acme (ann manager, carl csr), Globex (gina manager), mia managing both,
// and an operator.
struct Tenants {
    TestApp t;
    std::string acme, globex, ann, carl, gina, mia, op;

    Tenants() {
        acme = t.make_org("Acme");
        globex = t.make_org("Globex");
        t.add_member(acme, t.make_user("ann@acme.test", "pw-123456"), "manager");
        t.add_member(acme, t.make_user("carl@acme.test", "pw-123456"), "csr");
        t.add_member(globex, t.make_user("gina@globex.test", "pw-123456"), "manager");
        std::string mia_id = t.make_user("mia@both.test", "pw-123456");
        t.add_member(acme, mia_id, "manager");
        t.add_member(globex, mia_id, "manager");
        t.make_user("op@onramp.test", "pw-123456", true);
        ann = t.login("ann@acme.test", "pw-123456");
        carl = t.login("carl@acme.test", "pw-123456");
        gina = t.login("gina@globex.test", "pw-123456");
        mia = t.login("mia@both.test", "pw-123456");
        op = t.login("op@onramp.test", "pw-123456");
    }

    // POST multipart/form-data, straight to the router: the parts land in
    // Request::files and Request::form as the httplib server puts them.
    Reply upload(const std::string& token, const std::vector<Part>& parts,
                 std::map<std::string, std::string> headers = {}) {
        http::Request req;
        req.method = "POST";
        req.path = req.target = kUpload;
        req.remote_addr = "127.0.0.1";
        req.request_id = "test-request";
        req.headers.emplace("Content-Type", "multipart/form-data; boundary=----onramp");
        if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
        for (const auto& [k, v] : headers) req.headers.emplace(k, v);
        for (const Part& p : parts) {
            if (p.filename)
                req.files.emplace(p.name, http::UploadedFile{*p.filename, "application/octet-stream", p.value});
            else
                req.form.emplace(p.name, p.value);
        }
        http::Response res = t.router.dispatch(req);
        Reply r{res.status, res.content_type, res.body, {}};
        for (const auto& [k, v] : res.headers) r.headers[k] = v;
        return r;
    }

    // A sales rep's standard operating procedure: a file, category=sop, role_target=sales_rep.
    Reply upload_sop(const std::string& token, const std::string& filename, const std::string& content,
                     std::map<std::string, std::string> headers = {}) {
        return upload(token, {file_part(filename, content), {"category", "sop"}, {"role_target", "sales_rep"}},
                      std::move(headers));
    }

    std::string uploaded_id(const Reply& r) {
        REQUIRE_MESSAGE((r.status == 201 || r.status == 200), r.body);
        return r.json()["data"]["document_id"].get<std::string>();
    }

    int ingest() {
        documents::IngestOptions o;
        o.data_dir = t.dir.path;
        o.now = [this] { return t.clock; };
        o.extractor = ONRAMP_READER_BINARY;
        return documents::IngestWorker(*t.app.store, o).run_pending();
    }

    Reply get(const std::string& path, const std::string& token, std::map<std::string, std::string> headers = {}) {
        return t.call("GET", path, "", token, std::move(headers));
    }

    // Every file under the data directory but the database's own.
    std::set<std::string> files() {
        std::set<std::string> out;
        for (const auto& e : fs::recursive_directory_iterator(t.dir.path))
            if (e.is_regular_file() && is_document_file(e.path()))
                out.insert(fs::relative(e.path(), t.dir.path).string());
        return out;
    }

    // Database rows and stored files: equal before and after a rejected
    // request means it stored nothing.
    std::string state() {
        std::string s = t.snapshot();
        for (const std::string& f : files()) s += "file:" + f + "\n";
        return s;
    }

    int64_t audit_count(const std::string& action) {
        auto db = t.app.store->lease();
        store::Stmt st(*db, "SELECT COUNT(*) FROM audit_log WHERE action = ?");
        st.bind_all(action);
        st.step();
        return st.i64(0);
    }
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A multipart/form-data body as `curl -F` writes it (RFC 7578).
std::string multipart_body(const std::string& boundary, const std::vector<Part>& parts) {
    std::string body;
    for (const Part& p : parts) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
        if (p.filename) body += "; filename=\"" + *p.filename + "\"\r\nContent-Type: application/octet-stream";
        body += "\r\n\r\n" + p.value + "\r\n";
    }
    return body + "--" + boundary + "--\r\n";
}

std::set<std::string> keys(const json& j) {
    std::set<std::string> out;
    for (const auto& [k, v] : j.items()) out.insert(k);
    return out;
}

}  // namespace

TEST_SUITE("documents.api") {

TEST_CASE("multipart upload: a manager uploads sales_script.pdf and gets the document and its ingestion job") {
    Tenants s;
    std::string pdf = make_pdf({"Sales script", "Ask for the decision maker."});
    Reply r = s.upload_sop(s.ann, "sales_script.pdf", pdf);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    CHECK(r.content_type == "application/json");
    json j = r.json();
    CHECK(j["success"] == true);
    CHECK(j["meta"]["org_id"] == s.acme);
    CHECK(j["meta"]["request_id"] == "test-request");
    json d = j["data"];
    CHECK(keys(d) == std::set<std::string>{"success", "document_id", "filename", "s3_url", "ingestion_job_id",
                                           "ingestion_status", "estimated_processing_time", "duplicate"});
    CHECK(d["success"] == true);
    std::string id = d["document_id"];
    CHECK(id.rfind("doc_", 0) == 0);
    CHECK(d["filename"] == "sales_script.pdf");
    CHECK(d["s3_url"] == kBase + "/" + id + "/file");
    CHECK(d["ingestion_job_id"].get<std::string>().rfind("job_", 0) == 0);
    CHECK(d["ingestion_status"] == "pending");
    CHECK(d["estimated_processing_time"] == "under a minute");
    CHECK(d["duplicate"] == false);

    CHECK(s.files() == std::set<std::string>{"documents/" + s.acme + "/" + id});
    CHECK(read_file(s.t.dir.path + "/documents/" + s.acme + "/" + id) == pdf);
    CHECK(s.audit_count("document.uploaded") == 1);
}

TEST_CASE("the status follows the job from pending to done: ingestion_status, progress, error_message") {
    Tenants s;
    std::string id = s.uploaded_id(s.upload_sop(s.ann, "sales_script.pdf", make_pdf({"Greeting script"})));
    Reply before = s.get(kBase + "/status/" + id, s.ann);
    REQUIRE_MESSAGE(before.status == 200, before.body);
    CHECK(before.json()["data"]["ingestion_status"] == "pending");
    CHECK(before.json()["data"]["progress"].is_null());

    CHECK(s.ingest() == 1);
    Reply after = s.get(kBase + "/status/" + id, s.ann);
    json j = after.json();
    CHECK(j["success"] == true);
    json d = j["data"];
    for (const char* k : {"document_id", "ingestion_status", "ingestion_job_id", "progress", "error_message"})
        CHECK_MESSAGE(d.contains(k), k);
    CHECK(d["document_id"] == id);
    CHECK(d["ingestion_status"] == "done");
    CHECK(d["progress"] == 100);
    CHECK(d["error_message"].is_null());
    CHECK(d["text_chars"].get<int>() > 0);

    Reply text = s.get(kBase + "/" + id + "/text", s.ann);
    REQUIRE_MESSAGE(text.status == 200, text.body);
    CHECK(text.json()["data"]["text"] == "Greeting script");
}

TEST_CASE("a broken PDF is accepted, then its status says failed with the error message") {
    Tenants s;
    std::string id = s.uploaded_id(s.upload_sop(s.ann, "broken.pdf", "%PDF-1.4\nnothing else of a PDF here\n"));
    s.ingest();
    json d = s.get(kBase + "/status/" + id, s.ann).json()["data"];
    CHECK(d["ingestion_status"] == "failed");
    CHECK(d["error_message"] == "The PDF could not be read: it is damaged or not really a PDF.");
    CHECK(d["progress"].is_null());
    CHECK(s.get(kBase + "/" + id + "/text", s.ann).json()["error_code"] == "not_ingested");
}

TEST_CASE("DOCX, text and Markdown uploads are ingested; metadata and role_target are kept") {
    Tenants s;
    Reply docx = s.upload(s.ann, {file_part("handbook.docx", make_docx({"Refunds within thirty days"})),
                                  {"category", "policy"},
                                  {"metadata", R"({"version": 3, "owner": "ops"})"}});
    REQUIRE_MESSAGE(docx.status == 201, docx.body);
    Reply md = s.upload(s.ann, {file_part("faq.md", "# FAQ\nOpen at nine."), {"category", "reference"},
                                {"role_target", "null"}});
    REQUIRE_MESSAGE(md.status == 201, md.body);
    Reply txt = s.upload(s.ann, {file_part("notes.txt", "Call back within an hour."), {"category", "training"},
                                 {"role_target", "csr"}, {"metadata", ""}});
    REQUIRE_MESSAGE(txt.status == 201, txt.body);
    CHECK(s.ingest() == 3);

    Reply list = s.get(kBase, s.ann);
    REQUIRE_MESSAGE(list.status == 200, list.body);
    json items = list.json()["data"]["documents"];
    REQUIRE(items.size() == 3);
    CHECK(list.json()["data"]["total"] == 3);
    std::map<std::string, json> by_name;
    for (const json& i : items) by_name[i["filename"]] = i;
    CHECK(by_name["handbook.docx"]["metadata"] == json{{"version", 3}, {"owner", "ops"}});
    CHECK(by_name["handbook.docx"]["role_target"].is_null());
    CHECK(by_name["handbook.docx"]["category"] == "policy");
    CHECK(by_name["faq.md"]["role_target"].is_null());
    CHECK(by_name["faq.md"]["content_type"] == "text/markdown; charset=utf-8");
    CHECK(by_name["notes.txt"]["role_target"] == "csr");
    CHECK(by_name["notes.txt"]["metadata"] == json::object());
    for (const json& i : items) CHECK(i["ingestion_status"] == "done");
}

TEST_CASE("every endpoint: no token 401, bad token 401, csr 403, and nothing stored") {
    Tenants s;
    std::string id = s.uploaded_id(s.upload_sop(s.ann, "kept.txt", "kept"));
    std::string before = s.state();
    for (const std::string& token : {std::string(), std::string("forged-token")}) {
        CAPTURE(token);
        CHECK(s.upload_sop(token, "new.txt", "x").status == 401);
        CHECK(s.get(kBase, token).status == 401);
        CHECK(s.get(kBase + "/status/" + id, token).status == 401);
        CHECK(s.get(kBase + "/" + id + "/file", token).status == 401);
        CHECK(s.get(kBase + "/" + id + "/text", token).status == 401);
        CHECK(s.t.call("DELETE", kBase + "/" + id, "", token).status == 401);
    }
    Reply csr = s.upload_sop(s.carl, "new.txt", "x");
    CHECK(csr.status == 403);
    CHECK(csr.content_type == "application/problem+json");
    CHECK(csr.json()["error_code"] == "forbidden");
    CHECK(s.get(kBase, s.carl).status == 403);
    CHECK(s.get(kBase + "/status/" + id, s.carl).status == 403);
    CHECK(s.get(kBase + "/" + id + "/file", s.carl).status == 403);
    CHECK(s.t.call("DELETE", kBase + "/" + id, "", s.carl).status == 403);
    CHECK(s.upload_sop(s.carl, "new.txt", "x", {{"X-Org-Id", s.acme}}).status == 403);
    CHECK(s.state() == before);
}

TEST_CASE("another tenant's document is 404 on every endpoint, and naming its org is 404") {
    Tenants s;
    std::string id = s.uploaded_id(s.upload_sop(s.ann, "acme.txt", "acme only"));
    s.ingest();
    std::string before = s.state();
    CHECK(s.get(kBase + "/status/" + id, s.gina).status == 404);
    CHECK(s.get(kBase + "/" + id + "/file", s.gina).status == 404);
    CHECK(s.get(kBase + "/" + id + "/text", s.gina).status == 404);
    CHECK(s.t.call("DELETE", kBase + "/" + id, "", s.gina).status == 404);
    CHECK(s.get(kBase, s.gina).json()["data"]["total"] == 0);
    CHECK(s.get(kBase + "/status/" + id, s.gina, {{"X-Org-Id", s.acme}}).status == 404);
    CHECK(s.upload_sop(s.gina, "sneaky.txt", "x", {{"X-Org-Id", s.acme}}).status == 404);
    CHECK(s.upload(s.gina, {file_part("sneaky.txt", "x"), {"category", "sop"}, {"org_id", s.acme}}).status == 404);
    CHECK(s.get(kBase + "/status/doc_does_not_exist", s.ann).status == 404);
    CHECK(s.state() == before);
}

TEST_CASE("operators and managers of several orgs name the org with X-Org-Id") {
    Tenants s;
    Reply unnamed = s.upload_sop(s.op, "op.txt", "x");
    CHECK(unnamed.status == 422);
    CHECK(unnamed.json()["errors"].contains("X-Org-Id"));
    CHECK(s.upload_sop(s.op, "op.txt", "x", {{"X-Org-Id", "org_nope"}}).status == 404);
    Reply named = s.upload_sop(s.op, "op.txt", "x", {{"X-Org-Id", s.globex}});
    REQUIRE_MESSAGE(named.status == 201, named.body);
    CHECK(named.json()["meta"]["org_id"] == s.globex);
    Reply by_field = s.upload(s.op, {file_part("field.txt", "x"), {"category", "sop"}, {"org_id", s.acme}});
    REQUIRE_MESSAGE(by_field.status == 201, by_field.body);
    CHECK(by_field.json()["meta"]["org_id"] == s.acme);
    CHECK(s.get(kBase + "?org_id=" + s.acme, s.op).json()["data"]["total"] == 1);

    CHECK(s.upload_sop(s.mia, "mia.txt", "x").status == 422);
    Reply mia = s.upload_sop(s.mia, "mia.txt", "x", {{"X-Org-Id", s.globex}});
    REQUIRE_MESSAGE(mia.status == 201, mia.body);
    CHECK(s.get(kBase, s.gina).json()["data"]["total"] == 2);
    CHECK(s.get(kBase, s.ann).json()["data"]["total"] == 1);
}

TEST_CASE("an empty file is 422 and stores nothing") {
    Tenants s;
    std::string before = s.state();
    Reply r = s.upload_sop(s.ann, "empty.txt", "");
    CHECK(r.status == 422);
    CHECK(r.content_type == "application/problem+json");
    CHECK(r.json()["error_code"] == "validation_failed");
    CHECK(r.json()["errors"]["file"] == "is empty");
    CHECK(s.state() == before);
}

TEST_CASE("a file over 10 MiB is 413 and stores nothing; larger bodies are refused before they are read") {
    Tenants s;
    std::string before = s.state();
    Reply r = s.upload_sop(s.ann, "big.txt", std::string((10 << 20) + 1, 'a'));
    CHECK(r.status == 413);
    CHECK(r.json()["error_code"] == "payload_too_large");
    CHECK(s.state() == before);
    Reply exact = s.upload_sop(s.ann, "exact.txt", std::string(10 << 20, 'a'));
    CHECK_MESSAGE(exact.status == 201, exact.body);
    CHECK(s.t.router.check_length("POST", kUpload, 12 << 20));
    CHECK_FALSE(s.t.router.check_length("POST", kUpload, (10 << 20) + 4096));
}

TEST_CASE("a wrong type is 415, a name that disagrees with the content 422, and nothing is stored") {
    Tenants s;
    std::string before = s.state();
    Reply png = s.upload_sop(s.ann, "logo.png", png_bytes());
    CHECK(png.status == 415);
    CHECK(png.json()["error_code"] == "unsupported_document_type");
    CHECK(s.upload_sop(s.ann, "logo.pdf", png_bytes()).status == 415);
    CHECK(s.upload_sop(s.ann, "page.html", "<html></html>").status == 415);
    Reply mismatch = s.upload_sop(s.ann, "notes.txt", make_pdf({"x"}));
    CHECK(mismatch.status == 422);
    CHECK(mismatch.json()["error_code"] == "type_mismatch");
    CHECK(mismatch.json()["errors"]["file"] == "is named .txt but its content is a PDF");
    Reply json_body = s.t.call("POST", kUpload, R"({"category":"sop"})", s.ann);
    CHECK(json_body.status == 415);
    CHECK(s.state() == before);
}

TEST_CASE("bad fields are 422 naming each field at once") {
    Tenants s;
    std::string before = s.state();
    Reply r = s.upload(s.ann, {file_part("a.txt", "x"), {"category", "memo"}, {"role_target", "ceo"},
                               {"metadata", "[1, 2]"}});
    REQUIRE(r.status == 422);
    json e = r.json()["errors"];
    CHECK(e["category"] == "must be one of sop, training, reference, policy");
    CHECK(e["role_target"] == "must be one of manager, csr, sales_rep, or null");
    CHECK(e["metadata"] == "must be a JSON object, sent as a string");
    Reply missing = s.upload(s.ann, {{"category", "sop"}});
    CHECK(missing.json()["errors"]["file"] == "is required: send the document as the multipart part \"file\"");
    Reply text_file = s.upload(s.ann, {{"file", "not a file"}, {"category", "sop"}});
    CHECK(text_file.json()["errors"]["file"] == "must be a file part (with a filename), not a text field");
    Reply two = s.upload(s.ann, {file_part("a.txt", "x"), file_part("b.txt", "y"), {"category", "sop"}});
    CHECK(two.json()["errors"]["file"] == "must be a single file; upload documents one at a time");
    Reply no_category = s.upload(s.ann, {file_part("a.txt", "x")});
    CHECK(no_category.json()["errors"]["category"] == "is required: one of sop, training, reference, policy");
    Reply bad_json = s.upload(s.ann, {file_part("a.txt", "x"), {"category", "sop"}, {"metadata", "{nope"}});
    CHECK(bad_json.json()["errors"].contains("metadata"));
    CHECK(s.state() == before);
}

TEST_CASE("path tricks in the filename are neutralised to a base name; files stay in the org's directory") {
    Tenants s;
    std::map<std::string, std::string> tricks = {
        {"../../../../etc/passwd.txt", "passwd.txt"},
        {"..\\..\\boot.ini.md", "boot.ini.md"},
        {"/var/www/index.txt", "index.txt"},
        {"C:\\Users\\ann\\plan.txt", "plan.txt"},
        {std::string("evil.pdf\0.txt", 13), "evil.pdf.txt"},
        {"..hidden.txt", "hidden.txt"},
    };
    std::set<std::string> expected_files;
    for (const auto& [raw, clean] : tricks) {
        CAPTURE(clean);
        Reply r = s.upload_sop(s.ann, raw, "text for " + clean);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        CHECK(r.json()["data"]["filename"] == clean);
        expected_files.insert("documents/" + s.acme + "/" + r.json()["data"]["document_id"].get<std::string>());
    }
    CHECK(s.files() == expected_files);
    CHECK_FALSE(fs::exists(fs::path(s.t.dir.path).parent_path() / "etc" / "passwd.txt"));

    std::string before = s.state();
    for (const std::string& raw : {std::string("../"), std::string(".."), std::string("dir/.."), std::string("\\"),
                                   std::string("\x01\x02", 2), std::string("caf\xE9.txt")}) {
        Reply r = s.upload_sop(s.ann, raw, "x");
        CHECK(r.status == 422);
        CHECK(r.json()["errors"].contains("filename"));
    }
    CHECK(s.state() == before);
}

TEST_CASE("a duplicate filename returns the existing document with duplicate: true and stores nothing") {
    Tenants s;
    Reply first = s.upload_sop(s.ann, "notes.txt", "first version");
    REQUIRE(first.status == 201);
    std::string before = s.state();
    Reply again = s.upload(s.ann, {file_part("notes.txt", "second version"), {"category", "training"}});
    REQUIRE_MESSAGE(again.status == 200, again.body);
    CHECK(again.json()["success"] == true);
    CHECK(again.json()["data"]["duplicate"] == true);
    CHECK(again.json()["data"]["document_id"] == first.json()["data"]["document_id"]);
    CHECK(again.json()["data"]["ingestion_job_id"] == first.json()["data"]["ingestion_job_id"]);
    CHECK(s.state() == before);
    CHECK(s.audit_count("document.uploaded") == 1);
    CHECK(s.get(kBase, s.ann).json()["data"]["documents"][0]["category"] == "sop");

    // The same name in another tenant is another document.
    Reply other = s.upload_sop(s.gina, "notes.txt", "globex notes");
    CHECK(other.status == 201);
    CHECK(other.json()["data"]["duplicate"] == false);
}

TEST_CASE("the stored file downloads as an attachment that the browser will not render") {
    Tenants s;
    std::string content = "# Notes\n<script>alert(document.cookie)</script>\n";
    std::string id = s.uploaded_id(s.upload_sop(s.ann, "he said \"hi\"; x.md", content));
    Reply r = s.get(kBase + "/" + id + "/file", s.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.body == content);
    CHECK(r.content_type == "text/markdown; charset=utf-8");
    CHECK(r.header("Content-Disposition") ==
          "attachment; filename=\"he said _hi__ x.md\"; filename*=UTF-8''he%20said%20%22hi%22%3B%20x.md");
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.header("Content-Security-Policy") == "default-src 'none'; sandbox");
}

TEST_CASE("delete removes the row and the file; the status is then 404") {
    Tenants s;
    std::string id = s.uploaded_id(s.upload_sop(s.ann, "old.txt", "old"));
    s.ingest();
    Reply r = s.t.call("DELETE", kBase + "/" + id, "", s.ann);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["data"] == json{{"document_id", id}, {"deleted", true}});
    CHECK(s.get(kBase + "/status/" + id, s.ann).status == 404);
    CHECK(s.files().empty());
    CHECK(s.audit_count("document.deleted") == 1);
    // The name is free again.
    CHECK(s.upload_sop(s.ann, "old.txt", "new").status == 201);
}

TEST_CASE("over a socket: a multipart upload is parsed by the server and gets the same answer") {
    Tenants s;
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    http::Server server(s.t.router, options);
    REQUIRE(server.bind());
    std::thread serving([&server] { server.run(); });
    auto post = [&](const std::vector<Part>& parts) {
        http::FetchRequest req;
        req.method = "POST";
        req.url = "http://127.0.0.1:" + std::to_string(server.port()) + kUpload;
        req.headers.emplace("Authorization", "Bearer " + s.ann);
        req.content_type = "multipart/form-data; boundary=------------------------onramp7e3";
        req.body = multipart_body("------------------------onramp7e3", parts);
        return http::fetch(req);
    };
    std::string pdf = make_pdf({"Sales script"});
    http::FetchResult created =
        post({file_part("sales_script.pdf", pdf), {"category", "sop"}, {"role_target", "sales_rep"}});
    http::FetchResult tricked = post({file_part("../../etc/passwd.txt", "x"), {"category", "policy"}});
    http::FetchResult empty = post({file_part("empty.txt", ""), {"category", "sop"}});
    server.stop();
    serving.join();

    REQUIRE_MESSAGE(created.ok(), created.failure.message);
    REQUIRE_MESSAGE(created.response.status == 201, created.response.body);
    json d = json::parse(created.response.body)["data"];
    CHECK(d["filename"] == "sales_script.pdf");
    CHECK(d["ingestion_status"] == "pending");
    std::string id = d["document_id"];
    CHECK(read_file(s.t.dir.path + "/documents/" + s.acme + "/" + id) == pdf);
    REQUIRE(tricked.ok());
    CHECK(json::parse(tricked.response.body)["data"]["filename"] == "passwd.txt");
    REQUIRE(empty.ok());
    CHECK(empty.response.status == 422);
    CHECK(s.files().size() == 2);
}

}
