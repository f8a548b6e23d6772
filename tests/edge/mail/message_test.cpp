// Specification of the wire form of an e-mail (edge/mail/message.h): a
// non-ASCII subject becomes RFC 2047 encoded-words, bodies are
// quoted-printable within 76-character lines, and text that reaches a
// header cannot add one.
#include <doctest/doctest.h>

#include <sstream>

#include "edge/crypto/encoding.h"
#include "edge/mail/message.h"
#include "edge/mail/templates.h"

using namespace onramp::mail;

TEST_SUITE("mail.message") {

TEST_CASE("a non-ASCII subject is sent as UTF-8 encoded-words that decode back to it") {
    std::string subject = "Bienvenue chez Café Crème — connectez vos comptes, s'il vous plaît: ☕☕☕☕☕";
    std::string encoded = encode_header(subject);
    std::string decoded;
    std::istringstream words(encoded);
    std::string word;
    while (words >> word) {
        REQUIRE(word.rfind("=?UTF-8?B?", 0) == 0);
        REQUIRE(word.size() <= 75);
        auto bytes = onramp::crypto::base64_decode(word.substr(10, word.size() - 12));
        REQUIRE(bytes);
        decoded += *bytes;
    }
    CHECK(decoded == subject);
    CHECK(encode_header("Plain subject") == "Plain subject");
}

TEST_CASE("quoted-printable keeps lines within 76 characters and escapes '=' and non-ASCII") {
    std::string text = "a=b " + std::string(200, 'x') + " café\nnext line \n";
    std::string qp = quoted_printable(text);
    std::istringstream lines(qp);
    std::string line;
    while (std::getline(lines, line)) CHECK(line.size() <= 77);  // 76 and the '\r'
    CHECK(qp.find("a=3Db") != std::string::npos);
    CHECK(qp.find("caf=C3=A9") != std::string::npos);
    CHECK(qp.find("line=20\r\n") != std::string::npos);  // a trailing space survives transports
}

TEST_CASE("a line break in a subject or recipient cannot add a header") {
    Message m;
    m.to = "client@example.test";
    m.subject = "Acme\r\nBcc: thief@example.test";
    m.text = "hello";
    m.html = "<p>hello</p>";
    std::string wire = render(m, "Onramp <onramp@example.test>", "<id@example.test>", 1'800'000'000);
    CHECK(wire.find("\r\nBcc:") == std::string::npos);
    CHECK(wire.find("Subject: Acme  Bcc: thief@example.test\r\n") != std::string::npos);
    CHECK_FALSE(valid_address("client@example.test\r\nBcc: thief@example.test"));
    CHECK_FALSE(valid_address("Client <client@example.test>"));
    CHECK(valid_address("client@example.test"));
}

TEST_CASE("a message has the date, id, sender, recipient and both alternatives") {
    Message m = onboarding_link({"client@example.test", "org_1", "Acme & Co", "https://hub.test/#/onboard/tok", 1'800'086'400});
    std::string wire = render(m, "Onramp <onramp@example.test>", "<abc@example.test>", 1'800'000'000);
    CHECK(wire.find("Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n") != std::string::npos);
    CHECK(wire.find("Message-ID: <abc@example.test>\r\n") != std::string::npos);
    CHECK(wire.find("From: Onramp <onramp@example.test>\r\n") != std::string::npos);
    CHECK(wire.find("To: client@example.test\r\n") != std::string::npos);
    CHECK(wire.find("Content-Type: multipart/alternative; boundary=") != std::string::npos);
    CHECK(wire.find("Content-Type: text/plain; charset=UTF-8") != std::string::npos);
    CHECK(wire.find("Content-Type: text/html; charset=UTF-8") != std::string::npos);
    CHECK(m.html.find("Acme &amp; Co") != std::string::npos);  // names are escaped in HTML
    CHECK(m.kind == "onboarding_link");
    CHECK(new_message_id("Onramp <onramp@example.test>").find("@example.test>") != std::string::npos);
}

}
