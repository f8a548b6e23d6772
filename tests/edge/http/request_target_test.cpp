// Specification of request-target parsing: what handlers see as the path
// and query, and that malformed bytes are a 400 problem, never a 500.
#include <doctest/doctest.h>

#include "edge/http/request_target.h"

using namespace onramp;
using namespace onramp::http;

TEST_SUITE("http.target") {

TEST_CASE("the path is percent-decoded and the query split and decoded, '+' as a space") {
    auto t = parse_target("/files/a%20b.txt?name=J%C3%BCrgen+M&flag&empty=&x=1&x=2");
    REQUIRE(t);
    CHECK(t->path == "/files/a b.txt");
    CHECK(t->query.find("name")->second == "Jürgen M");
    CHECK(t->query.find("flag")->second == "");
    CHECK(t->query.find("empty")->second == "");
    CHECK(t->query.count("x") == 2);
    CHECK(parse_target("/")->path == "/");
    CHECK(parse_target("/a?")->query.empty());
}

TEST_CASE("the absolute form is taken by its path and query") {
    auto t = parse_target("http://edge.example:8080/healthz?x=1");
    REQUIRE(t);
    CHECK(t->path == "/healthz");
    CHECK(t->query.find("x")->second == "1");
    CHECK(parse_target("https://edge.example")->path == "/");
}

TEST_CASE("bytes that are not UTF-8 once decoded, NUL and malformed escapes are 400") {
    for (const char* raw : {"/%ff", "/%c0%af", "/a%00b", "/%2", "/%zz", "/a?x=%ff", "/a?%ff=1", "/a?x=%0"}) {
        auto t = parse_target(raw);
        REQUIRE_FALSE_MESSAGE(t, raw);
        CHECK(t.problem().status == 400);
        CHECK(t.problem().error_code == "bad_target");
    }
}

TEST_CASE("a target that is not origin-form, or holds raw spaces or bytes above ASCII, is 400") {
    for (std::string raw : {std::string("*"), std::string("relative/path"), std::string(""), std::string("/a b"),
                            std::string("/caf\xc3\xa9"), std::string("/a\x7f")}) {
        auto t = parse_target(raw);
        CHECK_FALSE_MESSAGE(t, raw);
    }
}

TEST_CASE("raw_path is the undecoded path without the query") {
    CHECK(raw_path("/a%20b?token=secret") == "/a%20b");
    CHECK(raw_path("/plain") == "/plain");
}

}  // TEST_SUITE
