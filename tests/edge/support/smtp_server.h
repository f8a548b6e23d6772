// A real SMTP server for tests: Debian's aiosmtpd, run as
// `/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT`, which accepts every
// message and prints it to stdout. Messages are read back from that output,
// each with its headers and body as received (line ends as "\n").
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace onramp::testing {

class SmtpServer {
public:
    // Chooses a free loopback port; nothing listens there until start().
    SmtpServer();
    ~SmtpServer();
    // Runs the server; returns once it accepts connections.
    void start();
    void stop();
    int port() const { return port_; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
    // Messages received so far, oldest first (across restarts).
    std::vector<std::string> messages() const;
    // Waits (up to about ten seconds) until at least n have arrived.
    std::vector<std::string> wait_for(size_t n) const;

private:
    int port_ = 0;
    pid_t pid_ = -1;
    std::string out_path_;
};

// A message's text with quoted-printable soft line breaks ("=" at a line's
// end) joined, so a long link reads whole.
std::string unfold_soft_breaks(const std::string& message);

}  // namespace onramp::testing
