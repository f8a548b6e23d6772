// The look of Onramp: colours, spacing and type. Everything is defined at
// 1 CSS pixel = 1 unit and scaled by the devicePixelRatio when applied, so the
// UI is drawn in device pixels and stays crisp on high-DPI screens.
#pragma once

#include <string>

#include "imgui.h"

enum class ThemeMode { Light, Dark };

// Colours the ImGui style has no slot for, used by the screens' own drawing.
struct Palette {
    ImVec4 page;         // behind the card
    ImVec4 surface;      // the card
    ImVec4 text;
    ImVec4 text_muted;
    ImVec4 accent;       // primary buttons, focus, links
    ImVec4 accent_text;  // text on an accent background
    ImVec4 danger;
    ImVec4 danger_surface;
    ImVec4 border;
};

struct Fonts {
    ImFont* body = nullptr;     // Inter Regular, the default font
    ImFont* strong = nullptr;   // Inter SemiBold at body size: labels, buttons
    ImFont* title = nullptr;    // Inter SemiBold, large
    ImFont* small = nullptr;    // Inter Regular, for help and footers
    ImFont* mask = nullptr;     // body size, '*' drawn as a bullet: password fields
    bool more = false;          // MoreGlyphs merged into the four above
};

// The same faces over the rest of Latin, Greek and Cyrillic: the bytes of
// the two files the build puts beside onramp.wasm (web/CMakeLists.txt,
// inter-more-regular.otf and inter-more-semibold.otf), fetched after the
// first frame. Empty until both have arrived. The atlas reads the bytes
// without copying them, so they must outlive it.
struct MoreGlyphs {
    std::string regular, semibold;
};

// Whether `bytes` look like the OpenType font the build made (CFF outlines,
// tag "OTTO"), and not, say, an error page served in its place.
bool theme_is_font(const std::string& bytes);

// Body text size in CSS pixels; every length in the UI is a multiple of it.
constexpr float kBodyFontSize = 16.0f;

const Palette& theme_palette(ThemeMode mode);

// Replaces the ImGui style with Onramp's in `palette` (theme_palette's, or a
// brand's variant of it), scaled for `dpr`. Starts from a fresh ImGuiStyle
// each time, because ScaleAllSizes compounds.
void theme_apply_style(const Palette& palette, ThemeMode mode, float dpr);

// Rebuilds the font atlas for `dpr` from the fonts embedded at build time,
// with `more`'s glyphs merged in when it holds them. A character no font has
// is drawn as U+25A1, a white square. The caller re-uploads the texture
// (ImGui_ImplOpenGL3_CreateFontsTexture).
Fonts theme_load_fonts(float dpr, const MoreGlyphs& more);
