#include "api.h"

#include <nlohmann/json.hpp>

#include "i18n/i18n.h"

using nlohmann::json;

// Reads a string member without throwing: exceptions abort in this build.
static std::string string_at(const json& object, const char* key) {
    if (!object.is_object()) return {};
    auto it = object.find(key);
    return (it != object.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

static bool bool_at(const json& object, const char* key) {
    if (!object.is_object()) return false;
    auto it = object.find(key);
    return it != object.end() && it->is_boolean() && it->get<bool>();
}

// The strings of an array member; other entries are skipped.
static std::vector<std::string> strings_at(const json& object, const char* key) {
    std::vector<std::string> out;
    if (!object.is_object()) return out;
    auto it = object.find(key);
    if (it == object.end() || !it->is_array()) return out;
    for (const json& v : *it)
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

std::string login_request_body(const std::string& email, const std::string& password) {
    json body = {{"email", email}, {"password", password}};
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

onramp::Problem reply_problem(const HttpReply& reply) {
    onramp::Problem p;
    p.status = reply.status;
    if (reply.status == 0) {
        p.error_code = "unreachable";  // the client's own words for it (i18n/i18n.cpp)
        p.title = "Unreachable";
        p.detail = "Can't reach the Onramp server. Check your connection and try again.";
        return p;
    }
    const json body = json::parse(reply.body, nullptr, false);
    p.error_code = string_at(body, "error_code");
    p.title = string_at(body, "title");
    p.detail = string_at(body, "detail");
    if (p.detail.empty()) p.detail = p.title;
    if (p.detail.empty())
        p.detail = trf("The server answered with HTTP status {status}.", {{"status", std::to_string(reply.status)}});
    return p;
}

onramp::Result<Session> parse_login_reply(const HttpReply& reply, const std::string& email) {
    if (reply.status < 200 || reply.status > 299) return reply_problem(reply);
    const json body = json::parse(reply.body, nullptr, false);
    Session s;
    s.access_token = string_at(body, "access_token");
    s.refresh_token = string_at(body, "refresh_token");
    if (s.access_token.empty()) {
        onramp::Problem p;
        p.status = reply.status;
        p.detail = tr("The server's reply had no access token.");
        return p;
    }
    const json& user = body.is_object() && body.contains("user") ? body["user"] : json();
    s.email = string_at(user, "email");
    if (s.email.empty()) s.email = email;
    s.full_name = string_at(user, "full_name");
    s.is_operator = bool_at(user, "is_operator");
    const json& memberships = user.is_object() && user.contains("memberships") ? user["memberships"] : json();
    if (memberships.is_array())
        for (const json& m : memberships)
            if (s.org_id.empty() && string_at(m, "role") == "manager") s.org_id = string_at(m, "org_id");
    return s;
}

std::string refresh_request_body(const std::string& refresh_token) {
    json body = {{"refresh_token", refresh_token}};
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string link_exchange_body(const std::string& token, const std::string& code) {
    json body = {{"token", token}};
    if (!code.empty()) body["code"] = code;
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

onramp::Result<Session> parse_link_reply(const HttpReply& reply) {
    if (reply.status < 200 || reply.status > 299) return reply_problem(reply);
    const json body = json::parse(reply.body, nullptr, false);
    Session s;
    s.access_token = string_at(body, "access_token");
    s.refresh_token = string_at(body, "refresh_token");
    const json& org = body.is_object() && body.contains("org") ? body["org"] : json();
    s.org_id = string_at(org, "id");
    if (s.access_token.empty() || s.org_id.empty()) {
        onramp::Problem p;
        p.status = reply.status;
        p.detail = tr("The server's reply had no session for this link.");
        return p;
    }
    s.from_link = true;
    s.platforms = strings_at(body, "platforms");
    return s;
}

onramp::Status parse_link_about(const HttpReply& reply, Session& session) {
    if (reply.status < 200 || reply.status > 299) return reply_problem(reply);
    const json body = json::parse(reply.body, nullptr, false);
    const json& org = body.is_object() && body.contains("org") ? body["org"] : json();
    if (string_at(org, "id").empty()) {
        onramp::Problem p;
        p.status = reply.status;
        p.detail = tr("The server's reply named no organization for this link.");
        return p;
    }
    session.org_id = string_at(org, "id");
    session.from_link = true;
    session.platforms = strings_at(body, "platforms");
    return onramp::ok_status();
}
