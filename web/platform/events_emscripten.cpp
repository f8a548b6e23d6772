// The browser side of events.h: one EventSource per stream, kept by id in
// window.onrampStreams; its events reach the module through
// onramp_stream_event().
#include <emscripten.h>

#include <map>

#include "platform/events.h"
#include "platform/platform.h"

namespace {

struct Streams {
    bool installed = false;
    int next_id = 1;
    std::map<int, std::shared_ptr<EventStream>> open;
};

Streams streams;

// kind 0: progress, 1: done, 2: failed.
const char* const kScript = R"JS(
window.onrampStreams = {
  sources: {},
  open: function (id, url) {
    var es = new EventSource(url);
    var self = this;
    function send(kind, data) {
      Module.ccall('onramp_stream_event', null, ['number', 'number', 'string'], [id, kind, data]);
    }
    es.addEventListener('progress', function (e) { send(0, e.data); });
    es.addEventListener('done', function (e) { self.close(id); send(1, e.data); });
    // EventSource retries a dropped connection by itself; CLOSED means it
    // gave up (an HTTP error status, say).
    es.onerror = function () { if (es.readyState === 2) { self.close(id); send(2, ''); } };
    this.sources[id] = es;
  },
  close: function (id) {
    var es = this.sources[id];
    if (es) { es.close(); delete this.sources[id]; }
  }
};
)JS";

}  // namespace

std::shared_ptr<EventStream> platform_open_events(const std::string& url) {
    if (!streams.installed) {
        emscripten_run_script(kScript);
        streams.installed = true;
    }
    auto stream = std::make_shared<EventStream>();
    stream->id = streams.next_id++;
    streams.open[stream->id] = stream;
    EM_ASM({ window.onrampStreams.open($0, UTF8ToString($1)); }, stream->id, url.c_str());
    return stream;
}

void platform_close_events(EventStream& stream) {
    if (!streams.open.erase(stream.id)) return;
    EM_ASM({ window.onrampStreams.close($0); }, stream.id);
}

extern "C" EMSCRIPTEN_KEEPALIVE void onramp_stream_event(int id, int kind, const char* data) {
    auto it = streams.open.find(id);
    if (it == streams.open.end()) return;
    EventStream& s = *it->second;
    if (kind == 2) {
        s.failed = true;
    } else {
        s.latest = data;
        ++s.received;
        s.done = kind == 1;
    }
    if (kind != 0) streams.open.erase(it);
    platform_note_activity();
}
