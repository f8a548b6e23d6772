// A platform module's OAuth part: what connecting by signing in at the
// platform needs from the platform, while edge/api/oauth.cpp runs the flow
// around it the same way for every platform (the routes, the single-use
// state of edge/oauth/states.h, the session that started it, testing and
// storing the connection, the completion page).
//
//   start     POST .../oauth/{platform}/start: prepare() reads the body's
//             platform part into the pending authorization, then
//             authorize_url() builds the URL the client signs in at, with
//             the state (and a PKCE challenge where the platform takes one)
//   callback  GET /oauth/{platform}/callback: check_redirect() before the
//             state is spent (a signed redirect: a forgery must not use up a
//             real state), check_answer() once it is (the platform's error,
//             an answer for another account), exchange() turns the code into
//             the connection's credentials, connected() after it is stored
//
// A refusal names its status, a short error code and a sentence for the
// client; the flow audits it and stores nothing.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "shared/result.h"
#include "shared/validation/fields.h"

namespace onramp {
struct App;
}
namespace onramp::auth {
struct Principal;
}
namespace onramp::connectors {
struct CallContext;
}
namespace onramp::http {
struct Request;
}
namespace onramp::oauth {
struct Pending;
}
namespace onramp::store {
struct Connection;
}

namespace onramp::platforms {

struct OAuthRefusal {
    int status = 400;
    std::string error, message;
    // The sign-in reaches several accounts and the client picks one: the
    // start body's field naming it and the candidates, [{"value", "label"}]
    // (no secrets). The completion page passes both on; a new start with
    // that field set connects the one chosen.
    std::string choice_field = {};
    nlohmann::json choices = {};
};

// What a successful exchange yields: the credentials in the catalog's field
// names (the vault keeps the secrets) and the account they reach, for the
// completion page ("Connected <name> (<account>) to Onramp.").
struct OAuthGrant {
    nlohmann::json credentials;
    std::string account;
};

struct OAuthInstall {
    // Who sends the client back, in the callback's messages ("Shopify").
    std::string_view sender;
    // The start body's platform part into `p` (its fields fail on `f`); a
    // problem when the authorization cannot start.
    Status (*prepare)(App& app, Fields& f, const connectors::CallContext& ctx, oauth::Pending& p) = nullptr;
    std::string (*authorize_url)(App& app, const connectors::CallContext& ctx, const oauth::Pending& p,
                                 const std::string& redirect_uri, const std::string& state) = nullptr;
    // What the "oauth.started" audit entry records (no secrets).
    nlohmann::json (*started_detail)(const oauth::Pending& p) = nullptr;
    // Optional: checked before the state is taken.
    std::optional<OAuthRefusal> (*check_redirect)(App& app, const http::Request& req) = nullptr;
    // Optional: checked after the state is taken, before the session.
    std::optional<OAuthRefusal> (*check_answer)(const oauth::Pending& p, const http::Request& req) = nullptr;
    std::optional<OAuthRefusal> (*exchange)(App& app, connectors::CallContext& ctx, const oauth::Pending& p,
                                            const http::Request& req, const std::string& redirect_uri,
                                            OAuthGrant& out) = nullptr;
    // Optional: after the connection is stored.
    void (*connected)(App& app, const store::Connection& conn, const auth::Principal& who,
                      const http::Request& req) = nullptr;
};

}  // namespace onramp::platforms
