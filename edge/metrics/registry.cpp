// Counters and gauges with labels, and their Prometheus text rendering
// (edge/metrics/registry.h).
#include "edge/metrics/registry.h"

#include <stdexcept>

namespace onramp::metrics {

namespace {

// HELP text escapes backslash and line feed only (the format's rule).
std::string escape_help(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

Family::Family(std::string name, std::string help, Kind kind, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), kind_(kind), label_names_(std::move(label_names)) {}

template <class Range>
Value& Family::find_or_make(const Range& values) {
    if (values.size() != label_names_.size())
        throw std::invalid_argument("metric " + name_ + " takes " + std::to_string(label_names_.size()) + " labels");
    std::lock_guard<std::mutex> lock(mu_);
    auto it = series_.find(values);
    if (it == series_.end())
        it = series_.emplace(std::vector<std::string>(values.begin(), values.end()), std::make_unique<Value>()).first;
    return *it->second;
}

Value& Family::at(std::initializer_list<std::string_view> values) { return find_or_make(values); }

void Family::render(std::string& out) const {
    out += "# HELP " + name_ + " " + escape_help(help_) + "\n";
    out += "# TYPE " + name_ + (kind_ == Kind::counter ? " counter\n" : " gauge\n");
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [labels, value] : series_) {
        out += name_;
        if (!labels.empty()) {
            out += "{";
            for (size_t i = 0; i < labels.size(); ++i) {
                if (i) out += ",";
                out += label_names_[i] + "=\"" + escape_label_value(labels[i]) + "\"";
            }
            out += "}";
        }
        out += " " + std::to_string(value->get()) + "\n";
    }
}

Family& Registry::add(std::string name, std::string help, Kind kind, std::vector<std::string> label_names) {
    std::lock_guard<std::mutex> lock(mu_);
    families_.push_back(std::make_unique<Family>(std::move(name), std::move(help), kind, std::move(label_names)));
    return *families_.back();
}

std::string Registry::render() const {
    std::string out;
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& f : families_) f->render(out);
    return out;
}

}  // namespace onramp::metrics
