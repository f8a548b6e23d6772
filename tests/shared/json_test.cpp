// Specification of parse_json and dump_json (shared/json.h): JSON within the
// limits parses as nlohmann would; nesting, long numbers, numbers beyond a
// double and too much string text are 400 problems, not crashes or
// exceptions; dump_json writes text that is not UTF-8 instead of throwing.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "shared/json.h"

using nlohmann::json;
using onramp::JsonLimits;
using onramp::check_json;
using onramp::parse_json;

namespace {

std::string nested(size_t depth, const std::string& inner = "1") {
    return std::string(depth, '[') + inner + std::string(depth, ']');
}

std::string why(const onramp::Result<json>& r) { return r ? "parsed" : r.problem().detail; }

}  // namespace

TEST_SUITE("json") {

TEST_CASE("a document within the limits parses to what nlohmann parses") {
    const std::string text = R"({"name": "Ann \u00e9", "n": -12.5e3, "list": [1, true, null, {"k": "v"}]})";
    auto r = parse_json(text);
    REQUIRE_MESSAGE(r, why(r));
    CHECK(*r == json::parse(text));
    CHECK(parse_json("42").value() == 42);
    CHECK(parse_json(" \"text\" ").value() == "text");
}

TEST_CASE("nesting up to the depth limit parses; one level more is a 400 naming the limit and the byte") {
    auto ok = parse_json(nested(64));
    CHECK_MESSAGE(ok, why(ok));
    auto deep = parse_json(nested(65));
    REQUIRE_FALSE(deep);
    CHECK(deep.problem().status == 400);
    CHECK(deep.problem().error_code == "json_limit_exceeded");
    CHECK(deep.problem().detail == "The JSON nests deeper than 64 levels at byte 65.");

    auto objects = parse_json(R"({"a":)" + nested(70) + "}");
    REQUIRE_FALSE(objects);
    CHECK(objects.problem().error_code == "json_limit_exceeded");

    JsonLimits shallow;
    shallow.max_depth = 2;
    CHECK(parse_json(R"({"a": [1]})", shallow));
    CHECK_FALSE(parse_json(R"({"a": [[1]]})", shallow));
}

TEST_CASE("300,000 levels of nesting, within a 1 MiB body, are refused without recursing") {
    for (const std::string& text :
         {std::string(300'000, '['), nested(300'000), "{\"a\":" + nested(300'000, "{}") + "}"}) {
        auto r = parse_json(text);
        REQUIRE_FALSE(r);
        CHECK(r.problem().status == 400);
        CHECK(r.problem().error_code == "json_limit_exceeded");
    }
}

TEST_CASE("brackets and number characters inside strings count for nothing") {
    std::string text = "{\"s\": \"" + std::string(1000, '[') + std::string(1000, '9') + "\\\"[[[\"}";
    auto r = parse_json(text);
    REQUIRE_MESSAGE(r, why(r));
    CHECK((*r)["s"].get<std::string>().size() == 2004);
}

TEST_CASE("a number literal longer than 100 characters is refused before it is converted") {
    CHECK(parse_json("[" + std::string(100, '1') + "]"));
    for (const std::string& text : {"[" + std::string(101, '1') + "]", std::string(500'000, '9'),
                                    "[0." + std::string(500'000, '0') + "1]", "[1e" + std::string(200, '0') + "]"}) {
        auto r = parse_json(text);
        REQUIRE_FALSE(r);
        CHECK(r.problem().status == 400);
        CHECK(r.problem().error_code == "json_limit_exceeded");
        CHECK(r.problem().detail.size() < 200);  // the number is not echoed
    }
    auto r = parse_json("[1, " + std::string(101, '2') + "]");
    REQUIRE_FALSE(r);
    CHECK(r.problem().detail == "The number at byte 5 is longer than 100 characters.");
}

TEST_CASE("a number beyond a double's range is a 400, not an exception") {
    for (const char* text : {"1e999999", "[-1e400]", "{\"n\": 1.8e308}"}) {
        CAPTURE(text);
        auto r = parse_json(text);
        REQUIRE_FALSE(r);
        CHECK(r.problem().status == 400);
        CHECK(r.problem().error_code == "malformed_json");
        CHECK(r.problem().detail.find("beyond the range") != std::string::npos);
    }
    CHECK(parse_json("1.7e308"));
    CHECK(parse_json("[18446744073709551616]"));  // past uint64: a double, in range
}

TEST_CASE("malformed JSON is a 400 naming the byte, without echoing the text") {
    auto r = parse_json("{\"name\": tru");
    REQUIRE_FALSE(r);
    CHECK(r.problem().status == 400);
    CHECK(r.problem().error_code == "malformed_json");
    CHECK(r.problem().detail == "Malformed JSON at byte 13.");

    for (const std::string& text : {std::string(), std::string("{\"a\": 1} trailing"), std::string("[1,]"),
                                    std::string("{\"bad\": \"\xff\xfe\"}"), std::string("\"\\ud800\""),
                                    std::string("[\"") + std::string(10, '\x01') + "\"]"}) {
        auto bad = parse_json(text);
        REQUIRE_FALSE(bad);
        CHECK(bad.problem().error_code == "malformed_json");
        CHECK(bad.problem().detail.find('\xff') == std::string::npos);
    }
}

TEST_CASE("string text beyond the limit is refused; within it parses") {
    JsonLimits small;
    small.max_string_bytes = 10;
    CHECK(parse_json(R"({"abc": "defg"})", small));  // 7 bytes
    auto r = parse_json(R"({"abc": "defg", "hij": "k"})", small);  // 11 bytes
    REQUIRE_FALSE(r);
    CHECK(r.problem().error_code == "json_limit_exceeded");
    CHECK(parse_json("\"" + std::string(1 << 20, 'a') + "\""));
    CHECK_FALSE(parse_json("\"" + std::string((1 << 20) + 1, 'a') + "\""));
}

TEST_CASE("dump_json writes text that is not UTF-8 with U+FFFD instead of throwing") {
    json j = {{"path", "/nowhere\xff\xfe"}, {"ok", "caf\xc3\xa9"}};
    CHECK_THROWS(j.dump());
    std::string out;
    CHECK_NOTHROW(out = onramp::dump_json(j));
    CHECK(out == "{\"ok\":\"caf\xc3\xa9\",\"path\":\"/nowhere\xef\xbf\xbd\xef\xbf\xbd\"}");
    CHECK(json::parse(out)["path"] == "/nowhere\xef\xbf\xbd\xef\xbf\xbd");
}

}  // TEST_SUITE

TEST_CASE("check_json accepts what parse_json accepts and refuses what it refuses, with the same problem") {
    for (std::string text : {std::string(R"({"a": [1, 2, {"b": "c"}]})"), std::string("  123 "), std::string("[]")}) {
        CHECK_FALSE(check_json(text).has_value());
        CHECK(bool(parse_json(text)));
    }
    for (std::string text : {std::string(R"({"a": )"), std::string(""), std::string("\"\xff\""),
                             std::string(70, '['), std::string(200, '1')}) {
        auto refused = check_json(text);
        auto parsed = parse_json(text);
        REQUIRE(refused.has_value());
        REQUIRE_FALSE(bool(parsed));
        CHECK(refused->error_code == parsed.problem().error_code);
        CHECK(refused->detail == parsed.problem().detail);
    }
}
