// Keeps Dear ImGui's built-in font (ProggyClean, ~12 KB of base85 text and
// its decompressor) out of the page. ImFontAtlas::Build() calls
// AddFontDefault() when the atlas holds no font, so the linker keeps that
// font even though the client always adds Inter before building
// (theme.cpp, build_fonts); ImGui 1.86 has no define that leaves it out.
// The link wraps AddFontDefault (-Wl,--wrap, web/CMakeLists.txt), and
// every call reaches this function instead of ImGui's: a build without
// Inter is a bug, so it stops the module (the page then shows its error)
// rather than draw in another face.
#include <cstdlib>

#include "imgui.h"

// The wrapped name is the mangled ImFontAtlas::AddFontDefault; a member
// function takes `this` as its first argument in the WebAssembly ABI.
extern "C" ImFont* __wrap__ZN11ImFontAtlas14AddFontDefaultEPK12ImFontConfig(ImFontAtlas*, const ImFontConfig*) {
    std::abort();
}
