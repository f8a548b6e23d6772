// The mock custom CRM's OAuth 2.0 endpoints (RFC 6749), under /custom_crm:
//
//   GET  /oauth/authorize?response_type=code&client_id&redirect_uri&scope&state
//        &code_challenge&code_challenge_method=S256
//        the user approves at once: 302 to redirect_uri with code and state;
//        with CrmOAuth::denies, error=access_denied and state (§4.1.2.1).
//        PKCE S256 is required (RFC 7636). An unknown client or unreadable
//        redirect_uri is a plain error page, never a redirect (§4.1.2.1).
//        A code lives sixty seconds and works once.
//   POST /oauth/token, application/x-www-form-urlencoded, the client
//        authenticated by HTTP Basic (§2.3.1) or in the form body:
//        grant_type=client_credentials[&scope]      → demo::kCrmAccessToken
//        grant_type=authorization_code&code&redirect_uri&code_verifier
//             checks the code, its redirect_uri, and
//             BASE64URL(SHA256(code_verifier)) == code_challenge
//        grant_type=refresh_token&refresh_token      a refresh token works
//             once: each answer carries a new one (rotation)
//        → {access_token, token_type: "Bearer", expires_in, refresh_token?, scope}
//        Errors as §5.2: {"error", "error_description"}, 400 (401 invalid_client).
//   POST /oauth/revoke (RFC 7009), the client authenticated as for /oauth/token:
//        token&token_type_hint?  → 200 {} and the token stops working; a refresh
//             token takes every access token of its sign-in with it. An unknown or
//             already revoked token is 200 too (§2.2); so is the fixed
//             client-credentials token, which stays valid like the other demo keys.
//        Errors: 401 invalid_client, 400 invalid_request (no token),
//             400 unsupported_token_type (a hint other than the two token types).
//
// It knows one client, demo::kCrmClientId / kCrmClientSecret, and the one
// scope the API checks, contacts.read.
#include "edge/connectors/wire.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/mock/internal.h"

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "custom_crm";
constexpr int64_t kCodeLifetimeMs = 60'000;

namespace wire = connectors::wire;

http::Response error(int status, const std::string& message, double retry_after_s) {
    http::Response r = reply({{"error", status == 429 ? "rate_limited" : "server_error"}, {"error_description", message}},
                             status);
    if (status == 429) r.set_header("Retry-After", std::to_string(int(retry_after_s + 0.999)));
    return r;
}

http::Response oauth_error(const std::string& code, const std::string& description, int status = 400) {
    return reply({{"error", code}, {"error_description", description}}, status);
}

http::Response redirect(const std::string& to, const std::vector<std::pair<std::string, std::string>>& params) {
    std::string location = to + (to.find('?') == std::string::npos ? "?" : "&");
    for (size_t i = 0; i < params.size(); ++i)
        location += (i ? "&" : "") + params[i].first + "=" + wire::url_encode(params[i].second);
    http::Response r = page(302, "Redirecting to the app.");
    r.set_header("Location", location);
    return r;
}

bool known_scope(const std::string& scope) { return scope.empty() || scope == "contacts.read"; }

http::Response authorize(State& s, const http::Request& req) {
    if (q(req, "client_id") != demo::kCrmClientId) return page(400, "Unknown client_id: this CRM has no such app.");
    std::string to = q(req, "redirect_uri"), state = q(req, "state");
    http::ParsedUrl url;
    if (!http::parse_url(to, url)) return page(400, "The redirect_uri is missing or not a URL.");
    auto refuse = [&](const std::string& code, const std::string& why) {
        return redirect(to, {{"error", code}, {"error_description", why}, {"state", state}});
    };
    if (q(req, "response_type") != "code") return refuse("unsupported_response_type", "Only response_type=code.");
    std::string challenge = q(req, "code_challenge");
    if (challenge.size() != 43 || q(req, "code_challenge_method") != "S256")
        return refuse("invalid_request", "PKCE is required: code_challenge with code_challenge_method=S256.");
    if (!known_scope(q(req, "scope"))) return refuse("invalid_scope", "Unknown scope.");
    std::string code = crypto::hex_encode(crypto::random_bytes(16));
    {
        std::lock_guard<std::mutex> lock(s.mu);
        if (s.crm_oauth.denies) return refuse("access_denied", "The user declined.");
        s.crm_oauth.codes[code] = {to, challenge, q(req, "scope"), s.now_ms() + kCodeLifetimeMs};
    }
    std::vector<std::pair<std::string, std::string>> params = {{"code", code}};
    if (!state.empty()) params.emplace_back("state", state);
    return redirect(to, params);
}

std::string form(const http::Request& req, const std::string& name) { return wire::query_param("?" + req.body, name); }

// §2.3.1: the client's id and secret, form-decoded, from HTTP Basic; else
// from the body.
std::pair<std::string, std::string> client_of(const http::Request& req) {
    std::string h = req.header("Authorization");
    if (h.rfind("Basic ", 0) == 0) {
        auto pair = crypto::base64_decode(h.substr(6));
        if (pair) {
            size_t colon = pair->find(':');
            if (colon != std::string::npos) {
                std::string query = "?id=" + pair->substr(0, colon) + "&secret=" + pair->substr(colon + 1);
                return {wire::query_param(query, "id"), wire::query_param(query, "secret")};
            }
        }
    }
    return {form(req, "client_id"), form(req, "client_secret")};
}

