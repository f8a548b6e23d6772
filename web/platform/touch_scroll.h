// A finger dragged across the canvas scrolls what is under it, and goes on a
// little after it lets go. ImGui 1.86 scrolls with a mouse wheel only.
//
// The page (gestures_emscripten.cpp) decides when a touch is a drag rather
// than a tap and passes its movement here, in device pixels; the content
// follows the finger one to one.
#pragma once

#include "imgui.h"

// One axis of a drag.
struct TouchAxis {
    ImGuiID window = 0;    // the window it scrolls, or 0
    float position = 0.0f; // its scroll position, unrounded (ImGui keeps whole pixels)
    float velocity = 0.0f; // after the finger left, device px/s
};

struct TouchScroll {
    TouchAxis x, y;
};

// A finger went down: stops the content if it was still moving. Returns
// whether it was (that touch only stops it; it is not a tap).
bool touch_scroll_catch(TouchScroll& s);

// A drag starts at `at`: picks, per axis, the window under it that can
// scroll that way, or else the nearest parent that can.
void touch_scroll_start(TouchScroll& s, ImVec2 at);

// The finger moved by `delta` since the last call.
void touch_scroll_move(TouchScroll& s, ImVec2 delta);

// The finger left at `velocity` (device px/s; zero when it stood still).
void touch_scroll_release(TouchScroll& s, ImVec2 velocity);

// Moves the content on after a release. Call once per frame, `dt` seconds
// after the last.
void touch_scroll_frame(TouchScroll& s, float dt);
