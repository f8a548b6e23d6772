#include "screens/console/widgets.h"

#include <algorithm>
#include <cstdio>

#include "i18n/i18n.h"
#include "imgui_internal.h"  // GetCurrentTable: pills centre on a table row
#include "screens/wizard/widgets.h"

static ImU32 u32(const ImVec4& c) { return ImGui::ColorConvertFloat4ToU32(c); }

static ImVec4 rgb(unsigned hex) {
    return ImVec4(((hex >> 16) & 0xFF) / 255.0f, ((hex >> 8) & 0xFF) / 255.0f, (hex & 0xFF) / 255.0f, 1.0f);
}

static bool dark(const Ui& ui) { return ui.dark; }

// Foreground and background of a tone. Green and amber are the console's
// own: the palette has no slot for them, and only status needs them.
static void tone_colors(const Ui& ui, StatusTone tone, ImVec4* fg, ImVec4* bg) {
    const Palette& p = *ui.palette;
    const bool d = dark(ui);
    switch (tone) {
    case StatusTone::good: *fg = d ? rgb(0x5BD19A) : rgb(0x13795B); *bg = d ? rgb(0x173127) : rgb(0xE3F6EE); return;
    case StatusTone::warn: *fg = d ? rgb(0xF2C46D) : rgb(0x8A5A00); *bg = d ? rgb(0x332812) : rgb(0xFFF3D6); return;
    case StatusTone::bad: *fg = p.danger; *bg = p.danger_surface; return;
    case StatusTone::neutral: break;
    }
    *fg = p.text_muted;
    *bg = ImVec4(p.border.x, p.border.y, p.border.z, 0.6f);
}

StatusTone status_tone(const std::string& s) {
    if (s == "succeeded" || s == "healthy" || s == "processed" || s == "active" || s == "current" ||
        s == "done" || s == "completed")
        return StatusTone::good;
    if (s == "failed" || s == "dead" || s == "failing" || s == "error" || s == "missing")
        return StatusTone::bad;
    if (s == "running" || s == "queued" || s == "received" || s == "untested" || s == "next")
        return StatusTone::warn;
    return StatusTone::neutral;
}


void status_pill(const Ui& ui, const std::string& id, const std::string& text, StatusTone tone) {
    ImVec4 fg, bg;
    tone_colors(ui, tone, &fg, &bg);
    ImGui::PushFont(ui.fonts.small);
    const ImVec2 pad(0.5f * ui.em, 0.125f * ui.em);
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    ImVec2 min = ImGui::GetCursorScreenPos();
    // In a table the row's text sits a frame's padding down: centre on it.
    if (ImGui::GetCurrentTable())
        min.y += std::max(0.0f, 0.5f * (ImGui::GetFrameHeight() - size.y - 2.0f * pad.y));
    ImGui::SetCursorScreenPos(min);
    const ImVec2 max(min.x + size.x + 2.0f * pad.x, min.y + size.y + 2.0f * pad.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, u32(bg), 0.5f * (max.y - min.y));
    dl->AddText(ImVec2(min.x + pad.x, min.y + pad.y), u32(fg), text.c_str());
    ImGui::Dummy(ImVec2(max.x - min.x, max.y - min.y));
    ImGui::PopFont();
    ui_record(ui, id, "pill", text);
}

void page_title(const Ui& ui, const char* title, const std::string& subtitle) {
    ImGui::PushFont(ui.fonts.title);
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    if (!subtitle.empty()) ui_muted_text(ui, subtitle.c_str());
    ui_vspace(ui, 0.25f);
}

bool plain_button(const Ui& ui, const char* id, const char* label) {
    ImGui::PushID(id);
    const bool clicked = ImGui::Button(label);
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::PopID();
    ui_record(ui, id, "button", label);
    return clicked;
}

void same_line_if_fits(const char* label) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float w = ImGui::CalcTextSize(label).x + 2.0f * style.FramePadding.x;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + w <= right) ImGui::SameLine();
}

static void draw_spinner(const Ui& ui, ImVec2 center, float radius) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float start = static_cast<float>(ImGui::GetTime()) * 6.0f;
    dl->PathArcTo(center, radius, start, start + 4.4f, 24);
    dl->PathStroke(u32(ui.palette->accent), 0, 0.16f * ui.em);
}

PanelShow panel_state(const Ui& ui, const std::string& id, bool loading, bool loaded,
                      const std::string& error, bool empty, const char* empty_text) {
    if (!error.empty()) {
        ui_error_box(ui, (id + ".error").c_str(), error);
        return plain_button(ui, (id + ".retry").c_str(), tr("Try again")) ? PanelShow::retry : PanelShow::nothing;
    }
    if (loading && !loaded) {
        const float r = 0.5f * ui.em;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::Dummy(ImVec2(2.0f * r, 2.0f * r));
        draw_spinner(ui, ImVec2(p.x + r, p.y + r), r);
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
        ImGui::TextUnformatted(tr("Loading\xE2\x80\xA6"));
        ImGui::PopStyleColor();
        ui_record(ui, id + ".loading", "status", tr("Loading"));
        return PanelShow::nothing;
    }
    if (!loaded) return PanelShow::nothing;
    if (empty) {
        ui_muted_text(ui, empty_text);
        ui_record(ui, id + ".empty", "status", empty_text);
        return PanelShow::nothing;
    }
    return PanelShow::content;
}

