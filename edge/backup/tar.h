// The tar format of backup archives: POSIX ustar (IEEE Std 1003.1,
// "pax" utility, ustar interchange format), regular files only, so that an
// operator can list or unpack an archive with any tar(1).
//
// Only what backups need: names of at most 100 bytes (no prefix field),
// sizes below 8 GiB (11 octal digits), no links, no directories (tar(1)
// creates parents itself). The reader is strict: a header whose checksum
// fails, a type other than a regular file, or an archive that ends early is
// an error, because a backup that reads "mostly" is not a backup.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "shared/result.h"

namespace onramp::backup {

// Writes all of `data` to `fd`, retrying short writes and EINTR.
Status write_all(int fd, std::string_view data);

// Appends entries to an open, writable descriptor it does not own.
class TarWriter {
public:
    explicit TarWriter(int fd) : fd_(fd) {}

    // Copies `size` bytes from `in` (read to its end: a file that grew or
    // shrank meanwhile is an error) into an entry of mode 0600. Returns the
    // SHA-256 (hex) of the bytes written.
    Result<std::string> add_file(const std::string& name, int in, int64_t size, int64_t mtime);
    // An entry from memory; returns its SHA-256 (hex).
    Result<std::string> add_bytes(const std::string& name, std::string_view bytes, int64_t mtime);
    // The two zero blocks that end an archive.
    Status finish();

private:
    Status header(const std::string& name, int64_t size, int64_t mtime);
    Status pad(int64_t size);
    int fd_;
};

struct TarEntry {
    std::string name;
    int64_t size = 0;
};

// Receives an entry's bytes in order, in pieces.
using ChunkSink = std::function<Status(std::string_view)>;

// Reads every entry of the archive on `fd`; for each, `on_entry` returns
// the sink for its bytes or a problem that stops the reading.
Status read_tar(int fd, const std::function<Result<ChunkSink>(const TarEntry&)>& on_entry);

}  // namespace onramp::backup
