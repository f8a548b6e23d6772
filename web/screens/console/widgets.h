// Widgets of the operator console: status pills, the panel states (loading,
// error, empty), table headers the tests can click, a small bar chart.
// Like web/ui.h, each records itself in the frame's WidgetLog.
#pragma once

#include <string>
#include <vector>

#include "ui.h"

enum class StatusTone { neutral, good, warn, bad };

// The tone of a state word: "succeeded", "healthy" good; "failed", "dead",
// "failing" bad; "running", "queued", "untested" warn; others neutral.
StatusTone status_tone(const std::string& state);

// A small rounded label in the tone's colours, on the current line.
void status_pill(const Ui& ui, const std::string& id, const std::string& text, StatusTone tone);

// A page title with a muted line under it.
void page_title(const Ui& ui, const char* title, const std::string& subtitle);

// A quiet button of normal height; `id` names it in the log.
bool plain_button(const Ui& ui, const char* id, const char* label);

// Keeps the next button labelled `label` on the line of the last item when
// it fits there, else lets it start a new line: rows of buttons wrap on a
// phone instead of running off the screen.
void same_line_if_fits(const char* label);

enum class PanelShow {
    content,  // loaded and not empty: draw the rows
    nothing,  // a state message was drawn instead
    retry,    // the error's Retry button was clicked
};

// Draws a panel's loading, error or empty state, recorded as
// "<id>.loading", "<id>.error" (with a "<id>.retry" button) or
// "<id>.empty". Loading wins only until something was loaded: a reload
// keeps showing the old rows.
PanelShow panel_state(const Ui& ui, const std::string& id, bool loading, bool loaded,
                      const std::string& error, bool empty, const char* empty_text);

// Column headers of the current table, each recorded as "<id>.h.<name>"
// (kind "header") so a test can click one to sort.
void table_headers(const Ui& ui, const std::string& id);

// A list table's column: its header, its share of the width, and whether a
// phone-narrow screen keeps it.
struct ListColumn {
    const char* name;
    float weight;
    bool narrow = true;
};

// Begins a list table (striped rows, inner lines, stretching columns) with
// `columns`, dropping those a narrow screen does not keep, and draws the
// headers (table_headers). False when ImGui clipped it away: then there is
// no EndTable to call.
bool begin_list_table(const Ui& ui, const std::string& id, std::initializer_list<ListColumn> columns);

// Bars of `values`, oldest first, `height_em` tall, full width; each bar in
// its tone. Recorded as `id` (kind "chart") with the values as text.
void bar_chart(const Ui& ui, const std::string& id, const std::vector<double>& values,
               const std::vector<StatusTone>& tones, float height_em);

// The outcome of an action: a success in the good tone, a refusal in an
// error box (recorded as `id`, with the text). Nothing when `message` is "".
void outcome_line(const Ui& ui, const char* id, const std::string& message, bool ok);

// A column `width_em` wide (or the whole width, if narrower) for a form's
// fields. False when clipped away; otherwise call end_form().
bool begin_form(const Ui& ui, const char* id, float width_em);
void end_form();

// A label and its value on one line: the label muted, in a fixed column.
void fact_line(const Ui& ui, const std::string& id, const std::string& label, const std::string& value);

// True when the content region is phone-narrow: tables drop columns.
bool narrow_layout(const Ui& ui);

// "Ask for a code sent to the client's e-mail on a new device": the
// checkbox of a new link's require_code. The edge takes require_code only
// with send_to (edge/api/onboarding_links.cpp), so while `email` is empty
// the box is disabled and cleared. Recorded as `id` (kind "checkbox").
void code_checkbox(const Ui& ui, const char* id, const std::string& email, bool busy, bool* value);

// A tab of a row of tabs: text with an accent underline when selected.
// Returns true when clicked. Recorded as `id` (kind "tab"; text the label).
bool tab_button(const Ui& ui, const char* id, const char* label, bool selected);
