// onramp-edge extract-document: the child process in which the server reads
// an uploaded PDF or DOCX (edge/documents/sandbox.h). Not a command for
// people: it is left out of the usage text and speaks frames on stdin and
// stdout.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "edge/cli/commands.h"
#include "edge/documents/sandbox.h"

namespace onramp::cli {

int extract_document(const Args& args) {
    if (!args.empty()) {
        std::fprintf(stderr, "onramp-edge extract-document: takes no arguments; the server runs it itself\n");
        return 2;
    }
    // The frames get a descriptor of their own and stdout becomes stderr,
    // so that a library printing to stdout cannot corrupt them.
    int frames = ::fcntl(1, F_DUPFD_CLOEXEC, 3);
    if (frames < 0 || ::dup2(2, 1) != 1) return 1;
    return documents::serve_extraction(0, frames);
}

}  // namespace onramp::cli
