// The mock Viber REST bot API under /viber (standing in for
// https://chatapi.viber.com), one bot whose auth token is the demo token
// (module.cpp). Every endpoint is a POST with a JSON body and the token in
// X-Viber-Auth-Token (https://developers.viber.com/docs/api/rest-bot-api/).
//
//   /viber/pa/get_account_info   the bot's account: id, name, uri, webhook, event_types, ...
//   /viber/pa/set_webhook        url (https; "" removes it), event_types (names of
//                                callbacks), send_name, send_photo
//
// Answers as Viber's: HTTP 200 with {"status": 0, "status_message": "ok",
// ...}, and a failure as a non-zero status with its name from the error
// table (https://developers.viber.com/docs/api/rest-bot-api/#error-codes):
// 1 invalidUrl, 2 invalidAuthToken (another or a missing token), 3 badData,
// 4 missingData.
// Injected faults keep their HTTP status, a 429 carrying status 12
// tooManyRequests. The webhook set here is kept by this file: it is not one
// of the hooks edge/mock/webhooks.cpp sends deliveries to, because Onramp
// does not register Viber's itself; nor does the mock send the
// "event":"webhook" check Viber sends to a new URL.
#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "edge/http/client.h"
#include "edge/mock/internal.h"

namespace onramp::platforms::viber {
const char* demo_auth_token();
}

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "viber";

// Status codes and their names
// (https://developers.viber.com/docs/api/rest-bot-api/#error-codes).
constexpr int kInvalidUrl = 1;
constexpr int kInvalidAuthToken = 2;
constexpr int kBadData = 3;
constexpr int kMissingData = 4;
constexpr int kTooManyRequests = 12;
constexpr int kGeneralError = 13;

// The callbacks set_webhook's event_types may name; the ones it reports
// when event_types is omitted, as the vendor docs' example answer shows
// (https://developers.viber.com/docs/api/rest-bot-api/#setting-a-webhook).
const std::set<std::string> kEventTypes = {"delivered", "seen",        "failed",      "subscribed",
                                           "unsubscribed", "conversation_started", "message"};
const std::vector<std::string> kDefaultEventTypes = {"delivered",  "seen",         "failed",
                                                     "subscribed", "unsubscribed", "conversation_started"};

struct Webhook {
    std::string url;
    std::vector<std::string> event_types;
};

// The webhook of each running mock, under its State's mu.
std::map<const State*, Webhook>& webhooks_of() {
    static std::map<const State*, Webhook> all;
    return all;
}

http::Response answer(int status, const std::string& message, json extra = json::object()) {
    extra["status"] = status;
    extra["status_message"] = message;
    return reply(extra);
}

http::Response error(int http_status, const std::string&, double) {
    json body = http_status == 429 ? json{{"status", kTooManyRequests}, {"status_message", "tooManyRequests"}}
                                   : json{{"status", kGeneralError}, {"status_message", "generalError"}};
    return reply(body, http_status);
}

http::Response set_webhook(State& s, const http::Request& req) {
    auto body = json::parse(req.body, nullptr, false);
    if (!body.is_object()) return answer(kBadData, "badData");
    if (!body.contains("url")) return answer(kMissingData, "missingData");
    if (!body["url"].is_string()) return answer(kBadData, "badData");
    std::string url = body["url"];
    std::vector<std::string> types = kDefaultEventTypes;
    if (body.contains("event_types")) {
        const json& given = body["event_types"];
        if (!given.is_array()) return answer(kBadData, "badData");
        types.clear();
        for (const json& t : given) {
            if (!t.is_string() || !kEventTypes.count(t.get<std::string>())) return answer(kBadData, "badData");
            if (std::find(types.begin(), types.end(), t.get<std::string>()) == types.end()) types.push_back(t);
        }
    }
    for (const char* flag : {"send_name", "send_photo"})
        if (body.contains(flag) && !body[flag].is_boolean()) return answer(kBadData, "badData");

    std::lock_guard<std::mutex> lock(s.mu);
    Webhook& w = webhooks_of()[&s];
    if (url.empty()) {
        w = Webhook{};
        return answer(0, "ok");
    }
    http::ParsedUrl u;
    if (!http::parse_url(url, u) || u.scheme != "https") return answer(kInvalidUrl, "invalidUrl");
    w = Webhook{url, types};
    return answer(0, "ok", {{"event_types", types}});
}

}  // namespace

void add_viber(http::Router& r, State& s) {
    {
        std::lock_guard<std::mutex> lock(s.mu);
        webhooks_of()[&s] = Webhook{};
    }
    auto route = [&](const std::string& endpoint, std::function<http::Response(State&, const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, "POST", "/viber/pa/" + endpoint, [&s, fn](const http::Request& req) {
            std::string token = req.header("X-Viber-Auth-Token");
            if (token.empty()) return answer(kInvalidAuthToken, "missing_auth_token");
            if (token != platforms::viber::demo_auth_token() || revoked(s, kPlatform))
                return answer(kInvalidAuthToken, "invalidAuthToken");
            return fn(s, req);
        });
    };
    route("get_account_info", [](State& st, const http::Request&) {
        std::lock_guard<std::mutex> lock(st.mu);
        const Webhook& w = webhooks_of()[&st];
        return answer(0, "ok",
                      {{"id", "pa:5894726012547361234"},
                       {"name", "Onramp Demo"},
                       {"uri", "onrampdemo"},
                       {"icon", "https://example.test/viber/onrampdemo.png"},
                       {"category", "Business"},
                       {"subcategory", "Software"},
                       {"country", "US"},
                       {"webhook", w.url},
                       {"event_types", w.url.empty() ? json::array() : json(w.event_types)},
                       {"subscribers_count", 3},
                       {"members", json::array({{{"id", "01234567890A="}, {"name", "Ann"}, {"role", "admin"}}})}});
    });
    route("set_webhook", set_webhook);
}

}  // namespace onramp::mock
