// serve's access log (access_log.h).
#include "edge/cli/access_log.h"

#include <chrono>
#include <utility>

#include "edge/thread_name.h"

namespace onramp::cli {

namespace {
constexpr auto kFlushEvery = std::chrono::milliseconds(100);
}  // namespace

AccessLog::AccessLog(std::FILE* out) : out_(out) {
    // Fully buffered whatever stdout is: a terminal would flush per line.
    std::setvbuf(out_, nullptr, _IOFBF, 1 << 16);
    flusher_ = std::thread([this] {
        name_thread("access-log");
        flush_every_while_open();
    });
}

AccessLog::~AccessLog() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        closed_ = true;
    }
    closing_.notify_one();
    flusher_.join();
    std::fflush(out_);
}

void AccessLog::write(std::string_view line) {
    std::lock_guard<std::mutex> lock(mu_);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fputc('\n', out_);
    unflushed_ = true;
}

void AccessLog::flush_every_while_open() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!closing_.wait_for(lock, kFlushEvery, [&] { return closed_; })) {
        if (!std::exchange(unflushed_, false)) continue;
        std::fflush(out_);
    }
}

}  // namespace onramp::cli
