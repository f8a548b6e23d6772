// Text extraction (see read.h): one function per kind, a bounded sink they
// all write into, and one clean-up step at the end.
//
// [SECTION] Sink and clean-up
// [SECTION] Text and Markdown
// [SECTION] PDF (poppler-cpp)
// [SECTION] DOCX (libzip + expat)
#include "edge/documents/reader/read.h"

#include <expat.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>
#include <zip.h>

#include <algorithm>
#include <climits>
#include <memory>

namespace onramp::documents {

namespace {

// --- [SECTION] Sink and clean-up --------------------------------------------

// Collects text up to a byte limit; past it, append() keeps what fits and
// returns false so the producer can stop early.
struct TextSink {
    explicit TextSink(size_t max_bytes) : limit(max_bytes) {}
    size_t limit;
    std::string text;
    bool full = false;

    bool append(std::string_view s) {
        if (full) return false;
        if (text.size() + s.size() > limit) {
            text += utf8_prefix(s, limit - text.size());
            full = true;
            return false;
        }
        text += s;
        return true;
    }
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\v'; }

// Valid UTF-8, LF line ends, no control characters but tab, newline and
// form feed, no leading or trailing blank space.
std::string clean(std::string_view raw) {
    std::string valid = to_valid_utf8(raw);
    std::string out;
    out.reserve(valid.size());
    for (size_t i = 0; i < valid.size(); ++i) {
        char c = valid[i];
        if (c == '\r') {
            if (i + 1 < valid.size() && valid[i + 1] == '\n') continue;
            c = '\n';
        }
        auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t' && c != '\n' && c != '\f') || u == 0x7F) continue;
        out += c;
    }
    size_t b = 0, e = out.size();
    while (b < e && is_space(out[b])) ++b;
    while (e > b && is_space(out[e - 1])) --e;
    return out.substr(b, e - b);
}

// The common ending: clean the text and refuse a document without any.
Result<Extracted> finish(const TextSink& sink, bool truncated, int pages, const char* when_empty) {
    Extracted out;
    out.text = clean(sink.text);
    out.truncated = truncated || sink.full;
    out.pages = pages;
    if (out.text.empty()) return extraction_problem(when_empty);
    return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// --- [SECTION] Text and Markdown --------------------------------------------

Result<Extracted> from_text(std::string_view content, const ExtractLimits& limits) {
    if (starts_with(content, "\xEF\xBB\xBF")) content.remove_prefix(3);  // UTF-8 byte order mark
    if (content.find('\0') != std::string_view::npos || !valid_utf8(content))
        return extraction_problem("The file is not UTF-8 text.");
    TextSink sink(limits.max_text_bytes);
    sink.append(content);
    return finish(sink, false, 0, "The file contains no text.");
}

// --- [SECTION] PDF (poppler-cpp) --------------------------------------------

Result<Extracted> from_pdf(std::string_view content, const ExtractLimits& limits, const Progress& progress) {
    if (content.size() > size_t(INT_MAX)) return extraction_problem("The PDF is too large to read.", "too_large");
    // load_from_raw_data reads from our buffer without copying it; the
    // document dies before the buffer does.
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(content.data(), int(content.size())));
    if (!doc) return extraction_problem("The PDF could not be read: it is damaged or not really a PDF.");
    if (doc->is_locked()) return extraction_problem("The PDF is protected by a password; upload an unprotected copy.");

    int pages = doc->pages();
    int readable = std::min(pages, limits.max_pages);
    TextSink sink(limits.max_text_bytes);
    for (int i = 0; i < readable; ++i) {
        if (progress && !progress(i * 100 / readable)) return extraction_cancelled();
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) continue;
        poppler::byte_array utf8 =
            page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
        if (!sink.text.empty() && !sink.append("\n\n")) break;
        if (!sink.append(std::string_view(utf8.data(), utf8.size()))) break;
    }
    return finish(sink, pages > readable, pages,
                  "The PDF has no text layer (a scanned image?); text recognition (OCR) is not supported.");
}

// --- [SECTION] DOCX (libzip + expat) ----------------------------------------

// WordprocessingML's namespace, transitional and strict (ECMA-376 Part 1
// and Part 1 Strict), as expat reports it: "<uri>|<local name>".
constexpr std::string_view kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main|";
constexpr std::string_view kWordStrictNs = "http://purl.oclc.org/ooxml/wordprocessingml/main|";
constexpr const char* kDocumentPart = "word/document.xml";

struct DocxParse {
    XML_Parser parser;
    TextSink sink;
    bool in_text = false;  // inside <w:t>
    bool saw_dtd = false;

