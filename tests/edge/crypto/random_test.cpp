// Specification of edge/crypto/random.h: ids and tokens.
#include "edge/crypto/random.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

using namespace onramp::crypto;

namespace {

bool is_hex(const std::string& s) { return s.find_first_not_of("0123456789abcdef") == std::string::npos; }

}  // namespace

TEST_CASE("a time-ordered id is the prefix and 32 hex digits, like a random id") {
    std::string id = time_ordered_id("evt");
    std::string random = random_id("evt");
    CHECK(id.size() == random.size());
    REQUIRE(id.rfind("evt_", 0) == 0);
    CHECK(is_hex(id.substr(4)));
}

TEST_CASE("time-ordered ids made one after another sort in the order they were made, and differ") {
    std::vector<std::string> ids;
    for (int i = 0; i < 2000; ++i) ids.push_back(time_ordered_id("evt"));
    std::set<std::string> distinct(ids.begin(), ids.end());
    CHECK(distinct.size() == ids.size());
    // Ids made in the same microsecond are ordered by their random part;
    // across microseconds (the first 14 hex digits) they never go back.
    for (size_t i = 1; i < ids.size(); ++i) CHECK(ids[i].substr(0, 18) >= ids[i - 1].substr(0, 18));
}

TEST_CASE("the last 18 hex digits of time-ordered ids made in a row are not the same") {
    std::set<std::string> tails;
    for (int i = 0; i < 100; ++i) tails.insert(time_ordered_id("x").substr(16));
    CHECK(tails.size() == 100);
}

TEST_CASE("small asks never repeat bytes, across many draws and in a forked child") {
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) CHECK(seen.insert(random_bytes(8)).second);

    // The parent's reserve now holds bytes it has not handed out; a child
    // forked now must draw its own, not the ones the parent hands out next.
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        std::string b = random_bytes(8);
        ssize_t n = write(fds[1], b.data(), b.size());
        _exit(n == 8 ? 0 : 1);
    }
    std::string mine = random_bytes(8);
    char theirs[8];
    REQUIRE(read(fds[0], theirs, sizeof theirs) == 8);
    int status = 0;
    waitpid(child, &status, 0);
    close(fds[0]);
    close(fds[1]);
    CHECK(mine != std::string(theirs, 8));
}
