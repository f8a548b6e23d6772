// ustar writing and reading for backup archives (see tar.h).
#include "edge/backup/tar.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"

namespace onramp::backup {

namespace {

constexpr size_t kBlock = 512;
constexpr size_t kNameBytes = 100;
constexpr int64_t kMaxSize = (int64_t(1) << 33) - 1;  // 11 octal digits
constexpr size_t kChunk = 64 << 10;

// Header field offsets and widths (ustar).
constexpr size_t kMode = 100, kUid = 108, kGid = 116, kSize = 124, kMtime = 136, kChksum = 148, kType = 156,
                 kMagic = 257, kVersion = 263;

std::string errno_text() { return std::strerror(errno); }

// A zero-padded octal number filling width-1 digits and a NUL; the caller
// keeps value below 8^(width-1).
void put_octal(char* field, size_t width, int64_t value) {
    field[width - 1] = '\0';
    for (size_t i = width - 1; i > 0; --i, value /= 8) field[i - 1] = char('0' + value % 8);
}

std::optional<int64_t> get_octal(const char* field, size_t width) {
    int64_t v = 0;
    size_t i = 0;
    while (i < width && field[i] == ' ') ++i;
    bool any = false;
    for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i) {
        v = v * 8 + (field[i] - '0');
        any = true;
        if (v > kMaxSize) return std::nullopt;
    }
    for (; i < width; ++i)
        if (field[i] != '\0' && field[i] != ' ') return std::nullopt;
    if (!any) return std::nullopt;
    return v;
}

// The sum of the header's bytes with the checksum field read as spaces.
int64_t checksum(const char* block) {
    int64_t sum = 0;
    for (size_t i = 0; i < kBlock; ++i)
        sum += (i >= kChksum && i < kChksum + 8) ? ' ' : static_cast<unsigned char>(block[i]);
    return sum;
}

bool all_zero(const char* block) {
    for (size_t i = 0; i < kBlock; ++i)
        if (block[i] != 0) return false;
    return true;
}

int64_t padding(int64_t size) { return (int64_t(kBlock) - size % int64_t(kBlock)) % int64_t(kBlock); }

// Reads exactly n bytes; false at a short read (the archive ended early).
Status read_exact(int fd, char* buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = ::read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return internal_error("Cannot read the archive: " + errno_text() + ".");
        if (r == 0) return bad_request("The archive ends early: it is truncated or not a backup archive.");
        got += size_t(r);
    }
    return ok_status();
}

}  // namespace

Status write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return internal_error("Cannot write: " + errno_text() + ".");
        data.remove_prefix(size_t(n));
    }
    return ok_status();
}

// --- TarWriter -----------------------------------------------------------------

Status TarWriter::header(const std::string& name, int64_t size, int64_t mtime) {
    if (name.empty() || name.size() >= kNameBytes) return internal_error("Archive entry name too long: " + name);
    if (size < 0 || size > kMaxSize) return internal_error(name + " is too large for a backup archive (8 GiB).");
    char h[kBlock] = {};
    std::memcpy(h, name.data(), name.size());
    put_octal(h + kMode, 8, 0600);
    put_octal(h + kUid, 8, 0);
    put_octal(h + kGid, 8, 0);
    put_octal(h + kSize, 12, size);
    put_octal(h + kMtime, 12, mtime < 0 ? 0 : mtime);
    h[kType] = '0';
    std::memcpy(h + kMagic, "ustar", 6);
    std::memcpy(h + kVersion, "00", 2);
    // Six digits, a NUL and a space, as tar(1) writes it.
    put_octal(h + kChksum, 7, checksum(h));
    h[kChksum + 7] = ' ';
    return write_all(fd_, std::string_view(h, kBlock));
}

Status TarWriter::pad(int64_t size) {
    static const char zeros[kBlock] = {};
    return write_all(fd_, std::string_view(zeros, size_t(padding(size))));
}

Result<std::string> TarWriter::add_file(const std::string& name, int in, int64_t size, int64_t mtime) {
    if (auto s = header(name, size, mtime); !s) return s.problem();
    crypto::Sha256 hash;
    std::vector<char> buf(kChunk);
    int64_t done = 0;
    while (true) {
        ssize_t n = ::read(in, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return internal_error("Cannot read " + name + ": " + errno_text() + ".");
        if (n == 0) break;
        if (done + n > size) return internal_error(name + " grew while it was being archived.");
        std::string_view piece(buf.data(), size_t(n));
        hash.update(piece);
        if (auto s = write_all(fd_, piece); !s) return s.problem();
        done += n;
    }
    if (done != size) return internal_error(name + " shrank while it was being archived.");
    if (auto s = pad(size); !s) return s.problem();
    return crypto::hex_encode(hash.finish());
}

Result<std::string> TarWriter::add_bytes(const std::string& name, std::string_view bytes, int64_t mtime) {
    if (auto s = header(name, int64_t(bytes.size()), mtime); !s) return s.problem();
    if (auto s = write_all(fd_, bytes); !s) return s.problem();
    if (auto s = pad(int64_t(bytes.size())); !s) return s.problem();
    return crypto::hex_encode(crypto::sha256(bytes));
}

Status TarWriter::finish() {
    static const char zeros[2 * kBlock] = {};
    return write_all(fd_, std::string_view(zeros, sizeof zeros));
}

// --- read_tar ----------------------------------------------------------------

Status read_tar(int fd, const std::function<Result<ChunkSink>(const TarEntry&)>& on_entry) {
    char h[kBlock];
    std::vector<char> buf(kChunk);
    while (true) {
        if (auto s = read_exact(fd, h, kBlock); !s) return s;
        if (all_zero(h)) return ok_status();  // the end; what follows is padding
        auto sum = get_octal(h + kChksum, 8);
        if (!sum || *sum != checksum(h)) return bad_request("The archive has a damaged header: not a backup archive.");
        if (std::memcmp(h + kMagic, "ustar", 5) != 0) return bad_request("The archive is not in ustar format.");
        TarEntry e;
        e.name.assign(h, strnlen(h, kNameBytes));
        if (h[kType] != '0' && h[kType] != '\0')
            return bad_request("The archive entry " + e.name + " is not a regular file.");
        auto size = get_octal(h + kSize, 12);
        if (!size) return bad_request("The archive entry " + e.name + " has a damaged size.");
        e.size = *size;
        auto sink = on_entry(e);
        if (!sink) return sink.problem();
        int64_t left = e.size;
        while (left > 0) {
            size_t n = size_t(std::min<int64_t>(left, int64_t(buf.size())));
            if (auto s = read_exact(fd, buf.data(), n); !s) return s;
            if (auto s = (*sink)(std::string_view(buf.data(), n)); !s) return s;
            left -= int64_t(n);
        }
        if (auto s = read_exact(fd, buf.data(), size_t(padding(e.size))); !s) return s;
    }
}

}  // namespace onramp::backup
