// A real onramp-edge process for tests that need the whole binary: signals,
// the access log, files on disk. It listens on a free loopback port.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "edge/http/client.h"

namespace onramp::testing {

struct CommandResult {
    int exit_code = -1;
    std::string out;  // stdout and stderr together
};

// Runs onramp-edge with args to completion.
CommandResult run_edge(const std::vector<std::string>& args);

class EdgeProcess {
public:
    EdgeProcess(const std::string& data_dir, const std::vector<std::string>& extra = {});
    ~EdgeProcess();
    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    std::string url(const std::string& path) const;
    http::FetchResult request(const std::string& method, const std::string& path, const std::string& body = "",
                              const std::string& token = "");
    // Sends sig and waits; returns the exit status (or 128+signal).
    int stop(int sig);
    std::string stdout_text() const;
    std::string stderr_text() const;

private:
    pid_t pid_ = -1;
    int port_ = 0;
    std::string out_path_, err_path_;
};

std::string read_file(const std::string& path);

}  // namespace onramp::testing
