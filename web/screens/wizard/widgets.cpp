#include "screens/wizard/widgets.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "brand.h"
#include "i18n/i18n.h"
#include "imgui_stdlib.h"
#include "platform/gestures.h"

static ImU32 u32(const ImVec4& c) { return ImGui::ColorConvertFloat4ToU32(c); }

static bool dark(const Ui& ui) { return ui.palette->surface.x < 0.5f; }

ImVec4 wz_tone_color(const Ui& ui, Tone tone) {
    switch (tone) {
    case Tone::success:
        return dark(ui) ? ImVec4(0.30f, 0.76f, 0.54f, 1) : ImVec4(0.10f, 0.50f, 0.28f, 1);
    case Tone::danger: return ui.palette->danger;
    case Tone::info: break;
    }
    return ui.palette->accent;
}

static ImVec4 tone_surface(const Ui& ui, Tone tone) {
    switch (tone) {
    case Tone::success:
        return dark(ui) ? ImVec4(0.09f, 0.19f, 0.13f, 1) : ImVec4(0.91f, 0.97f, 0.93f, 1);
    case Tone::danger: return ui.palette->danger_surface;
    case Tone::info: break;
    }
    const ImVec4 a = ui.palette->accent, s = ui.palette->surface;
    return ImVec4(s.x + (a.x - s.x) * 0.10f, s.y + (a.y - s.y) * 0.10f, s.z + (a.z - s.z) * 0.10f, 1);
}

bool wz_button(const Ui& ui, const char* id, const char* label, bool disabled, float width) {
    ImGui::PushID(id);
    if (disabled) ImGui::BeginDisabled();
    ImGui::PushFont(ui.fonts.strong);
    const float w = width > 0.0f ? width : ImGui::GetContentRegionAvail().x;
    const bool clicked = ImGui::Button(label, ImVec2(w, 2.75f * ui.em));
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::PopFont();
    if (disabled) ImGui::EndDisabled();
    ImGui::PopID();
    ui_record(ui, id, "button", label);
    return clicked && !disabled;
}

void wz_help(const Ui& ui, const char* text) {
    ImGui::PushFont(ui.fonts.small);
    ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
    ImGui::TextWrapped("%s", brand_words(ui.brand, text).c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

void wz_field_error(const Ui& ui, const char* id, const std::string& message) {
    if (message.empty()) return;
    ImGui::PushFont(ui.fonts.small);
    ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->danger);
    ImGui::TextWrapped("%s", message.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ui_record(ui, id, "alert", message);
}

void wz_notice(const Ui& ui, const char* id, Tone tone, const std::string& title,
               const std::string& body) {
    const float pad = 0.75f * ui.em;
    const float width = ImGui::GetContentRegionAvail().x;
    const float wrap = width - 2.0f * pad;
    ImFont* strong = ui.fonts.strong;
    ImFont* small = ui.fonts.small;
    const ImVec2 t = strong->CalcTextSizeA(strong->FontSize, FLT_MAX, wrap, title.c_str());
    const ImVec2 b = body.empty() ? ImVec2(0, 0)
                                  : small->CalcTextSizeA(small->FontSize, FLT_MAX, wrap, body.c_str());
    const float gap = body.empty() ? 0.0f : 0.25f * ui.em;
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const ImVec2 max(min.x + width, min.y + t.y + gap + b.y + 2.0f * pad);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, u32(tone_surface(ui, tone)), ImGui::GetStyle().FrameRounding);
    dl->AddRectFilled(min, ImVec2(min.x + 0.25f * ui.em, max.y), u32(wz_tone_color(ui, tone)),
                      ImGui::GetStyle().FrameRounding, ImDrawFlags_RoundCornersLeft);
    dl->AddText(strong, strong->FontSize, ImVec2(min.x + pad, min.y + pad),
                u32(wz_tone_color(ui, tone)), title.c_str(), nullptr, wrap);
    if (!body.empty())
        dl->AddText(small, small->FontSize, ImVec2(min.x + pad, min.y + pad + t.y + gap),
                    u32(ui.palette->text), body.c_str(), nullptr, wrap);
    ImGui::Dummy(ImVec2(width, max.y - min.y));
    ui_record(ui, id, "notice", title);
}

void wz_progress(const Ui& ui, const char* id, float fraction, const std::string& label) {
    ImGui::TextUnformatted(label.c_str());
    const float width = ImGui::GetContentRegionAvail().x;
    const float h = 0.5f * ui.em;
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const ImVec2 max(min.x + width, min.y + h);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, u32(ui.palette->border), h);
    if (fraction >= 0.0f) {
        const float f = std::clamp(fraction, 0.0f, 1.0f);
        if (f > 0.0f)
            dl->AddRectFilled(min, ImVec2(min.x + std::max(h, f * width), max.y),
                              u32(ui.palette->accent), h);
    } else {
        // Indeterminate: a segment sliding across.
        const float t = static_cast<float>(std::fmod(ImGui::GetTime() * 0.8, 1.0));
        const float seg = 0.3f * width;
        const float x0 = min.x + t * (width + seg) - seg;
        dl->PushClipRect(min, max, true);
        dl->AddRectFilled(ImVec2(x0, min.y), ImVec2(x0 + seg, max.y), u32(ui.palette->accent), h);
        dl->PopClipRect();
    }
    ImGui::Dummy(ImVec2(width, h));
    if (ui.log) {
        ui.log->items.push_back({id, "progress", min, max, label});
        ui.log->items.back().role = Role::progressbar;
        ui.log->items.back().value = fraction;
    }
}

