#include "ui.h"

#include <algorithm>
#include <cfloat>
#include <utility>

#include "brand.h"
#include "i18n/i18n.h"
#include "imgui_internal.h"  // the last item's flags: disabled
#include "imgui_stdlib.h"

static ImU32 u32(const ImVec4& c) { return ImGui::ColorConvertFloat4ToU32(c); }

static ImVec4 shade(const ImVec4& c, float k) {
    return ImVec4(c.x * k, c.y * k, c.z * k, c.w);
}

static void hand_cursor_on_hover() {
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
}

Role ui_role(const std::string& kind) {
    static const std::pair<const char*, Role> roles[] = {
        {"button", Role::button},     {"input", Role::textbox},   {"checkbox", Role::checkbox},
        {"select", Role::combobox},   {"option", Role::option},   {"heading", Role::heading},
        {"progress", Role::progressbar}, {"alert", Role::alert},  {"notice", Role::status},
        {"loading", Role::status},
        // A console tab switches the view like a button: ARIA's tabs would
        // need a tablist and panels the console does not draw as such.
        {"tab", Role::button},
    };
    for (const auto& [name, role] : roles)
        if (kind == name) return role;
    return Role::none;
}

InputAttributes ui_input_attributes(Keyboard k) {
    switch (k) {
    case Keyboard::text: break;
    case Keyboard::email: return {"text", "email", "email"};
    case Keyboard::phone: return {"text", "tel", "tel"};
    case Keyboard::number: return {"text", "numeric", "off"};
    case Keyboard::url: return {"text", "url", "url"};
    case Keyboard::secret: return {"password", "text", "off"};
    case Keyboard::current_password: return {"password", "text", "current-password"};
    case Keyboard::new_password: return {"password", "text", "new-password"};
    }
    return {"text", "text", "off"};
}

void ui_record(const Ui& ui, const std::string& id, const char* kind, std::string text,
               const char* label) {
    if (!ui.log) return;
    WidgetInfo w{id, kind, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), std::move(text)};
    w.role = ui_role(w.kind);
    if (label) w.label = label;
    w.form = ui.log->form;
    w.window = GImGui->CurrentWindow->RootWindow->ID;
    w.disabled = (GImGui->LastItemData.InFlags & ImGuiItemFlags_Disabled) != 0;
    ui.log->items.push_back(std::move(w));
    // Focus moves as Tab would move it: a field starts editing, a button
    // gets the keyboard's highlight, and either is scrolled into view.
    if (ui.log->focus_request == id) {
        ImGui::SetKeyboardFocusHere(-1);
        ui.log->focus_request.clear();
    }
    // ImGui presses only an item it does not clip: one scrolled out of its
    // window is scrolled in first and pressed in the next frame.
    if (ui.log->press_request == id && ImGui::IsItemVisible()) {
        ImGui::ActivateItem(GImGui->LastItemData.ID);
        ui.log->press_request.clear();
    } else if (ui.log->press_request == id) {
        ImGui::SetScrollHereY(0.5f);
        ui.log->press_deferred = true;
    }
    if (ImGui::IsItemActive()) ui.log->active = id;
    if (ImGui::IsItemFocused()) ui.log->nav = id;
}

static bool takes_focus(const WidgetInfo& w) {
    const Role r = w.role;
    return !w.disabled && (r == Role::button || r == Role::textbox || r == Role::checkbox ||
                           r == Role::combobox || w.kind == "row" || w.kind == "combo");
}

static int index_of(const WidgetLog& log, const std::string& id) {
    for (size_t i = 0; i < log.items.size(); ++i)
        if (!id.empty() && log.items[i].id == id) return static_cast<int>(i);
    return -1;
}

