// The documents a client may upload: the kinds the edge accepts and the file
// name extensions that declare them. The edge's detector
// (edge/documents/detect.cpp) checks that the content agrees; the web
// client's file picker and its documents step offer exactly these.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "shared/text.h"

namespace onramp::documents {

enum class Kind { Pdf, Docx, Text, Markdown };

struct Extension {
    std::string_view name;  // lower case, without the dot
    Kind kind;
};

// The accepted kinds in words, for the edge's refusals and the client's step.
inline constexpr const char* kAcceptedKinds = translatable("PDF, DOCX, TXT and Markdown (.md) files");

// Every accepted extension.
std::span<const Extension> accepted_extensions();

// The kind a lower-cased extension declares; nullopt when it is not accepted.
std::optional<Kind> kind_of_extension(std::string_view extension);

// The file picker's accept attribute: ".pdf,.docx,...", every accepted
// extension (HTML's accept attribute, a comma-separated list).
std::string accept_attribute();

}  // namespace onramp::documents
