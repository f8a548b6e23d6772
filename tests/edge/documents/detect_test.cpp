// Specification of document type detection: the content decides, the name
// must agree, and everything else is refused with a message naming what
// the file is and what is accepted.
#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "edge/documents/detect.h"
#include "edge/documents/document_fixtures.h"

using namespace onramp;
using namespace onramp::documents;
using onramp::testing::make_docx;
using onramp::testing::make_pdf;
using onramp::testing::make_zip;
using onramp::testing::png_bytes;

namespace {

// The Problem of a refused detection (fails the test if it was accepted).
Problem refused(std::string_view name, std::string_view content) {
    auto r = detect(name, content);
    REQUIRE_MESSAGE(!r, "accepted " << name);
    return r.problem();
}

}  // namespace

TEST_SUITE("documents.detect") {

TEST_CASE("PDF, DOCX, text and Markdown are recognised from their bytes") {
    auto pdf = detect("sales_script.pdf", make_pdf({"Hello"}));
    REQUIRE_MESSAGE(pdf, pdf.problem().detail);
    CHECK(*pdf == Kind::Pdf);
    auto docx = detect("Handbook.DOCX", make_docx({"Hello"}));
    REQUIRE_MESSAGE(docx, docx.problem().detail);
    CHECK(*docx == Kind::Docx);
    CHECK(*detect("notes.txt", "plain words\n") == Kind::Text);
    CHECK(*detect("notes.text", "plain words\n") == Kind::Text);
    CHECK(*detect("README.md", "# Title\n\nCaf\xC3\xA9 \xE2\x9C\x93\n") == Kind::Markdown);
    CHECK(*detect("guide.markdown", "- item\n") == Kind::Markdown);
    CHECK(*detect("bom.txt", "\xEF\xBB\xBFwith a byte order mark") == Kind::Text);
}

TEST_CASE("content types round-trip for the worker") {
    for (Kind k : {Kind::Pdf, Kind::Docx, Kind::Text, Kind::Markdown}) CHECK(kind_of_content_type(content_type_of(k)) == k);
    CHECK(std::string(content_type_of(Kind::Pdf)) == "application/pdf");
    CHECK_FALSE(kind_of_content_type("text/html"));
}

TEST_CASE("binary content is refused with 415 whatever its name") {
    for (const char* name : {"logo.png", "logo.pdf", "logo.txt"}) {
        CAPTURE(name);
        Problem p = refused(name, png_bytes());
        CHECK(p.status == 415);
        CHECK(p.error_code == "unsupported_document_type");
        CHECK(p.detail.find("PDF, DOCX, TXT and Markdown") != std::string::npos);
    }
}

TEST_CASE("text that is not UTF-8 or contains NUL bytes is binary") {
    CHECK(refused("latin1.txt", "caf\xE9").status == 415);
    CHECK(refused("nul.txt", std::string("a\0b", 3)).status == 415);
    CHECK(refused("utf16.txt", std::string("\xFF\xFEh\0i\0", 6)).status == 415);
}

TEST_CASE("a ZIP that is not a Word document, and legacy .doc files, are refused") {
    std::string zip = make_zip({{"hello.txt", "hi"}});
    Problem p = refused("archive.docx", zip);
    CHECK(p.status == 415);
    CHECK(p.detail.find("ZIP archive that is not a Word document") != std::string::npos);
    std::string ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an OLE file";
    Problem doc = refused("old.doc", ole);
    CHECK(doc.status == 415);
    CHECK(doc.detail.find(".docx") != std::string::npos);
}

TEST_CASE("an accepted content under an unaccepted extension is 415 naming the extension") {
    Problem p = refused("page.html", "<script>alert(1)</script>");
    CHECK(p.status == 415);
    CHECK(p.detail.find("not .html") != std::string::npos);
    CHECK(refused("noextension", "text").detail.find("no extension") != std::string::npos);
    CHECK(refused("trailingdot.", "text").status == 415);
}

TEST_CASE("a name that disagrees with the content is 422 type_mismatch naming both") {
    Problem p = refused("notes.txt", make_pdf({"x"}));
    CHECK(p.status == 422);
    CHECK(p.error_code == "type_mismatch");
    CHECK(p.errors.at("file") == "is named .txt but its content is a PDF");
    CHECK(refused("report.pdf", "just text").errors.at("file") == "is named .pdf but its content is plain UTF-8 text");
    CHECK(refused("report.docx", make_pdf({"x"})).status == 422);
    CHECK(refused("report.pdf", make_docx({"x"})).status == 422);
    CHECK(refused("notes.md", make_docx({"x"})).status == 422);
}

TEST_CASE("UTF-8 validation is strict") {
    CHECK(valid_utf8(""));
    CHECK(valid_utf8("ascii"));
    CHECK(valid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));  // é € 😀
    CHECK_FALSE(valid_utf8("\xC0\xAF"));                       // overlong "/"
    CHECK_FALSE(valid_utf8("\xE0\x80\xAF"));                   // overlong "/", three bytes
    CHECK_FALSE(valid_utf8("\xED\xA0\x80"));                   // a surrogate
    CHECK_FALSE(valid_utf8("\xF4\x90\x80\x80"));               // above U+10FFFF
    CHECK_FALSE(valid_utf8("\xE2\x82"));                       // cut short
    CHECK_FALSE(valid_utf8("\x80"));                           // a lone continuation byte
}

