// serve's access log on stdout: one JSON line per request, handed over by
// the event loop. Lines are buffered and written out every 100 ms (and when
// the log closes), not with one write(2) each: under load that call was a
// few microseconds of the loop's time per request, and to journald a
// wake-up of the journal per request too. A line may so reach the log up
// to 100 ms late; nothing the server acknowledges depends on it.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string_view>
#include <thread>

namespace onramp::cli {

class AccessLog {
public:
    explicit AccessLog(std::FILE* out);
    ~AccessLog();  // writes out what is buffered
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    void write(std::string_view line);  // from any thread

private:
    void flush_every_while_open();

    std::FILE* out_;
    std::mutex mu_;
    std::condition_variable closing_;
    bool closed_ = false, unflushed_ = false;
    std::thread flusher_;
};

}  // namespace onramp::cli
