// The document reader: onramp-reader, the executable in which the server
// reads uploaded files (edge/documents/sandbox.h starts it, one process per
// document). Only it links poppler, libzip and expat, so their code and
// their dozens of shared libraries never enter the server's memory.
//
//   main.cpp   the executable: one request on stdin, frames on stdout
//   serve.cpp  serve_extraction(), the child's side of the frames
//   read.cpp   extract_text(), one reader per kind (see extract.h)
#pragma once

#include <string_view>

#include "edge/documents/extract.h"

namespace onramp::documents {

// Returns the text, or a Problem whose detail is the message to show the
// client as the document's error_message (extraction_problem() in
// extract.h). Called in the reader process; tests and the fuzzer call it
// directly.
Result<Extracted> extract_text(Kind kind, std::string_view content, const ExtractLimits& limits,
                               const Progress& progress = {});

// The child's side of the protocol in sandbox.h: reads one request frame
// from `in`, extracts, writes the frames to `out`. Returns the exit code:
// 0 once a result frame is written, 2 for a malformed request.
int serve_extraction(int in, int out);

}  // namespace onramp::documents
