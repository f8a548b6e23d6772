// Specification of the web client's files: a precompressed sibling with
// exactly one Content-Encoding, one byte range at most, and many or
// overlapping ranges answered whole.
#include <doctest/doctest.h>

#include <fstream>

#include "edge/http/static_files.h"
#include "edge/support/test_app.h"

using namespace onramp;
using namespace onramp::http;

namespace {

Request get(const std::string& path, std::initializer_list<std::pair<const char*, std::string>> headers = {}) {
    Request r;
    r.method = "GET";
    r.path = path;
    for (const auto& [k, v] : headers) r.headers.emplace(k, v);
    return r;
}

std::string header(const Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return "";
}

int count_header(const Response& r, const std::string& name) {
    int n = 0;
    for (const auto& [k, v] : r.headers) n += k == name;
    return n;
}

}  // namespace

TEST_SUITE("http.static") {

TEST_CASE("pick_range: one range, a suffix, an open end; past the end is unsatisfiable") {
    auto a = pick_range("bytes=2-5", 10);
    CHECK(a.kind == RangeAnswer::Part);
    CHECK(a.first == 2);
    CHECK(a.last == 5);
    a = pick_range("bytes=-3", 10);
    CHECK((a.kind == RangeAnswer::Part && a.first == 7 && a.last == 9));
    a = pick_range("bytes=4-", 10);
    CHECK((a.kind == RangeAnswer::Part && a.first == 4 && a.last == 9));
    a = pick_range("bytes=8-100", 10);
    CHECK((a.kind == RangeAnswer::Part && a.first == 8 && a.last == 9));
    CHECK(pick_range("bytes=10-12", 10).kind == RangeAnswer::Unsatisfiable);
    CHECK(pick_range("bytes=-0", 10).kind == RangeAnswer::Unsatisfiable);
}

TEST_CASE("pick_range: several ranges, other units and malformed headers get the whole body") {
    for (const char* h : {"", "bytes=0-1,2-3", "bytes=0-0,0-0,0-0", "items=0-1", "bytes=5-2", "bytes=a-b", "bytes=",
                          "bytes=99999999999999999999-"})
        CHECK_MESSAGE(pick_range(h, 10).kind == RangeAnswer::Whole, h);
}

TEST_CASE("serve_static answers one range with 206, many with the whole file, and keeps one Content-Encoding") {
    testing::TempDir dir;
    std::ofstream(dir.path + "/app.js") << "0123456789";
    std::ofstream(dir.path + "/app.js.gz") << "GZIPPED";

    auto part = serve_static(dir.path, get("/app.js", {{"Range", "bytes=2-4"}}));
    REQUIRE(part);
    CHECK(part->status == 206);
    CHECK(part->body == "234");
    CHECK(header(*part, "Content-Range") == "bytes 2-4/10");

    std::string many = "bytes=0-0";
    for (int i = 1; i < 1000; ++i) many += ",0-" + std::to_string(i % 10);
    auto whole = serve_static(dir.path, get("/app.js", {{"Range", many}}));
    REQUIRE(whole);
    CHECK(whole->status == 200);
    CHECK(whole->body == "0123456789");

    auto past = serve_static(dir.path, get("/app.js", {{"Range", "bytes=50-60"}}));
    REQUIRE(past);
    CHECK(past->status == 416);
    CHECK(header(*past, "Content-Range") == "bytes */10");

    auto guarded = serve_static(dir.path, get("/app.js", {{"Range", "bytes=2-4"}, {"If-Range", "\"x\""}}));
    CHECK(guarded->status == 200);

    auto gz = serve_static(dir.path, get("/app.js", {{"Accept-Encoding", "gzip, br"}}));
    REQUIRE(gz);
    CHECK(gz->body == "GZIPPED");
    CHECK(count_header(*gz, "Content-Encoding") == 1);
}

}  // TEST_SUITE
