// Plain text out of an uploaded document, for ingestion: what is read and
// what comes back. The readers themselves (edge/documents/reader/) run only
// in the child process onramp-reader (edge/documents/sandbox.h), so the
// server never loads poppler or expat:
//
//   Text, Markdown  the bytes as UTF-8, BOM dropped, CRLF made LF; Markdown
//                   keeps its markup (it is readable as text)
//   PDF             poppler-cpp, page by page in reading order, pages
//                   separated by a blank line
//   DOCX            libzip opens word/document.xml, expat streams it: the
//                   text of <w:t> runs, <w:tab/> as a tab, <w:br/> and the
//                   end of each <w:p> paragraph as a newline
//
// Everything is bounded (ExtractLimits), because the input is hostile:
// Security: a zip bomb (a small DOCX whose XML inflates to gigabytes) is
// cut off while inflating, not after; a DOCX with a DTD (entity expansion,
// "billion laughs", external entities) is refused outright, since Office
// never writes one; a PDF with thousands of pages is read up to a page cap.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "edge/documents/detect.h"
#include "shared/result.h"

namespace onramp::documents {

struct ExtractLimits {
    int max_pages = 2000;                 // PDF pages read; the rest are skipped (truncated)
    size_t max_text_bytes = 4 << 20;      // text kept; the rest is dropped (truncated)
    size_t max_inflated_bytes = 64 << 20; // word/document.xml once inflated: more is a zip bomb
};

struct Extracted {
    std::string text;  // valid UTF-8, trimmed
    int pages = 0;     // PDF only
    bool truncated = false;
};

// Told the percentage done (0..100) now and then; returns false to abandon
// the extraction (the worker is stopping).
using Progress = std::function<bool(int percent)>;

// How reading a document failed: a 422 whose detail is the message for
// the client as the document's error_message, and whose error_code is one
// of these or a code of edge/documents/sandbox.h:
//   extraction_failed  the file is damaged, encrypted, or has no text
//   too_large          a limit above was passed where truncating makes no sense
//   cancelled          the progress callback returned false
Problem extraction_problem(std::string detail, std::string code = "extraction_failed");
Problem extraction_cancelled();

}  // namespace onramp::documents
