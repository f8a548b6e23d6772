// Result<T>: a value or a Problem. Functions at the edges of the system
// (parsing, storage, platform calls) return one instead of throwing, so the
// failure path is visible in every signature.
#pragma once

#include <utility>
#include <variant>

#include "shared/problem.h"

namespace onramp {

template <class T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Problem problem) : v_(std::move(problem)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const Problem& problem() const { return std::get<1>(v_); }

private:
    std::variant<T, Problem> v_;
};

// For operations that produce nothing but may fail.
struct Done {};
using Status = Result<Done>;
inline Status ok_status() { return Done{}; }

}  // namespace onramp