std::string ui_tab_target(const WidgetLog& log, bool back, ImGuiID window) {
    const std::string& from = log.active.empty() ? log.nav : log.active;
    const int n = static_cast<int>(log.items.size()), step = back ? -1 : 1;
    int at = index_of(log, from);
    // Tab leaves an open drop-down's list as it leaves a <select>'s: from
    // the drop-down ("industry.3" is a choice of "industry"'s).
    if (at >= 0 && log.items[static_cast<size_t>(at)].role == Role::option)
        at = index_of(log, from.substr(0, from.rfind('.')));
    // Without a widget to start from, the walk starts at the window's edge;
    // a window with nothing to focus leaves the whole page.
    const bool any = at >= 0 || window == 0;
    if (at < 0) at = back ? n : -1;
    for (int k = 1; k <= n; ++k) {
        const WidgetInfo& w = log.items[static_cast<size_t>((at + step * k + n) % n)];
        if (takes_focus(w) && (any || w.window == window)) return w.id;
    }
    return any ? "" : ui_tab_target(log, back, 0);
}

void ui_begin_form(const Ui& ui, const char* id, const char* submit_id) {
    if (!ui.log) return;
    ui.log->form = id;
    ui.log->forms.emplace_back(id, submit_id);
}

void ui_end_form(const Ui& ui) {
    if (ui.log) ui.log->form.clear();
}

// A soft shadow: stacked faint rounded rects, each a little wider, so the
// darkness fades out towards the edge.
static void draw_card_shadow(const Ui& ui, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float rounding = ImGui::GetStyle().WindowRounding;
    const ImVec2 drop(0.0f, 0.375f * ui.em);
    for (int i = 1; i <= 12; ++i) {
        float grow = i * 0.1f * ui.em;
        dl->AddRectFilled(ImVec2(min.x - grow + drop.x, min.y - grow + drop.y),
                          ImVec2(max.x + grow + drop.x, max.y + grow + drop.y),
                          IM_COL32(20, 24, 40, 3), rounding + grow);
    }
}

void ui_begin_card(const Ui& ui, const char* id, float width_em) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float margin = ui.em;
    const float width = std::min(width_em * ui.em, vp->WorkSize.x - 2.0f * margin);
    const float max_height = std::max(vp->WorkSize.y - 2.0f * margin, ui.em);
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0.0f), ImVec2(width, max_height));
    // No title bar or resize grip: a card, not a debug window. The scrollbar
    // stays available for short screens.
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_AlwaysAutoResize;
    ImGui::Begin(id, nullptr, flags);
    const ImVec2 pos = ImGui::GetWindowPos();
    const ImVec2 size = ImGui::GetWindowSize();
    draw_card_shadow(ui, pos, ImVec2(pos.x + size.x, pos.y + size.y));
}

void ui_end_card() { ImGui::End(); }

// The mark: an accent tile with a ramp rising to the right.
static void draw_mark(const Ui& ui, ImVec2 p, float s) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + s, p.y + s), u32(ui.palette->accent), 0.28f * s);
    const float in = 0.26f * s;
    dl->AddTriangleFilled(ImVec2(p.x + in, p.y + s - in), ImVec2(p.x + s - in, p.y + s - in),
                          ImVec2(p.x + s - in, p.y + in), u32(ui.palette->accent_text));
}

void ui_brand_header(const Ui& ui, const char* subtitle) {
    const float mark = 2.0f * ui.em;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const bool logo = ui.brand && !ui.brand->shown.logo.empty();
    // The logo is an <img> over the canvas: placed only while its square is
    // inside the card's visible part, so it never floats over the page.
    if (logo && ImGui::IsRectVisible(p, ImVec2(p.x + mark, p.y + mark)))
        brand_place_logo(*ui.brand, p.x, p.y, mark, ui.dpr);
    else if (!logo)
        draw_mark(ui, p, mark);
    ImGui::PushFont(ui.fonts.title);
    const float text_h = ImGui::GetTextLineHeight();
    ImGui::SetCursorScreenPos(ImVec2(p.x + mark + 0.625f * ui.em, p.y + 0.5f * (mark - text_h)));
    const char* name = ui.brand ? brand_name(*ui.brand) : "Onramp";
    ImGui::TextUnformatted(name);
    ui_record(ui, "brand.name", "text", name);
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + mark + 0.75f * ui.em));
    if (subtitle) ui_muted_text(ui, subtitle);
}

