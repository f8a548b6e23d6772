// Text extraction in a child process, the parent's side (see sandbox.h for
// the protocol, the limits and what each ending means; the child is
// edge/documents/reader/).
//
// [SECTION] The parent: starting the child
// [SECTION] The parent: watching it and judging how it ended
#include "edge/documents/sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

#include "edge/documents/frames.h"

namespace onramp::documents {

namespace {

using namespace frames;

// --- [SECTION] The parent: starting the child ---------------------------------

// A descriptor closed when it goes out of scope.
class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) : fd_(fd) {}
    UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    ~UniqueFd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }

private:
    int fd_;
};

Problem not_started(const char* what) {
    return extraction_problem(std::string("The document could not be read now: the server could not start its "
                                          "reader (") + what + ": " + std::strerror(errno) +
                              "). It can be uploaded again later.");
}

// The request frame in an anonymous in-memory file, rewound: the child's
// stdin. A file rather than a pipe, so the parent never blocks writing a
// large document to a child that is not reading.
Result<UniqueFd> request_file(Kind kind, std::string_view content, const ExtractLimits& limits) {
    UniqueFd fd(memfd_create("onramp-extract-request", MFD_CLOEXEC));
    if (!fd) return not_started("memfd_create");
    std::string head = header({"extract", kind_name(kind), std::to_string(limits.max_pages),
                               std::to_string(limits.max_text_bytes), std::to_string(limits.max_inflated_bytes)},
                              content.size());
    if (!write_all(fd.get(), head) || !write_all(fd.get(), content) || ::lseek(fd.get(), 0, SEEK_SET) != 0)
        return not_started("writing the request");
    return fd;
}

struct Limit {
    int resource;
    rlimit value;
};

// The soft and hard limit for `resource`, each capped at the current hard
// limit (lowering a hard limit is always allowed, raising it is not).
Limit limit(int resource, rlim_t soft, rlim_t hard) {
    rlimit now{};
    getrlimit(resource, &now);
    if (now.rlim_max != RLIM_INFINITY) {
        soft = std::min(soft, now.rlim_max);
        hard = std::min(hard, now.rlim_max);
    }
    return {resource, {soft, hard}};
}

constexpr int kExitSetupFailed = 126;
constexpr int kExitExecFailed = 127;
constexpr rlim_t kChildFiles = 16;

// Everything the child needs between fork and exec, made before fork:
// there a child of a multithreaded process may only make async-signal-safe
// calls (no allocation, no locks).
struct ChildSetup {
    const char* path;
    char* const* argv;
    char* const* envp;
    int in, out, err;
    std::vector<Limit> limits;
};

// Makes `fd` the descriptor `target` with close-on-exec cleared.
bool place(int fd, int target) {
    if (fd == target) return ::fcntl(fd, F_SETFD, 0) == 0;
    return ::dup2(fd, target) == target;  // dup2 clears close-on-exec on the copy
}

[[noreturn]] void become_reader(const ChildSetup& s) {
    ::setpgid(0, 0);  // its own process group, so the parent can kill all it starts
    if (!place(s.in, 0) || !place(s.out, 1) || !place(s.err, 2)) ::_exit(kExitSetupFailed);
    ::close_range(3, ~0U, 0);  // the server's sockets and database stay with the server
    // The server blocks SIGTERM and SIGINT in every thread and ignores
    // SIGPIPE; a blocked mask and ignored signals survive exec.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) ::_exit(kExitSetupFailed);
    for (const Limit& l : s.limits)
        if (::setrlimit(l.resource, &l.value) != 0) ::_exit(kExitSetupFailed);
    ::execve(s.path, s.argv, s.envp);
    ::_exit(kExitExecFailed);
}

// glibc 2.36's <sys/pidfd.h> declares pidfd_open without C linkage, so a
// C++ program cannot link against it; the system call is direct.
int pidfd_open(pid_t pid) { return int(::syscall(SYS_pidfd_open, pid, 0)); }

struct Child {
    pid_t pid = -1;
    UniqueFd exited;  // a pidfd: readable once the child has ended
    UniqueFd out;     // the read end of its stdout, non-blocking
};

