// A shell script standing in for the document reader that
// edge/documents/sandbox.h runs, to make a
// reader crash, hang, spin or lie on purpose.
#pragma once

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "edge/documents/sandbox.h"
#include "edge/support/test_app.h"

namespace onramp::testing {

struct FakeReader {
    TempDir dir;
    std::string path = dir.path + "/reader.sh";

    explicit FakeReader(const std::string& body) {
        std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
        chmod(path.c_str(), 0700);
    }

    documents::Sandbox sandbox() const {
        documents::Sandbox s;
        s.executable = path;
        return s;
    }
};

}  // namespace onramp::testing
