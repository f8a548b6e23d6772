// Step 2, connect platforms: the catalog by category, then the chosen
// platform's form, drawn from the shared catalog and checked live by the
// shared validator, the same code the edge runs on the request.
#include "i18n/i18n.h"
#include "screens/wizard/steps.h"
#include "screens/wizard/widgets.h"
#include "shared/validation/validate.h"

namespace cx = onramp::connectors;

std::map<std::string, std::string> platform_values(const PlatformsForm& f) {
    std::map<std::string, std::string> out;
    if (!f.chosen) return out;
    for (const cx::Field& field : f.chosen->fields) {
        auto it = f.values.find(std::string(field.name));
        if (it != f.values.end() && !it->second.empty()) out[std::string(field.name)] = it->second;
    }
    return out;
}

// The phone keyboard a catalog field's input type asks for.
static Keyboard keyboard_for(cx::InputType t) {
    switch (t) {
    case cx::InputType::url: return Keyboard::url;
    case cx::InputType::number: return Keyboard::number;
    case cx::InputType::phone: return Keyboard::phone;
    case cx::InputType::email: return Keyboard::email;
    default: return Keyboard::text;
    }
}

// Whether the form holds what an OAuth sign-in starts from: every shown
// field but the tokens it brings back, valid (Shopify: the shop; the custom
// CRM: its OAuth settings, the authorization URL among them).
static bool oauth_ready(const cx::Connector& c, const std::map<std::string, std::string>& typed) {
    for (const cx::Field& field : c.fields) {
        if (field.filled_by_sign_in || !onramp::validation::field_visible(c, field, typed)) continue;
        auto it = typed.find(std::string(field.name));
        if (it == typed.end()) {
            if (field.required || field.needed_by_sign_in) return false;
            continue;
        }
        if (!onramp::validation::validate_field(field, it->second).ok()) return false;
    }
    return true;
}

static ImU32 u32(const ImVec4& c) { return ImGui::ColorConvertFloat4ToU32(c); }

// A platform in the catalog: a bordered tile with its name and sentence.
static bool platform_tile(const Ui& ui, const cx::Connector& c, bool connected) {
    const std::string id = "platform." + std::string(c.id);
    const float width = ImGui::GetContentRegionAvail().x;
    const float pad = 0.75f * ui.em;
    ImFont* small = ui.fonts.small;
    const std::string desc = tr_catalog(c.description);
    const ImVec2 d = small->CalcTextSizeA(small->FontSize, FLT_MAX, width - 2 * pad, desc.c_str());
    const float height = 2.0f * pad + ui.em * 1.25f + d.y;
    ImGui::PushID(id.c_str());
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const bool clicked = ImGui::Button("##tile", ImVec2(width, height));
    const bool hovered = ImGui::IsItemHovered();
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::PopID();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (hovered)
        dl->AddRect(min, ImVec2(min.x + width, min.y + height), u32(ui.palette->accent),
                    ImGui::GetStyle().FrameRounding, 0, 1.5f * ui.dpr);
    const std::string name(c.name);
    dl->AddText(ui.fonts.strong, ui.fonts.strong->FontSize, ImVec2(min.x + pad, min.y + pad),
                u32(ui.palette->text), name.c_str());
    if (connected) {
        const char* tag = tr("Connected");
        const ImVec2 t = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, tag);
        dl->AddText(small, small->FontSize, ImVec2(min.x + width - pad - t.x, min.y + pad),
                    u32(wz_tone_color(ui, Tone::success)), tag);
    }
    dl->AddText(small, small->FontSize, ImVec2(min.x + pad, min.y + pad + 1.25f * ui.em),
                u32(ui.palette->text_muted), desc.c_str(), nullptr, width - 2 * pad);
    // A button to assistive technology too, pressed and focused from the
    // page's accessibility mirror like any other (the drawing above adds
    // no item, so the tile's button is still the last one).
    ui_record(ui, id, "button", name);
    return clicked;
}

// Whether the catalog shows `id`: an onboarding link may offer only some
// platforms (the edge refuses the others for its session anyway).
static bool offered(const PlatformsForm& f, std::string_view id) {
    if (f.offered.empty()) return true;
    for (const std::string& p : f.offered)
        if (p == id) return true;
    return false;
}