bool wz_checkbox(const Ui& ui, const char* id, const char* label, bool* value) {
    ImGui::PushID(id);
    const bool changed = ImGui::Checkbox(label, value);
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::PopID();
    ui_record(ui, id, "checkbox", *value ? "on" : "off", label);
    return changed;
}

bool wz_combo(const Ui& ui, const char* id, const char* label, int* index,
              const char* const items[], int count, const char* placeholder) {
    ui_heading(ui, label);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + 0.375f * ui.em);
    ImGui::PushID(id);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    const char* preview = (*index >= 0 && *index < count) ? tr_text(items[*index]) : tr_text(placeholder);
    bool changed = false;
    if (ImGui::BeginCombo("##combo", preview, ImGuiComboFlags_HeightLargest)) {
        for (int i = 0; i < count; ++i) {
            if (ImGui::Selectable(tr_text(items[i]), i == *index)) {
                *index = i;
                changed = true;
            }
            ui_record(ui, (std::string(id) + "." + std::to_string(i)).c_str(), "option", tr_text(items[i]));
            if (i == *index) ImGui::SetItemDefaultFocus();
        }
        ImGui::EndCombo();
    }
    ImGui::PopID();
    ui_record(ui, id, "select", preview, label);
    return changed;
}

void wz_copy_field(const Ui& ui, const char* id, const char* label, const std::string& value, bool* copied) {
    ui_heading(ui, label);
    const float button_w = 6.0f * ui.em;
    const float w = ImGui::GetContentRegionAvail().x - button_w - ImGui::GetStyle().ItemSpacing.x;
    std::string shown = value;  // InputText wants a mutable string even when read-only
    ImGui::PushID(id);
    ImGui::SetNextItemWidth(w);
    ImGui::InputText("##value", &shown, ImGuiInputTextFlags_ReadOnly);
    ImGui::PopID();
    // Named by the heading above: a screen reader reads the value itself.
    ui_record(ui, id, "text", value);
    ImGui::SameLine();
    const std::string button_id = std::string(id) + ".copy";
    const char* action = *copied ? tr("Copied") : tr("Copy");
    if (wz_button(ui, button_id.c_str(), action, value.empty(), button_w)) *copied = true;
    // "Copy" alone would not say which of a step's values it copies.
    if (ui.log) ui.log->items.back().label = std::string(action) + " " + label;
    gesture_on_last_item(button_id.c_str(), GestureKind::copy_text, value);
}

void wz_value(const Ui& ui, const char* id, const std::string& text, bool strong) {
    if (strong) ImGui::PushFont(ui.fonts.strong);
    ImGui::TextWrapped("%s", text.c_str());
    if (strong) ImGui::PopFont();
    ui_record(ui, id, "text", text);
}

void wz_loading(const Ui& ui, const char* id, const char* text) {
    const float r = 0.5f * ui.em;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float line = ImGui::GetTextLineHeight();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float start = static_cast<float>(ImGui::GetTime()) * 6.0f;
    dl->PathArcTo(ImVec2(p.x + r, p.y + 0.5f * line), r, start, start + 4.4f, 24);
    dl->PathStroke(u32(ui.palette->accent), 0, 0.16f * ui.em);
    ImGui::SetCursorScreenPos(ImVec2(p.x + 2.0f * r + 0.625f * ui.em, p.y));
    ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
    ui_record(ui, id, "loading", text);
}

int wz_nav(const Ui& ui, const char* primary_id, const char* primary, bool busy,
           const char* busy_label, const char* back) {
    ui_vspace(ui, 0.25f);
    int out = ui_primary_button(ui, primary_id, primary, busy, busy_label) ? 1 : 0;
    if (back && ui_link_button(ui, "back", back)) out = 2;
    return out;
}
