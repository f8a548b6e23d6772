// Specification of the proxy's Redactor: a stored secret the platform
// echoes never reaches the caller, however the body is split into pieces,
// and masking keeps the length (so a Content-Length stays true).
#include <doctest/doctest.h>

#include "edge/connectors/proxy.h"

using onramp::connectors::Redactor;

namespace {

std::string through(Redactor& r, const std::string& body, size_t piece) {
    std::string out;
    for (size_t at = 0; at < body.size(); at += piece) out += r.feed(body.substr(at, piece));
    return out + r.flush();
}

}  // namespace

TEST_SUITE("proxy.redactor") {

TEST_CASE("a secret split across pieces at any point is masked, and the length is kept") {
    const std::string secret = "shpat_demo_4b7e1f0a9c2d8e3f6a5b";
    const std::string body = "{\"error\":\"bad token " + secret + "\",\"again\":\"" + secret + "\"}";
    for (size_t piece = 1; piece <= body.size(); ++piece) {
        CAPTURE(piece);
        Redactor r({secret, "other-secret"});
        std::string out = through(r, body, piece);
        CHECK(out.size() == body.size());
        CHECK(out.find(secret) == std::string::npos);
        CHECK(out.find(std::string(secret.size(), '*')) != std::string::npos);
        CHECK(out.substr(0, 20) == body.substr(0, 20));
    }
}

TEST_CASE("a body without secrets passes unchanged, and a secret made of '*' does not loop") {
    Redactor r({"******"});
    CHECK(through(r, "a ******** b", 3) == "a ******** b");
    Redactor none({});
    CHECK(through(none, "plain body", 4) == "plain body");
}

}  // TEST_SUITE