// A field's label is its name in the mirror, not a heading of its own.
static void draw_strong(const Ui& ui, const char* text) {
    ImGui::PushFont(ui.fonts.strong);
    ImGui::TextUnformatted(text);
    ImGui::PopFont();
}

void ui_heading(const Ui& ui, const char* text) {
    draw_strong(ui, text);
    ui_record(ui, std::string("heading.") + text, "heading", text);
}

void ui_muted_text(const Ui& ui, const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

void ui_vspace(const Ui& ui, float em) { ImGui::Dummy(ImVec2(0.0f, em * ui.em)); }

// Pulls the next item up so a label sits close to its field.
static void tighten(const Ui& ui) {
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y +
                         0.375f * ui.em);
}

// Draws `hint` where ImGui draws an empty field's hint, in its colour and the
// current font, inside the field just drawn (the last item).
static void draw_field_hint(const char* hint) {
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    const ImVec4 clip(min.x, min.y, max.x, max.y);
    ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(min.x + pad.x, min.y + pad.y),
                                        ImGui::GetColorU32(ImGuiCol_TextDisabled), hint, nullptr, 0.0f, &clip);
}

bool ui_text_field(const Ui& ui, const char* id, const char* label, std::string* value,
                   const FieldOptions& o) {
    draw_strong(ui, label);
    tighten(ui);
    ImGui::PushID(id);
    if (o.disabled) ImGui::BeginDisabled();

    const bool masked = o.password && !(o.revealed && *o.revealed);
    const char* toggle = (o.revealed && *o.revealed) ? tr("Hide") : tr("Show");
    const ImGuiStyle& style = ImGui::GetStyle();
    // Both toggle labels get the same width, so the field does not jump.
    const float toggle_w =
        o.revealed ? std::max(ImGui::CalcTextSize(tr("Hide")).x, ImGui::CalcTextSize(tr("Show")).x) +
                         2.0f * style.FramePadding.x
                   : 0.0f;
    const float field_w = ImGui::GetContentRegionAvail().x -
                          (o.revealed ? toggle_w + style.ItemInnerSpacing.x : 0.0f);

    ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue;
    if (masked) flags |= ImGuiInputTextFlags_Password;
    // The page replaced the field's whole value (autofill): an idle field
    // just takes it, one being edited takes it through ImGui's own buffer,
    // which would otherwise write its old text back.
    WidgetLog* log = ui.log;
    std::string replacement;
    const bool replace = log && log->set_values.count(id);
    if (replace) {
        replacement = std::move(log->set_values[id]);
        log->set_values.erase(id);
    }
    if (replace && ImGui::GetActiveID() != ImGui::GetID("##field")) {
        *value = replacement;
    } else if (replace) {
        flags |= ImGuiInputTextFlags_CallbackAlways;
    }
    auto replace_text = [](ImGuiInputTextCallbackData* d) {
        const std::string* text = static_cast<const std::string*>(d->UserData);
        d->DeleteChars(0, d->BufTextLen);
        d->InsertChars(0, text->c_str());
        return 0;
    };
    ImGui::SetNextItemWidth(field_w);
    // A masked field draws with the mask font, whose '*' is a bullet. That
    // font has no other glyph, so ImGui would draw the hint in it as dots, as
    // if the field were filled: the hint is drawn after, in the body font.
    if (masked) ImGui::PushFont(ui.fonts.mask);
    const bool entered = ImGui::InputTextWithHint("##field", masked ? "" : o.hint, value, flags,
                                                  replace ? +replace_text : nullptr, &replacement);
    if (masked) ImGui::PopFont();
    if (masked && value->empty()) draw_field_hint(o.hint);
    ui_record(ui, id, "input", *value, label);
    if (log) {
        WidgetInfo& w = log->items.back();
        w.keyboard = o.password && o.keyboard == Keyboard::text ? Keyboard::secret : o.keyboard;
        if (o.autocomplete) w.autocomplete = o.autocomplete;
    }

    if (o.revealed) {
        ImGui::SameLine(0.0f, style.ItemInnerSpacing.x);
        if (ImGui::Button(toggle, ImVec2(toggle_w, ImGui::GetFrameHeight())))
            *o.revealed = !*o.revealed;
        hand_cursor_on_hover();
        ui_record(ui, (std::string(id) + ".reveal").c_str(), "button", toggle,
                  (std::string(toggle) + " " + label).c_str());
    }

    if (o.disabled) ImGui::EndDisabled();
    ImGui::PopID();
    return entered;
}