Result<Child> spawn(const Sandbox& sb, int request) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return not_started("pipe2");
    UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
    UniqueFd devnull(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!devnull) return not_started("/dev/null");

    std::string path = sb.executable;
    char* argv[] = {path.data(), nullptr};
    char* envp[] = {nullptr};
    const SandboxLimits& l = sb.limits;
    auto cpu = rlim_t(l.cpu_seconds);
    ChildSetup setup{path.c_str(), argv, envp, request, write_end.get(), devnull.get(),
                     {limit(RLIMIT_AS, l.memory_bytes, l.memory_bytes), limit(RLIMIT_CPU, cpu, cpu + 1),
                      limit(RLIMIT_FSIZE, 0, 0), limit(RLIMIT_NOFILE, kChildFiles, kChildFiles),
                      limit(RLIMIT_CORE, 0, 0)}};

    pid_t pid = ::fork();
    if (pid < 0) return not_started("fork");
    if (pid == 0) become_reader(setup);
    ::setpgid(pid, pid);  // as the child does: kill(-pid) then works whichever of the two ran first
    Child c{pid, UniqueFd(pidfd_open(pid)), std::move(read_end)};
    if (!c.exited || ::fcntl(c.out.get(), F_SETFL, O_NONBLOCK) != 0) {
        Problem p = not_started("pidfd_open");
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        return p;
    }
    return c;
}

// --- [SECTION] The parent: watching it and judging how it ended ---------------

constexpr std::chrono::milliseconds kTick{100};  // how often a silent child is checked on (stop, deadline)

enum class End { Exited, TooSlow, Cancelled, TooMuchOutput, Malformed };

// What the parent has read from the child so far.
struct Reading {
    std::string buf;  // read, not yet parsed
    size_t total = 0;
    int percent = 0;
    int warnings = 0;
    bool eof = false;
    std::optional<Result<Extracted>> result;
};

// One frame from the child. Security: the child is not trusted (it has
// read a hostile file), so everything it says is checked: the text must be
// UTF-8 (it goes into the database and JSON), a failure may carry only
// the codes a reader can give (never "cancelled", which would put the
// document back in the queue forever), nothing may follow the result.
std::optional<End> apply(const Frame& f, Reading& r, const Sandbox& sb, const Progress& progress) {
    std::string_view tag = f.fields[0];
    if (r.result) return End::Malformed;
    if (tag == "progress" && f.fields.size() == 2 && f.payload.empty()) {
        if (!parse_number(f.fields[1], r.percent) || r.percent < 0 || r.percent > 100) return End::Malformed;
        if (progress && !progress(r.percent)) return End::Cancelled;
    } else if (tag == "warning" && f.fields.size() == 1) {
        if (r.warnings++ < kMaxWarnings && sb.on_warning) sb.on_warning(std::string(f.payload));
    } else if (tag == "done" && f.fields.size() == 3) {
        Extracted e;
        int truncated = 0;
        if (!parse_number(f.fields[1], e.pages) || !parse_number(f.fields[2], truncated) || !valid_utf8(f.payload))
            return End::Malformed;
        e.text = std::string(f.payload);
        e.truncated = truncated != 0;
        r.result.emplace(std::move(e));
    } else if (tag == "failed" && f.fields.size() == 2 && valid_utf8(f.payload)) {
        std::string code = f.fields[1] == "too_large" ? "too_large" : "extraction_failed";
        r.result.emplace(extraction_problem(std::string(f.payload), code));
    } else {
        return End::Malformed;
    }
    return std::nullopt;
}

