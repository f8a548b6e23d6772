// Specification of text extraction: real PDF (poppler) and DOCX (libzip +
// expat) files made at run time, and the limits that keep hostile files
// bounded: page cap, text cap, zip bomb, DTD.
#include <doctest/doctest.h>

#include "edge/documents/document_fixtures.h"
#include "edge/documents/reader/read.h"

using namespace onramp;
using namespace onramp::documents;
using onramp::testing::make_docx;
using onramp::testing::make_docx_with;
using onramp::testing::make_pdf;
using onramp::testing::word_document_xml;

namespace {

Extracted extracted(Kind kind, const std::string& content, const ExtractLimits& limits = {}) {
    auto r = extract_text(kind, content, limits);
    REQUIRE_MESSAGE(r, r.problem().detail);
    return *r;
}

Problem refused(Kind kind, const std::string& content, const ExtractLimits& limits = {}) {
    auto r = extract_text(kind, content, limits);
    REQUIRE_MESSAGE(!r, "extracted: " << r->text);
    return r.problem();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_SUITE("documents.extract") {

TEST_CASE("text keeps its words, drops the BOM, and makes CRLF into LF") {
    Extracted e = extracted(Kind::Text, "\xEF\xBB\xBF  Line one\r\nLine two\rLine three\n\n");
    CHECK(e.text == "Line one\nLine two\nLine three");
    CHECK_FALSE(e.truncated);
}

TEST_CASE("Markdown is kept as written") {
    CHECK(extracted(Kind::Markdown, "# Greeting script\n\n- Say *hello*\n").text ==
          "# Greeting script\n\n- Say *hello*");
}

TEST_CASE("blank text is an error, not an empty document") {
    Problem p = refused(Kind::Text, " \n\t\n");
    CHECK(p.error_code == "extraction_failed");
    CHECK(p.detail == "The file contains no text.");
}

TEST_CASE("text over the cap is cut on a character boundary and flagged") {
    ExtractLimits small;
    small.max_text_bytes = 6;
    Extracted e = extracted(Kind::Text, "caf\xC3\xA9 caf\xC3\xA9", small);  // cut after "café "
    CHECK(e.truncated);
    CHECK(e.text == "caf\xC3\xA9");
    small.max_text_bytes = 4;
    CHECK(extracted(Kind::Text, "caf\xC3\xA9", small).text == "caf");
}

TEST_CASE("a PDF's text comes out page by page") {
    std::string pdf = make_pdf({"Greeting script\nAsk for the decision maker", "Page two (closing)"});
    Extracted e = extracted(Kind::Pdf, pdf);
    CHECK(e.pages == 2);
    CHECK(contains(e.text, "Greeting script"));
    CHECK(contains(e.text, "Ask for the decision maker"));
    CHECK(contains(e.text, "Page two (closing)"));
    CHECK(e.text.find("Greeting") < e.text.find("Page two"));
    CHECK_FALSE(e.truncated);
}

TEST_CASE("a PDF over the page cap is read up to the cap and flagged") {
    ExtractLimits limits;
    limits.max_pages = 2;
    Extracted e = extracted(Kind::Pdf, make_pdf({"alpha", "bravo", "charlie"}), limits);
    CHECK(e.pages == 3);
    CHECK(e.truncated);
    CHECK(contains(e.text, "bravo"));
    CHECK_FALSE(contains(e.text, "charlie"));
}

TEST_CASE("a damaged PDF, and a PDF without text, fail with a message") {
    Problem broken = refused(Kind::Pdf, "%PDF-1.4\nthis is not a PDF body\n%%EOF\n");
    CHECK(broken.error_code == "extraction_failed");
    CHECK(contains(broken.detail, "could not be read"));
    Problem empty = refused(Kind::Pdf, make_pdf({""}));
    CHECK(contains(empty.detail, "no text layer"));
}

TEST_CASE("PDF progress is reported, and returning false cancels") {
    std::vector<int> seen;
    auto r = extract_text(Kind::Pdf, make_pdf({"a", "b", "c", "d"}), {}, [&](int p) {
        seen.push_back(p);
        return true;
    });
    REQUIRE_MESSAGE(r, r.problem().detail);
    CHECK(seen == std::vector<int>{0, 25, 50, 75});
    auto stopped = extract_text(Kind::Pdf, make_pdf({"a", "b"}), {}, [](int) { return false; });
    REQUIRE_FALSE(stopped);
    CHECK(stopped.problem().error_code == "cancelled");
}

TEST_CASE("a DOCX gives its runs, tabs, breaks and paragraphs") {
    std::string body =
        "<w:p><w:r><w:t>Greeting</w:t></w:r><w:r><w:t xml:space=\"preserve\"> script</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Name</w:t><w:tab/><w:t>Role</w:t><w:br/><w:t>Ann</w:t></w:r></w:p>"
        "<w:p><w:r><w:delText>deleted words</w:delText><w:instrText>PAGE</w:instrText></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>In a table &amp; escaped</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
    Extracted e = extracted(Kind::Docx, make_docx_with(word_document_xml(body)));
    CHECK(e.text == "Greeting script\nName\tRole\nAnn\n\nIn a table & escaped");
}

TEST_CASE("a DOCX in the strict OOXML namespace is read too") {
    std::string xml =
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://purl.oclc.org/ooxml/wordprocessingml/main\">"
        "<w:body><w:p><w:r><w:t>Strict</w:t></w:r></w:p></w:body></w:document>";
    CHECK(extracted(Kind::Docx, make_docx_with(xml)).text == "Strict");
}

TEST_CASE("a zip bomb is refused while inflating") {
    // 3 MiB of spaces deflate to a few kilobytes.
    std::string xml = word_document_xml("<w:p><w:r><w:t>" + std::string(3 << 20, ' ') + "x</w:t></w:r></w:p>");
    std::string docx = make_docx_with(xml);
    CHECK(docx.size() < 64 * 1024);
    ExtractLimits limits;
    limits.max_inflated_bytes = 1 << 20;
    Problem p = refused(Kind::Docx, docx, limits);
    CHECK(p.error_code == "too_large");
    CHECK(contains(p.detail, "zip bomb"));
    CHECK(extracted(Kind::Docx, docx).text == "x");  // under the default limit it is fine
}

TEST_CASE("a DOCX with a DTD is refused before any entity expands") {
    std::string xml =
        "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r>"
        "<w:t>&b;</w:t></w:r></w:p></w:body></w:document>";
    Problem p = refused(Kind::Docx, make_docx_with(xml));
    CHECK(contains(p.detail, "DTD"));
}

TEST_CASE("malformed DOCX XML, a damaged archive and an empty document fail with messages") {
    Problem bad_xml = refused(Kind::Docx, make_docx_with("<w:document><w:body>"));
    CHECK(contains(bad_xml.detail, "not well-formed XML"));
    std::string docx = make_docx({"Hello"});
    Problem cut = refused(Kind::Docx, docx.substr(0, docx.size() / 2));
    CHECK(cut.error_code == "extraction_failed");
    Problem empty = refused(Kind::Docx, make_docx({}));
    CHECK(empty.detail == "The DOCX contains no text.");
}

TEST_CASE("DOCX text over the cap stops the parser and is flagged") {
    ExtractLimits limits;
    limits.max_text_bytes = 10;
    Extracted e = extracted(Kind::Docx, make_docx({"0123456789abcdef", "more"}), limits);
    CHECK(e.truncated);
    CHECK(e.text == "0123456789");
}

}
