// Widgets the wizard adds to web/ui.h: secondary buttons, help lines,
// notices, progress bars, choices. Like ui.h's, each records itself in the
// frame's WidgetLog under a stable id for the browser tests.
#pragma once

#include <string>

#include "i18n/i18n.h"
#include "ui.h"

enum class Tone { info, success, danger };

// A quiet full-width (or `width` px) button. Returns true when clicked.
bool wz_button(const Ui& ui, const char* id, const char* label, bool disabled = false,
               float width = 0.0f);

// A small muted paragraph: help under a field, a hint under a heading.
void wz_help(const Ui& ui, const char* text);

// A small message in the danger colour under a field; nothing when empty.
void wz_field_error(const Ui& ui, const char* id, const std::string& message);

// A tinted box with a title and lines of text, recorded as kind "notice"
// with the title as its text.
void wz_notice(const Ui& ui, const char* id, Tone tone, const std::string& title,
               const std::string& body = {});

// A progress bar; `fraction` < 0 draws an indeterminate stripe. The label
// is drawn above it and recorded as its text.
void wz_progress(const Ui& ui, const char* id, float fraction, const std::string& label);

bool wz_checkbox(const Ui& ui, const char* id, const char* label, bool* value);

// A labelled drop-down over `count` items; *index -1 shows `placeholder`.
bool wz_combo(const Ui& ui, const char* id, const char* label, int* index,
              const char* const items[], int count, const char* placeholder = tr_noop("Choose…"));

// A heading, a read-only field and its Copy button. The copy itself happens
// in the page, inside the click (gestures.h); ImGui's click only switches the
// label to "Copied". Records `id` (the value) and `id`.copy.
void wz_copy_field(const Ui& ui, const char* id, const char* label, const std::string& value, bool* copied);

// A line of text recorded under `id` (kind "text"), for values the tests read.
void wz_value(const Ui& ui, const char* id, const std::string& text, bool strong = false);

// A spinner with a muted line beside it: the loading state of a step.
void wz_loading(const Ui& ui, const char* id, const char* text);

// The step's bottom row: the primary button (full width), and a Back link
// unless `back` is null. Returns Intent-like codes: 1 primary, 2 back.
int wz_nav(const Ui& ui, const char* primary_id, const char* primary, bool busy,
           const char* busy_label, const char* back);

// Colours the palette has no slot for.
ImVec4 wz_tone_color(const Ui& ui, Tone tone);
