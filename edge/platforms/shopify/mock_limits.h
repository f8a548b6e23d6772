// The mock Shopify's call-limit bucket (mock.cpp), its knob
// `shopify-bucket N/PER_S` (platforms::MockKnob): a leaky bucket of N
// requests per shop leaking PER_S a second, announced in
// X-Shopify-Shop-Api-Call-Limit. Tests and tools/bench_sync read it back to
// compute what to expect.
#pragma once

#include <optional>
#include <string>

#include "edge/mock/server.h"

namespace onramp::platforms::shopify {

inline constexpr const char* kBucketKnob = "shopify-bucket";
// The default: the standard plan's 40 leaking 2 a second (docs/platforms/shopify.md).
inline constexpr const char* kBucketDefault = "40/2";

struct MockBucket {
    int size = 0;
    double leak_per_s = 0;
};
// "N/PER_S", N whole and at least 1, PER_S positive; nullopt otherwise.
std::optional<MockBucket> parse_mock_bucket(const std::string& text);
// The bucket a mock with these options enforces (kBucketDefault when unset).
MockBucket mock_bucket(const mock::Options& o);

}  // namespace onramp::platforms::shopify
