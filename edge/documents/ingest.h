// The ingestion worker: one background thread that turns uploaded
// documents into text, moving each row through
//
//   pending --claim_next--> processing --mark_done--> done
//                               |
//                               +--mark_failed--> failed (error_message)
//                               |
//                               +--release (stopped mid-way)--> pending
//
// (functions of edge/documents/store.h). The queue is the documents table
// itself, not memory: an upload inserts a 'pending' row and calls notify();
// the worker claims the oldest pending row. So nothing queued is lost in a
// crash, and start() only has to put rows left 'processing' back to
// 'pending' (recover_interrupted; a row interrupted max_attempts times is
// failed instead, so a file that crashes the extractor cannot crash the
// server on every start). The thread also wakes every poll_interval, which
// covers a row inserted by a process that could not call notify().
//
// Every file is read in a child process, the reader onramp-reader, under
// CPU, memory and time limits (edge/documents/sandbox.h), so a file that
// crashes or runs away with poppler, libzip or expat fails that document
// ("The document could not be read (the reader crashed).") and the server
// carries on.
//
// The worker is owned by the App and must stop before the Store it uses is
// destroyed; stop() (or the destructor) returns once the thread is joined.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "edge/documents/extract.h"
#include "edge/documents/sandbox.h"
#include "edge/store/db.h"

namespace onramp::documents {

struct IngestOptions {
    std::string data_dir;
    std::function<int64_t()> now;  // Unix seconds
    ExtractLimits limits;
    // The reader (onramp-reader, edge/documents/reader/) run in a child
    // process for each document. Empty: every document fails with a
    // message saying the server cannot read files.
    std::string extractor;
    SandboxLimits sandbox;
    std::chrono::milliseconds poll_interval{2000};
    int max_attempts = 3;
    // Told about unexpected errors (a broken database); the worker carries
    // on after poll_interval. Default: a JSON line on stderr.
    std::function<void(const std::string& what)> on_error;
};

class IngestWorker {
public:
    IngestWorker(store::Store& store, IngestOptions options);
    ~IngestWorker();
    IngestWorker(const IngestWorker&) = delete;
    IngestWorker& operator=(const IngestWorker&) = delete;

    // Recovers interrupted rows, sweeps files a crash left without a row
    // (sweep_orphans), and starts the thread. Calling it while running
    // does nothing.
    void start();
    // Wakes the thread and joins it. A document being extracted is released
    // back to 'pending' at its next progress step. Safe to call twice.
    void stop();
    bool running() const { return thread_.joinable(); }
    // A new 'pending' row exists: wake up now rather than at the next poll.
    void notify();

    // Processes pending rows on the calling thread until none is left, and
    // returns how many it finished (done or failed). The thread runs this;
    // tests call it directly for a deterministic outcome.
    int run_pending();

private:
    // Claims and processes one row; false when none was pending.
    bool process_next();
    void process(const std::string& id);
    Result<Extracted> extract(Kind kind, const std::string& content, const Progress& progress);
    void loop();
    void report(const std::string& what) const;

    store::Store& store_;
    IngestOptions opt_;
    std::mutex mu_;
    std::condition_variable wake_cv_;
    bool woken_ = false;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace onramp::documents
