// events.h for the static demo: no EventSource, since no server sends
// events. The fake edge (static_demo/fake_edge.h) feeds each stream the
// progress of its simulated sync on a timer, as the edge's stream would.
#include <emscripten.h>

#include "platform/events.h"
#include "static_demo/fake_edge.h"

namespace {

constexpr int kFeedEveryMs = 200;

// Runs while any stream is open.
void feed(void*) {
    FakeEdge& edge = static_demo_edge();
    fake_edge_feed_streams(edge);
    edge.feeding = !edge.streams.empty();
    if (edge.feeding) emscripten_async_call(feed, nullptr, kFeedEveryMs);
}

}  // namespace

std::shared_ptr<EventStream> platform_open_events(const std::string& url) {
    FakeEdge& edge = static_demo_edge();
    auto stream = std::make_shared<EventStream>();
    stream->id = static_cast<int>(edge.next_id++);
    fake_edge_open_stream(edge, url, stream);
    if (!edge.feeding && !edge.streams.empty()) {
        edge.feeding = true;
        emscripten_async_call(feed, nullptr, kFeedEveryMs);
    }
    return stream;
}

void platform_close_events(EventStream& stream) {
    std::erase_if(static_demo_edge().streams, [&](const FakeStream& s) { return s.stream.get() == &stream; });
}
