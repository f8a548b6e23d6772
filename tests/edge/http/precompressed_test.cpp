// Specification of how the server sends a precompressed static file (the
// web client's .gz siblings): once compressed, under one Content-Encoding,
// so that a client, or a reverse proxy decoding for one, gets the page.
#include <doctest/doctest.h>

#include <fstream>

#include "edge/support/edge_process.h"
#include "edge/support/test_app.h"

using namespace onramp;
using namespace onramp::testing;

namespace {

const char kPage[] = "<!doctype html><title>Onramp</title>";
// gzip -9n of kPage.
const unsigned char kPageGz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xb3, 0x51, 0x4c,
                                 0xc9, 0x4f, 0x2e, 0xa9, 0x2c, 0x48, 0x55, 0xc8, 0x28, 0xc9, 0xcd, 0xb1, 0xb3,
                                 0x29, 0xc9, 0x2c, 0xc9, 0x49, 0xb5, 0xf3, 0xcf, 0x2b, 0x4a, 0xcc, 0x2d, 0xb0,
                                 0xd1, 0x87, 0xf0, 0x00, 0xf8, 0xad, 0xe7, 0x5d, 0x24, 0x00, 0x00, 0x00};

}  // namespace

TEST_SUITE("http.static") {

TEST_CASE("a precompressed file goes out compressed once, under one Content-Encoding") {
    TempDir web, data;
    std::ofstream(web.path + "/index.html") << kPage;
    std::ofstream(web.path + "/index.html.gz", std::ios::binary)
        .write(reinterpret_cast<const char*>(kPageGz), sizeof kPageGz);
    EdgeProcess edge(data.path, {"--web-root", web.path});

    http::FetchRequest req;
    req.url = edge.url("/");
    req.headers.emplace("Accept-Encoding", "gzip");
    auto res = http::fetch(req);
    REQUIRE(res.ok());
    CHECK(res.response.status == 200);
    CHECK(res.response.headers.count("Content-Encoding") == 1);
    CHECK(res.response.header("Content-Encoding") == "gzip");
    // The client undoes one gzip layer: what is left must be the page.
    CHECK(res.response.body == kPage);
}

}  // TEST_SUITE
