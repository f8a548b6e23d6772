// Acts a browser allows only inside the user's gesture: opening a window
// (OAuth popup, a docs link), writing the clipboard, opening the file picker,
// saving a downloaded file, and raising the on-screen keyboard on a touch
// screen.
//
// ImGui sees a click in the next animation frame, after the browser's event
// handler has returned and the gesture with it. So the UI publishes, every
// frame, the regions of the canvas that perform such an act, and a click
// listener on the page performs the act itself while the gesture is still
// running. ImGui then sees the same click as a normal button press, which
// the screens use for their own state ("Copied", "Waiting for a file").
// Enter and Space on the region's widget, where ImGui's keyboard navigation
// stands, act the same way, in the keydown.
//
// Typical use, right after drawing the button:
//     gesture_on_last_item("copy.url", GestureKind::copy_text, url);
#pragma once

#include <memory>
#include <string>
#include <vector>

struct WidgetLog;

enum class GestureKind {
    copy_text,   // payload: the text
    open_url,    // payload: an https:// address, opened in a new tab
    open_popup,  // payload: the address to open in a popup, or "" for a blank one to
                 // navigate later (gesture_navigate_popup): the OAuth provider
    pick_file,   // payload: JSON {url, bearer, org_id, fields{}}: where to upload the file
    download,    // payload: JSON {url, bearer, org_id, filename}: a file the API serves, saved
};

// Makes the rect of the last ImGui item perform `kind` when clicked.
void gesture_on_last_item(const char* id, GestureKind kind, const std::string& payload);

// Publishes this frame's regions to the page (only when they changed), plus
// every text input in `widgets`, where a tap on a touch screen raises the
// on-screen keyboard its WidgetInfo::keyboard asks for; and moves on what a
// finger's drag left scrolling. Call once per frame after drawing.
void gestures_end_frame(const WidgetLog& widgets, float dpr);

// A file upload started from a pick_file region. `done` flips once; `status`
// 0 then means the request never got an answer.
struct Upload {
    std::string filename;
    double sent = 0, total = 0;  // bytes of the request body
    bool done = false;
    int status = 0;
    std::string body;
};

// The latest upload started from the region `id`, or null. A new pick
// replaces it.
std::shared_ptr<Upload> gesture_upload(const std::string& id);

// Points the popup opened by an open_popup region at `url` (once the
// address is known, after the click), or closes it.
void gesture_navigate_popup(const std::string& url);
void gesture_close_popup();

// The data of an OAuth completion message from a popup of this page's own
// origin (a JSON text), then "" until the next one.
std::string gesture_take_oauth_message();
