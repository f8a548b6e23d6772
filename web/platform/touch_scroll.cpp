// Scrolling sets the window's scroll position directly rather than feeding
// io.MouseWheel: a wheel notch scrolls five lines of the window's font (at
// most two thirds of it), so pixels would need converting per window, and
// the wheel scrolls the window under ImGui's mouse position, which a finger
// does not move (GLFW never sees touches; see gestures_emscripten.cpp).
// The windows are picked once, where the drag starts, as ImGui locks the
// wheel onto one window while it turns.
#include "platform/touch_scroll.h"

#include <cfloat>
#include <cmath>

#include "imgui_internal.h"

namespace {

// After the finger leaves, the speed falls by a factor e every 0.325 s (as
// a phone's own lists do: the content goes on for a third of a second's
// worth of the finger's speed) and stops below a few pixels a second.
constexpr float kFlingTimeConstant = 0.325f;  // s
constexpr float kStopSpeed = 40.0f;           // device px/s

// The front-most window under `at` that takes the mouse, as ImGui finds the
// hovered one (g.Windows is back to front, children after their parents).
ImGuiWindow* window_at(ImVec2 at) {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    for (int i = g.Windows.Size - 1; i >= 0; --i) {
        ImGuiWindow* w = g.Windows[i];
        if (!w->Active || w->Hidden || (w->Flags & ImGuiWindowFlags_NoMouseInputs)) continue;
        if (w->OuterRectClipped.Contains(at)) return w;
    }
    return nullptr;
}

// The scroll position the next frame will have: the last one asked for, or
// the current one.
float scroll_of(const ImGuiWindow* w, int axis) {
    const float target = axis == 0 ? w->ScrollTarget.x : w->ScrollTarget.y;
    return target < FLT_MAX ? target : w->Scroll[axis];
}

// `w` or its nearest parent that scrolls along `axis` (0: x, 1: y), the way
// the mouse wheel passes on to the parent.
TouchAxis scroller(ImGuiWindow* w, int axis) {
    for (; w; w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr) {
        if (w->ScrollMax[axis] > 0.0f && !(w->Flags & ImGuiWindowFlags_NoScrollWithMouse))
            return {w->ID, scroll_of(w, axis), 0.0f};
    }
    return {};
}

// Moves the content along `axis` by `d` (the finger's way: the scroll
// position goes the other way). Returns whether it moved: false at either
// end.
bool scroll_by(TouchAxis& a, int axis, float d) {
    ImGuiWindow* w = a.window ? ImGui::FindWindowByID(a.window) : nullptr;
    if (!w) return false;
    // Something else scrolled it (the wheel, keyboard navigation): go on from there.
    const float now = scroll_of(w, axis);
    if (std::fabs(now - a.position) >= 1.0f) a.position = now;
    const float to = ImClamp(a.position - d, 0.0f, w->ScrollMax[axis]);
    if (to == a.position) return false;
    a.position = to;
    if (axis == 0) ImGui::SetScrollX(w, to);
    else ImGui::SetScrollY(w, to);
    return true;
}

}  // namespace

bool touch_scroll_catch(TouchScroll& s) {
    const bool moving = s.x.velocity != 0.0f || s.y.velocity != 0.0f;
    s = TouchScroll{};
    return moving;
}

void touch_scroll_start(TouchScroll& s, ImVec2 at) {
    ImGuiWindow* w = window_at(at);
    s.x = scroller(w, 0);
    s.y = scroller(w, 1);
}

void touch_scroll_move(TouchScroll& s, ImVec2 delta) {
    scroll_by(s.x, 0, delta.x);
    scroll_by(s.y, 1, delta.y);
}

void touch_scroll_release(TouchScroll& s, ImVec2 velocity) {
    s.x.velocity = s.x.window ? velocity.x : 0.0f;
    s.y.velocity = s.y.window ? velocity.y : 0.0f;
}

void touch_scroll_frame(TouchScroll& s, float dt) {
    if (s.x.velocity == 0.0f && s.y.velocity == 0.0f) return;
    // The distance the decaying speed covers in `dt`, whatever the frame
    // rate. An end reached stops that axis.
    const float decay = std::exp(-dt / kFlingTimeConstant);
    const float reach = kFlingTimeConstant * (1.0f - decay);
    if (!scroll_by(s.x, 0, s.x.velocity * reach)) s.x.velocity = 0.0f;
    if (!scroll_by(s.y, 1, s.y.velocity * reach)) s.y.velocity = 0.0f;
    s.x.velocity *= decay;
    s.y.velocity *= decay;
    if (std::hypot(s.x.velocity, s.y.velocity) < kStopSpeed) s.x.velocity = s.y.velocity = 0.0f;
}
