// Real PDF and DOCX files made at run time, so no binary fixture is
// committed: a PDF written by hand (one Helvetica text object per line,
// xref offsets computed here) and a DOCX zipped in memory with libzip.
#pragma once

#include <zip.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace onramp::testing {

// A PDF string literal: backslash and parentheses escaped (ISO 32000-1 §7.3.4.2).
inline std::string pdf_literal(const std::string& s) {
    std::string out = "(";
    for (char c : s) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    return out + ")";
}

// One page per element; "\n" in a page starts a new line of text.
inline std::string make_pdf(const std::vector<std::string>& pages) {
    std::vector<std::string> objects;  // object n is objects[n - 1]
    std::string kids;
    for (size_t i = 0; i < pages.size(); ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
    objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    for (size_t i = 0; i < pages.size(); ++i) {
        std::string stream = "BT /F1 12 Tf 72 720 Td 14 TL\n";
        size_t start = 0;
        for (;;) {
            size_t nl = pages[i].find('\n', start);
            stream += pdf_literal(pages[i].substr(start, nl - start)) + " Tj T*\n";
            if (nl == std::string::npos) break;
            start = nl + 1;
        }
        stream += "ET";
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                          " /Contents " + std::to_string(5 + 2 * i) + " 0 R >>");
        objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream");
    }
    std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<size_t> offsets;
    for (size_t n = 0; n < objects.size(); ++n) {
        offsets.push_back(out.size());
        out += std::to_string(n + 1) + " 0 obj\n" + objects[n] + "\nendobj\n";
    }
    size_t xref = out.size();
    out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    char entry[32];
    for (size_t off : offsets) {
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);  // exactly 20 bytes (§7.5.4)
        out += entry;
    }
    out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return out;
}

// A ZIP archive in memory with the given (name, content) entries, deflated.
inline std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
    zip_t* za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &err) : nullptr;
    if (!za) throw std::runtime_error("make_zip: cannot open an in-memory archive");
    zip_source_keep(src);  // read it back after zip_close
    for (const auto& [name, content] : entries) {
        zip_source_t* data = zip_source_buffer(za, content.data(), content.size(), 0);
        if (!data || zip_file_add(za, name.c_str(), data, ZIP_FL_ENC_UTF_8) < 0)
            throw std::runtime_error("make_zip: cannot add " + name);
    }
    if (zip_close(za) != 0) throw std::runtime_error("make_zip: cannot write the archive");
    zip_stat_t st;
    zip_stat_init(&st);
    zip_source_stat(src, &st);
    std::string out(size_t(st.size), '\0');
    zip_source_open(src);
    zip_source_read(src, out.data(), st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&err);
    return out;
}

inline std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else out += c;
    }
    return out;
}

// The WordprocessingML main part around a body's inner XML.
inline std::string word_document_xml(const std::string& body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
           "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>" +
           body + "</w:body></w:document>";
}

// A DOCX whose word/document.xml is exactly `document_xml`.
inline std::string make_docx_with(const std::string& document_xml) {
    return make_zip({
        {"[Content_Types].xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" "
         "ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" "
         "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"},
        {"_rels/.rels",
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" "
         "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
         "Target=\"word/document.xml\"/></Relationships>"},
        {"word/document.xml", document_xml},
    });
}

// One paragraph per element, each a single run.
inline std::string make_docx(const std::vector<std::string>& paragraphs) {
    std::string body;
    for (const std::string& p : paragraphs) body += "<w:p><w:r><w:t xml:space=\"preserve\">" + xml_escape(p) + "</w:t></w:r></w:p>";
    return make_docx_with(word_document_xml(body));
}

// The start of a PNG: signature and IHDR chunk header.
inline std::string png_bytes() { return std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 29); }

}  // namespace onramp::testing
