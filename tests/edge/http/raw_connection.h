// A bare TCP connection to a server on loopback, for tests that must send
// what no well-behaved client sends: half a request, a header a byte at a
// time, a body that never ends. Every wait is bounded by a timeout.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

namespace onramp::testing {

class RawConnection {
public:
    explicit RawConnection(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(uint16_t(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~RawConnection() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool connected() const { return connected_; }

    // False once the peer is gone (reset or closed for writing).
    bool send(std::string_view bytes) {
        while (!bytes.empty()) {
            ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            bytes.remove_prefix(size_t(n));
        }
        return true;
    }

    // Reads until `until` has arrived (empty: until the peer closes), the
    // peer closes, or `timeout` passes. What arrived is kept in received().
    const std::string& receive(std::chrono::milliseconds timeout, std::string_view until = "\r\n\r\n") {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!closed_ && (until.empty() || received_.find(until) == std::string::npos)) {
            using std::chrono::duration_cast;
            auto left = duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (!wait_readable(left.count() > 0 ? int(left.count()) : 0)) break;  // 0: take what is there
            char buf[4096];
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) closed_ = true;
            else received_.append(buf, size_t(n));
        }
        return received_;
    }

    // Whether the peer has closed (or reset) the connection within `timeout`.
    bool closed_within(std::chrono::milliseconds timeout) {
        receive(timeout, "");
        return closed_;
    }

    const std::string& received() const { return received_; }
    // The status code of the first response received, or 0.
    int status() const {
        if (received_.rfind("HTTP/1.1 ", 0) != 0 || received_.size() < 12) return 0;
        return std::atoi(received_.c_str() + 9);
    }

private:
    bool wait_readable(int ms) {
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, ms) > 0;
    }

    int fd_ = -1;
    bool connected_ = false;
    bool closed_ = false;
    std::string received_;
};

}  // namespace onramp::testing
