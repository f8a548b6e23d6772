// The page's accessibility mirror. A canvas is pixels to a screen reader,
// to the browser's autofill and to password managers, so every frame's
// widgets (WidgetLog: role, name, states, rect) are published as a tree of
// transparent DOM elements laid over the canvas, one per widget: buttons,
// inputs, checkboxes, headings, alerts. The canvas itself is hidden from
// assistive technology.
//
// Both ways: focus on an element (a screen reader's cursor, a script)
// focuses its widget, a click on it presses the widget, a value the page
// puts into an input (autofill) becomes the field's whole value; and the
// widget ImGui's keyboard focus stands on takes the page's focus (none
// while ImGui focuses none, as on a new page: web/main.cpp).
#pragma once

struct WidgetLog;

// Publishes this frame's widgets to the page, only when something changed,
// and lets lapse the requests (WidgetLog::focus_request, ...) that no
// widget drawn this frame took. Call once per frame after drawing; the log
// must live as long as the page (the page's events write into it).
void a11y_end_frame(WidgetLog& widgets, float dpr);
