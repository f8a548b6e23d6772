// What an uploaded document is, judged from its bytes: the name a client
// sends and the Content-Type of its multipart part are claims, the magic
// bytes are evidence. Accepted kinds and their evidence:
//
//   kind      extensions          content
//   PDF       .pdf                starts with "%PDF-" (ISO 32000-1 §7.5.2)
//   DOCX      .docx               a ZIP ("PK\3\4") holding word/document.xml
//   Text      .txt .text          valid UTF-8 without NUL bytes
//   Markdown  .md .markdown       valid UTF-8 without NUL bytes
//
// The extensions are listed in shared/documents/accepted.cpp, which the web
// client's file picker offers too.
//
// Security: the declared extension must agree with the content, so a file
// cannot be stored as one kind and later opened (or served) as another —
// a PDF named notes.txt, an HTML page named policy.md that is a PDF, etc.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "shared/documents/accepted.h"
#include "shared/result.h"

namespace onramp::documents {

// The MIME type stored and served for a kind ("application/pdf", ...).
const char* content_type_of(Kind kind);
// The inverse, for the ingestion worker; nullopt for anything else.
std::optional<Kind> kind_of_content_type(std::string_view content_type);

// Returns the kind of `content` uploaded under `filename` (a base name).
// 415 unsupported_document_type: the content, or the extension, is not one
//     of the accepted kinds (the message says which and what is accepted);
// 422 type_mismatch: both are accepted kinds but disagree, naming both.
// Empty content is the caller's check (it is a 422 of its own).
Result<Kind> detect(std::string_view filename, std::string_view content);

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
// U+10FFFF. Overlong forms are refused because they smuggle "/" or NUL
// past byte-wise checks.
bool valid_utf8(std::string_view s);
// `s` with every byte that does not start a well-formed sequence replaced
// by U+FFFD, so the result can go into JSON (which must be UTF-8).
std::string to_valid_utf8(std::string_view s);
// Code points in a valid UTF-8 string.
size_t utf8_length(std::string_view s);
// The longest prefix of `s` of at most `max_bytes` that does not split a
// UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, size_t max_bytes);

}  // namespace onramp::documents
