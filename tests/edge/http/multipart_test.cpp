// Specification of the multipart/form-data parser (RFC 7578): fields and
// files as a browser or curl sends them, and every malformed body a 400.
#include <doctest/doctest.h>

#include "edge/http/multipart.h"

using namespace onramp;
using namespace onramp::http;

namespace {

const std::string kType = "multipart/form-data; boundary=----b0undary";

std::string body(std::initializer_list<std::string> parts) {
    std::string out;
    for (const std::string& p : parts) out += "------b0undary\r\n" + p + "\r\n";
    return out + "------b0undary--\r\n";
}

}  // namespace

TEST_SUITE("http.multipart") {

TEST_CASE("fields and files come back in order with their names, filenames and types") {
    std::string b = body({"Content-Disposition: form-data; name=\"category\"\r\n\r\nsop",
                          "Content-Disposition: form-data; name=\"file\"; filename=\"a b.pdf\"\r\n"
                          "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\nbinary" + std::string(1, '\0') + "bytes",
                          "content-disposition: FORM-DATA; name=empty\r\n\r\n"});
    auto parts = parse_multipart(b, kType);
    REQUIRE_MESSAGE(parts, parts.problem().detail);
    REQUIRE(parts->size() == 3);
    CHECK((*parts)[0].name == "category");
    CHECK_FALSE((*parts)[0].filename);
    CHECK((*parts)[0].content == "sop");
    CHECK((*parts)[1].name == "file");
    CHECK((*parts)[1].filename == "a b.pdf");
    CHECK((*parts)[1].content_type == "application/pdf");
    CHECK((*parts)[1].content == "%PDF-1.4\r\nbinary" + std::string(1, '\0') + "bytes");
    CHECK((*parts)[2].name == "empty");
    CHECK((*parts)[2].content.empty());
}

TEST_CASE("a quoted boundary, a preamble, an epilogue and escaped quotes in a filename are understood") {
    std::string b = "preamble to ignore\r\n--xyz\r\n"
                    "Content-Disposition: form-data; name=\"f\"; filename=\"say \\\"hi\\\".txt\"\r\n\r\n"
                    "hello\r\n--xyz--\r\nepilogue";
    auto parts = parse_multipart(b, "multipart/form-data; boundary=\"xyz\"");
    REQUIRE_MESSAGE(parts, parts.problem().detail);
    REQUIRE(parts->size() == 1);
    CHECK((*parts)[0].filename == "say \"hi\".txt");
    CHECK((*parts)[0].content == "hello");
}

TEST_CASE("a body cut before its close delimiter is refused, not taken for the whole") {
    std::string b = "------b0undary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhalf of it";
    auto parts = parse_multipart(b, kType);
    REQUIRE_FALSE(parts);
    CHECK(parts.problem().status == 400);
    CHECK(parts.problem().error_code == "malformed_multipart");
}

TEST_CASE("a missing or invalid boundary, or a part without a form-data name, is a 400") {
    std::string ok = body({"Content-Disposition: form-data; name=\"a\"\r\n\r\n1"});
    CHECK_FALSE(parse_multipart(ok, "multipart/form-data"));
    CHECK_FALSE(parse_multipart(ok, "multipart/form-data; boundary="));
    CHECK_FALSE(parse_multipart(ok, "multipart/form-data; boundary=" + std::string(71, 'a')));
    CHECK_FALSE(parse_multipart(ok, "application/json; boundary=----b0undary"));
    CHECK_FALSE(parse_multipart(ok, "multipart/form-data; boundary=other"));
    CHECK_FALSE(parse_multipart(body({"Content-Type: text/plain\r\n\r\n1"}), kType));
    CHECK_FALSE(parse_multipart(body({"Content-Disposition: attachment; name=\"a\"\r\n\r\n1"}), kType));
    CHECK_FALSE(parse_multipart(body({"Content-Disposition: form-data; filename=\"a\"\r\n\r\n1"}), kType));
    CHECK_FALSE(parse_multipart(body({"Content-Disposition: form-data; name=\"a\r\n\r\n1"}), kType));
    CHECK_FALSE(parse_multipart(body({"Content-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\n1"}), kType));
    CHECK_FALSE(parse_multipart(body({"Content-Disposition: form-data; name=\"a\"\r\nno colon\r\n\r\n1"}), kType));
    std::string not_utf8 = "Content-Disposition: form-data; name=\"a\"; filename=\"\xff\"\r\n\r\n1";
    CHECK_FALSE(parse_multipart(body({not_utf8}), kType));
}

TEST_CASE("the number of parts and the size of a part's header block are bounded") {
    MultipartLimits limits;
    limits.max_parts = 2;
    limits.max_part_header_bytes = 100;
    std::string field = "Content-Disposition: form-data; name=\"a\"\r\n\r\n1";
    CHECK(parse_multipart(body({field, field}), kType, limits));
    auto three = parse_multipart(body({field, field, field}), kType, limits);
    REQUIRE_FALSE(three);
    CHECK(three.problem().detail.find("more than 2 parts") != std::string::npos);
    std::string big = "Content-Disposition: form-data; name=\"a\"\r\nX-Pad: " + std::string(200, 'p') + "\r\n\r\n1";
    CHECK_FALSE(parse_multipart(body({big}), kType, limits));
}

}  // TEST_SUITE
