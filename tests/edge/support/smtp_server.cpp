#include "edge/support/smtp_server.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "edge/support/edge_process.h"

namespace onramp::testing {

namespace {

sockaddr_in loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = loopback(0);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

bool accepts(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = loopback(port);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
}

}  // namespace

SmtpServer::SmtpServer() {
    port_ = free_port();
    char tmpl[] = "/tmp/onramp-smtp-XXXXXX";
    int fd = mkstemp(tmpl);
    close(fd);
    out_path_ = tmpl;
}

SmtpServer::~SmtpServer() {
    stop();
    std::remove(out_path_.c_str());
}

void SmtpServer::start() {
    if (pid_ > 0) return;
    std::string listen = "127.0.0.1:" + std::to_string(port_);
    pid_ = fork();
    if (pid_ == 0) {
        int o = open(out_path_.c_str(), O_WRONLY | O_APPEND);
        dup2(o, 1);
        dup2(o, 2);
        // -u: unbuffered, so each message is in the file once received.
        execl("/usr/bin/python3", "python3", "-u", "-m", "aiosmtpd", "-n", "-l", listen.c_str(), (char*)nullptr);
        _exit(127);
    }
    for (int i = 0; i < 400 && !accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    REQUIRE_MESSAGE(accepts(port_), "aiosmtpd did not start: " << read_file(out_path_));
}

void SmtpServer::stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::vector<std::string> SmtpServer::messages() const {
    const std::string begin = "---------- MESSAGE FOLLOWS ----------\n";
    const std::string end = "------------ END MESSAGE ------------\n";
    std::string out = read_file(out_path_);
    std::vector<std::string> found;
    size_t at = 0;
    while ((at = out.find(begin, at)) != std::string::npos) {
        size_t stop = out.find(end, at);
        if (stop == std::string::npos) break;
        found.push_back(out.substr(at + begin.size(), stop - at - begin.size()));
        at = stop + end.size();
    }
    return found;
}

std::vector<std::string> SmtpServer::wait_for(size_t n) const {
    for (int i = 0; i < 400 && messages().size() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    return messages();
}

std::string unfold_soft_breaks(const std::string& message) {
    std::string out;
    for (size_t i = 0; i < message.size(); ++i) {
        if (message[i] == '=' && i + 1 < message.size() && message[i + 1] == '\n') {
            ++i;
            continue;
        }
        if (message[i] == '=' && i + 2 < message.size() && message[i + 1] == '\r' && message[i + 2] == '\n') {
            i += 2;
            continue;
        }
        out += message[i];
    }
    return out;
}

}  // namespace onramp::testing
