// The resilience checks every platform must pass against the mock, shared
// by the per-platform test files: 429 recovery, 5xx retry, dropped
// connections, a timeout that is reported and not retried, and a revoked
// credential.
#pragma once

#include <doctest/doctest.h>

#include "edge/connectors/mock_fixture.h"

namespace onramp::testing {

inline void check_recovers_from_429(MockFixture& m, const std::string& platform, const connectors::Credentials& c) {
    mock::Faults f;
    f.rate_limit_next = 2;
    f.retry_after_s = 0.1;
    m.mock.set_faults(platform, f);
    auto t = m.platform(platform).test(c, m.ctx);
    CHECK_MESSAGE(t.ok(), describe(t));
    CHECK(m.retries_with(429) == 2);
    CHECK(m.mock.stats(platform).rate_limited == 2);
    m.mock.clear_faults();
}

inline void check_retries_5xx_and_drops(MockFixture& m, const std::string& platform, const connectors::Credentials& c) {
    mock::Faults f;
    f.fail_next = 1;
    f.drop_next = 1;
    m.mock.set_faults(platform, f);
    auto t = m.platform(platform).test(c, m.ctx);
    CHECK_MESSAGE(t.ok(), describe(t));
    CHECK(m.retries_with(503) == 1);
    CHECK(m.retries_with(0) == 1);
    m.mock.clear_faults();
}

inline void check_timeout(MockFixture& m, const std::string& platform, const connectors::Credentials& c) {
    m.ctx.read_timeout_ms = 200;
    mock::Faults f;
    f.latency_ms = 600;
    m.mock.set_faults(platform, f);
    auto t = m.platform(platform).test(c, m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == connectors::Cause::timeout);
    CHECK(m.mock.stats(platform).requests == 1);
    m.mock.clear_faults();
    m.ctx.read_timeout_ms = 3000;
}

inline void check_revoked(MockFixture& m, const std::string& platform, const connectors::Credentials& c) {
    mock::Faults f;
    f.revoked = true;
    m.mock.set_faults(platform, f);
    auto t = m.platform(platform).test(c, m.ctx);
    REQUIRE_FALSE(t.ok());
    CHECK(t.failure->cause == connectors::Cause::credential_rejected);
    m.mock.clear_faults();
}

}  // namespace onramp::testing
