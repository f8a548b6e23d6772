// Viber REST bot API (https://developers.viber.com/docs/api/rest-bot-api/).
//
//   auth        X-Viber-Auth-Token: <auth token> on every call
//               (https://developers.viber.com/docs/api/rest-bot-api/#authentication-token)
//   base        https://chatapi.viber.com/pa   (override key "viber")
//   test        POST get_account_info → the bot's id ("pa:…"), name, uri (step fetch_account)
//               (https://developers.viber.com/docs/api/rest-bot-api/#get-account-info)
//   resources   none: the API lists nothing (there is no call to enumerate
//               subscribers); a bot only receives callbacks (webhook.cpp)
//   errors      HTTP 200 with {"status": <non-zero>, "status_message": "..."}:
//               2 invalid auth token, 12 too many requests
//               (https://developers.viber.com/docs/api/rest-bot-api/#error-codes)
//
// Security: the token travels only in the auth header, which the wire layer
// treats as a credential (edge/connectors/wire.h); no message here quotes
// it, and a token with a space or a control character is refused before it
// could split or add a header.
#include <nlohmann/json.hpp>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;

constexpr const char* kTokenHeader = "X-Viber-Auth-Token";

// Viber's status codes that Onramp tells apart
// (https://developers.viber.com/docs/api/rest-bot-api/#error-codes).
constexpr int kOk = 0;
constexpr int kInvalidAuthToken = 2;
constexpr int kTooManyRequests = 12;

// Visible ASCII without spaces, as the catalog's token check accepts
// (shared/connectors/catalog.h): nothing that could end the header line.
bool token_shaped(const std::string& token) {
    if (token.empty() || token.size() > 200) return false;
    for (char c : token)
        if (c < '!' || c > '~') return false;
    return true;
}

class Viber final : public Platform {
public:
    Viber() : Platform(catalog_entry("viber")) {}

    std::vector<Resource> resources() const override { return {}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        auto account = call(creds, ctx, "fetch_account", "get_account_info");
        if (!account) {
            out.failure = account.failure();
            return out;
        }
        std::string name = wire::text(*account, "name");
        out.verified.account_id = wire::text(*account, "id");
        out.verified.account_name = name.empty() ? wire::text(*account, "uri") : name;
        out.verified.details = {{"id", wire::member(*account, "id")},
                                {"name", wire::member(*account, "name")},
                                {"uri", wire::member(*account, "uri")},
                                {"category", wire::member(*account, "category")},
                                {"subscribers_count", wire::member(*account, "subscribers_count")},
                                {"webhook", wire::member(*account, "webhook")}};
        return out;
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        const std::string& token = creds.at("auth_token");
        if (!token_shaped(token)) return malformed_token("proxy");
        ProxyTarget t;
        t.base_url = api(creds, ctx);
        t.headers = {{"Accept", "application/json"}, {kTokenHeader, token}};
        return t;
    }

private:
    static std::string api(const Credentials& creds, const CallContext& ctx) {
        return wire::base_url(ctx, "viber", "https://chatapi.viber.com/pa", creds);
    }

    Failure refused(const std::string& step, std::string message) const {
        Failure f;
        f.step = step;
        f.cause = Cause::credential_rejected;
        f.field = "auth_token";
        f.message = std::move(message);
        return f;
    }

    Failure malformed_token(const std::string& step) const {
        return refused(step, "That is not a Viber auth token: it has a space or a character that is not plain "
                             "text. Copy the token again from your bot's Info page in the Viber Admin Panel.");
    }

    // One endpoint, POSTed with an empty JSON object (every endpoint takes a
    // JSON body); the whole answer on status 0.
    Outcome<json> call(const Credentials& creds, CallContext& ctx, const std::string& step,
                       const std::string& endpoint) const {
        const std::string& token = creds.at("auth_token");
        if (!token_shaped(token)) return malformed_token(step);
        wire::Request r;
        r.step = step;
        r.method = "POST";
        r.url = api(creds, ctx) + "/" + endpoint;
        r.headers = {{"Accept", "application/json"}, {kTokenHeader, token}};
        r.body = "{}";
        r.content_type = "application/json";
        // get_account_info changes nothing, so a retry is harmless.
        r.retryable = true;
        auto res = wire::send(*this, ctx, r);
        if (!res) return res.failure();
        auto body = wire::parse_json(res->body);
        std::string said = body ? wire::text(*body, "status_message") : "";
        if (res->status < 200 || res->status > 299) {
            Failure f = wire::status_failure(*this, ctx, step, *res, said);
            if (f.http_status == 401) {
                f.cause = Cause::credential_rejected;
                f.field = "auth_token";
                f.message = not_accepted();
            }
            return f;
        }
        json status = body ? wire::member(*body, "status") : json();
        if (!status.is_number_integer()) return wire::unreadable(*this, step, "the answer has no Viber status");
        int code = int(status.get<int64_t>());
        if (code == kOk) return *body;
        Failure f;
        if (code == kInvalidAuthToken) {
            f = refused(step, not_accepted());
        } else if (code == kTooManyRequests) {
            f.cause = Cause::rate_limited;
            f.message = "Viber asked Onramp to slow down. Try again later.";
        } else {
            f.cause = Cause::platform_error;
            f.message = "Viber refused the call (status " + std::to_string(code) + ").";
        }
        f.step = step;
        f.http_status = res->status;
        // Viber's own words: the name of the status ("invalidAuthToken").
        f.platform_message = said.substr(0, 200);
        return f;
    }

    static std::string not_accepted() {
        return "Viber did not accept the auth token. Copy it again from your bot's Info page in the Viber Admin "
               "Panel (partners.viber.com); if it was re-issued there, use the new one.";
    }
};

}  // namespace

const Platform& viber_platform() {
    static const Viber platform;
    return platform;
}

}  // namespace onramp::connectors
