// Document type detection from magic bytes (see detect.h for the table).
#include "edge/documents/detect.h"

#include <zip.h>

#include <cctype>
#include <cstring>

namespace onramp::documents {

namespace {

// What the bytes are, before comparing with the name.
enum class Sniffed { Pdf, Docx, Zip, OleDoc, Text, Binary };

// True when a ZIP archive in memory has a word/document.xml entry. Only the
// central directory is read; nothing is decompressed here.
bool zip_has_word_document(std::string_view content) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(content.data(), content.size(), 0, &err);
    if (!src) {
        zip_error_fini(&err);
        return false;
    }
    zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &err);
    if (!za) {
        zip_source_free(src);
        zip_error_fini(&err);
        return false;
    }
    bool found = zip_name_locate(za, "word/document.xml", 0) >= 0;
    zip_discard(za);  // also frees the source
    zip_error_fini(&err);
    return found;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

Sniffed sniff(std::string_view content) {
    if (starts_with(content, "%PDF-")) return Sniffed::Pdf;
    if (starts_with(content, std::string_view("PK\x03\x04", 4)))
        return zip_has_word_document(content) ? Sniffed::Docx : Sniffed::Zip;
    // OLE2 compound file: legacy .doc, and also password-protected .docx.
    if (starts_with(content, std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) return Sniffed::OleDoc;
    if (content.find('\0') == std::string_view::npos && valid_utf8(content)) return Sniffed::Text;
    return Sniffed::Binary;
}

std::string lower_extension(std::string_view filename) {
    size_t dot = filename.rfind('.');
    if (dot == std::string_view::npos || dot + 1 == filename.size()) return "";
    std::string ext(filename.substr(dot + 1));
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

// The length of the well-formed UTF-8 sequence at s[i], or 0 when it is
// not one (RFC 3629 table 3-7: no overlongs, no surrogates, <= U+10FFFF).
size_t utf8_sequence(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) return 1;
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;  // a continuation byte first, 0xC0/0xC1 (overlong), or 0xF5..0xFF
    }
    if (i + len > s.size()) return 0;
    for (size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;  // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;                            // surrogate
    if (cp > 0x10FFFF) return 0;
    return len;
}

const char* describe(Sniffed s) {
    switch (s) {
        case Sniffed::Pdf: return "a PDF";
        case Sniffed::Docx: return "a Word (DOCX) document";
        case Sniffed::Text: return "plain UTF-8 text";
        case Sniffed::Zip: return "a ZIP archive that is not a Word document";
        case Sniffed::OleDoc: return "a legacy or password-protected Office file (save it as an unprotected .docx)";
        case Sniffed::Binary: return "binary data, or text that is not UTF-8";
    }
    return "unknown";
}

Problem unsupported(std::string detail) {
    Problem p = unsupported_media_type(std::move(detail));
    p.error_code = "unsupported_document_type";
    return p;
}

bool agrees(Kind declared, Sniffed actual) {
    switch (declared) {
        case Kind::Pdf: return actual == Sniffed::Pdf;
        case Kind::Docx: return actual == Sniffed::Docx;
        case Kind::Text:
        case Kind::Markdown: return actual == Sniffed::Text;
    }
    return false;
}

}  // namespace

const char* content_type_of(Kind kind) {
    switch (kind) {
        case Kind::Pdf: return "application/pdf";
        case Kind::Docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        case Kind::Text: return "text/plain; charset=utf-8";
        case Kind::Markdown: return "text/markdown; charset=utf-8";
    }
    return "application/octet-stream";
}

std::optional<Kind> kind_of_content_type(std::string_view content_type) {
    for (Kind k : {Kind::Pdf, Kind::Docx, Kind::Text, Kind::Markdown})
        if (content_type == content_type_of(k)) return k;
    return std::nullopt;
}

Result<Kind> detect(std::string_view filename, std::string_view content) {
    Sniffed actual = sniff(content);
    if (actual == Sniffed::Zip || actual == Sniffed::OleDoc || actual == Sniffed::Binary)
        return unsupported(std::string("The file is ") + describe(actual) + "; only " + kAcceptedKinds + " are accepted.");
    std::string ext = lower_extension(filename);
    auto declared = kind_of_extension(ext);
    if (!declared)
        return unsupported("The file name must end in .pdf, .docx, .txt or .md" +
                           (ext.empty() ? std::string(" (it has no extension)") : " (not ." + ext + ")") +
                           "; only " + kAcceptedKinds + " are accepted.");
    if (!agrees(*declared, actual)) {
        Problem p = unprocessable({{"file", "is named ." + ext + " but its content is " + describe(actual)}},
                                  "The file's name and content disagree: rename it or upload the right file.");
        p.error_code = "type_mismatch";
        return p;
    }
    return *declared;
}

bool valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        size_t len = utf8_sequence(s, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

std::string to_valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        size_t len = utf8_sequence(s, i);
        if (len == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
            ++i;
            continue;
        }
        out.append(s, i, len);
        i += len;
    }
    return out;
}

size_t utf8_length(std::string_view s) {
    size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::string_view utf8_prefix(std::string_view s, size_t max_bytes) {
    if (s.size() <= max_bytes) return s;
    size_t end = max_bytes;
    // Back up over continuation bytes to the start of the cut sequence.
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    return s.substr(0, end);
}

}  // namespace onramp::documents