TEST_CASE("UTF-8 helpers never split a character") {
    CHECK(utf8_length("caf\xC3\xA9") == 4);
    CHECK(utf8_prefix("caf\xC3\xA9", 4) == "caf");
    CHECK(utf8_prefix("caf\xC3\xA9", 5) == "caf\xC3\xA9");
    CHECK(utf8_prefix("abc", 10) == "abc");
    CHECK(to_valid_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(to_valid_utf8("\xC3\xA9") == "\xC3\xA9");
}

TEST_CASE("the web's file picker offers exactly the extensions the detector accepts") {
    // Content that agrees with each kind, so only the extension decides.
    auto content_of = [](Kind kind) -> std::string {
        switch (kind) {
            case Kind::Pdf: return make_pdf({"Hello"});
            case Kind::Docx: return make_docx({"Hello"});
            case Kind::Text:
            case Kind::Markdown: return "plain words\n";
        }
        return "";
    };
    std::set<std::string> offered;
    for (const Extension& e : accepted_extensions()) {
        CAPTURE(e.name);
        auto kind = detect("file." + std::string(e.name), content_of(e.kind));
        REQUIRE_MESSAGE(kind, kind.problem().detail);
        CHECK(*kind == e.kind);
        offered.insert("." + std::string(e.name));
    }
    std::set<std::string> accept;
    std::stringstream list(accept_attribute());
    for (std::string item; std::getline(list, item, ',');) accept.insert(item);
    CHECK(accept == offered);
    // What the picker used to offer, and other office formats, are refused.
    for (const char* ext : {"doc", "csv", "xlsx", "xls", "rtf", "html", "odt", "pptx"}) {
        CAPTURE(ext);
        CHECK(refused(std::string("file.") + ext, "plain words\n").status == 415);
        CHECK(accept.count(std::string(".") + ext) == 0);
    }
}

TEST_CASE("the documents step's wording names what the edge accepts, and no spreadsheets") {
    Problem p = refused("prices.xlsx", "plain words\n");
    CHECK(p.detail.find(kAcceptedKinds) != std::string::npos);
    const std::string words = kAcceptedKinds;
    for (const char* kind : {"PDF", "DOCX", "TXT", "Markdown"}) CHECK(words.find(kind) != std::string::npos);
    CHECK(words.find("spreadsheet") == std::string::npos);
}

}
