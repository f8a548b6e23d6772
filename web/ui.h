// Onramp's widgets: ImGui widgets dressed in the theme, sized in multiples of
// the font size. Each one also records itself in the frame's WidgetLog with a
// stable id, which is how the browser tests find things on the canvas.
#pragma once

#include <string>
#include <vector>

#include "imgui.h"
#include "theme.h"

// How a phone's on-screen keyboard types into a text field: the page's
// hidden input that takes its text gets the matching type, inputmode and
// autocomplete (platform/gestures.h).
enum class Keyboard {
    text,
    email,             // an e-mail layout
    phone,             // a phone pad
    number,            // digits
    url,               // a web address layout
    secret,            // a token or key: typed as a password, so the keyboard
                       // neither suggests nor learns it
    current_password,  // the user's own password, at sign-in
    new_password,      // a password being chosen
};

// One widget as drawn this frame. The rect is in device pixels, like ImGui.
struct WidgetInfo {
    std::string id;      // stable name: "email", "sign_in"
    std::string kind;    // "input", "button", "alert"
    ImVec2 min, max;
    std::string text;    // an input's content, an alert's message
    Keyboard keyboard = Keyboard::text;  // inputs only
};

struct WidgetLog {
    std::vector<WidgetInfo> items;
    std::string active;  // id of the widget being edited or pressed, if any
    std::string nav;     // id of the widget keyboard navigation is on, if any
};

// What every screen draws with. Screens receive it as `const Ui&`; only the
// log behind the pointer changes while drawing.
struct Brand;

struct Ui {
    Fonts fonts;
    Brand* brand = nullptr;  // the name and logo the headers show (brand.h)
    const Palette* palette = nullptr;
    bool dark = false;  // the dark theme is on
    float dpr = 1.0f;
    float em = kBodyFontSize;    // body font size in device pixels
    WidgetLog* log = nullptr;
};

// Records the last item in the frame's WidgetLog under `id` (for the test
// hook): its kind, rectangle and text, and whether it is being edited or is
// where keyboard navigation stands.
void ui_record(const Ui& ui, const std::string& id, const char* kind, std::string text);

// A card: a window centred on the screen, `width_em` font sizes wide (or the
// screen width less a margin, on a phone). Always call ui_end_card().
void ui_begin_card(const Ui& ui, const char* id, float width_em);
void ui_end_card();

// The brand's logo (or the Onramp mark) and name, then a muted subtitle
// unless it is null.
void ui_brand_header(const Ui& ui, const char* subtitle);

void ui_heading(const Ui& ui, const char* text);
void ui_muted_text(const Ui& ui, const char* text);
void ui_vspace(const Ui& ui, float em);

struct FieldOptions {
    const char* hint = "";     // shown while empty; not drawn on masked fields
    bool password = false;     // masked unless *revealed
    bool* revealed = nullptr;  // with password: draws a Show/Hide toggle
    bool disabled = false;
    // A password field types as Keyboard::secret unless this says which
    // password it is; revealing it changes nothing.
    Keyboard keyboard = Keyboard::text;
};

// A labelled single-line text field, full width. Returns true when Enter is
// pressed in it.
bool ui_text_field(const Ui& ui, const char* id, const char* label, std::string* value,
                   const FieldOptions& options);

// The accent-coloured button of a form, full width. While `busy` it is
// disabled and shows a spinner with `busy_label`. Returns true when clicked.
bool ui_primary_button(const Ui& ui, const char* id, const char* label, bool busy,
                       const char* busy_label);

// A quiet text button; `id` names it in the log. Returns true when clicked.
bool ui_link_button(const Ui& ui, const char* id, const char* label);

// An error message in a tinted box; draws nothing when `message` is empty.
void ui_error_box(const Ui& ui, const char* id, const std::string& message);
