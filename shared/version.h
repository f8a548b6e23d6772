#pragma once

namespace onramp {
#ifdef ONRAMP_VERSION
inline constexpr const char* kVersion = ONRAMP_VERSION;
#else
inline constexpr const char* kVersion = "0.0.0";
#endif
}  // namespace onramp
