// Small JSON helpers the edge and the web client share.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

namespace onramp {

// The value, or null when unset: answers list every field, set or not.
template <class T>
nlohmann::json nullable(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace onramp
