// A small metrics registry for /metrics: counters and gauges, each a family
// of series told apart by label values, rendered in the Prometheus text
// exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// Values are whole numbers (requests, rows, bytes, seconds), held in
// atomics: an increment is one atomic add. Finding a series takes the
// family's mutex for one map lookup, without allocating once the series
// exists; hot paths keep the Value& they found.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace onramp::metrics {

enum class Kind { counter, gauge };

class Value {
public:
    void add(int64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
    void set(int64_t n) { v_.store(n, std::memory_order_relaxed); }
    int64_t get() const { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<int64_t> v_{0};
};

class Family {
public:
    Family(std::string name, std::string help, Kind kind, std::vector<std::string> label_names);

    // The series with these label values (one per label name, in order),
    // made at 0 on first use. Throws std::invalid_argument on a count that
    // does not match the label names (a programming error).
    Value& at(std::initializer_list<std::string_view> values);

    const std::string& name() const { return name_; }
    // Appends "# HELP", "# TYPE" and one line per series, in label order.
    void render(std::string& out) const;

private:
    // Orders stored label values against looked-up views, so a lookup
    // needs no std::string.
    struct LabelsLess {
        using is_transparent = void;
        template <class A, class B>
        bool operator()(const A& a, const B& b) const {
            return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                                [](const auto& x, const auto& y) {
                                                    return std::string_view(x) < std::string_view(y);
                                                });
        }
    };
    template <class Range>
    Value& find_or_make(const Range& values);

    std::string name_, help_;
    Kind kind_;
    std::vector<std::string> label_names_;
    mutable std::mutex mu_;
    std::map<std::vector<std::string>, std::unique_ptr<Value>, LabelsLess> series_;
};

class Registry {
public:
    // Families render in the order they were added. The reference stays
    // valid for the registry's life.
    Family& add(std::string name, std::string help, Kind kind, std::vector<std::string> label_names = {});
    std::string render() const;

private:
    mutable std::mutex mu_;
    std::vector<std::unique_ptr<Family>> families_;
};

// A label value as the format wants it inside quotes: backslash, double
// quote and line feed escaped.
std::string escape_label_value(std::string_view value);

// The Content-Type of the rendering.
inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace onramp::metrics
