// platform_fetch for the static demo build: requests are answered inside
// the module by the FakeEdge (static_demo/fake_edge.h), never sent. The
// reply is complete on return; screens take it in on their next frame, as
// they do a network reply.
#include <ctime>

#include "platform/platform.h"
#include "static_demo/fake_edge.h"

// The demo's one server. Made on the first request (the clock is read
// then) and kept for the page's lifetime, like the page's real server.
static FakeEdge& demo_edge() {
    static FakeEdge* edge = [] {
        auto* e = new FakeEdge;
        fake_edge_init(*e, static_cast<int64_t>(std::time(nullptr)));
        return e;
    }();
    return *edge;
}

std::shared_ptr<HttpReply> platform_fetch(const HttpRequest& request) {
    FakeEdge& edge = demo_edge();
    edge.now = static_cast<int64_t>(std::time(nullptr));
    return std::make_shared<HttpReply>(fake_edge_answer(edge, request));
}
