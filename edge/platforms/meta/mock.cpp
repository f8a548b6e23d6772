// The mock Graph API under /meta/graph (standing in for
// https://graph.facebook.com) and the login dialog under /meta/www (for
// https://www.facebook.com), one demo app and the demo person's two Pages
// (module.cpp).
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
//   GET|POST|DELETE /meta/graph/{version}/{page-id}/subscribed_apps
//                                           (that Page's token) the apps the Page installed,
//                                           {"data": [{id, name, subscribed_fields}]}; POST with
//                                           subscribed_fields (query, form or JSON) installs the
//                                           demo app with those fields, replacing earlier ones;
//                                           DELETE removes it; both answer {"success": true}
//                                           (https://developers.facebook.com/docs/pages-api/webhooks-for-pages).
//                                           A user token is refused with code 210 as on Graph, a
//                                           Page the token does not own with code 100
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
    std::map<std::string, std::vector<std::string>> subscribed;  // page id → fields
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

const platforms::meta::DemoPage* page_of_token(const std::string& token) {
    for (const auto& p : demo().pages)
        if (p.token == token) return &p;
    return nullptr;
}

// The Page webhook fields the mock knows
// (https://developers.facebook.com/docs/graph-api/webhooks/reference/page).
const std::set<std::string>& page_fields() {
    static const std::set<std::string> fields = {"feed", "mention", "message_deliveries", "message_echoes",
                                                 "message_reactions", "message_reads", "messages",
                                                 "messaging_optins", "messaging_postbacks"};
    return fields;
}

// subscribed_fields as Graph takes it: in the query, a form or a JSON body,
// comma-separated or a JSON array.
std::vector<std::string> subscribed_fields_of(const http::Request& req) {
    std::string raw = q(req, "subscribed_fields");
    if (raw.empty() && req.header("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0)
        raw = connectors::wire::query_param("?" + req.body, "subscribed_fields");
    if (auto doc = connectors::wire::parse_json(req.body); doc && doc->is_object() && doc->contains("subscribed_fields")) {
        const json& v = (*doc)["subscribed_fields"];
        if (v.is_string()) raw = v.get<std::string>();
        if (v.is_array())
            for (const json& f : v) raw += (raw.empty() ? "" : ",") + (f.is_string() ? f.get<std::string>() : "?");
    }
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= raw.size() && !raw.empty()) {
        size_t comma = raw.find(',', start);
        std::string field = raw.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!field.empty()) out.push_back(field);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

http::Response subscribed_apps(State& s, const http::Request& req) {
    std::string token = token_of(req);
    const platforms::meta::DemoPage* owner = revoked(s, kPlatform) ? nullptr : page_of_token(token);
    std::lock_guard<std::mutex> lock(s.mu);
    Issued& issued = issued_of()[&s];
    if (!owner) {
        if (issued.short_tokens.count(token) || issued.long_tokens.count(token))
            return graph_error(400, "(#210) A page access token is required to request this resource.",
                               "OAuthException", 210);
        return bad_token();
    }
    std::string page_id = req.param("page_id");
    if (page_id != owner->id) {
        std::string verb = req.method == "GET" ? "get" : req.method == "POST" ? "post" : "delete";
        return graph_error(400, "Unsupported " + verb + " request. Object with ID '" + page_id.substr(0, 40) +
                                    "' does not exist, cannot be loaded due to missing permissions, or does not "
                                    "support this operation.",
                           "GraphMethodException", 100);
    }
    if (req.method == "GET") {
        json data = json::array();
        if (auto it = issued.subscribed.find(page_id); it != issued.subscribed.end())
            data.push_back({{"category", "Business"}, {"link", "https://onramp.example/"}, {"name", "Onramp"},
                            {"id", demo().app_id}, {"subscribed_fields", it->second}});
        return reply({{"data", data}});
    }
    if (req.method == "DELETE") {
        issued.subscribed.erase(page_id);
        return reply({{"success", true}});
    }
    std::vector<std::string> fields = subscribed_fields_of(req);
    if (fields.empty()) return bad_parameter("(#100) The parameter subscribed_fields is required");
    for (const std::string& f : fields)
        if (!page_fields().count(f))
            return bad_parameter("(#100) Param subscribed_fields[" + f.substr(0, 40) + "] must be one of {" +
                                 "feed, mention, message_deliveries, message_echoes, message_reactions, "
                                 "message_reads, messages, messaging_optins, messaging_postbacks}");
    issued.subscribed[page_id] = fields;
    return reply({{"success", true}});
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
    auto graph = [&](const std::string& path, std::function<http::Response(const http::Request&)> fn,
                     const std::string& method = "GET") {
        add_route(r, s, kPlatform, error, method, "/meta/graph/{version}" + path, [fn](const http::Request& req) {
            if (req.param("version") != platforms::meta::kGraphVersion)
                return graph_error(400, "Unknown path components: /" + req.param("version"), "OAuthException", 2500);
            return fn(req);
        });
    };
    graph("/oauth/access_token", [&s](const http::Request& req) { return access_token(s, req); });
    graph("/me", [&s](const http::Request& req) {
        std::string token = token_of(req);
        if (const auto* page = page_of_token(token); page && !revoked(s, kPlatform))
            return reply({{"id", page->id}, {"name", page->name}});
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
        json pages = json::array();
        for (const auto& p : demo().pages)
            pages.push_back({{"id", p.id},
                             {"name", p.name},
                             {"category", "Software"},
                             {"access_token", p.token},
                             {"tasks", {"ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"}}});
        return reply({{"data", pages},
                      {"paging", {{"cursors", {{"before", "QVFIUmZA"}, {"after", "QVFIUmZA"}}}}}});
    });
    for (const char* method : {"GET", "POST", "DELETE"})
        graph("/{page_id}/subscribed_apps", [&s](const http::Request& req) { return subscribed_apps(s, req); }, method);
}

}  // namespace onramp::mock
