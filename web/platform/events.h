// Server-sent events (the browser's EventSource): live progress from the
// edge without polling. A stream collects the data of its "progress" and
// "done" events; the screen reads the newest each frame.
#pragma once

#include <memory>
#include <string>

struct EventStream {
    int id = 0;
    std::string latest;   // data of the newest event; "" before the first
    long received = 0;    // events so far: a screen compares to see news
    bool done = false;    // the "done" event came; the stream is closed
    bool failed = false;  // the browser gave up (HTTP error, no server): poll instead
};

// Opens an EventSource on a same-origin URL. EventSource cannot send an
// Authorization header, so the caller puts the token in the URL where the
// edge accepts it.
std::shared_ptr<EventStream> platform_open_events(const std::string& url);

// Closes the stream (no more events arrive). Safe on a finished stream.
void platform_close_events(EventStream& stream);
