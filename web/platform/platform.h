// The client's view of the browser: clipboard, screen, theme preference and
// HTTP. Screens never talk to the browser directly; they go through here, so
// the browser glue lives in one file (platform_emscripten.cpp).
#pragma once

#include <memory>
#include <string>

struct GLFWwindow;

// The outcome of one HTTP request. `done` flips once; after that the other
// fields are final. status 0 means the request never got an HTTP answer
// (network failure, server down).
struct HttpReply {
    bool done = false;
    int status = 0;
    std::string body;
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;                   // same-origin path: "/api/v1/auth/login"
    std::string body;                  // sent as application/json when not empty
    std::string bearer;                // Authorization: Bearer <token> when not empty
    std::string org_id;                // X-Org-Id: <org> when not empty (operators must name it)
};

// Installs ImGui's clipboard functions and the key filter. Call after
// ImGui_ImplGlfw_InitForOpenGL(window, true), which installs GLFW's clipboard
// (empty, in a browser) and its own key callback.
void platform_init(GLFWwindow* window);

// Call once per frame before ImGui::NewFrame(). Sizes the canvas backbuffer
// to its CSS size × devicePixelRatio, so ImGui draws one unit per device
// pixel, and lets go of keys tapped during the last frame. Returns the
// devicePixelRatio.
float platform_begin_frame(GLFWwindow* window);

// Whether the browser asks for a dark colour scheme (prefers-color-scheme).
bool platform_prefers_dark();

// Starts an asynchronous request; the reply is filled in by a later browser
// event, between frames. Dropping the pointer early is safe.
std::shared_ptr<HttpReply> platform_fetch(const HttpRequest& request);

// Whether the next animation frame should run the app. A page nobody
// touches and no reply reaches draws the same picture frame after frame, so
// it runs a frame only twice a second (clocks, timers); input, a reply, a
// stream's event or an upload's progress make it run every frame again for
// two seconds, and so does a text field being edited (its caret blinks).
bool platform_frame_due(bool editing);
// Something arrived that the next frame must show (a reply, an event).
void platform_note_activity();

// Shows ImGui's wanted mouse cursor (text beam, pointer) on the canvas.
// Call once per frame after drawing.
void platform_update_cursor();

// The page address's fragment, "#/onboard/<token>" say; "" when none.
std::string platform_location_hash();
// True once after the fragment changed without a load (the browser's
// hashchange or popstate: a link pasted into the address bar of this tab,
// Back or Forward). platform_replace_hash and platform_push_hash do not count.
bool platform_hash_changed();

// The signed-in session's refresh token, kept in the tab's sessionStorage so
// that a reload resumes without signing in again; closing the tab forgets
// it. "" forgets it now (signing out).
void platform_remember_session(const std::string& refresh_token);
std::string platform_remembered_session();

// Shows `data_url` (a brand's logo, docs/branding.md) as an image over the
// canvas, its square at (x, y) of side `size` in CSS pixels, with `alt` as
// its text for screen readers; an empty url removes it. Drawing a decoded
// image in ImGui would need an image decoder in the module; the browser has
// one.
void platform_show_logo(const std::string& data_url, const std::string& alt, float x, float y, float size);

// Posts {source: "onramp", type, ...detail_json's fields} to the page that
// embeds this one, addressed to each origin of `origins_json` (a JSON
// array); nothing when the page is not in a frame (assets/boot.js).
void platform_tell_parent(const std::string& type, const std::string& detail_json, const std::string& origins_json);
// Replaces the address's fragment without a new history entry
// (history.replaceState): an onboarding link's token leaves the address
// bar, the history and what a screen-share shows once the tab keeps it.
void platform_replace_hash(const std::string& hash);
// Moves to `hash` in a new history entry (history.pushState), so that Back
// returns to the address before it. "" is the page's address without one.
void platform_push_hash(const std::string& hash);

// The onboarding link this tab opened (its token), kept in sessionStorage
// beside the session: when the session can no longer be renewed, the tab
// opens the link again. "" forgets it.
void platform_remember_link(const std::string& token);
std::string platform_remembered_link();

// Tells the HTML shell the app has drawn its first frame (hides the loader).
void platform_first_frame_drawn();
