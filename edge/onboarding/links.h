// Onboarding links: how a client usually arrives (issue 6 item 5). A
// manager or operator mints a link for one organization and e-mails it;
// the client opens it and onboards in the browser without creating an
// account first.
//
//   mint() ──▶ active ──exchange()──▶ used: a client session exists
//                │                      │
//                ├──revoke()──▶ revoked ◀┘ (the session ends too)
//                ╰──time passes──▶ expired
//
// The token is 256 random bits, stored only as its SHA-256, good for one
// exchange before it expires. Exchanging it creates a *link client*: an
// account with no password (nobody can sign in as it) and no membership
// row. When it calls, restrict_client() (where requests are authenticated,
// so no handler can forget it) makes it a manager of that one organization
// and refuses every path but the ones the onboarding wizard uses: the
// onboarding endpoints, the org's connections and OAuth start, the
// connector tests, sign-out. A link may also name the platforms its client
// may use: restrict_client() puts them in the principal (Principal::platforms),
// refuses connecting another platform on the generic routes, and every
// route on an existing connection finds only those platforms' connections
// (api::visible_connection); the onboarding handlers check it too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edge/auth/principal.h"
#include "edge/auth/sessions.h"
#include "edge/http/message.h"
#include "edge/store/db.h"
#include "shared/result.h"

namespace onramp::onboarding {

constexpr int64_t kLinkSeconds = 7 * 24 * 3600;       // default life of an unused link
constexpr int64_t kMaxLinkSeconds = 30 * 24 * 3600;
constexpr int64_t kClientSessionSeconds = 14 * 24 * 3600;  // after the exchange: time to gather documents

struct Link {
    std::string id, org_id;
    std::vector<std::string> platforms;  // empty: any platform
    std::string note;
    std::optional<std::string> created_by, client_user_id;
    int64_t created_at = 0, expires_at = 0;
    std::optional<int64_t> used_at, revoked_at;

    // active | used | expired | revoked
    std::string status(int64_t now) const;
    // When the client's session ends (used links only).
    int64_t session_ends_at() const { return used_at.value_or(0) + kClientSessionSeconds; }
    bool allows_platform(const std::string& platform) const;
};

struct NewLink {
    std::string org_id;
    std::vector<std::string> platforms;
    std::string note;
    std::optional<std::string> created_by;
    int64_t ttl_seconds = kLinkSeconds;
};

struct Minted {
    Link link;
    std::string token;  // shown once
};

Minted mint(store::Db& db, const NewLink& n, int64_t now);
std::vector<Link> list_links(store::Db& db, const std::string& org_id);  // newest first
std::optional<Link> find_link(store::Db& db, const std::string& org_id, const std::string& id);
// Revokes the link and ends its client's sessions. False when there is no
// such link in the org, or it was already revoked.
bool revoke_link(store::Db& db, const std::string& org_id, const std::string& id, int64_t now);

// The web client's page for a token: "<public_url>/#/onboard/<token>".
std::string link_url(const std::string& public_url, const std::string& token);

struct Exchanged {
    Link link;
    auth::TokenPair tokens;
};
// Uses the token up and signs the link client in. 404 for an unknown
// token; 410 "link_used", "link_expired" or "link_revoked".
Result<Exchanged> exchange(store::Db& db, const std::string& token, int64_t now);

// The link whose client this user is, if any.
std::optional<Link> link_of_client(store::Db& db, const std::string& user_id);

// Called for every request authenticated by a session: when the user is a
// link client, makes `who` a manager of the link's org only, and refuses
// (403) paths outside client_may_call() and connecting a platform the link
// does not include, and limits `who` to the link's platforms; refuses the whole session (401) when the link was
// revoked or the session is over. Other principals pass unchanged.
Status restrict_client(store::Db& db, auth::Principal& who, const http::Request& req, int64_t now);
// The paths a link client of `org_id` may call.
bool client_may_call(const std::string& org_id, const std::string& path);

}  // namespace onramp::onboarding
