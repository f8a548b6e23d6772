// Telegram Bot API (https://core.telegram.org/bots/api).
//
//   auth        the bot token inside the path: /bot{bot_token}/{method}
//               (https://core.telegram.org/bots/api#making-requests)
//   base        https://api.telegram.org   (override key "telegram")
//   test        getMe → the bot's User: id, is_bot, first_name, username (step fetch_bot)
//   resources   none: the Bot API has no list of anything to import; a bot only
//               receives updates (webhook.cpp)
//   errors      {"ok": false, "error_code": <the HTTP status>, "description": "Unauthorized"},
//               429 with "parameters": {"retry_after": N}
//               (https://core.telegram.org/bots/api#making-requests, #responseparameters)
//
// Security: the token is part of every URL. The wire layer never logs or
// returns a URL (edge/connectors/wire.cpp names only the host), and the
// messages here never quote it; a token not in the documented shape is
// refused before it can add path segments or a query to the URL.
#include <nlohmann/json.hpp>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;

// "<bot id>:<secret>", e.g. 123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11
// (https://core.telegram.org/bots/api#authorizing-your-bot).
bool token_shaped(const std::string& token) {
    size_t colon = token.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == token.size()) return false;
    for (size_t i = 0; i < colon; ++i)
        if (token[i] < '0' || token[i] > '9') return false;
    for (size_t i = colon + 1; i < token.size(); ++i) {
        char c = token[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

class Telegram final : public Platform {
public:
    Telegram() : Platform(catalog_entry("telegram")) {}

    std::vector<Resource> resources() const override { return {}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        auto me = call(creds, ctx, "fetch_bot", "getMe");
        if (!me) {
            out.failure = me.failure();
            return out;
        }
        std::string username = wire::text(*me, "username");
        out.verified.account_id = wire::text(*me, "id");
        out.verified.account_name = username.empty() ? wire::text(*me, "first_name") : "@" + username;
        out.verified.details = {{"id", wire::member(*me, "id")},
                                {"username", wire::member(*me, "username")},
                                {"first_name", wire::member(*me, "first_name")},
                                {"can_join_groups", wire::member(*me, "can_join_groups")},
                                {"can_read_all_group_messages", wire::member(*me, "can_read_all_group_messages")}};
        if (wire::member(*me, "is_bot") != json(true)) {
            Failure f;
            f.step = "fetch_bot";
            f.cause = Cause::credential_rejected;
            f.field = "bot_token";
            f.message = "Telegram accepted the token, but it does not belong to a bot. Use the token @BotFather "
                        "gives for your bot.";
            out.failure = f;
        }
        return out;
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        const std::string& token = creds.at("bot_token");
        if (!token_shaped(token)) return malformed_token("proxy");
        ProxyTarget t;
        t.base_url = api(creds, ctx) + "/bot" + token;
        t.headers = {{"Accept", "application/json"}};
        return t;
    }

private:
    static std::string api(const Credentials& creds, const CallContext& ctx) {
        return wire::base_url(ctx, "telegram", "https://api.telegram.org", creds);
    }

    Failure malformed_token(const std::string& step) const {
        Failure f;
        f.step = step;
        f.cause = Cause::credential_rejected;
        f.field = "bot_token";
        f.message = "That is not a Telegram bot token. A bot token is the bot's number, a colon and a code of "
                    "letters, digits, _ and - (123456789:AAF…). Copy it again from @BotFather.";
        return f;
    }

    // One Bot API method; its "result" on success.
    Outcome<json> call(const Credentials& creds, CallContext& ctx, const std::string& step,
                       const std::string& method) const {
        const std::string& token = creds.at("bot_token");
        if (!token_shaped(token)) return malformed_token(step);
        wire::Request r;
        r.step = step;
        r.url = api(creds, ctx) + "/bot" + token + "/" + method;
        r.headers = {{"Accept", "application/json"}};
        auto res = wire::send(*this, ctx, r);
        if (!res) return res.failure();
        auto body = wire::parse_json(res->body);
        bool success = res->status >= 200 && res->status <= 299;
        if (success && body && wire::member(*body, "ok") == json(true)) return wire::member(*body, "result");
        if (success) return wire::unreadable(*this, step, "the answer is not a Bot API result");
        std::string description = body ? wire::text(*body, "description") : "";
        Failure f = wire::status_failure(*this, ctx, step, *res, description);
        if (body && f.cause == Cause::rate_limited) {
            json after = wire::member(wire::member(*body, "parameters"), "retry_after");
            if (after.is_number_integer() && after.get<int64_t>() > 0 && after.get<int64_t>() <= 3600) {
                f.retry_after_s = int(after.get<int64_t>());
                f.message = "Telegram asked Onramp to slow down. Try again in " + std::to_string(f.retry_after_s) +
                            " seconds.";
            }
        }
        // The method names are fixed, so the token is the only part of the
        // path Telegram can fail to find.
        if (f.http_status == 401 || f.http_status == 404) {
            f.cause = Cause::credential_rejected;
            f.field = "bot_token";
            f.message = "Telegram did not accept the bot token. Copy it again from @BotFather (/mybots → your "
                        "bot → API Token); if it was revoked there, use the new one.";
        }
        return f;
    }
};

}  // namespace

const Platform& telegram_platform() {
    static const Telegram platform;
    return platform;
}

}  // namespace onramp::connectors
