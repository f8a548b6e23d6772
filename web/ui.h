// Onramp's widgets: ImGui widgets dressed in the theme, sized in multiples of
// the font size. Each one also records itself in the frame's WidgetLog with a
// stable id, which is how the browser tests find things on the canvas.
#pragma once

#include <map>
#include <string>
#include <utility>
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

// What a widget is to assistive technology: the ARIA role its element in
// the page's accessibility mirror takes (platform/a11y.h).
enum class Role {
    none,         // plain text: a value, a table cell, a status pill
    button,
    textbox,
    checkbox,
    combobox,
    option,
    heading,
    progressbar,
    alert,        // an error message
    status,       // a notice or a "Loading" line
};

// The HTML attributes of an <input> typed with a Keyboard: its type,
// inputmode, and the autocomplete token that lets the browser fill it
// ("off" for text it cannot know, a token being nobody's password).
struct InputAttributes {
    const char* type;
    const char* inputmode;
    const char* autocomplete;
};
InputAttributes ui_input_attributes(Keyboard k);

// One widget as drawn this frame. The rect is in device pixels, like ImGui.
struct WidgetInfo {
    std::string id;      // stable name: "email", "sign_in"
    std::string kind;    // "input", "button", "alert"
    ImVec2 min, max;
    std::string text;    // an input's content, an alert's message
    Keyboard keyboard = Keyboard::text;  // inputs only
    // For the accessibility mirror. `label` is the accessible name when it
    // is not `text` (a field's label, a checkbox's caption); `autocomplete`
    // the field's HTML autocomplete token, "" for the one its keyboard
    // implies (a11y.h).
    Role role = Role::none;
    std::string label = {};
    std::string autocomplete = {};
    bool disabled = false;
    bool busy = false;
    float value = -1.0f;  // a progress bar's fraction, -1 when unknown
    bool live = false;    // announced when its text changes: a step's title
    std::string form = {};  // the ui_begin_form() it was drawn in, if any
    ImGuiID window = 0;     // the root window it was drawn in (ui_record)
};

struct WidgetLog {
    std::vector<WidgetInfo> items;
    std::string active;  // id of the widget being edited or pressed, if any
    std::string nav;     // id of the widget keyboard navigation is on, if any
    // Set by the accessibility mirror between frames: fields whose whole
    // value the page replaced (autofill, a password manager), by id, read
    // by ui_text_field while drawing each. A password manager fills the
    // address and the password in one go, before a frame runs.
    std::map<std::string, std::string> set_values;
    // Also set by the mirror between frames: the widget the page's focus
    // moved to, and the one a screen reader (or a script) clicked. Whoever
    // records that id next acts on it (ui_record); a request nobody drew
    // lapses at the end of the frame.
    std::string focus_request, press_request;
    bool press_deferred = false;  // the pressed widget is being scrolled into view
    // The form being drawn (ui_begin_form), and each form's submit button:
    // {form id, button id}.
    std::string form;
    std::vector<std::pair<std::string, std::string>> forms;
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
// hook and the accessibility mirror): its kind, rectangle and text, its
// role (implied by the kind), its label when the text is not its name,
// whether it is disabled, and whether it is being edited or is where
// keyboard navigation stands.
void ui_record(const Ui& ui, const std::string& id, const char* kind, std::string text,
               const char* label = nullptr);

// Where Tab (Shift+Tab with `back`) moves the keyboard's focus from the
// last frame's: the next widget a keyboard can stand on (a field, button,
// check box, drop-down or row; not a disabled one) in drawing order, round
// to the first. From none, the first (or last) of root window `window`,
// ImGui's focused one, so a card's own widgets come before the page's.
// "" when there is none.
std::string ui_tab_target(const WidgetLog& log, bool back, ImGuiID window);

// Widgets recorded from here to ui_end_form() belong to form `id`, which
// the button `submit_id` submits. The mirror makes them a real <form>, so a
// browser's password manager sees the sign-in and offers to save it.
void ui_begin_form(const Ui& ui, const char* id, const char* submit_id);
void ui_end_form(const Ui& ui);

// The role a recorded kind of widget plays: "input" is a textbox, "select"
// a combobox, "notice" a status, and so on.
Role ui_role(const std::string& kind);

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
    const char* hint = "";     // shown while empty, as text on masked fields too
    bool password = false;     // masked unless *revealed
    bool* revealed = nullptr;  // with password: draws a Show/Hide toggle
    bool disabled = false;
    // A password field types as Keyboard::secret unless this says which
    // password it is; revealing it changes nothing.
    Keyboard keyboard = Keyboard::text;
    // The HTML autocomplete token that lets the browser fill the field
    // ("organization", "one-time-code"); null for the one the keyboard
    // implies ("email" for Keyboard::email, "current-password", ...).
    const char* autocomplete = nullptr;
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
