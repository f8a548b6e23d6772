#include "edge/support/edge_process.h"

#include <cstdio>

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace onramp::testing {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

namespace {

pid_t spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, 1);
        dup2(e, 2);
        std::vector<char*> argv;
        std::string bin = ONRAMP_EDGE_BINARY;
        argv.push_back(bin.data());
        for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(bin.c_str(), argv.data());
        _exit(127);
    }
    return pid;
}

int exit_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

CommandResult run_edge(const std::vector<std::string>& args) {
    char tmpl[] = "/tmp/onramp-run-XXXXXX";
    int fd = mkstemp(tmpl);
    close(fd);
    pid_t pid = spawn(args, tmpl, tmpl);
    int status = 0;
    waitpid(pid, &status, 0);
    CommandResult r{exit_status(status), read_file(tmpl)};
    unlink(tmpl);
    return r;
}

EdgeProcess::EdgeProcess(const std::string& data_dir, const std::vector<std::string>& extra) {
    out_path_ = data_dir + "/edge.stdout";
    err_path_ = data_dir + "/edge.stderr";
    std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:0", "--data", data_dir};
    args.insert(args.end(), extra.begin(), extra.end());
    // A restart on the same directory must not read the previous process's
    // "listening on" line before the child has truncated the file.
    std::remove(out_path_.c_str());
    std::remove(err_path_.c_str());
    pid_ = spawn(args, out_path_, err_path_);
    const std::string marker = "listening on http://127.0.0.1:";
    for (int i = 0; i < 200 && port_ == 0; ++i) {
        std::string err = read_file(err_path_);
        if (size_t at = err.find(marker); at != std::string::npos) port_ = std::atoi(err.c_str() + at + marker.size());
        else std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    REQUIRE_MESSAGE(port_ > 0, "the edge did not start: " << read_file(err_path_));
}

EdgeProcess::~EdgeProcess() {
    if (pid_ > 0) stop(SIGKILL);
}

std::string EdgeProcess::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

http::FetchResult EdgeProcess::request(const std::string& method, const std::string& path, const std::string& body,
                                       const std::string& token) {
    http::FetchRequest req;
    req.method = method;
    req.url = url(path);
    req.body = body;
    if (!body.empty()) req.content_type = "application/json";
    if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
    return http::fetch(req);
}

int EdgeProcess::stop(int sig) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return exit_status(status);
}

std::string EdgeProcess::stdout_text() const { return read_file(out_path_); }
std::string EdgeProcess::stderr_text() const { return read_file(err_path_); }

}  // namespace onramp::testing
