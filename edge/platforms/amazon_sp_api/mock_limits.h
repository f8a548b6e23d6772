// The mock SP-API's clock (mock.cpp), its knob `amazon-time-scale X`
// (platforms::MockKnob): every operation's bucket refills X times faster
// than Amazon's documented rate (operations.h), and the rate announced in
// x-amzn-RateLimit-Limit is scaled with it; the burst, the bucket's size,
// never is. Amazon's getOrders refills one a minute, which would make a sync
// of a few hundred orders take hours; tests, tools/bench_sync and
// `serve --demo` (60: one a second) run the clock faster.
#pragma once

#include <optional>
#include <string>

#include "edge/mock/server.h"

namespace onramp::platforms::amazon_sp_api {

inline constexpr const char* kTimeScaleKnob = "amazon-time-scale";
inline constexpr const char* kTimeScaleDefault = "1";  // Amazon's own clock
inline constexpr const char* kTimeScaleDemo = "60";

// A positive number; nullopt otherwise.
std::optional<double> parse_mock_time_scale(const std::string& text);
// The scale a mock with these options runs at (kTimeScaleDefault when unset).
double mock_time_scale(const mock::Options& o);

}  // namespace onramp::platforms::amazon_sp_api