static Intent draw_catalog(PlatformsForm& f, const Ui& ui) {
    wz_help(ui, tr("Choose the platforms your business runs on. Onramp copies your products, orders "
                   "and calls from them, and keeps them up to date."));
    Intent intent = Intent::none;
    if (in_flight(f.list)) wz_loading(ui, "connections.loading", tr("Loading your connections\xE2\x80\xA6"));
    if (!f.connected.empty()) {
        std::string names;
        for (const ConnectionRow& r : f.connected) {
            const cx::Connector* c = cx::find_connector(r.platform);
            names += (names.empty() ? "" : ", ") + (c ? std::string(c->name) : r.platform);
        }
        wz_notice(ui, "connected", Tone::success, trf("Connected: {names}", {{"names", names}}),
                  tr("Add another platform, or continue."));
    }
    for (cx::Category cat : cx::kAllCategories) {
        std::vector<const cx::Connector*> shown;
        for (const cx::Connector* c : cx::connectors_in(cat))
            if (offered(f, c->id)) shown.push_back(c);
        if (shown.empty()) continue;
        ui_vspace(ui, 0.25f);
        ui_heading(ui, tr_catalog(cx::label(cat)).c_str());
        for (const cx::Connector* c : shown) {
            bool connected = false;
            for (const ConnectionRow& r : f.connected) connected |= r.platform == c->id;
            if (platform_tile(ui, *c, connected)) {
                f.chosen = c;
                intent = Intent::choose_platform;
            }
        }
    }
    ui_vspace(ui, 0.25f);
    if (!f.connected.empty()) {
        const int nav = wz_nav(ui, "continue", tr("Continue"), false, "", tr("Back"));
        if (nav == 1) intent = Intent::next;
        if (nav == 2) intent = Intent::back;
    } else if (ui_link_button(ui, "back", tr("Back"))) {
        intent = Intent::back;
    }
    return intent;
}

static void draw_field(PlatformsForm& f, const Ui& ui, const cx::Field& field, bool busy,
                       bool* enter) {
    const std::string name(field.name);
    const std::string label =
        tr_catalog(field.label) + (field.required ? "" : tr(" (optional)"));
    std::string& value = f.values[name];
    if (field.input == cx::InputType::select) {
        std::vector<std::string> labels;
        std::vector<const char*> items;
        int index = -1;
        for (const cx::Option& o : field.options) labels.emplace_back(o.label);  // wz_combo translates
        for (size_t i = 0; i < labels.size(); ++i) {
            items.push_back(labels[i].c_str());
            if (field.options[i].value == value) index = static_cast<int>(i);
        }
        if (wz_combo(ui, name.c_str(), label.c_str(), &index, items.data(),
                     static_cast<int>(items.size())))
            value = std::string(field.options[index].value);
    } else {
        FieldOptions o;
        const std::string hint = tr_catalog(field.placeholder);
        o.hint = hint.c_str();
        o.disabled = busy;
        o.keyboard = keyboard_for(field.input);
        bool revealed = f.revealed.count(name) > 0;
        if (field.sensitive) {
            o.password = true;
            o.revealed = &revealed;
        }
        const std::string before = value;
        *enter |= ui_text_field(ui, name.c_str(), label.c_str(), &value, o);
        if (value != before) f.touched.insert(name);
        if (revealed) f.revealed.insert(name);
        else f.revealed.erase(name);
    }
    if (!field.help.empty()) wz_help(ui, tr_catalog(field.help).c_str());
    // Live validation: a message as soon as something is typed; a missing
    // required value only once the client tried to test or save.
    if (!value.empty() || f.touched.count(name)) {
        onramp::validation::FieldCheck check = onramp::validation::validate_field(field, value);
        if (!check.ok()) {
            wz_field_error(ui, (name + ".error").c_str(), validation_text(check.message));
        } else if (!field.sensitive && !check.value.empty() && check.value != value) {
            wz_help(ui, trf("Will be saved as {value}", {{"value", check.value}}).c_str());
        }
    }
}

