// The mock Telegram Bot API under /telegram (standing in for
// https://api.telegram.org), one bot whose token is the demo token
// (module.cpp). Every method answers GET and POST, with its parameters in
// the query string, a form body or a JSON body, as Telegram allows
// (https://core.telegram.org/bots/api#making-requests).
//
//   /bot{token}/getMe            the bot's User
//   /bot{token}/setWebhook       url (https, ports 443, 80, 88, 8443; "" removes it),
//                                secret_token (1-256 of A-Z a-z 0-9 _ -)
//   /bot{token}/deleteWebhook    removes it
//   /bot{token}/getWebhookInfo   {url, has_custom_certificate, pending_update_count,
//                                max_connections}; never the secret
//
// Errors as Telegram's envelope: {"ok": false, "error_code": <status>,
// "description": "..."}: 401 "Unauthorized" for another token, 404 "Not
// Found" for another path, 400 "Bad Request: ..." for a refused parameter,
// 429 with "parameters": {"retry_after": N}. The webhook set here is kept
// by this file: it is not one of the hooks edge/mock/webhooks.cpp sends
// deliveries to, because Onramp does not register Telegram's itself.
#include <algorithm>
#include <cmath>
#include <map>

#include "edge/connectors/wire.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"
#include "edge/platforms/telegram/webhook.h"

namespace onramp::platforms::telegram {
const char* demo_bot_token();
}

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "telegram";

struct Webhook {
    std::string url, secret;
    int max_connections = 40;
};

// The webhook of each running mock, under its State's mu.
std::map<const State*, Webhook>& webhooks_of() {
    static std::map<const State*, Webhook> all;
    return all;
}

http::Response failed(int status, const std::string& description, double retry_after_s = 0) {
    json body = {{"ok", false}, {"error_code", status}, {"description", description}};
    if (status == 429) body["parameters"] = {{"retry_after", std::max(1, int(std::ceil(retry_after_s)))}};
    return reply(body, status);
}

http::Response error(int status, const std::string& message, double retry_after_s) {
    return failed(status, message, retry_after_s);
}

http::Response ok(const json& result, const std::string& description = "") {
    json body = {{"ok", true}, {"result", result}};
    if (!description.empty()) body["description"] = description;
    return reply(body);
}

// A parameter from the query string, then a JSON or form body.
std::string param(const http::Request& req, const std::string& name) {
    std::string v = req.query_value(name);
    if (!v.empty() || req.body.empty()) return v;
    if (req.header("Content-Type").find("json") != std::string::npos) {
        auto j = json::parse(req.body, nullptr, false);
        if (!j.is_object() || !j.contains(name)) return "";
        const json& m = j[name];
        return m.is_string() ? m.get<std::string>() : m.is_null() ? "" : m.dump();
    }
    return connectors::wire::query_param("?" + req.body, name);
}

// Why setWebhook refuses `url`, in Telegram's words, or "".
std::string url_refused(const std::string& url) {
    http::ParsedUrl u;
    if (!http::parse_url(url, u) || u.scheme != "https")
        return "Bad Request: bad webhook: An HTTPS URL must be provided for webhook";
    if (u.port != 443 && u.port != 80 && u.port != 88 && u.port != 8443)
        return "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443";
    return "";
}

http::Response set_webhook(State& s, const http::Request& req) {
    std::string url = param(req, "url");
    std::string secret = param(req, "secret_token");
    std::string max = param(req, "max_connections");
    if (!url.empty()) {
        if (std::string why = url_refused(url); !why.empty()) return failed(400, why);
    }
    if (secret.size() > 256) return failed(400, "Bad Request: secret token is too long");
    if (!secret.empty() && !webhooks::telegram_secret_allowed(secret))
        return failed(400, "Bad Request: secret token contains unallowed characters");
    int connections = 40;
    if (!max.empty()) {
        if (max.size() > 3 || max.find_first_not_of("0123456789") != std::string::npos)
            return failed(400, "Bad Request: bad max_connections");
        connections = std::clamp(std::stoi(max), 1, 100);
    }
    std::lock_guard<std::mutex> lock(s.mu);
    Webhook& w = webhooks_of()[&s];
    if (url.empty()) {
        bool had = !w.url.empty();
        w = Webhook{};
        return ok(true, had ? "Webhook was deleted" : "Webhook is already deleted");
    }
    bool same = w.url == url && w.secret == secret;
    w = Webhook{url, secret, connections};
    return ok(true, same ? "Webhook is already set" : "Webhook was set");
}

}  // namespace

void add_telegram(http::Router& r, State& s) {
    {
        std::lock_guard<std::mutex> lock(s.mu);
        webhooks_of()[&s] = Webhook{};
    }
    auto route = [&](const std::string& method, std::function<http::Response(State&, const http::Request&)> fn) {
        for (const char* verb : {"GET", "POST"})
            add_route(r, s, kPlatform, error, verb, "/telegram/{bot}/" + method, [&s, fn](const http::Request& req) {
                std::string bot = req.param("bot");
                if (bot.rfind("bot", 0) != 0) return failed(404, "Not Found");
                if (bot.substr(3) != platforms::telegram::demo_bot_token() || revoked(s, kPlatform))
                    return failed(401, "Unauthorized");
                return fn(s, req);
            });
    };
    route("getMe", [](State&, const http::Request&) {
        return ok({{"id", 7000000001LL},
                   {"is_bot", true},
                   {"first_name", "Onramp Demo"},
                   {"username", "onramp_demo_bot"},
                   {"can_join_groups", true},
                   {"can_read_all_group_messages", false},
                   {"supports_inline_queries", false}});
    });
    route("setWebhook", set_webhook);
    route("deleteWebhook", [](State& st, const http::Request&) {
        std::lock_guard<std::mutex> lock(st.mu);
        Webhook& w = webhooks_of()[&st];
        bool had = !w.url.empty();
        w = Webhook{};
        return ok(true, had ? "Webhook was deleted" : "Webhook is already deleted");
    });
    route("getWebhookInfo", [](State& st, const http::Request&) {
        std::lock_guard<std::mutex> lock(st.mu);
        const Webhook& w = webhooks_of()[&st];
        json info = {{"url", w.url}, {"has_custom_certificate", false}, {"pending_update_count", 0}};
        if (!w.url.empty()) info["max_connections"] = w.max_connections;
        return ok(info);
    });
}

}  // namespace onramp::mock
