// onramp-reader: the child process in which the server reads one uploaded
// PDF, DOCX or text file (edge/documents/sandbox.h). Not a command for
// people: it speaks frames on stdin and stdout and takes no arguments.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "edge/documents/reader/read.h"

int main(int argc, char**) {
    if (argc > 1) {
        std::fprintf(stderr, "onramp-reader: takes no arguments; the Onramp server runs it itself\n");
        return 2;
    }
    // The frames get a descriptor of their own and stdout becomes stderr,
    // so that a library printing to stdout cannot corrupt them.
    int frames = ::fcntl(1, F_DUPFD_CLOEXEC, 3);
    if (frames < 0 || ::dup2(2, 1) != 1) return 1;
    return onramp::documents::serve_extraction(0, frames);
}
