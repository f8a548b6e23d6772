// The mock Graph API under /meta/graph (standing in for
// https://graph.facebook.com) and the login dialog under /meta/www (for
// https://www.facebook.com), one demo app and one demo Page (module.cpp).
//
//   GET /meta/www/{version}/dialog/oauth    client_id (the demo app), redirect_uri,
//                                           state → 302 to redirect_uri?code&state, the
//                                           person agreeing at once; a code is bound to
//                                           its redirect_uri and lives ten minutes
//   GET /meta/graph/{version}/oauth/access_token
//        client_id, client_secret, redirect_uri, code      → a short-lived user token
//                                           (the code works once, only with the same
//                                           redirect_uri)
//        grant_type=fb_exchange_token, client_id, client_secret, fb_exchange_token
//                                           → a long-lived user token, expires_in 5183944
//   GET /meta/graph/{version}/me            the token's owner: the Page for its Page
//                                           token, the person for a user token
//   GET /meta/graph/{version}/me/accounts   (a long-lived user token) the Pages, each with
//                                           its non-expiring Page token
//
// Every path names a version; any other than the pinned one is refused.
// Tokens come as Authorization: Bearer or ?access_token=. Errors as the
// Graph API's (https://developers.facebook.com/docs/graph-api/guides/error-handling):
// {"error": {"message", "type", "code", "fbtrace_id"}}: code 190
// (OAuthException) for a token it does not know, 100 for a bad parameter,
// 4 when rate limited.
#include <chrono>
#include <map>
#include <set>

#include "edge/connectors/wire.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/http/client.h"
#include "edge/mock/internal.h"
#include "edge/platforms/meta/demo.h"
#include "edge/platforms/meta/graph.h"

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "meta";
using platforms::meta::demo;

struct Code {
    std::string redirect_uri;
    int64_t expires_at_ms = 0;
};

// What the mock issued, per running mock, under its State's mu.
struct Issued {
    std::map<std::string, Code> codes;       // not yet exchanged
    std::set<std::string> short_tokens, long_tokens;
};

std::map<const State*, Issued>& issued_of() {
    static std::map<const State*, Issued> all;
    return all;
}

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

http::Response graph_error(int status, const std::string& message, const std::string& type, int code) {
    return reply({{"error",
                   {{"message", message},
                    {"type", type},
                    {"code", code},
                    {"fbtrace_id", crypto::base64url_encode(crypto::random_bytes(9))}}}},
                 status);
}

http::Response error(int status, const std::string& message, double) {
    return graph_error(status, message, status == 429 ? "OAuthException" : "GraphMethodException",
                       status == 429 ? 4 : 1);
}

http::Response bad_parameter(const std::string& message) { return graph_error(400, message, "OAuthException", 100); }

http::Response bad_token() {
    return graph_error(400, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190);
}

std::string token_of(const http::Request& req) {
    std::string h = req.header("Authorization");
    if (h.rfind("Bearer ", 0) == 0) return h.substr(7);
    return q(req, "access_token");
}

std::string new_token() { return "EAA" + crypto::base64url_encode(crypto::random_bytes(30)); }

http::Response dialog(State& s, const http::Request& req) {
    if (req.param("version") != platforms::meta::kGraphVersion) return page(400, "Unsupported version.");
    if (q(req, "client_id") != demo().app_id) return page(400, "Invalid App ID: the app does not exist.");
    std::string redirect = q(req, "redirect_uri"), state = q(req, "state");
    http::ParsedUrl url;
    if (!http::parse_url(redirect, url)) return page(400, "URL blocked: redirect_uri is missing or not a URL.");
    std::string code = crypto::base64url_encode(crypto::random_bytes(24));
    {
        std::lock_guard<std::mutex> lock(s.mu);
        issued_of()[&s].codes[code] = Code{redirect, now_ms() + 10 * 60 * 1000};
    }
    std::string location = redirect + (redirect.find('?') == std::string::npos ? "?" : "&") +
                           "code=" + connectors::wire::url_encode(code) + "&state=" + connectors::wire::url_encode(state);
    http::Response r = page(302, "Redirecting to the app.");
    r.set_header("Location", location);
    return r;
}

http::Response access_token(State& s, const http::Request& req) {
    if (q(req, "client_id") != demo().app_id || q(req, "client_secret") != demo().app_secret)
        return bad_parameter("Error validating client secret.");
    std::lock_guard<std::mutex> lock(s.mu);
    Issued& issued = issued_of()[&s];
    if (q(req, "grant_type") == "fb_exchange_token") {
        if (!issued.short_tokens.count(q(req, "fb_exchange_token"))) return bad_token();
        std::string token = new_token();
        issued.long_tokens.insert(token);
        return reply({{"access_token", token}, {"token_type", "bearer"}, {"expires_in", 5183944}});
    }
    auto code = issued.codes.find(q(req, "code"));
    if (code == issued.codes.end() || code->second.expires_at_ms < now_ms())
        return bad_parameter("Invalid verification code format.");
    if (code->second.redirect_uri != q(req, "redirect_uri")) {
        issued.codes.erase(code);
        return bad_parameter("Error validating verification code. Please make sure your redirect_uri is identical "
                             "to the one you used in the OAuth dialog request");
    }
    issued.codes.erase(code);
    std::string token = new_token();
    issued.short_tokens.insert(token);
    return reply({{"access_token", token}, {"token_type", "bearer"}, {"expires_in", 5183}});
}

}  // namespace

void add_meta(http::Router& r, State& s) {
    {
        std::lock_guard<std::mutex> lock(s.mu);
        issued_of()[&s] = Issued{};
    }
    add_route(r, s, kPlatform, error, "GET", "/meta/www/{version}/dialog/oauth",
              [&s](const http::Request& req) { return dialog(s, req); });
    auto graph = [&](const std::string& path, std::function<http::Response(const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, "GET", "/meta/graph/{version}" + path, [fn](const http::Request& req) {
            if (req.param("version") != platforms::meta::kGraphVersion)
                return graph_error(400, "Unknown path components: /" + req.param("version"), "OAuthException", 2500);
            return fn(req);
        });
    };
    graph("/oauth/access_token", [&s](const http::Request& req) { return access_token(s, req); });
    graph("/me", [&s](const http::Request& req) {
        std::string token = token_of(req);
        if (token == demo().page_token && !revoked(s, kPlatform))
            return reply({{"id", demo().page_id}, {"name", demo().page_name}});
        std::lock_guard<std::mutex> lock(s.mu);
        const Issued& issued = issued_of()[&s];
        if (issued.short_tokens.count(token) || issued.long_tokens.count(token))
            return reply({{"id", "10200000000000001"}, {"name", "Demo Page Admin"}});
        return bad_token();
    });
    graph("/me/accounts", [&s](const http::Request& req) {
        {
            std::lock_guard<std::mutex> lock(s.mu);
            if (!issued_of()[&s].long_tokens.count(token_of(req)) && !issued_of()[&s].short_tokens.count(token_of(req)))
                return bad_token();
        }
        json page = {{"id", demo().page_id},
                     {"name", demo().page_name},
                     {"category", "Software"},
                     {"access_token", demo().page_token},
                     {"tasks", {"ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"}}};
        return reply({{"data", json::array({page})},
                      {"paging", {{"cursors", {{"before", "QVFIUmZA"}, {"after", "QVFIUmZA"}}}}}});
    });
}

}  // namespace onramp::mock
