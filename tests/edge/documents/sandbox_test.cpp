// Specification of reading documents in a child process: the built
// onramp-edge gives the same result as extraction in this process; the
// child runs under its limits, without the parent's environment or
// descriptors; a reader that crashes, spins, hangs, floods its output,
// lies or runs out of memory fails that document with a clear reason, and
// the caller carries on. Shell scripts stand in for misbehaving readers.
#include <doctest/doctest.h>
#include <dirent.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "edge/documents/document_fixtures.h"
#include "edge/documents/fake_reader.h"
#include "edge/documents/reader/read.h"
#include "edge/documents/sandbox.h"
#include "edge/support/edge_process.h"
#include "edge/support/test_app.h"

using namespace onramp;
using namespace onramp::documents;
using onramp::testing::FakeReader;
using onramp::testing::make_docx;
using onramp::testing::make_pdf;

namespace {

Sandbox reader_sandbox() {
    Sandbox s;
    s.executable = ONRAMP_READER_BINARY;
    return s;
}

Problem refused(const Result<Extracted>& r) {
    REQUIRE_MESSAGE(!r, "extracted: " << r->text);
    return r.problem();
}

Extracted extracted(const Result<Extracted>& r) {
    REQUIRE_MESSAGE(r, r.problem().detail);
    return r.value();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// True while a process whose command line contains `marker` exists.
bool process_running(const std::string& marker) {
    bool found = false;
    DIR* proc = opendir("/proc");
    while (dirent* e = readdir(proc)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::string cmdline = onramp::testing::read_file(std::string("/proc/") + e->d_name + "/cmdline");
        if (contains(cmdline, marker)) found = true;
    }
    closedir(proc);
    return found;
}

}  // namespace

TEST_SUITE("documents.sandbox") {

TEST_CASE("a PDF and a DOCX read in the child give what they give in this process") {
    ExtractLimits capped;
    capped.max_pages = 2;
    capped.max_text_bytes = 12;
    struct Case {
        Kind kind;
        std::string content;
        ExtractLimits limits;
    };
    for (const Case& c : {Case{Kind::Pdf, make_pdf({"Greeting script\nAsk for the owner", "Closing"}), {}},
                          Case{Kind::Pdf, make_pdf({"alpha", "bravo", "charlie"}), capped},
                          Case{Kind::Docx, make_docx({"Refund policy", "Thirty d\xC3\xA9 days"}), {}},
                          Case{Kind::Docx, make_docx({"0123456789abcdef", "more"}), capped}}) {
        Extracted here = extracted(extract_text(c.kind, c.content, c.limits));
        Extracted there = extracted(extract_in_child(reader_sandbox(), c.kind, c.content, c.limits));
        CHECK(there.text == here.text);
        CHECK(there.pages == here.pages);
        CHECK(there.truncated == here.truncated);
    }
}

TEST_CASE("a damaged PDF read in the child fails with the reader's own reason") {
    std::string broken = "%PDF-1.4\nthis is not a PDF body\n%%EOF\n";
    Problem here = refused(extract_text(Kind::Pdf, broken, {}));
    Problem there = refused(extract_in_child(reader_sandbox(), Kind::Pdf, broken, {}));
    CHECK(there.error_code == "extraction_failed");
    CHECK(there.detail == here.detail);
}

TEST_CASE("the child reports progress, and the caller returning false cancels it") {
    std::vector<int> seen;
    auto r = extract_in_child(reader_sandbox(), Kind::Pdf, make_pdf({"a", "b", "c", "d"}), {}, [&](int p) {
        if (seen.empty() || seen.back() != p) seen.push_back(p);
        return true;
    });
    extracted(r);
    CHECK(seen == std::vector<int>{0, 25, 50, 75});

    FakeReader silent("exec /bin/sleep 60");
    Problem p = refused(extract_in_child(silent.sandbox(), Kind::Pdf, "%PDF-", {}, [](int) { return false; }));
    CHECK(p.error_code == "cancelled");  // at once, not at the 30 s deadline
}

TEST_CASE("the child runs under the limits, without the parent's environment or descriptors") {
    int sock = socket(AF_INET, SOCK_STREAM, 0);  // not close-on-exec, as an httplib socket
    REQUIRE(sock >= 0);
    setenv("ONRAMP_MASTER_KEY", "not-for-readers", 1);
    FakeReader probe(
        "out=\"$(ulimit -t) $(ulimit -v) $(ulimit -f) $(ulimit -n) $(ulimit -c)|$(/usr/bin/env)|\"\n"
        "for f in /proc/$$/fd/*; do out=\"$out $(/bin/readlink $f)\"; done\n"
        "printf 'done 0 0 %d\\n%s' ${#out} \"$out\"");
    Sandbox sb = probe.sandbox();
    sb.limits.memory_bytes = size_t(200) << 20;
    sb.limits.cpu_seconds = 7;
    auto r = extract_in_child(sb, Kind::Pdf, "%PDF-", {});
    unsetenv("ONRAMP_MASTER_KEY");
    close(sock);
    std::string text = extracted(r).text;
    CHECK(text.substr(0, text.find('|')) == "7 204800 0 16 0");
    CHECK_FALSE(contains(text, "ONRAMP_MASTER_KEY"));
    CHECK_FALSE(contains(text, "socket:"));
}

TEST_CASE("a reader killed by SIGSEGV fails the document as crashed") {
    FakeReader crash("kill -SEGV $$");
    Problem p = refused(extract_in_child(crash.sandbox(), Kind::Pdf, make_pdf({"x"}), {}));
    CHECK(p.error_code == "crashed");
    CHECK(p.detail == "The document could not be read (the reader crashed).");
}

TEST_CASE("a reader spinning past its processor limit is stopped as too slow") {
    FakeReader spin("while :; do :; done");
    Sandbox sb = spin.sandbox();
    sb.limits.cpu_seconds = 1;
    Problem p = refused(extract_in_child(sb, Kind::Pdf, make_pdf({"x"}), {}));
    CHECK(p.error_code == "too_slow");
    CHECK(p.detail == "The document took too long to read (more than 1 s of processor time); it was stopped.");
}

TEST_CASE("a silent reader is killed at the wall-clock deadline with every process it started") {
    std::string marker = "3600." + std::to_string(getpid());  // a sleep no other test runs
    FakeReader hang("/bin/sleep " + marker + " &\n/bin/sleep " + marker);
    Sandbox sb = hang.sandbox();
    sb.limits.wall = std::chrono::milliseconds(300);
    Problem p = refused(extract_in_child(sb, Kind::Pdf, make_pdf({"x"}), {}));
    CHECK(p.error_code == "too_slow");
    CHECK(p.detail == "The document took too long to read (more than 300 ms); it was stopped.");
    // SIGKILL is delivered at once but a process takes a moment to vanish.
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {
        gone = !process_running(marker);
        if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(gone);
}

TEST_CASE("a reader flooding its output is stopped at the cap") {
    FakeReader flood("while :; do printf 'progress 1 0\\n'; done");
    ExtractLimits limits;
    limits.max_text_bytes = 1024;
    Problem p = refused(extract_in_child(flood.sandbox(), Kind::Pdf, make_pdf({"x"}), limits));
    CHECK(p.error_code == "crashed");
    CHECK(p.detail == "The document could not be read (the reader sent more output than allowed).");
}

TEST_CASE("what a reader says is checked, not believed") {
    SUBCASE("text that is not UTF-8") {
        FakeReader liar("printf 'done 0 0 3\\n\\377\\376x'");
        Problem p = refused(extract_in_child(liar.sandbox(), Kind::Pdf, "%PDF-", {}));
        CHECK(p.detail == "The document could not be read (the reader sent malformed output).");
    }
    SUBCASE("a failure claiming to be a cancellation, which would requeue the document forever") {
        FakeReader liar("printf 'failed cancelled 4\\nnope'");
        Problem p = refused(extract_in_child(liar.sandbox(), Kind::Pdf, "%PDF-", {}));
        CHECK(p.error_code == "extraction_failed");
        CHECK(p.detail == "nope");
    }
    SUBCASE("a frame after the result") {
        FakeReader liar("printf 'done 0 0 2\\nokprogress 5 0\\n'");
        Problem p = refused(extract_in_child(liar.sandbox(), Kind::Pdf, "%PDF-", {}));
        CHECK(p.detail == "The document could not be read (the reader sent malformed output).");
    }
    SUBCASE("an exit without a result") {
        FakeReader quitter("exit 3");
        Problem p = refused(extract_in_child(quitter.sandbox(), Kind::Pdf, "%PDF-", {}));
        CHECK(p.detail == "The document could not be read (the reader exited with status 3).");
    }
}

TEST_CASE("a reader's warnings are passed on, at most kMaxWarnings of them") {
    FakeReader chatty(
        "i=0; while [ $i -lt 30 ]; do printf 'warning 4\\nwarn'; i=$((i + 1)); done\n"
        "printf 'done 0 0 2\\nok'");
    Sandbox sb = chatty.sandbox();
    std::vector<std::string> warnings;
    sb.on_warning = [&](const std::string& m) { warnings.push_back(m); };
    CHECK(extracted(extract_in_child(sb, Kind::Pdf, "%PDF-", {})).text == "ok");
    CHECK(warnings.size() == size_t(kMaxWarnings));
    CHECK(warnings.front() == "warn");
}

TEST_CASE("a document needing more memory than the limit fails as too large") {
    // 64 MiB of text cannot be held in a 48 MiB address space, while the
    // reader itself starts in far less.
    Sandbox sb = reader_sandbox();
    sb.limits.memory_bytes = size_t(48) << 20;
    std::string big(size_t(64) << 20, 'a');
    Problem p = refused(extract_in_child(sb, Kind::Text, big, {}));
    CHECK(p.error_code == "too_large");
    CHECK(p.detail == "The document is too large to read (it needs more than 48 MiB of memory).");
    CHECK(extracted(extract_in_child(sb, Kind::Text, "small enough", {})).text == "small enough");
}

TEST_CASE("a reader that cannot be started fails the document with that reason") {
    Sandbox sb;
    sb.executable = "/nonexistent/onramp-reader";
    Problem p = refused(extract_in_child(sb, Kind::Pdf, make_pdf({"x"}), {}));
    CHECK(p.detail == "The document could not be read (the reader could not be started).");
}

TEST_CASE("the reader refuses arguments: only the server runs it") {
    int status = std::system((std::string(ONRAMP_READER_BINARY) + " --help </dev/null >/dev/null 2>&1").c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
}

}