    void emit(std::string_view s) {
        if (!sink.append(s)) XML_StopParser(parser, XML_FALSE);
    }
};

// The local name of a WordprocessingML element; empty for other namespaces.
std::string_view word_name(const XML_Char* name) {
    std::string_view n(name);
    if (starts_with(n, kWordNs)) return n.substr(kWordNs.size());
    if (starts_with(n, kWordStrictNs)) return n.substr(kWordStrictNs.size());
    return {};
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** /*attrs*/) {
    auto& d = *static_cast<DocxParse*>(data);
    std::string_view local = word_name(name);
    if (local == "t")
        d.in_text = true;
    else if (local == "tab")
        d.emit("\t");
    else if (local == "br" || local == "cr")
        d.emit("\n");
}

void XMLCALL on_end(void* data, const XML_Char* name) {
    auto& d = *static_cast<DocxParse*>(data);
    std::string_view local = word_name(name);
    if (local == "t")
        d.in_text = false;
    else if (local == "p")
        d.emit("\n");
}

void XMLCALL on_chars(void* data, const XML_Char* s, int len) {
    auto& d = *static_cast<DocxParse*>(data);
    if (d.in_text) d.emit(std::string_view(s, size_t(len)));
}

// Security: a DOCTYPE is where entity bombs and external entities live.
// Word never writes one, so its presence alone ends the parse.
void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    auto& d = *static_cast<DocxParse*>(data);
    d.saw_dtd = true;
    XML_StopParser(d.parser, XML_FALSE);
}

using ZipPtr = std::unique_ptr<zip_t, decltype(&zip_discard)>;
using ZipFilePtr = std::unique_ptr<zip_file_t, decltype(&zip_fclose)>;
using XmlPtr = std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)>;

ZipPtr open_zip(std::string_view content) {
    zip_error_t err;
    zip_error_init(&err);
    zip_t* za = nullptr;
    if (zip_source_t* src = zip_source_buffer_create(content.data(), content.size(), 0, &err)) {
        za = zip_open_from_source(src, ZIP_RDONLY, &err);
        if (!za) zip_source_free(src);
    }
    zip_error_fini(&err);
    return ZipPtr(za, zip_discard);
}

std::string mib(size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

Result<Extracted> from_docx(std::string_view content, const ExtractLimits& limits, const Progress& progress) {
    ZipPtr zip = open_zip(content);
    if (!zip) return extraction_problem("The DOCX is not a readable ZIP archive.");
    zip_int64_t index = zip_name_locate(zip.get(), kDocumentPart, 0);
    if (index < 0) return extraction_problem("The DOCX has no word/document.xml.");
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip.get(), zip_uint64_t(index), 0, &st) != 0) return extraction_problem("The DOCX is damaged.");
    std::string bomb = "The DOCX's text inflates to more than " + mib(limits.max_inflated_bytes) +
                       "; refusing it (a zip bomb?).";
    // The declared size can lie, so it is only a first check; the real
    // guard is the count of bytes actually inflated, below.
    if ((st.valid & ZIP_STAT_SIZE) && st.size > limits.max_inflated_bytes)
        return extraction_problem(bomb, "too_large");
    ZipFilePtr file(zip_fopen_index(zip.get(), zip_uint64_t(index), 0), zip_fclose);
    if (!file)
        return extraction_problem(std::string("The DOCX's text cannot be opened: ") + zip_strerror(zip.get()) + ".");

    DocxParse d{XML_ParserCreateNS(nullptr, '|'), TextSink(limits.max_text_bytes)};
    XmlPtr parser(d.parser, XML_ParserFree);
    if (!d.parser) throw std::bad_alloc();
    XML_SetUserData(d.parser, &d);
    XML_SetElementHandler(d.parser, on_start, on_end);
    XML_SetCharacterDataHandler(d.parser, on_chars);
    XML_SetStartDoctypeDeclHandler(d.parser, on_doctype);

    std::string buf(64 * 1024, '\0');
    size_t inflated = 0;
    for (;;) {
        zip_int64_t n = zip_fread(file.get(), buf.data(), buf.size());
        if (n < 0)
            return extraction_problem(std::string("The DOCX is damaged: ") + zip_file_strerror(file.get()) + ".");
        inflated += size_t(n);
        if (inflated > limits.max_inflated_bytes) return extraction_problem(bomb, "too_large");
        bool last = n == 0;
        if (XML_Parse(d.parser, buf.data(), int(n), last) == XML_STATUS_ERROR) {
            if (d.saw_dtd) return extraction_problem("The DOCX contains a DTD, which Word never writes; refusing it.");
            if (d.sink.full) break;  // stopped on purpose: enough text
            return extraction_problem("The DOCX's text is not well-formed XML (line " +
                          std::to_string(XML_GetCurrentLineNumber(d.parser)) + ": " +
                          XML_ErrorString(XML_GetErrorCode(d.parser)) + ").");
        }
        if (last) break;
        if (progress && st.size > 0 && !progress(int(std::min<size_t>(99, inflated * 100 / st.size))))
            return extraction_cancelled();
    }
    return finish(d.sink, false, 0, "The DOCX contains no text.");
}

}  // namespace

Result<Extracted> extract_text(Kind kind, std::string_view content, const ExtractLimits& limits,
                               const Progress& progress) {
    switch (kind) {
        case Kind::Text:
        case Kind::Markdown: return from_text(content, limits);
        case Kind::Pdf: return from_pdf(content, limits, progress);
        case Kind::Docx: return from_docx(content, limits, progress);
    }
    return extraction_problem("Unknown document kind.");
}

}  // namespace onramp::documents
