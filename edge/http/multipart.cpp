// multipart/form-data parsing (see multipart.h). The grammar followed is
// RFC 2046 §5.1.1: a delimiter is CRLF "--" boundary; after it either "--"
// (the close delimiter) or optional spaces and CRLF, then the part's
// header lines, an empty line, and its content up to the next delimiter.
#include "edge/http/multipart.h"

#include <cctype>

#include "edge/documents/detect.h"
#include "edge/http/header_text.h"

namespace onramp::http {

namespace {

Problem malformed(const std::string& why) {
    return bad_request("The multipart/form-data body is malformed: " + why + ".", "malformed_multipart");
}

struct Parameter {
    std::string name;  // lower-cased
    std::string value;
};

// A header value's ";"-separated parameters after the first token
// (RFC 9110 §5.6.6), values as tokens or quoted strings. A quoted string
// takes \" and \\ as escapes and keeps any other backslash, since browsers
// send Windows paths in filenames as they are. nullopt when malformed.
std::optional<std::vector<Parameter>> parameters(std::string_view s) {
    std::vector<Parameter> out;
    size_t i = s.find(';');
    while (i != std::string_view::npos && i < s.size()) {
        ++i;
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        if (i == s.size()) break;
        size_t eq = s.find('=', i);
        if (eq == std::string_view::npos) return std::nullopt;
        Parameter p{ascii_lower(trim_ows(s.substr(i, eq - i))), ""};
        if (p.name.empty()) return std::nullopt;
        i = eq + 1;
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        if (i < s.size() && s[i] == '"') {
            ++i;
            bool closed = false;
            for (; i < s.size(); ++i) {
                if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
                    p.value.push_back(s[++i]);
                } else if (s[i] == '"') {
                    closed = true;
                    ++i;
                    break;
                } else {
                    p.value.push_back(s[i]);
                }
            }
            if (!closed) return std::nullopt;
            while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
            if (i < s.size() && s[i] != ';') return std::nullopt;
        } else {
            size_t end = s.find(';', i);
            p.value =
                std::string(trim_ows(s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i)));
            i = end;
        }
        for (const Parameter& seen : out)
            if (seen.name == p.name) return std::nullopt;
        out.push_back(std::move(p));
    }
    return out;
}

const std::string* find(const std::vector<Parameter>& ps, std::string_view name) {
    for (const Parameter& p : ps)
        if (p.name == name) return &p.value;
    return nullptr;
}

// RFC 2046 §5.1.1: 1 to 70 of bchars, not ending in a space.
bool valid_boundary(std::string_view b) {
    static const std::string_view kOther = "'()+_,-./:=? ";
    if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
    for (char c : b)
        if (!std::isalnum(static_cast<unsigned char>(c)) && kOther.find(c) == std::string_view::npos) return false;
    return true;
}

// A name or filename: UTF-8 without control bytes.
bool plain_text(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    return documents::valid_utf8(s);
}

// Reads one part's header block into `part`.
Status read_headers(std::string_view block, FormPart& part) {
    bool disposition = false;
    while (!block.empty()) {
        size_t end = block.find("\r\n");
        std::string_view line = block.substr(0, end);
        block = end == std::string_view::npos ? std::string_view() : block.substr(end + 2);
        size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0 || line[0] == ' ' || line[0] == '\t')
            return malformed("a part has a header line that is not 'Name: value'");
        std::string name = ascii_lower(line.substr(0, colon));
        std::string_view value = trim_ows(line.substr(colon + 1));
        if (name == "content-type") {
            if (!plain_text(value)) return malformed("a part's Content-Type holds control bytes");
            part.content_type = std::string(value);
        }
        if (name != "content-disposition") continue;
        if (disposition) return malformed("a part has two Content-Disposition headers");
        disposition = true;
        if (ascii_lower(trim_ows(value.substr(0, value.find(';')))) != "form-data")
            return malformed("a part's Content-Disposition is not form-data");
        auto ps = parameters(value);
        if (!ps) return malformed("a part's Content-Disposition parameters do not parse");
        const std::string* n = find(*ps, "name");
        if (!n || n->empty() || !plain_text(*n)) return malformed("a part has no usable name");
        part.name = *n;
        if (const std::string* f = find(*ps, "filename")) {
            if (!plain_text(*f)) return malformed("a part's filename holds control bytes or is not UTF-8");
            part.filename = *f;
        }
    }
    if (!disposition) return malformed("a part has no Content-Disposition header");
    return ok_status();
}

}  // namespace

std::string media_type_of(std::string_view content_type) {
    return ascii_lower(trim_ows(content_type.substr(0, content_type.find(';'))));
}

Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view content_type,
                                              const MultipartLimits& limits) {
    if (media_type_of(content_type) != "multipart/form-data") return malformed("the type is not multipart/form-data");
    auto ps = parameters(content_type);
    const std::string* boundary = ps ? find(*ps, "boundary") : nullptr;
    if (!boundary || !valid_boundary(*boundary)) return malformed("the Content-Type has no valid boundary");
    const std::string dash = "--" + *boundary;
    const std::string delimiter = "\r\n" + dash;

    // A preamble before the first delimiter is allowed and ignored.
    size_t pos;
    if (body.substr(0, dash.size()) == dash) {
        pos = dash.size();
    } else {
        size_t first = body.find(delimiter);
        if (first == std::string_view::npos) return malformed("the boundary never appears");
        pos = first + delimiter.size();
    }

    std::vector<FormPart> parts;
    for (;;) {
        if (body.substr(pos, 2) == "--") return parts;  // the close delimiter; the epilogue is ignored
        while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
        if (body.substr(pos, 2) != "\r\n") return malformed("a delimiter is not followed by a line end");
        pos += 2;
        if (parts.size() == limits.max_parts)
            return malformed("it has more than " + std::to_string(limits.max_parts) + " parts");

        FormPart part;
        size_t content_start;
        if (body.substr(pos, 2) == "\r\n") {
            content_start = pos + 2;  // a part without header lines
        } else {
            size_t end = body.substr(0, pos + limits.max_part_header_bytes + 4).find("\r\n\r\n", pos);
            if (end == std::string_view::npos)
                return malformed("a part's header block does not end within " +
                                 std::to_string(limits.max_part_header_bytes) + " bytes");
            if (auto st = read_headers(body.substr(pos, end - pos), part); !st) return st.problem();
            content_start = end + 4;
        }
        if (part.name.empty()) return malformed("a part has no Content-Disposition header");
        size_t content_end = body.find(delimiter, content_start);
        if (content_end == std::string_view::npos) return malformed("it ends before its close delimiter");
        part.content = std::string(body.substr(content_start, content_end - content_start));
        parts.push_back(std::move(part));
        pos = content_end + delimiter.size();
    }
}

}  // namespace onramp::http