// A new access token, and a refresh token unless `with_refresh` is false,
// both of the sign-in `sign_in`. Called with s.mu held.
http::Response issue(State& s, const std::string& scope, bool with_refresh, const std::string& sign_in) {
    std::string access = "crm-at-" + crypto::hex_encode(crypto::random_bytes(16));
    s.crm_oauth.access_tokens.insert(access);
    s.crm_oauth.sign_in_of[access] = sign_in;
    json body = {{"access_token", access},
                 {"token_type", "Bearer"},
                 {"expires_in", s.crm_oauth.expires_in},
                 {"scope", scope.empty() ? "contacts.read" : scope}};
    if (with_refresh) {
        std::string refresh = "crm-rt-" + crypto::hex_encode(crypto::random_bytes(16));
        s.crm_oauth.refresh_tokens.insert(refresh);
        s.crm_oauth.sign_in_of[refresh] = sign_in;
        body["refresh_token"] = refresh;
    }
    http::Response r = reply(body);
    r.set_header("Cache-Control", "no-store");  // §5.1
    return r;
}

http::Response code_grant(State& s, const http::Request& req) {
    std::lock_guard<std::mutex> lock(s.mu);
    auto it = s.crm_oauth.codes.find(form(req, "code"));
    if (it == s.crm_oauth.codes.end())
        return oauth_error("invalid_grant", "The authorization code was not found or was already used.");
    CrmOAuth::Grant grant = it->second;
    s.crm_oauth.codes.erase(it);
    if (grant.expires_at_ms <= s.now_ms()) return oauth_error("invalid_grant", "The authorization code has expired.");
    if (form(req, "redirect_uri") != grant.redirect_uri)
        return oauth_error("invalid_grant", "The redirect_uri differs from the authorization request's.");
    std::string verifier = form(req, "code_verifier");
    if (verifier.empty()) return oauth_error("invalid_request", "The code_verifier is missing.");
    if (crypto::base64url_encode(crypto::sha256(verifier)) != grant.challenge)
        return oauth_error("invalid_grant",
                           "PKCE verification failed: the code_verifier does not match the code_challenge.");
    return issue(s, grant.scope, true, crypto::hex_encode(crypto::random_bytes(8)));
}

http::Response refresh_grant(State& s, const http::Request& req) {
    std::lock_guard<std::mutex> lock(s.mu);
    std::string old = form(req, "refresh_token");
    if (!s.crm_oauth.refresh_tokens.erase(old))
        return oauth_error("invalid_grant", "The refresh token is unknown, revoked or already used.");
    std::string sign_in = s.crm_oauth.sign_in_of[old];
    s.crm_oauth.sign_in_of.erase(old);
    return issue(s, "", true, sign_in);
}

bool client_known(State& s, const http::Request& req) {
    auto [id, secret] = client_of(req);
    return id == demo::kCrmClientId && secret == demo::kCrmClientSecret && !revoked(s, kPlatform);
}

http::Response token(State& s, const http::Request& req) {
    std::string grant = form(req, "grant_type");
    if (!client_known(s, req)) return oauth_error("invalid_client", "Client authentication failed.", 401);
    if (grant == "authorization_code") return code_grant(s, req);
    if (grant == "refresh_token") return refresh_grant(s, req);
    if (grant != "client_credentials") return oauth_error("unsupported_grant_type", "Unknown grant_type.");
    if (!known_scope(form(req, "scope")))
        return oauth_error("invalid_scope", "Unknown scope: " + form(req, "scope"));
    return reply({{"access_token", demo::kCrmAccessToken},
                  {"token_type", "Bearer"},
                  {"expires_in", 3600},
                  {"scope", "contacts.read"}});
}

// RFC 7009 §2.1: the hint only speeds the lookup up, so both kinds are
// searched whatever it says.
http::Response revoke(State& s, const http::Request& req) {
    if (!client_known(s, req)) return oauth_error("invalid_client", "Client authentication failed.", 401);
    std::string token = form(req, "token"), hint = form(req, "token_type_hint");
    if (token.empty()) return oauth_error("invalid_request", "The token to revoke is missing.");
    if (!hint.empty() && hint != "access_token" && hint != "refresh_token")
        return oauth_error("unsupported_token_type", "This server revokes access and refresh tokens only.");
    std::lock_guard<std::mutex> lock(s.mu);
    CrmOAuth& o = s.crm_oauth;
    if (o.refresh_tokens.count(token)) {
        std::string sign_in = o.sign_in_of[token];
        for (auto it = o.sign_in_of.begin(); it != o.sign_in_of.end();) {
            if (it->second != sign_in) {
                ++it;
                continue;
            }
            o.access_tokens.erase(it->first);
            o.refresh_tokens.erase(it->first);
            it = o.sign_in_of.erase(it);
        }
    } else {
        o.access_tokens.erase(token);
        o.sign_in_of.erase(token);
    }
    return reply(json::object());
}

}  // namespace

bool crm_token_issued(State& s, const std::string& authorization) {
    if (authorization.rfind("Bearer ", 0) != 0) return false;
    std::lock_guard<std::mutex> lock(s.mu);
    return s.crm_oauth.access_tokens.count(authorization.substr(7)) > 0;
}

void add_custom_crm_oauth(http::Router& r, State& s) {
    add_route(r, s, kPlatform, error, "GET", "/custom_crm/oauth/authorize",
              [&s](const http::Request& req) { return authorize(s, req); });
    add_route(r, s, kPlatform, error, "POST", "/custom_crm/oauth/token",
              [&s](const http::Request& req) { return token(s, req); });
    add_route(r, s, kPlatform, error, "POST", "/custom_crm/oauth/revoke",
              [&s](const http::Request& req) { return revoke(s, req); });
}

}  // namespace onramp::mock