static void draw_result(const PlatformsForm& f, const Ui& ui) {
    if (!f.has_result) return;
    std::string lines;
    for (const std::string& v : f.result.verified) lines += (lines.empty() ? "" : "\n") + v;
    if (f.result.ok) {
        wz_notice(ui, "test.result", Tone::success, tr("Connection verified"), lines);
    } else {
        std::string body = f.result.detail;
        if (!lines.empty()) body += (body.empty() ? "" : "\n") + trf("Verified before that: {lines}", {{"lines", lines}});
        wz_notice(ui, "test.result", Tone::danger, f.result.message, body);
    }
}

static Intent draw_form(PlatformsForm& f, const Ui& ui) {
    const cx::Connector& c = *f.chosen;
    const bool busy = in_flight(f.test) || in_flight(f.save);
    Intent intent = Intent::none;
    if (ui_link_button(ui, "leave", tr("\xE2\x86\x90 All platforms"))) intent = Intent::leave_platform;
    ui_heading(ui, trf("Connect {platform}", {{"platform", std::string(c.name)}}).c_str());
    wz_help(ui, tr_catalog(c.description).c_str());
    // The page opens the guide itself, inside the click (gestures.h).
    ui_link_button(ui, "docs", tr("Where do I find these? Open the guide \xE2\x86\x92"));
    gesture_on_last_item("docs", GestureKind::open_url, std::string(c.docs_url));
    if (f.demo_mode && f.demo_credentials.count(std::string(c.id))) {
        if (wz_button(ui, "use_demo", tr("Use demo credentials"), busy)) intent = Intent::use_demo;
    }
    const std::map<std::string, std::string> typed = platform_values(f);
    if (c.can(cx::capability::oauth_install) && onramp::validation::condition_holds(c, c.oauth_install_when, typed)) {
        // The click opens the popup (gestures.h); the provider's address is
        // filled in once the edge has answered.
        const bool ready = oauth_ready(c, typed);
        const std::string label = trf("Sign in with {platform}", {{"platform", std::string(c.name)}});
        if (in_flight(f.oauth)) wz_loading(ui, "oauth.waiting", tr("Waiting for the sign-in window\xE2\x80\xA6"));
        else if (wz_button(ui, "oauth", label.c_str(), busy || !ready)) intent = Intent::oauth;
        if (ready && !busy) gesture_on_last_item("oauth", GestureKind::open_popup, "");
        if (intent == Intent::oauth) f.choice.picked.clear();
        // Several accounts answered the sign-in: each starts it again for that one.
        if (!f.choice.options.empty() && !in_flight(f.oauth)) {
            wz_help(ui, tr("Choose which one to connect:"));
            for (size_t i = 0; i < f.choice.options.size(); ++i) {
                const std::string id = "oauth.choice." + std::to_string(i);
                if (wz_button(ui, id.c_str(), f.choice.options[i].second.c_str(), busy)) {
                    f.choice.picked = f.choice.options[i].first;
                    intent = Intent::oauth;
                }
                if (!busy) gesture_on_last_item(id.c_str(), GestureKind::open_popup, "");
            }
        }
        wz_help(ui, ready ? tr("Or paste an access token below.")
                          : tr("Fill in the fields below first, then sign in \xE2\x80\x94 or paste an access token."));
    }
    bool enter = false;
    for (const cx::Field& field : c.fields) {
        if (!onramp::validation::field_visible(c, field, typed)) continue;
        ui_vspace(ui, 0.125f);
        draw_field(f, ui, field, busy, &enter);
    }
    FieldOptions name_options;
    name_options.hint = tr("Main store");
    name_options.disabled = busy;
    ui_text_field(ui, "connection_name", tr("Name this connection (optional)"), &f.name, name_options);
    ui_vspace(ui, 0.25f);
    draw_result(f, ui);
    ui_error_box(ui, "platform.error", f.error);
    if (in_flight(f.test)) {
        wz_loading(ui, "testing", tr("Testing the connection\xE2\x80\xA6"));
    } else if (wz_button(ui, "test", tr("Test connection"), busy)) {
        intent = Intent::test;
    }
    if (ui_primary_button(ui, "connect", tr("Connect and start syncing"), in_flight(f.save),
                          tr("Connecting\xE2\x80\xA6")) ||
        enter) {
        if (!busy) intent = Intent::submit;
    }
    return intent;
}

Intent draw_platforms(PlatformsForm& f, const Ui& ui) {
    return f.chosen ? draw_form(f, ui) : draw_catalog(f, ui);
}
