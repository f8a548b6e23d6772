// Onboarding links: how a client usually arrives. A manager or operator
// mints a link for one organization and e-mails it; the client opens it and
// onboards in the browser without creating an account first. A link
// behaves like a hosted onboarding link at Plaid or Stripe: it can be
// opened again, on any device, and resumes where the client left off.
//
//   mint() ──▶ created ──open()──▶ opened ──client saves──▶ in_progress
//                │                   │  ▲ open() again, any device   │
//                │                   ╰──╯                            ▼
//                ├──revoke()──▶ revoked (every session ends)     completed
//                ╰──time passes──▶ expired (no new openings)       (the org's onboarding)
//
// (shared/api/onboarding_link.h names the states.) The token is 256 random
// bits, stored only as its SHA-256. Each open() exchanges it for a new
// session of the link's *client*: an account with no password (nobody can
// sign in as it) and no membership row, made at the first opening and
// reused after. The web client keeps that session's refresh token in the
// tab and renews it on a reload; it opens the link again only when it has
// no session or the session was refused. Opening stops working when the
// link expires, is revoked or the org's onboarding is complete; a session
// already open runs until kClientSessionSeconds after the last opening.
//
// A link may require a one-time code (require_code, with a contact e-mail):
// open() then also needs a 6-digit code that issue_code() made and the API
// e-mailed to the link's address. The code is stored as an HMAC keyed by the
// token, expires after kCodeSeconds and dies after kCodeAttempts wrong tries.
//
// When a link client calls, restrict_client() (where requests are
// authenticated, so no handler can forget it) makes it a manager of that
// one organization and refuses every path but the ones the onboarding
// wizard uses: the onboarding endpoints, the org's connections and OAuth
// start, the connector tests, sign-out. A link may also name the platforms
// its client may use: scope_client() puts them in the principal
// (Principal::platforms), restrict_client() refuses connecting another
// platform on the generic routes, and every route on an existing connection
// finds only those platforms' connections (api::sees_connection); the
// onboarding handlers and the OAuth callback check it too.
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

constexpr int64_t kLinkSeconds = 7 * 24 * 3600;       // default life of a link
constexpr int64_t kMaxLinkSeconds = 30 * 24 * 3600;
constexpr int64_t kClientSessionSeconds = 14 * 24 * 3600;  // after the last opening: time to gather documents
constexpr int64_t kCodeSeconds = 10 * 60;
constexpr int kCodeAttempts = 5;
constexpr int64_t kCodeResendSeconds = 60;  // a new code is mailed at most this often
constexpr size_t kRecentOpenings = 10;

struct Link {
    std::string id, org_id;
    std::vector<std::string> platforms;  // empty: any platform
    std::string note;
    std::optional<std::string> created_by, client_user_id, email;
    bool require_code = false;
    int64_t created_at = 0, expires_at = 0, opened_count = 0;
    std::optional<int64_t> first_opened_at, last_opened_at, revoked_at;

    // When the client's sessions end: kClientSessionSeconds after the last
    // opening (0 for a link never opened).
    int64_t session_ends_at() const { return last_opened_at ? *last_opened_at + kClientSessionSeconds : 0; }
    bool allows_platform(const std::string& platform) const;
};

struct NewLink {
    std::string org_id;
    std::vector<std::string> platforms;
    std::string note;
    std::optional<std::string> created_by;
    int64_t ttl_seconds = kLinkSeconds;
    std::optional<std::string> email;  // where it was e-mailed; required by require_code
    bool require_code = false;
};

struct Minted {
    Link link;
    std::string token;  // shown once
};

Minted mint(store::Db& db, const NewLink& n, int64_t now);
std::vector<Link> list_links(store::Db& db, const std::string& org_id);  // newest first
std::optional<Link> find_link(store::Db& db, const std::string& org_id, const std::string& id);
// The link behind a token, whatever its state.
std::optional<Link> link_for_token(store::Db& db, const std::string& token);
// Revokes the link and ends every session and refresh token of its client
// at once. False when there is no such link in the org, or it was already
// revoked.
bool revoke_link(store::Db& db, const std::string& org_id, const std::string& id, int64_t now);

// The web client's page for a token: "<public_url>/#/onboard/<token>".
std::string link_url(const std::string& public_url, const std::string& token);

// One opening, as recorded: the device is the User-Agent shortened by
// short_device(); the address the one the router computed (trusting a
// configured proxy's X-Forwarded-For only).
struct Opening {
    int64_t at = 0;
    std::string device, address;
};
// "Chrome on Android", "Safari on iOS", ...; the User-Agent's first 60
// characters when neither is recognised; "" for none.
std::string short_device(const std::string& user_agent);
std::vector<Opening> recent_openings(store::Db& db, const std::string& link_id, size_t limit = kRecentOpenings);

// What the client did with the link, for its state.
struct Activity {
    bool completed = false;  // the org's onboarding is complete
    bool saved = false;      // the client saved something (an onboarding event of its own)
    std::optional<int64_t> last_activity_at;  // the client's last onboarding event, or opening
};
Activity activity_of(store::Db& db, const Link& l);
// created | opened | in_progress | completed | expired | revoked
std::string state_of(const Link& l, const Activity& a, int64_t now);

// Whether the link may be opened now: 410 "link_revoked", "link_completed"
// or "link_expired" when not.
Status openable(store::Db& db, const Link& l, int64_t now);

// A new one-time code for a require_code link, replacing any earlier one;
// nullopt when one was issued less than kCodeResendSeconds ago (that one
// stays good). The caller e-mails it, in the same transaction.
std::optional<std::string> issue_code(store::Db& db, const Link& l, const std::string& token, int64_t now);
// Checks and uses up the code. 403 "code_invalid" (the try is counted; the
// last allowed try kills the code) or "code_expired" (no live code: ask for
// a new one).
Status check_code(store::Db& db, const Link& l, const std::string& token, const std::string& code, int64_t now);

struct Exchanged {
    Link link;
    auth::TokenPair tokens;
};
// Opens the link: signs its client in with a new session (making the
// client at the first opening) and records the opening. 404 for an
// unknown token; openable()'s 410s. A require_code link's code is the
// caller's to check first.
Result<Exchanged> exchange(store::Db& db, const std::string& token, const Opening& opening);

// The link whose client this user is, if any.
std::optional<Link> link_of_client(store::Db& db, const std::string& user_id);

// Makes a link client's principal what its link allows: a manager of the
// link's org only, limited to the link's platforms; 401 when the link was
// revoked or the session is over. Other principals pass unchanged. Also
// used where a session is judged outside a request (the OAuth callback).
Status scope_client(store::Db& db, auth::Principal& who, int64_t now);
// Called for every request authenticated by a session: scope_client(),
// then 403 for paths outside client_may_call() and for connecting a
// platform the link does not include.
Status restrict_client(store::Db& db, auth::Principal& who, const http::Request& req, int64_t now);
// The paths a link client of `org_id` may call.
bool client_may_call(const std::string& org_id, const std::string& path);

}  // namespace onramp::onboarding
