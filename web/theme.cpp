#include "theme.h"

// Bytes of the Inter fonts, generated at build time (web/cmake/embed_binary.cmake).
extern const unsigned char font_inter_regular[];
extern const unsigned int font_inter_regular_size;
extern const unsigned char font_inter_semibold[];
extern const unsigned int font_inter_semibold_size;

static ImVec4 rgb(unsigned hex, float alpha = 1.0f) {
    return ImVec4(((hex >> 16) & 0xFF) / 255.0f, ((hex >> 8) & 0xFF) / 255.0f,
                  (hex & 0xFF) / 255.0f, alpha);
}

// Cool neutrals with one indigo accent; the dark theme keeps the same hues.
static const Palette kLight = {
    rgb(0xF3F4F7), rgb(0xFFFFFF), rgb(0x161A23), rgb(0x5F6675),
    rgb(0x4F46E5), rgb(0xFFFFFF), rgb(0xC9302C), rgb(0xFDECEC), rgb(0xDFE2E8),
};
static const Palette kDark = {
    rgb(0x0E1016), rgb(0x171A22), rgb(0xE7E9EF), rgb(0x9AA1AF),
    rgb(0x7C83F7), rgb(0x0E1016), rgb(0xF2726D), rgb(0x3A1D20), rgb(0x2B303B),
};

const Palette& theme_palette(ThemeMode mode) {
    return mode == ThemeMode::Dark ? kDark : kLight;
}

static ImVec4 mix(ImVec4 a, ImVec4 b, float t) {
    return ImVec4(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.z + (b.z - a.z) * t,
                  a.w + (b.w - a.w) * t);
}

static void set_colors(ImGuiStyle& s, const Palette& p, bool dark) {
    ImVec4* c = s.Colors;
    ImVec4 field = dark ? rgb(0x11141B) : rgb(0xF8F9FB);
    ImVec4 clear = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_Text] = p.text;
    c[ImGuiCol_TextDisabled] = p.text_muted;
    c[ImGuiCol_WindowBg] = p.surface;
    c[ImGuiCol_ChildBg] = clear;
    c[ImGuiCol_PopupBg] = p.surface;
    c[ImGuiCol_Border] = p.border;
    c[ImGuiCol_BorderShadow] = clear;
    c[ImGuiCol_FrameBg] = field;
    c[ImGuiCol_FrameBgHovered] = mix(field, p.accent, 0.06f);
    c[ImGuiCol_FrameBgActive] = mix(field, p.accent, 0.10f);
    c[ImGuiCol_TitleBg] = p.surface;
    c[ImGuiCol_TitleBgActive] = p.surface;
    c[ImGuiCol_TitleBgCollapsed] = p.surface;
    c[ImGuiCol_ScrollbarBg] = clear;
    c[ImGuiCol_ScrollbarGrab] = p.border;
    c[ImGuiCol_ScrollbarGrabHovered] = p.text_muted;
    c[ImGuiCol_ScrollbarGrabActive] = p.text_muted;
    c[ImGuiCol_CheckMark] = p.accent;
    c[ImGuiCol_SliderGrab] = p.accent;
    c[ImGuiCol_SliderGrabActive] = p.accent;
    // Plain buttons are quiet; the primary button pushes the accent itself.
    c[ImGuiCol_Button] = mix(p.surface, p.text, 0.06f);
    c[ImGuiCol_ButtonHovered] = mix(p.surface, p.text, 0.10f);
    c[ImGuiCol_ButtonActive] = mix(p.surface, p.text, 0.15f);
    c[ImGuiCol_Header] = mix(p.surface, p.accent, 0.12f);
    c[ImGuiCol_HeaderHovered] = mix(p.surface, p.accent, 0.18f);
    c[ImGuiCol_HeaderActive] = mix(p.surface, p.accent, 0.25f);
    c[ImGuiCol_Separator] = p.border;
    c[ImGuiCol_SeparatorHovered] = p.accent;
    c[ImGuiCol_SeparatorActive] = p.accent;
    c[ImGuiCol_ResizeGrip] = clear;
    c[ImGuiCol_ResizeGripHovered] = clear;
    c[ImGuiCol_ResizeGripActive] = clear;
    c[ImGuiCol_TextSelectedBg] = ImVec4(p.accent.x, p.accent.y, p.accent.z, 0.30f);
    c[ImGuiCol_NavHighlight] = p.accent;
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, dark ? 0.55f : 0.30f);
}

void theme_apply_style(const Palette& palette, ThemeMode mode, float dpr) {
    const float em = kBodyFontSize;
    ImGuiStyle s;
    s.WindowPadding = ImVec2(2.0f * em, 2.0f * em);
    s.FramePadding = ImVec2(0.75f * em, 0.625f * em);
    s.ItemSpacing = ImVec2(0.5f * em, 0.75f * em);
    s.ItemInnerSpacing = ImVec2(0.5f * em, 0.375f * em);
    s.WindowRounding = 0.875f * em;
    s.ChildRounding = 0.5f * em;
    s.FrameRounding = 0.5f * em;
    s.PopupRounding = 0.5f * em;
    s.GrabRounding = 0.5f * em;
    s.ScrollbarRounding = 0.5f * em;
    s.ScrollbarSize = 0.75f * em;
    s.WindowBorderSize = 1.0f;
    s.FrameBorderSize = 1.0f;
    s.PopupBorderSize = 1.0f;
    s.WindowMinSize = ImVec2(1.0f, 1.0f);
    set_colors(s, palette, mode == ThemeMode::Dark);
    s.ScaleAllSizes(dpr);
    ImGui::GetStyle() = s;
}

