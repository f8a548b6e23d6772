// libFuzzer target: an uploaded document's bytes, as the upload and the
// ingestion read them.
//
// The input is the file's content, byte for byte (tests/fuzz/documents/
// holds a tiny PDF, DOCX, text and Markdown file). It is judged under each
// accepted extension and none (edge/documents/detect.h); for each kind it is
// accepted as, its text is extracted (edge/documents/extract.h) with small
// limits, and the UTF-8 helpers run on it.
//
// Besides the sanitizers, the target checks what those headers promise:
//   - detect() refuses with 415 or 422 only, and accepts a kind only under
//     its own extension;
//   - to_valid_utf8() gives valid UTF-8, unchanged when it already was, and
//     utf8_prefix() never splits a sequence;
//   - extracted text is valid UTF-8 within the text limit, and a refusal is
//     a 422 saying why.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <poppler/cpp/poppler-global.h>

#include "edge/documents/detect.h"
#include "edge/documents/reader/read.h"

namespace {

using namespace onramp::documents;

[[noreturn]] void broken(const char* what) {
    std::fprintf(stderr, "fuzz documents: %s\n", what);
    std::abort();
}

struct Name {
    const char* filename;
    Kind kind;
};
constexpr Name kNames[] = {
    {"upload.pdf", Kind::Pdf},
    {"upload.docx", Kind::Docx},
    {"notes.txt", Kind::Text},
    {"notes.md", Kind::Markdown},
};

// Small limits keep each run fast; they are also limits the code must keep.
constexpr ExtractLimits kLimits = {20, 64 * 1024, 1 << 20};

void check_utf8_helpers(std::string_view content) {
    std::string valid = to_valid_utf8(content);
    if (!valid_utf8(valid)) broken("to_valid_utf8 gave invalid UTF-8");
    if (valid_utf8(content) && valid != content) broken("to_valid_utf8 changed valid UTF-8");
    (void)utf8_length(valid);
    std::string_view prefix = utf8_prefix(valid, content.size() / 2);
    if (prefix.size() > content.size() / 2 || !valid_utf8(prefix)) broken("utf8_prefix split a sequence");
}

void extract(Kind kind, std::string_view content) {
    auto text = extract_text(kind, content, kLimits);
    if (!text) {
        if (text.problem().status != 422 || text.problem().detail.empty()) broken("extraction refused without a 422");
        return;
    }
    if (!valid_utf8(text->text)) broken("extracted text is not valid UTF-8");
    if (text->text.size() > kLimits.max_text_bytes) broken("extracted text is over the limit");
    if (text->pages > 0 && kind != Kind::Pdf) broken("pages counted for a document that is not a PDF");
}

// poppler reports damaged PDFs on stderr, which would drown libFuzzer's own
// output; the server routes the same messages to its log.
void quiet(const std::string&, void*) {}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    poppler::set_debug_error_function(quiet, nullptr);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view content(reinterpret_cast<const char*>(data), size);
    check_utf8_helpers(content);
    if (content.empty()) return 0;  // the upload refuses an empty file before detecting

    auto unnamed = detect("upload", content);
    if (unnamed || unnamed.problem().status != 415) broken("a file without an extension was not refused with 415");
    for (const Name& n : kNames) {
        auto kind = detect(n.filename, content);
        if (!kind) {
            int status = kind.problem().status;
            if (status != 415 && status != 422) broken("detect refused with neither 415 nor 422");
            continue;
        }
        if (*kind != n.kind) broken("detect accepted a kind other than the extension's");
        if (!kind_of_content_type(content_type_of(*kind))) broken("a kind's content type does not map back");
        extract(*kind, content);
    }
    return 0;
}
