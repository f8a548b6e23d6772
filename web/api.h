// The edge's HTTP API as the client uses it: request bodies and the parsing
// of replies. No I/O here; requests go out through platform_fetch.
#pragma once

#include <string>
#include <vector>

#include "platform/platform.h"
#include "shared/result.h"

struct Session {
    std::string access_token;
    std::string refresh_token;
    std::string email;
    std::string full_name;
    bool is_operator = false;
    std::string org_id;  // the organization the user manages (the first), "" if none
    // A session opened by an onboarding link: its org is org_id, and the
    // wizard offers only `platforms` (empty: every platform).
    bool from_link = false;
    std::vector<std::string> platforms;
};

// Body of POST /api/v1/auth/login.
std::string login_request_body(const std::string& email, const std::string& password);

// Body of POST /api/v1/auth/refresh, whose reply parses like a login's.
std::string refresh_request_body(const std::string& refresh_token);

// A 2xx reply becomes a Session; anything else the Problem to show.
// `email` fills Session::email when the reply names no user.
onramp::Result<Session> parse_login_reply(const HttpReply& reply, const std::string& email);

// Body of POST /api/v1/onboarding-links/exchange; `code` only when the link
// asked for its one-time code.
std::string link_exchange_body(const std::string& token, const std::string& code = "");

// The client session an onboarding link opens: no user of its own, one
// organization (Session::org_id) whose onboarding it may run.
onramp::Result<Session> parse_link_reply(const HttpReply& reply);

// GET /api/v1/onboarding/link's reply (the link of a renewed session) read
// into `session`: its org and platforms. A 2xx reply without an org, or
// any other status, is the Problem.
onramp::Status parse_link_about(const HttpReply& reply, Session& session);

// The Problem behind a failed reply: the server's application/problem+json
// when it sent one, else a message built from the status (0: unreachable).
onramp::Problem reply_problem(const HttpReply& reply);