// Latin-1 and Latin Extended-A (names across Europe), typographic
// punctuation (dashes, quotes, bullet, ellipsis), currency signs, arrows and
// the white square that stands in for a missing character. Embedded, so the
// first frame has them. The build subsets the fonts to these
// (ONRAMP_FONT_UNICODES in web/CMakeLists.txt: keep the two lists equal).
// ImGui keeps the pointer.
static const ImWchar kGlyphRanges[] = {
    0x0020, 0x017F,
    0x2010, 0x2027,
    0x2030, 0x203A,
    0x20A0, 0x20BF,
    0x2122, 0x2122,
    0x2190, 0x2193,
    0x25A1, 0x25A1,
    0,
};

// MoreGlyphs' characters: Latin Extended-B (Romanian's ș and ț), spacing
// modifiers and combining accents, Greek, Cyrillic, Latin Extended
// Additional (Vietnamese) and the rest of the punctuation, currency and
// letterlike blocks (ONRAMP_FONT_MORE_UNICODES in web/CMakeLists.txt: keep
// the two lists equal).
static const ImWchar kMoreRanges[] = {
    0x0180, 0x024F,
    0x02B0, 0x036F,
    0x0370, 0x03FF,
    0x0400, 0x04FF,
    0x1E00, 0x1EFF,
    0x2000, 0x200F,
    0x2028, 0x202F,
    0x203B, 0x206F,
    0x20C0, 0x20CF,
    0x2100, 0x2121,
    0x2123, 0x214F,
    0,
};

static const ImWchar kMaskRanges[] = {'*', '*', 0x2022, 0x2022, 0};

// Drawn for a character no font has. ImGui would pick U+FFFD, which Inter
// lacks, and then '?', which reads as part of the text.
static constexpr ImWchar kFallbackChar = 0x25A1;

// How a font is rasterized into the atlas. ImGui draws each glyph three
// times over horizontally by default, for sub-pixel positions; where a CSS
// pixel is two device pixels or more that adds texture, not sharpness, and
// with the second subset merged the texture would reach 4096×8192 RGBA
// (128 MB) at a devicePixelRatio of 3, more than many phones allow.
struct Raster {
    float px = kBodyFontSize;
    int oversample_h = 3;
};

// With `merge`, the glyphs go into the font added last.
static ImFont* add_font(const unsigned char* data, size_t size, Raster r, const ImWchar* ranges,
                        bool merge = false) {
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;  // the bytes live in the wasm image, or in MoreGlyphs
    cfg.MergeMode = merge;
    cfg.OversampleH = r.oversample_h;
    return ImGui::GetIO().Fonts->AddFontFromMemoryTTF(
        const_cast<unsigned char*>(data), static_cast<int>(size), r.px, &cfg, ranges);
}

// A font for text: the embedded subset, and `more`'s glyphs of the same face
// when there are any.
static ImFont* add_text_font(const unsigned char* data, unsigned int size, const std::string& more, Raster r) {
    ImFont* font = add_font(data, size, r, kGlyphRanges);
    if (!more.empty())
        add_font(reinterpret_cast<const unsigned char*>(more.data()), more.size(), r, kMoreRanges, true);
    font->FallbackChar = kFallbackChar;  // kept by Build(), which looks it up first
    return font;
}

// Fills the atlas anew; false when a font could not be read.
static bool build_fonts(Fonts& f, float dpr, const MoreGlyphs* more) {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;  // WebGL2 takes any height
    const std::string none;
    const std::string& regular = more ? more->regular : none;
    const std::string& semibold = more ? more->semibold : none;
    const Raster body{kBodyFontSize * dpr, dpr >= 2.0f ? 1 : 3};
    const Raster title{1.75f * body.px, body.oversample_h};
    const Raster small{0.8125f * body.px, body.oversample_h};
    // The first font added is ImGui's default.
    f.body = add_text_font(font_inter_regular, font_inter_regular_size, regular, body);
    f.strong = add_text_font(font_inter_semibold, font_inter_semibold_size, semibold, body);
    f.title = add_text_font(font_inter_semibold, font_inter_semibold_size, semibold, title);
    f.small = add_text_font(font_inter_regular, font_inter_regular_size, regular, small);
    f.mask = add_font(font_inter_regular, font_inter_regular_size, body, kMaskRanges);
    f.more = more != nullptr;
    return atlas->Build();
}

bool theme_is_font(const std::string& bytes) { return bytes.size() > 12 && bytes.compare(0, 4, "OTTO") == 0; }

Fonts theme_load_fonts(float dpr, const MoreGlyphs& more) {
    Fonts f;
    const bool merge = !more.regular.empty() && !more.semibold.empty();
    // A file stb_truetype cannot read fails the whole atlas: the embedded
    // subset alone is better than no text.
    if (!build_fonts(f, dpr, merge ? &more : nullptr) && merge) build_fonts(f, dpr, nullptr);
    // ImGui masks passwords with the font's '*'; point it at the bullet.
    f.mask->AddRemapChar('*', 0x2022, true);
    return f;
}
