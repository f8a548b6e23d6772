// Files compiled into the binary by cmake/embed.cmake (migrations).
#pragma once

#include <cstddef>

namespace onramp {

struct EmbeddedFile {
    const char* name;
    const char* text;
};

}  // namespace onramp