// Reads what the child has written (never blocking) and acts on each
// complete frame. Returns an End when the child must be stopped.
std::optional<End> pump(const Child& c, Reading& r, const Sandbox& sb, size_t cap, const Progress& progress) {
    char chunk[64 * 1024];
    while (!r.eof) {
        ssize_t n = ::read(c.out.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;  // EAGAIN: nothing more for now
        r.eof = n == 0;
        r.total += size_t(n);
        if (r.total > cap) return End::TooMuchOutput;
        r.buf.append(chunk, size_t(n));
    }
    size_t pos = 0;
    Frame f;
    for (;;) {
        Parse p = take_frame(r.buf, pos, f, cap);
        if (p == Parse::Malformed) return End::Malformed;
        if (p == Parse::NeedMore) break;
        if (auto end = apply(f, r, sb, progress)) return end;
    }
    r.buf.erase(0, pos);
    return std::nullopt;
}

// Follows the child until it ends, or until it must be stopped.
End watch(const Child& c, Reading& r, const Sandbox& sb, size_t cap, const Progress& progress) {
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + sb.limits.wall;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        if (left.count() <= 0) return End::TooSlow;
        pollfd fds[2] = {{c.exited.get(), POLLIN, 0}, {r.eof ? -1 : c.out.get(), POLLIN, 0}};
        if (::poll(fds, 2, int(std::min(left, kTick).count()) + 1) < 0 && errno != EINTR) return End::Malformed;
        if (auto end = pump(c, r, sb, cap, progress)) return *end;
        if (progress && !r.result && !progress(r.percent)) return End::Cancelled;
        // Once it has ended, all it wrote is in the pipe: the pump above read it.
        if (fds[0].revents & POLLIN) return End::Exited;
    }
}

struct Exit {
    int status = 0;
    double cpu_seconds = 0;
};

// Kills the child's process group (the child, if it still runs, and
// anything it started) and reaps the child. The group is killed before the
// reaping: until then the child's pid cannot be reused by another process.
Exit reap(const Child& c) {
    ::kill(-c.pid, SIGKILL);
    Exit e;
    rusage usage{};
    while (::wait4(c.pid, &e.status, 0, &usage) < 0 && errno == EINTR) {
    }
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    e.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    return e;
}

Problem too_slow(const std::string& what) {
    return extraction_problem("The document took too long to read (" + what + "); it was stopped.", "too_slow");
}

std::string duration_text(std::chrono::milliseconds d) {
    if (d.count() % 1000 != 0) return std::to_string(d.count()) + " ms";
    return std::to_string(d.count() / 1000) + " s";
}

Problem crashed(const std::string& why) {
    return extraction_problem("The document could not be read (" + why + ").", "crashed");
}

Result<Extracted> verdict(End end, Reading& r, const Exit& exit, const SandboxLimits& limits) {
    switch (end) {
        case End::Cancelled: return extraction_cancelled();
        case End::TooSlow: return too_slow("more than " + duration_text(limits.wall));
        case End::TooMuchOutput: return crashed("the reader sent more output than allowed");
        case End::Malformed: return crashed("the reader sent malformed output");
        case End::Exited: break;
    }
    if (r.result) return std::move(*r.result);
    if (WIFSIGNALED(exit.status)) {
        int sig = WTERMSIG(exit.status);
        // SIGXCPU at the soft CPU limit, SIGKILL at the hard one; a SIGKILL
        // without the processor time used came from elsewhere (the kernel's
        // out-of-memory killer).
        if (sig == SIGXCPU || (sig == SIGKILL && exit.cpu_seconds >= limits.cpu_seconds))
            return too_slow("more than " + std::to_string(limits.cpu_seconds) + " s of processor time");
        return crashed("the reader crashed");
    }
    int code = WIFEXITED(exit.status) ? WEXITSTATUS(exit.status) : -1;
    if (code == kExitExecFailed || code == kExitSetupFailed) return crashed("the reader could not be started");
    return crashed("the reader exited with status " + std::to_string(code));
}

}  // namespace

size_t output_cap(const ExtractLimits& limits) { return 4 * limits.max_text_bytes + (64 << 10); }

Result<Extracted> extract_in_child(const Sandbox& sandbox, Kind kind, std::string_view content,
                                   const ExtractLimits& limits, const Progress& progress) {
    auto request = request_file(kind, content, limits);
    if (!request) return request.problem();
    auto child = spawn(sandbox, request->get());
    if (!child) return child.problem();
    Reading r;
    End end = watch(*child, r, sandbox, output_cap(limits), progress);
    Exit exit = reap(*child);
    return verdict(end, r, exit, sandbox.limits);
}

}  // namespace onramp::documents
