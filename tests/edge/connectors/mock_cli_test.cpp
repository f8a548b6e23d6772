// onramp-edge mock-platforms: flags are checked before anything listens,
// and the mock may only listen on loopback (its fault-injection endpoints
// have no authentication).
#include <doctest/doctest.h>

#include "edge/cli/commands.h"

using onramp::cli::mock_platforms;

TEST_SUITE("connectors.mock_cli") {

TEST_CASE("help exits 0 without listening") { CHECK(mock_platforms({"--help"}) == 0); }

TEST_CASE("a non-loopback address is a usage error") {
    CHECK(mock_platforms({"--listen", "0.0.0.0:9300"}) == 2);
    CHECK(mock_platforms({"--listen", "192.168.1.5:9300"}) == 2);
}

TEST_CASE("malformed flags are usage errors") {
    CHECK(mock_platforms({"--listen", "127.0.0.1"}) == 2);
    CHECK(mock_platforms({"--listen", "127.0.0.1:99999"}) == 2);
    CHECK(mock_platforms({"--products", "0"}) == 2);
    CHECK(mock_platforms({"--products", "100001"}) == 2);
    CHECK(mock_platforms({"--bigcommerce-quota", "150"}) == 2);
    CHECK(mock_platforms({"--bigcommerce-quota", "x"}) == 2);
    CHECK(mock_platforms({"--shopify-bucket", "40/0"}) == 2);
    CHECK(mock_platforms({"--amazon-time-scale", "0"}) == 2);
    CHECK(mock_platforms({"--amazon-rate-scale", "-1"}) == 2);
    CHECK(mock_platforms({"--unknown"}) == 2);
}

}
