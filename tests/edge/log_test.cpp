// The server's log lines: a timestamp and a level on each, the caller's
// own level kept, and the threshold that --log-level sets.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "edge/log.h"

using namespace onramp::logging;
using nlohmann::json;

TEST_SUITE("log") {

TEST_CASE("a line opens with its RFC 3339 UTC timestamp and its level, then the caller's fields") {
    CHECK(rfc3339_utc(0) == "1970-01-01T00:00:00.000Z");
    CHECK(rfc3339_utc(1'800'000'000'123) == "2027-01-15T08:00:00.123Z");
    std::string line = format(Level::warn, {{"component", "x"}, {"error", "disk full"}}, 1'800'000'000'123);
    CHECK(line == R"({"ts":"2027-01-15T08:00:00.123Z","level":"warn","component":"x","error":"disk full"})");
}

TEST_CASE("a caller's own level is kept, and a caller cannot set the timestamp") {
    CHECK(format(Level::error, {{"component", "c"}, {"level", "warning"}, {"ts", 5}}, 0) ==
          R"({"ts":"1970-01-01T00:00:00.000Z","level":"warning","component":"c"})");
    CHECK(json::parse(format(Level::info, json::object(), 0)) ==
          json{{"ts", "1970-01-01T00:00:00.000Z"}, {"level", "info"}});
}

TEST_CASE("levels parse by name and the threshold drops the less severe ones") {
    CHECK(parse_level("debug") == Level::debug);
    CHECK(parse_level("warning") == Level::warn);
    CHECK_FALSE(parse_level("loud"));
    set_threshold(Level::warn);
    CHECK_FALSE(enabled(Level::info));
    CHECK(enabled(Level::warn));
    CHECK(enabled(Level::error));
    set_threshold(Level::info);
    CHECK(enabled(Level::info));
    CHECK_FALSE(enabled(Level::debug));
}

}  // TEST_SUITE