void table_headers(const Ui& ui, const std::string& id) {
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    const int columns = ImGui::TableGetColumnCount();
    for (int c = 0; c < columns; ++c) {
        if (!ImGui::TableSetColumnIndex(c)) continue;
        const char* name = ImGui::TableGetColumnName(c);
        ImGui::PushFont(ui.fonts.strong);
        ImGui::TableHeader(name);
        ImGui::PopFont();
        ui_record(ui, id + ".h." + name, "header", name);
    }
}

bool begin_list_table(const Ui& ui, const std::string& id, std::initializer_list<ListColumn> columns) {
    const bool narrow = narrow_layout(ui);
    int shown = 0;
    for (const ListColumn& c : columns) shown += !narrow || c.narrow;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
    if (!ImGui::BeginTable(("##" + id).c_str(), shown, flags)) return false;
    for (const ListColumn& c : columns)
        if (!narrow || c.narrow) ImGui::TableSetupColumn(c.name, ImGuiTableColumnFlags_WidthStretch, c.weight);
    table_headers(ui, id);
    return true;
}

void bar_chart(const Ui& ui, const std::string& id, const std::vector<double>& values,
               const std::vector<StatusTone>& tones, float height_em) {
    const float width = ImGui::GetContentRegionAvail().x;
    const float height = height_em * ui.em;
    const ImVec2 min = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const Palette& p = *ui.palette;
    dl->AddLine(ImVec2(min.x, min.y + height), ImVec2(min.x + width, min.y + height), u32(p.border),
                std::max(1.0f, ui.dpr));

    std::string summary;
    const double top = values.empty() ? 0.0 : *std::max_element(values.begin(), values.end());
    ImGui::PushFont(ui.fonts.small);
    const float label_h = ImGui::GetTextLineHeight();
    // Bars at most 3 em wide, so a short history does not look like a wall.
    const size_t n = values.size();
    const float slot = n ? std::min(width / float(n), 3.0f * ui.em) : 0.0f;
    for (size_t i = 0; i < n; ++i) {
        const float x0 = min.x + slot * float(i) + 0.15f * slot;
        const float x1 = min.x + slot * float(i + 1) - 0.15f * slot;
        const float usable = height - label_h - 0.25f * ui.em;
        const float h = top > 0 ? float(values[i] / top) * usable : 0.0f;
        const float y1 = min.y + height;
        // A run that copied nothing still shows as a sliver.
        const float y0 = y1 - std::max(h, 0.15f * ui.em);
        ImVec4 fg, bg;
        tone_colors(ui, i < tones.size() ? tones[i] : StatusTone::neutral, &fg, &bg);
        const ImVec4 fill = tones.size() > i && tones[i] == StatusTone::good ? p.accent : fg;
        dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y1), u32(fill), 0.2f * ui.em,
                          ImDrawFlags_RoundCornersTop);
        char label[32];
        std::snprintf(label, sizeof label, "%.0f", values[i]);
        const float lw = ImGui::CalcTextSize(label).x;
        if (lw <= slot)
            dl->AddText(ImVec2(0.5f * (x0 + x1) - 0.5f * lw, y0 - label_h), u32(p.text_muted), label);
        summary += (i ? "," : "") + std::string(label);
    }
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(width, height));
    ui_record(ui, id, "chart", summary);
}

void outcome_line(const Ui& ui, const char* id, const std::string& message, bool ok) {
    if (message.empty()) return;
    if (!ok) {
        ui_error_box(ui, id, message);
        return;
    }
    ImVec4 fg, bg;
    tone_colors(ui, StatusTone::good, &fg, &bg);
    ImGui::PushStyleColor(ImGuiCol_Text, fg);
    ImGui::TextWrapped("%s", message.c_str());
    ImGui::PopStyleColor();
    ui_record(ui, id, "text", message);
}

bool begin_form(const Ui& ui, const char* id, float width_em) {
    const float w = std::min(ImGui::GetContentRegionAvail().x, width_em * ui.em);
    if (!ImGui::BeginTable(id, 1, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoPadOuterX, ImVec2(w, 0)))
        return false;
    ImGui::TableSetupColumn("##form", ImGuiTableColumnFlags_WidthFixed, w);
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    return true;
}

void end_form() { ImGui::EndTable(); }

void fact_line(const Ui& ui, const std::string& id, const std::string& label, const std::string& value) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), 11.0f * ui.em));
    ImGui::TextWrapped("%s", value.c_str());
    ui_record(ui, id, "text", value);
}

bool narrow_layout(const Ui& ui) { return ImGui::GetContentRegionAvail().x < 40.0f * ui.em; }

bool tab_button(const Ui& ui, const char* id, const char* label, bool selected) {
    const Palette& p = *ui.palette;
    ImGui::PushID(id);
    ImGui::PushFont(ui.fonts.strong);
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_Text, selected ? p.text : p.text_muted);
    const bool clicked = ImGui::Button(label);
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::PopStyleColor(3);
    ImGui::PopFont();
    ImGui::PopID();
    if (selected) {
        const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
        const float inset = ImGui::GetStyle().FramePadding.x;
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(min.x + inset, max.y - 0.15f * ui.em),
                                                  ImVec2(max.x - inset, max.y), u32(p.accent),
                                                  0.075f * ui.em);
    }
    ui_record(ui, id, "tab", label);
    return clicked;
}

void code_checkbox(const Ui& ui, const char* id, const std::string& email, bool busy, bool* value) {
    const bool off = busy || email.empty();
    if (email.empty()) *value = false;
    if (off) ImGui::BeginDisabled();
    wz_checkbox(ui, id, tr("Ask for a code sent to the client's e-mail on a new device"), value);
    if (off) ImGui::EndDisabled();
}
