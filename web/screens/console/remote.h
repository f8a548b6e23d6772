// A value the console loads from the edge: idle, loading (a request in
// flight), loaded, or failed with a message. Polled once per frame, so the
// UI never waits on the network.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "platform/platform.h"
#include "screens/console/data.h"

template <class T>
struct Remote {
    std::shared_ptr<HttpReply> pending;  // the request in flight, if any
    bool loaded = false;                 // value holds a reply (possibly stale while reloading)
    std::string error;                   // the last failure's message, until the next success
    T value{};

    bool loading() const { return pending != nullptr; }
};

// An action the operator started (a revoke, a sync): its request, then the
// sentence that says how it went. `ok` tells a success from a refusal.
struct ActionState {
    Remote<bool> request;
    std::string what;     // which action was asked ("sync", "revoke"), for its outcome's sentence
    std::string message;
    bool ok = false;

    bool busy() const { return request.loading(); }
};

// Sends `req` for `r`. A request already in flight is dropped (its reply is
// ignored): the newest question wins.
template <class T>
void remote_start(Remote<T>& r, const HttpRequest& req) {
    r.pending = platform_fetch(req);
}

// Takes in the reply once it has arrived. `parse` maps an HttpReply to a
// onramp::Result<T>. Returns true on the frame the reply was taken in.
template <class T, class Parse>
bool remote_poll(Remote<T>& r, Parse parse) {
    if (!r.pending || !r.pending->done) return false;
    auto result = parse(*r.pending);
    r.pending.reset();
    if (result) {
        r.value = std::move(result.value());
        r.error.clear();
        r.loaded = true;
    } else {
        r.error = problem_words(result.problem());
    }
    return true;
}
