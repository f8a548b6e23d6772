// The accepted document extensions (shared/documents/accepted.h).
#include "shared/documents/accepted.h"

namespace onramp::documents {

namespace {

constexpr Extension kExtensions[] = {
    {"pdf", Kind::Pdf},       {"docx", Kind::Docx},         {"txt", Kind::Text},
    {"text", Kind::Text},     {"md", Kind::Markdown},       {"markdown", Kind::Markdown},
};

}  // namespace

std::span<const Extension> accepted_extensions() { return kExtensions; }

std::optional<Kind> kind_of_extension(std::string_view extension) {
    for (const Extension& e : kExtensions)
        if (e.name == extension) return e.kind;
    return std::nullopt;
}

std::string accept_attribute() {
    std::string out;
    for (const Extension& e : kExtensions) {
        if (!out.empty()) out += ',';
        out += '.';
        out += e.name;
    }
    return out;
}

}  // namespace onramp::documents
