// Reads typed fields out of a parsed JSON body and collects one message per
// bad field, so a 422 names every problem at once instead of the first.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

#include "shared/problem.h"
#include "shared/validation/messages.h"

namespace onramp {

class Fields {
public:
    explicit Fields(const nlohmann::json& body) : body_(body) {}

    // Required string: missing, null, non-string or empty (after trimming)
    // is an error. max_len guards columns and logs from megabyte values.
    std::string text(const std::string& name, size_t max_len = 200);
    std::optional<std::string> opt_text(const std::string& name, size_t max_len = 200);
    std::optional<bool> opt_bool(const std::string& name);
    std::optional<int64_t> opt_int(const std::string& name, int64_t min, int64_t max);
    // The object in the body (not a copy: callers take what they need), or
    // null when absent or not an object.
    const nlohmann::json* opt_object(const std::string& name);
    // One of the listed values.
    std::string choice(const std::string& name, std::initializer_list<const char*> allowed);
    std::optional<std::string> opt_choice(const std::string& name, std::initializer_list<const char*> allowed);

    // A message of the handler's own, in English only.
    void fail(const std::string& name, std::string message) { errors_.emplace(name, std::move(message)); }
    // A message with a code (validation/messages.h), which a client can
    // show in its own language.
    void fail(const std::string& name, validation::Message message);
    bool ok() const { return errors_.empty(); }
    // The 422 naming every bad field, with `error_codes` for the coded ones.
    Problem problem() const;

private:
    const nlohmann::json* get(const std::string& name) const;
    const nlohmann::json& body_;
    std::map<std::string, std::string> errors_;
    std::map<std::string, validation::Message> coded_;
};

std::string trim(std::string s);
bool looks_like_email(const std::string& s);

}  // namespace onramp
