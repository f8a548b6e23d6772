// The documents' reader with the real binaries: a server started by
// `onramp-edge serve` reads uploaded PDFs and DOCX files in a child process,
// the onramp-reader built beside it, and a file its reader refuses fails
// that document while the server keeps answering.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "edge/documents/document_fixtures.h"
#include "edge/documents/reader/read.h"
#include "edge/http/client.h"
#include "edge/support/edge_process.h"
#include "edge/support/test_app.h"

using nlohmann::json;
using onramp::testing::EdgeProcess;
using onramp::testing::make_docx;
using onramp::testing::make_pdf;
using onramp::testing::TempDir;

namespace {

struct Served {
    TempDir dir;
    EdgeProcess edge{dir.path, {"--demo"}};
    std::string token, org;

    Served() {
        auto r = edge.request("POST", "/api/v1/auth/login",
                              json{{"email", "demo@onramp.local"}, {"password", "onramp-demo"}}.dump());
        REQUIRE_MESSAGE(r.response.status == 200, r.response.body);
        token = json::parse(r.response.body)["access_token"];
        auto me = edge.request("GET", "/api/v1/auth/me", "", token);
        REQUIRE_MESSAGE(me.response.status == 200, me.response.body);
        org = json::parse(me.response.body)["memberships"][0]["org_id"];
    }

    onramp::http::FetchResult call(const std::string& method, const std::string& path, std::string body = "",
                                   std::string content_type = "") {
        onramp::http::FetchRequest req;
        req.method = method;
        req.url = edge.url("/api/v1/onboarding/documents" + path);
        req.body = std::move(body);
        req.content_type = std::move(content_type);
        req.headers.emplace("Authorization", "Bearer " + token);
        req.headers.emplace("X-Org-Id", org);
        return onramp::http::fetch(req);
    }

    // POST /upload as multipart/form-data (RFC 7578); returns the document id.
    std::string upload(const std::string& filename, const std::string& content) {
        const std::string b = "onramp-test-boundary";
        std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
                           "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--" + b +
                           "\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nsop\r\n--" + b + "--\r\n";
        auto r = call("POST", "/upload", body, "multipart/form-data; boundary=" + b);
        REQUIRE_MESSAGE(r.response.status == 201, r.response.body);
        return json::parse(r.response.body)["data"]["document_id"];
    }

    // The document's status once it is done or failed (the worker polls
    // every 2 s); waits up to 30 s.
    json settled(const std::string& id) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        for (;;) {
            auto r = call("GET", "/status/" + id);
            REQUIRE_MESSAGE(r.response.status == 200, r.response.body);
            json data = json::parse(r.response.body)["data"];
            if (data["ingestion_status"] == "done" || data["ingestion_status"] == "failed") return data;
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "still " << data.dump());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
};

}  // namespace

TEST_SUITE("documents.served") {

TEST_CASE("the server reads uploads in its reader process; a file it refuses fails alone") {
    Served s;
    std::string pdf_bytes = make_pdf({"Greeting script", "Closing"});
    std::string pdf = s.upload("script.pdf", pdf_bytes);
    std::string docx = s.upload("handbook.docx", make_docx({"Refund policy"}));
    // A PDF whose body is damaged: the reader fails it with its own reason.
    std::string broken = s.upload("broken.pdf", "%PDF-1.7\nthis is not a PDF body at all\n");

    CHECK(s.settled(pdf)["ingestion_status"] == "done");
    CHECK(s.settled(docx)["ingestion_status"] == "done");
    json failed = s.settled(broken);
    CHECK(failed["ingestion_status"] == "failed");
    CHECK(failed["error_message"] == "The PDF could not be read: it is damaged or not really a PDF.");

    auto text = s.call("GET", "/" + pdf + "/text");
    REQUIRE_MESSAGE(text.response.status == 200, text.response.body);
    auto here = onramp::documents::extract_text(onramp::documents::Kind::Pdf, pdf_bytes, {});
    REQUIRE(here);
    CHECK(json::parse(text.response.body)["data"]["text"] == here->text);
    CHECK(here->text.find("Closing") != std::string::npos);
    auto words = s.call("GET", "/" + docx + "/text");
    CHECK(json::parse(words.response.body)["data"]["text"] == "Refund policy");
    CHECK(s.edge.request("GET", "/healthz").response.status == 200);
}

TEST_CASE("the server maps neither poppler nor expat, even after reading a PDF and a DOCX") {
    Served s;
    CHECK(s.settled(s.upload("script.pdf", make_pdf({"Greeting script"})))["ingestion_status"] == "done");
    CHECK(s.settled(s.upload("handbook.docx", make_docx({"Refund policy"})))["ingestion_status"] == "done");
    std::string maps = onramp::testing::read_file("/proc/" + std::to_string(s.edge.pid()) + "/maps");
    REQUIRE(maps.find("libc.so") != std::string::npos);  // the file was read at all
    for (const char* lib : {"libpoppler", "libexpat", "libnss3", "libfreetype"}) CHECK_MESSAGE(maps.find(lib) == std::string::npos, lib);
}

}
