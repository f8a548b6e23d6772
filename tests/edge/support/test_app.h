// A whole edge in a temporary directory, driven without a socket: requests
// go straight to the router, and a streamed body is read to its end into
// Reply::body. Time is a variable the test moves.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

#include "edge/app.h"
#include "edge/http/router.h"

namespace onramp::testing {

struct TempDir {
    std::string path;
    TempDir();
    ~TempDir();
};

struct Reply {
    int status = 0;
    std::string content_type;
    std::string body;
    std::map<std::string, std::string> headers;
    bool cut = false;  // a streamed body ended short (Response::stream_cut)
    nlohmann::json json() const;
    std::string header(const std::string& name) const;
};

struct TestApp {
    TempDir dir;
    int64_t clock = 1'800'000'000;
    std::string remote_addr = "127.0.0.1";  // the client address of every call
    App app;
    http::Router router;

    TestApp();

    Reply call(const std::string& method, const std::string& path, const std::string& body = "",
               const std::string& token = "", std::map<std::string, std::string> headers = {});
    // A request the test built whole (multipart parts in files and form, the
    // query already split), as the server would hand it over.
    Reply send(http::Request req);
    Reply get(const std::string& path, const std::string& token = "") { return call("GET", path, "", token); }
    Reply post(const std::string& path, const nlohmann::json& body, const std::string& token = "") {
        return call("POST", path, body.dump(), token);
    }

    // People and orgs made directly in the store (fast, not under test).
    std::string make_user(const std::string& email, const std::string& password, bool is_operator = false,
                          const std::string& full_name = "");
    std::string make_org(const std::string& name);
    void add_member(const std::string& org_id, const std::string& user_id, const std::string& role);
    std::string login(const std::string& email, const std::string& password);  // access token

    // Every row of every table except the audit log, in a stable order:
    // compare before and after a rejected request to prove it changed nothing.
    // Each table is a line "[name]" and then its rows, one a line, each value
    // escaped (no line feed in it) and followed by '|'.
    std::string snapshot();
};

}  // namespace onramp::testing
