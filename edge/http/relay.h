// A response body passed from the thread that receives it to the thread
// that sends it on. At most `capacity` bytes wait in between: the
// receiving side blocks when the sending side falls behind, so a slow
// reader slows the source down (TCP does the rest) instead of filling
// memory. Either side can stop, and the other learns at its next step.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

namespace onramp::http {

class Relay {
public:
    explicit Relay(size_t capacity) : capacity_(capacity) {}

    // Receiving side. push() waits for room (a piece larger than the
    // capacity waits for an empty relay); false once the sending side has
    // stopped, or the body has already ended.
    bool push(std::string_view bytes);
    // The body is complete.
    void finish();
    // The body ends short, for `reason` (kept for the log; the first
    // reason given wins).
    void cut(const std::string& reason);

    // Sending side. pull() waits for bytes or the end: true with the next
    // bytes in `out`, false at the end, whole or cut (cut_reason() tells).
    bool pull(std::string& out);
    // The sending side gives up (its receiver is gone): push() answers
    // false from now on.
    void stop();
    std::string cut_reason() const;

private:
    const size_t capacity_;
    mutable std::mutex mu_;
    std::condition_variable changed_;
    std::deque<std::string> pieces_;
    size_t buffered_ = 0;
    bool ended_ = false;
    bool stopped_ = false;
    std::string cut_reason_;
};

}  // namespace onramp::http