static void draw_spinner(const Ui& ui, ImVec2 center, float radius, ImU32 color) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float start = static_cast<float>(ImGui::GetTime()) * 6.0f;
    dl->PathArcTo(center, radius, start, start + 4.4f, 24);
    dl->PathStroke(color, 0, 0.16f * ui.em);
}

bool ui_primary_button(const Ui& ui, const char* id, const char* label, bool busy,
                       const char* busy_label) {
    const Palette& p = *ui.palette;
    ImGui::PushFont(ui.fonts.strong);
    ImGui::PushStyleColor(ImGuiCol_Button, p.accent);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, shade(p.accent, 0.90f));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, shade(p.accent, 0.80f));
    ImGui::PushStyleColor(ImGuiCol_Text, p.accent_text);
    ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0, 0, 0, 0));
    ImGui::PushID(id);
    const ImVec2 size(ImGui::GetContentRegionAvail().x, 3.0f * ui.em);
    bool clicked = false;
    if (busy) {
        // Drawn by hand: a spinner and the busy label, centred together.
        ImGui::BeginDisabled();
        ImGui::Button("##busy", size);
        ImGui::EndDisabled();
        const ImVec2 min = ImGui::GetItemRectMin();
        const float r = 0.45f * ui.em;
        const float text_w = ImGui::CalcTextSize(busy_label).x;
        const float gap = 0.625f * ui.em;
        const float x = min.x + 0.5f * (size.x - (2.0f * r + gap + text_w));
        const float cy = min.y + 0.5f * size.y;
        draw_spinner(ui, ImVec2(x + r, cy), r, u32(p.accent_text));
        ImGui::GetWindowDrawList()->AddText(
            ImVec2(x + 2.0f * r + gap, cy - 0.5f * ImGui::GetTextLineHeight()),
            u32(p.accent_text), busy_label);
    } else {
        clicked = ImGui::Button(label, size);
        hand_cursor_on_hover();
    }
    ui_record(ui, id, "button", busy ? busy_label : label);
    if (ui.log) ui.log->items.back().busy = busy;
    ImGui::PopID();
    ImGui::PopStyleColor(5);
    ImGui::PopFont();
    return clicked;
}

bool ui_link_button(const Ui& ui, const char* id, const char* label) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->accent);
    ImGui::PushID(id);
    const bool clicked = ImGui::Button(label);
    hand_cursor_on_hover();
    ImGui::PopID();
    ui_record(ui, id, "button", label);
    ImGui::PopStyleColor(3);
    return clicked;
}

void ui_error_box(const Ui& ui, const char* id, const std::string& message) {
    if (message.empty()) return;
    const Palette& p = *ui.palette;
    const float pad = 0.75f * ui.em;
    const float width = ImGui::GetContentRegionAvail().x;
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize();
    const ImVec2 text = font->CalcTextSizeA(size, FLT_MAX, width - 2.0f * pad, message.c_str());
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const ImVec2 max(min.x + width, min.y + text.y + 2.0f * pad);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, u32(p.danger_surface), ImGui::GetStyle().FrameRounding);
    dl->AddText(font, size, ImVec2(min.x + pad, min.y + pad), u32(p.danger), message.c_str(),
                nullptr, width - 2.0f * pad);
    ImGui::Dummy(ImVec2(width, max.y - min.y));
    ui_record(ui, id, "alert", message);
}
