// A small command-line parser for the subcommands: "--name value",
// "--name=value", boolean "--name", repeatable flags. Unknown flags and
// missing values are usage errors (exit code 2) with a clear message.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace onramp::cli {

struct FlagSpec {
    std::string name;  // without the leading "--"
    bool takes_value = true;
    bool repeatable = false;
    std::string help;  // one line for --help; the value's name first, e.g. "DIR  data directory"
};

struct ParsedFlags {
    std::map<std::string, std::vector<std::string>> values;
    std::vector<std::string> positional;
    bool help = false;

    bool has(const std::string& name) const { return values.count(name) > 0; }
    std::optional<std::string> get(const std::string& name) const;
    std::vector<std::string> all(const std::string& name) const;
};

// Returns nullopt after printing the problem to stderr.
std::optional<ParsedFlags> parse_flags(const std::string& command, const std::vector<FlagSpec>& specs,
                                       const std::vector<std::string>& args, size_t max_positional = 0);
void print_usage(const std::string& command, const std::string& summary, const std::vector<FlagSpec>& specs);

}  // namespace onramp::cli
