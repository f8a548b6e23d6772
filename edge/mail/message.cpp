// Wire form of a message; the format is described in message.h.
#include "edge/mail/message.h"

#include <algorithm>
#include <ctime>

#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"

namespace onramp::mail {

namespace {

std::string without_controls(const std::string& value) {
    std::string out = value;
    for (char& ch : out)
        if ((unsigned char)ch < 0x20 || ch == 0x7f) ch = ' ';
    return out;
}

bool is_ascii(const std::string& s) {
    for (unsigned char ch : s)
        if (ch >= 0x80) return false;
    return true;
}

// Length of the UTF-8 sequence that starts with this byte (1 for a stray
// continuation byte, so a malformed string still makes progress).
size_t utf8_length(unsigned char lead) {
    if (lead >= 0xf0) return 4;
    if (lead >= 0xe0) return 3;
    if (lead >= 0xc0) return 2;
    return 1;
}

// A part's headers and body; the body is quoted-printable.
std::string part(const std::string& type, const std::string& body) {
    return "Content-Type: " + type + "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
           quoted_printable(body) + "\r\n";
}

}  // namespace

bool valid_address(const std::string& address) {
    size_t at = address.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == address.size() || address.size() > 254) return false;
    if (address.find('@', at + 1) != std::string::npos) return false;
    for (unsigned char ch : address)
        if (ch <= 0x20 || ch == 0x7f || ch == '<' || ch == '>' || ch == ',' || ch == ';' || ch == '"' ||
            ch == '(' || ch == ')' || ch == '\\')
            return false;
    return true;
}

std::string address_of(const std::string& mailbox) {
    size_t open = mailbox.rfind('<');
    size_t close = mailbox.rfind('>');
    if (open == std::string::npos || close == std::string::npos || close < open) return mailbox;
    return mailbox.substr(open + 1, close - open - 1);
}

std::string encode_header(const std::string& value) {
    std::string clean = without_controls(value);
    if (is_ascii(clean)) return clean;
    // 45 bytes become 60 base64 characters; with "=?UTF-8?B?" and "?=" a
    // word is 72, under RFC 2047's 75.
    constexpr size_t kChunk = 45;
    std::string out;
    size_t i = 0;
    while (i < clean.size()) {
        size_t end = i;
        while (end < clean.size()) {
            size_t n = utf8_length((unsigned char)clean[end]);
            if (end + n - i > kChunk) break;
            end += n;
        }
        if (end == i) end = std::min(clean.size(), i + kChunk);
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + crypto::base64_encode(std::string_view(clean).substr(i, end - i)) + "?=";
        i = end;
    }
    return out;
}

std::string quoted_printable(const std::string& text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    size_t line = 0;  // characters on the current output line
    auto emit = [&](const std::string& piece) {
        if (line + piece.size() > 75) {  // 75 + the "=" of a soft break = 76
            out += "=\r\n";
            line = 0;
        }
        out += piece;
        line += piece.size();
    };
    for (size_t i = 0; i < text.size(); ++i) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
        if (ch == '\n') {
            out += "\r\n";
            line = 0;
            continue;
        }
        bool line_end_next = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
        // Space and tab are literal except before a line end, where
        // transports may strip them (§6.7 rule 3).
        bool literal = (ch >= 33 && ch <= 126 && ch != '=') || ((ch == ' ' || ch == '\t') && !line_end_next);
        if (literal)
            emit(std::string(1, char(ch)));
        else
            emit(std::string{'=', hex[ch >> 4], hex[ch & 15]});
    }
    return out;
}

std::string new_message_id(const std::string& from) {
    std::string address = address_of(from);
    size_t at = address.find('@');
    std::string domain = at == std::string::npos ? "onramp.invalid" : address.substr(at + 1);
    return "<" + crypto::hex_encode(crypto::random_bytes(16)) + "@" + domain + ">";
}

std::string rfc5322_date(int64_t unix_seconds) {
    std::time_t t = std::time_t(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

std::string render(const Message& m, const std::string& from, const std::string& message_id, int64_t date) {
    // The boundary is random, so no body line can equal it.
    std::string boundary = "=_onramp_" + crypto::hex_encode(crypto::random_bytes(12));
    std::string out;
    out += "Date: " + rfc5322_date(date) + "\r\n";
    out += "Message-ID: " + without_controls(message_id) + "\r\n";
    // A display name may be non-ASCII: encode what comes before "<".
    std::string clean_from = without_controls(from);
    size_t open = clean_from.rfind('<');
    std::string name = open == std::string::npos ? "" : clean_from.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!name.empty())
        out += "From: " + encode_header(name) + " " + clean_from.substr(open) + "\r\n";
    else
        out += "From: " + clean_from + "\r\n";
    out += "To: " + without_controls(m.to) + "\r\n";
    out += "Subject: " + encode_header(m.subject) + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    // Clients show the last alternative they support: plain text first.
    out += "--" + boundary + "\r\n" + part("text/plain", m.text);
    out += "--" + boundary + "\r\n" + part("text/html", m.html);
    out += "--" + boundary + "--\r\n";
    return out;
}

}  // namespace onramp::mail
