#include "edge/cli/flags.h"

#include <cstdio>

namespace onramp::cli {

std::optional<std::string> ParsedFlags::get(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedFlags::all(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? std::vector<std::string>{} : it->second;
}

std::optional<ParsedFlags> parse_flags(const std::string& command, const std::vector<FlagSpec>& specs,
                                       const std::vector<std::string>& args, size_t max_positional) {
    ParsedFlags out;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            out.help = true;
            continue;
        }
        if (a.rfind("--", 0) != 0) {
            if (out.positional.size() >= max_positional) {
                std::fprintf(stderr, "onramp-edge %s: unexpected argument '%s' (see --help)\n", command.c_str(), a.c_str());
                return std::nullopt;
            }
            out.positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        bool inline_value = false;
        if (size_t eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            inline_value = true;
        }
        const FlagSpec* spec = nullptr;
        for (const FlagSpec& s : specs)
            if (s.name == name) spec = &s;
        if (!spec) {
            std::fprintf(stderr, "onramp-edge %s: unknown flag --%s (see --help)\n", command.c_str(), name.c_str());
            return std::nullopt;
        }
        if (spec->takes_value && !inline_value) {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "onramp-edge %s: --%s needs a value\n", command.c_str(), name.c_str());
                return std::nullopt;
            }
            value = args[++i];
        } else if (!spec->takes_value && inline_value) {
            std::fprintf(stderr, "onramp-edge %s: --%s takes no value\n", command.c_str(), name.c_str());
            return std::nullopt;
        }
        if (!spec->repeatable && out.values.count(name)) {
            std::fprintf(stderr, "onramp-edge %s: --%s given twice\n", command.c_str(), name.c_str());
            return std::nullopt;
        }
        out.values[name].push_back(value);
    }
    return out;
}

void print_usage(const std::string& command, const std::string& summary, const std::vector<FlagSpec>& specs) {
    std::printf("Usage: onramp-edge %s [flags]\n\n%s\n\nFlags:\n", command.c_str(), summary.c_str());
    for (const FlagSpec& s : specs) {
        std::string left = "--" + s.name;
        std::string help = s.help;
        if (s.takes_value) {
            size_t sp = help.find("  ");
            if (sp != std::string::npos) {
                left += " " + help.substr(0, sp);
                help = help.substr(sp + 2);
            }
        }
        std::printf("  %-28s %s%s\n", left.c_str(), help.c_str(), s.repeatable ? " (repeatable)" : "");
    }
    std::printf("  %-28s %s\n", "--help", "show this help");
}

}  // namespace onramp::cli
