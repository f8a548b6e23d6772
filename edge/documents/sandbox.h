// Text extraction in a child process, so that a hostile PDF or DOCX that
// crashes poppler, libzip or expat, or makes them run away with the
// processor or the memory, fails that one document instead of the server.
//
// The parent (the ingestion worker's thread) runs the reader, onramp-reader
// (edge/documents/reader/), and talks to it over two descriptors:
//
//   stdin   an in-memory file (memfd) holding one request frame: the
//           document's kind, the ExtractLimits and the file's bytes
//   stdout  frames back: progress, warnings (poppler's complaints), and
//           one result, the text or the reason it could not be read
//   stderr  /dev/null
//
// A frame is a header line of space-separated fields whose last one is the
// payload's length in bytes, then the payload:
//
//   extract <pdf|docx|text|markdown> <max-pages> <max-text> <max-inflated> <n>\n<n bytes: the file>
//   progress <percent> 0\n
//   warning <n>\n<n bytes: message>
//   done <pages> <truncated 0|1> <n>\n<n bytes: UTF-8 text>
//   failed <error_code> <n>\n<n bytes: message for the client>
//
// Limits, applied between fork and exec (so they hold from the child's
// first instruction) and by the parent:
//
//   memory_bytes   RLIMIT_AS: the child's address space
//   cpu_seconds    RLIMIT_CPU: SIGXCPU at the limit, SIGKILL a second later
//   wall           the parent kills the child's process group after it
//   output         the parent reads at most output_cap() bytes
//   files          RLIMIT_FSIZE 0 (writes no file), RLIMIT_NOFILE 16,
//                  RLIMIT_CORE 0 (no core dump of a hostile file's memory)
//
// How the child ended becomes the document's error_message:
//
//   result frame received           that result (done, or the reader's own reason)
//   killed by SIGXCPU / CPU SIGKILL "took too long to read" (too_slow)
//   wall-clock deadline             "took too long to read" (too_slow)
//   out of memory (std::bad_alloc)  "too large to read" (too_large), sent by the child
//   any other signal                "the reader crashed" (crashed)
//   output over the cap, garbage    "the reader misbehaved" (crashed)
//   progress returned false         cancelled: the worker is stopping
//
// Security: the child is exec'd, not merely forked, so its memory holds
// none of the server's secrets (the vault's keys, sessions), and it gets an
// empty environment, so not ONRAMP_MASTER_KEY either; it inherits no
// descriptor but its three standard ones (not the listening socket, not the
// database), and cannot gain privileges (PR_SET_NO_NEW_PRIVS).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "edge/documents/detect.h"
#include "edge/documents/extract.h"
#include "shared/result.h"

namespace onramp::documents {

struct SandboxLimits {
    size_t memory_bytes = size_t(256) << 20;
    int cpu_seconds = 10;
    std::chrono::milliseconds wall{30'000};  // a child blocked without using the processor
};

struct Sandbox {
    // The reader's path: onramp-reader, installed beside the server.
    std::string executable;
    SandboxLimits limits;
    // Told each warning the reader sent (a damaged PDF's complaints); at
    // most kMaxWarnings per document.
    std::function<void(const std::string& message)> on_warning;
};

constexpr int kMaxWarnings = 20;

// The most the parent reads from one child: the text (to_valid_utf8 can
// turn each byte of it into a 3-byte U+FFFD, hence 4×) plus room for the
// progress and warning frames.
size_t output_cap(const ExtractLimits& limits);

// extract_text() for `kind`, run in a child under sandbox.limits. Returns
// what extract_text would, or one of the failures in the table above;
// never throws for anything the child does. `progress` is also asked
// between frames, so a stopping worker ends a silent child at once.
Result<Extracted> extract_in_child(const Sandbox& sandbox, Kind kind, std::string_view content,
                                   const ExtractLimits& limits, const Progress& progress = {});

}  // namespace onramp::documents
