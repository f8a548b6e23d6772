// An e-mail message and its wire form (RFC 5322 with MIME, RFC 2045-2047):
// a multipart/alternative of a plain-text and an HTML part, each
// quoted-printable, with Date, Message-ID, From, To and Subject headers.
//
// Security: header values are written with CR, LF and other control
// characters replaced by spaces, so text that reaches a subject (an
// organization's name) cannot add a header (header injection); a recipient
// that is not one plain address is refused before anything is queued.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace onramp::mail {

struct Message {
    std::string to;       // one address
    std::string subject;  // UTF-8
    std::string text;     // UTF-8 plain text
    std::string html;     // UTF-8 HTML document
    // What it is ("invitation", "onboarding_link", "password_reset",
    // "invitation_proof", "alert"), and the organization it concerns:
    // shown to operators.
    std::string kind;
    std::optional<std::string> org_id;
};

// One address, "local@domain", without spaces, angle brackets, commas or
// control characters: what goes into RCPT TO and the To header.
bool valid_address(const std::string& address);

// The address inside "Name <address>", or the whole value when it has no
// angle brackets: the envelope sender for MAIL FROM.
std::string address_of(const std::string& mailbox);

// The header value as RFC 2047 encoded-words (UTF-8, "B" encoding, each at
// most 75 characters, whole characters per word) when it is not plain
// ASCII; the value itself otherwise. Control characters become spaces.
std::string encode_header(const std::string& value);

// Quoted-printable (RFC 2045 §6.7) with CRLF line ends and soft breaks
// keeping lines within 76 characters.
std::string quoted_printable(const std::string& text);

// A new Message-ID value, "<random@domain>", the domain taken from the
// sender's address.
std::string new_message_id(const std::string& from);

// RFC 5322 date-time for Unix seconds, in UTC: "Tue, 15 Jan 2030 08:00:00 +0000".
std::string rfc5322_date(int64_t unix_seconds);

// The whole message as sent (CRLF line ends), given its headers' values.
std::string render(const Message& m, const std::string& from, const std::string& message_id, int64_t date);

}  // namespace onramp::mail
