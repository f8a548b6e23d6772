// The mock BigCommerce's quota (mock.cpp), its knob `bigcommerce-quota N/MS`
// (platforms::MockKnob): N requests per window of MS milliseconds per store,
// announced in X-Rate-Limit-Requests-Quota and X-Rate-Limit-Time-Window-Ms.
// Tests and tools/bench_sync read it back to compute what to expect.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "edge/mock/server.h"

namespace onramp::platforms::bigcommerce {

inline constexpr const char* kQuotaKnob = "bigcommerce-quota";
// The default: 150 requests per 30 s window (BigCommerce's rate-limit page,
// cited in docs/platforms/bigcommerce.md).
inline constexpr const char* kQuotaDefault = "150/30000";

struct MockQuota {
    int requests = 0;
    int64_t window_ms = 0;
};
// "N/MS" with both whole and at least 1; nullopt otherwise.
std::optional<MockQuota> parse_mock_quota(const std::string& text);
// The quota a mock with these options enforces (kQuotaDefault when unset).
MockQuota mock_quota(const mock::Options& o);

}  // namespace onramp::platforms::bigcommerce
