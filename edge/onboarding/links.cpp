// Onboarding links (edge/onboarding/links.h): minting, opening, one-time
// codes, revoking, and narrowing a link client's principal.
#include "edge/onboarding/links.h"

#include <nlohmann/json.hpp>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/crypto/random.h"
#include "edge/store/accounts.h"
#include "shared/api/onboarding_link.h"
#include "shared/json.h"

namespace onramp::onboarding {

using nlohmann::json;
using store::Db;
using store::Stmt;

namespace {

constexpr const char* kCols =
    "id, org_id, platforms, note, created_by, client_user_id, created_at, expires_at, used_at, revoked_at,"
    " email, require_code, opened_count, last_opened_at";

Link read(Stmt& st) {
    Link l;
    l.id = st.text(0);
    l.org_id = st.text(1);
    json platforms = json::parse(st.text(2), nullptr, false);
    if (platforms.is_array())
        for (const json& p : platforms)
            if (p.is_string()) l.platforms.push_back(p.get<std::string>());
    l.note = st.text(3);
    l.created_by = st.opt_text(4);
    l.client_user_id = st.opt_text(5);
    l.created_at = st.i64(6);
    l.expires_at = st.i64(7);
    l.first_opened_at = st.opt_i64(8);
    l.revoked_at = st.opt_i64(9);
    l.email = st.opt_text(10);
    l.require_code = st.i64(11) != 0;
    l.opened_count = st.i64(12);
    l.last_opened_at = st.opt_i64(13);
    return l;
}

std::optional<Link> one(Db& db, const std::string& where, const std::string& a, const std::string& b = "") {
    Stmt st(db, std::string("SELECT ") + kCols + " FROM onboarding_links WHERE " + where);
    st.bind(1, a);
    if (!b.empty()) st.bind(2, b);
    if (!st.step()) return std::nullopt;
    return read(st);
}

bool org_completed(Db& db, const std::string& org_id) {
    Stmt st(db, "SELECT completed_at FROM onboarding WHERE org_id = ?");
    st.bind(1, org_id);
    return st.step() && !st.is_null(0);
}

// Security: keyed by the token, which the database does not hold, so a
// copy of the database cannot try the million codes offline.
std::string code_hash(const Link& l, const std::string& token, const std::string& code) {
    return crypto::hex_encode(crypto::hmac_sha256(token, l.id + ":" + code));
}

// Six decimal digits, uniform: 4 random bytes reduced mod 10^6 would favour
// small codes slightly, so values past the last whole million are drawn again.
std::string new_code() {
    constexpr uint32_t kLimit = 4294000000u;  // 4294 × 10^6 ≤ 2^32
    for (;;) {
        std::string b = crypto::random_bytes(4);
        uint32_t v = 0;
        for (unsigned char ch : b) v = (v << 8) | ch;
        if (v >= kLimit) continue;
        std::string s = std::to_string(v % 1000000);
        return std::string(6 - s.size(), '0') + s;
    }
}

bool contains_text(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

}  // namespace

bool Link::allows_platform(const std::string& platform) const {
    if (platforms.empty()) return true;
    for (const std::string& p : platforms)
        if (p == platform) return true;
    return false;
}

Minted mint(Db& db, const NewLink& n, int64_t now) {
    Minted m;
    m.token = crypto::random_token();
    Link& l = m.link;
    l.id = crypto::random_id("lnk");
    l.org_id = n.org_id;
    l.platforms = n.platforms;
    l.note = n.note;
    l.created_by = n.created_by;
    l.created_at = now;
    l.expires_at = now + n.ttl_seconds;
    l.email = n.email;
    l.require_code = n.require_code;
    db.write("INSERT INTO onboarding_links (id, org_id, token_hash, platforms, note, created_by, created_at, expires_at,"
             " email, require_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             l.id, l.org_id, auth::token_hash(m.token), dump_json(json(l.platforms)), l.note, l.created_by, now,
             l.expires_at, l.email, l.require_code);
    return m;
}

std::vector<Link> list_links(Db& db, const std::string& org_id) {
    Stmt st(db, std::string("SELECT ") + kCols +
                          " FROM onboarding_links WHERE org_id = ? ORDER BY created_at DESC, id");
    st.bind(1, org_id);
    std::vector<Link> out;
    while (st.step()) out.push_back(read(st));
    return out;
}

std::optional<Link> find_link(Db& db, const std::string& org_id, const std::string& id) {
    return one(db, "org_id = ? AND id = ?", org_id, id);
}

std::optional<Link> link_for_token(Db& db, const std::string& token) {
    if (token.empty()) return std::nullopt;
    return one(db, "token_hash = ?", auth::token_hash(token));
}

bool revoke_link(Db& db, const std::string& org_id, const std::string& id, int64_t now) {
    store::Tx tx(db);
    auto link = find_link(db, org_id, id);
    if (!link || link->revoked_at) return false;
    db.write("UPDATE onboarding_links SET revoked_at = ? WHERE id = ?", now, id);
    db.write("DELETE FROM onboarding_link_codes WHERE link_id = ?", id);
    // Every family holds one session and its refresh tokens; revoking them
    // all ends every device the link was opened on, at once.
    if (link->client_user_id)
        db.write("UPDATE token_families SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now,
                 *link->client_user_id);
    tx.commit();
    return true;
}

std::string link_url(const std::string& public_url, const std::string& token) {
    return public_url + "/#/onboard/" + token;
}

std::string short_device(const std::string& ua) {
    if (ua.empty()) return "";
    // Order matters: Edge and Opera also say Chrome; Chrome also says Safari.
    const char* browser = contains_text(ua, "Edg/")                                     ? "Edge"
                          : contains_text(ua, "OPR/")                                   ? "Opera"
                          : contains_text(ua, "Firefox/") || contains_text(ua, "FxiOS/") ? "Firefox"
                          : contains_text(ua, "Chrome/") || contains_text(ua, "CriOS/")  ? "Chrome"
                          : contains_text(ua, "Safari/")                                ? "Safari"
                                                                                        : nullptr;
    const char* os = contains_text(ua, "Android")                                          ? "Android"
                     : contains_text(ua, "iPhone") || contains_text(ua, "iPad")            ? "iOS"
                     : contains_text(ua, "Windows")                                        ? "Windows"
                     : contains_text(ua, "Mac OS X") || contains_text(ua, "Macintosh")     ? "macOS"
                     : contains_text(ua, "CrOS")                                           ? "ChromeOS"
                     : contains_text(ua, "Linux")                                          ? "Linux"
                                                                                           : nullptr;
    if (browser && os) return std::string(browser) + " on " + os;
    if (browser || os) return browser ? browser : os;
    std::string cut = ua.substr(0, 60);
    for (char& ch : cut)
        if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e) ch = '?';
    return cut;
}

std::vector<Opening> recent_openings(Db& db, const std::string& link_id, size_t limit) {
    Stmt st(db,
            "SELECT opened_at, device, address FROM onboarding_link_openings WHERE link_id = ?"
            " ORDER BY opened_at DESC, id DESC LIMIT ?");
    st.bind_all(link_id, int64_t(limit));
    std::vector<Opening> out;
    while (st.step()) out.push_back({st.i64(0), st.text(1), st.text(2)});
    return out;
}

Activity activity_of(Db& db, const Link& l) {
    Activity a;
    a.completed = org_completed(db, l.org_id);
    a.last_activity_at = l.last_opened_at;
    if (!l.client_user_id) return a;
    Stmt st(db,
            "SELECT MAX(timestamp), COUNT(*) FROM onboarding_events WHERE user_id = ? AND org_id = ?"
            " AND step != 'onboarding_link'");
    st.bind_all(*l.client_user_id, l.org_id);
    if (st.step() && st.i64(1) > 0) {
        a.saved = true;
        a.last_activity_at = std::max(a.last_activity_at.value_or(0), st.i64(0));
    }
    return a;
}

std::string state_of(const Link& l, const Activity& a, int64_t now) {
    return api::link_state_name(l.revoked_at.has_value(), a.completed, l.expires_at <= now, a.saved,
                                l.opened_count > 0);
}

Status openable(Db& db, const Link& l, int64_t now) {
    if (l.revoked_at)
        return gone("This onboarding link was revoked by the team that sent it. Ask them for a new one.",
                    "link_revoked");
    if (org_completed(db, l.org_id))
        return gone("This onboarding is complete, so the link no longer opens. Thank you!", "link_completed");
    if (l.expires_at <= now) return gone("This onboarding link has expired. Ask for a new one.", "link_expired");
    return ok_status();
}

std::optional<std::string> issue_code(Db& db, const Link& l, const std::string& token, int64_t now) {
    Stmt st(db, "SELECT created_at, expires_at, attempts FROM onboarding_link_codes WHERE link_id = ?");
    st.bind(1, l.id);
    if (st.step() && st.i64(0) + kCodeResendSeconds > now && st.i64(1) > now && st.i64(2) < kCodeAttempts)
        return std::nullopt;
    std::string code = new_code();
    db.write("INSERT OR REPLACE INTO onboarding_link_codes (link_id, code_hash, created_at, expires_at, attempts)"
             " VALUES (?, ?, ?, ?, 0)",
             l.id, code_hash(l, token, code), now, now + kCodeSeconds);
    return code;
}

Status check_code(Db& db, const Link& l, const std::string& token, const std::string& code, int64_t now) {
    Stmt st(db, "SELECT code_hash, expires_at, attempts FROM onboarding_link_codes WHERE link_id = ?");
    st.bind(1, l.id);
    if (!st.step() || st.i64(1) <= now || st.i64(2) >= kCodeAttempts) {
        Problem p = forbidden("This code has expired or was tried too many times. Ask for a new code.");
        p.error_code = "code_expired";
        return p;
    }
    if (crypto::constant_time_equal(st.text(0), code_hash(l, token, code))) {
        db.write("DELETE FROM onboarding_link_codes WHERE link_id = ?", l.id);
        return ok_status();
    }
    int left = kCodeAttempts - int(st.i64(2)) - 1;
    db.write("UPDATE onboarding_link_codes SET attempts = attempts + 1 WHERE link_id = ?", l.id);
    Problem p = forbidden(left > 0 ? "That code is not right. Check the e-mail and try again (" +
                                         std::to_string(left) + (left == 1 ? " try" : " tries") + " left)."
                                   : "That code is not right, and it was the last try. Ask for a new code.");
    p.error_code = left > 0 ? "code_invalid" : "code_expired";
    return p;
}

Result<Exchanged> exchange(Db& db, const std::string& token, const Opening& opening) {
    const int64_t now = opening.at;
    auto link = link_for_token(db, token);
    if (!link) return not_found("No such onboarding link. Check that the whole link was copied.");
    if (Status s = openable(db, *link, now); !s) return s.problem();

    store::Tx tx(db);
    if (!link->client_user_id) {
        // An address under .invalid (RFC 2606) can never receive mail or
        // collide with a real person's account; the account has no password.
        auto client = store::insert_user(db, "link-" + link->id + "@onboarding.invalid", "Client (onboarding link)",
                                         std::nullopt, false, now);
        if (!client) return internal_error();
        link->client_user_id = client->id;
    }
    // Security: the conditions again, in the update itself, so a revocation
    // that commits between the read above and here wins.
    int opened = db.write("UPDATE onboarding_links SET client_user_id = ?, used_at = COALESCE(used_at, ?),"
                          " opened_count = opened_count + 1, last_opened_at = ?"
                          " WHERE id = ? AND revoked_at IS NULL AND expires_at > ?",
                          *link->client_user_id, now, now, link->id, now);
    if (opened != 1) return gone("This onboarding link can no longer be opened.", "link_revoked");
    db.write("INSERT INTO onboarding_link_openings (link_id, opened_at, device, address) VALUES (?, ?, ?, ?)",
             link->id, now, opening.device, opening.address);
    tx.commit();
    Exchanged out;
    out.tokens = auth::start_session(db, *link->client_user_id, now);
    link->first_opened_at = link->first_opened_at.value_or(now);
    link->last_opened_at = now;
    link->opened_count += 1;
    out.link = *link;
    return out;
}

std::optional<Link> link_of_client(Db& db, const std::string& user_id) {
    return one(db, "client_user_id = ?", user_id);
}

bool client_may_call(const std::string& org_id, const std::string& path) {
    auto starts = [&](const std::string& prefix) { return path.rfind(prefix, 0) == 0; };
    std::string org = "/api/v1/orgs/" + org_id;
    return starts("/api/v1/onboarding/") || path == org + "/connections" || starts(org + "/connections/") ||
           starts(org + "/oauth/") || starts("/api/v1/connectors/") || path == "/api/v1/auth/logout";
}

namespace {

// The platform a request would connect, if it connects one: the body of
// POST .../connections, or the path of .../oauth/{platform}/start or of
// /api/v1/connectors/{platform}/test.
std::string platform_connected_by(const std::string& org_id, const http::Request& req) {
    std::string org = "/api/v1/orgs/" + org_id;
    if (req.method == "POST" && req.path == org + "/connections") {
        auto body = parse_json(req.body);
        if (body && body->is_object() && body->contains("platform") && (*body)["platform"].is_string())
            return (*body)["platform"].get<std::string>();
        return "";
    }
    for (const std::string& prefix : {org + "/oauth/", std::string("/api/v1/connectors/")})
        if (req.path.rfind(prefix, 0) == 0)
            return req.path.substr(prefix.size(), req.path.find('/', prefix.size()) - prefix.size());
    return "";
}

}  // namespace

namespace {

Status narrow(const Link& link, auth::Principal& who, int64_t now) {
    if (link.revoked_at) {
        Problem p = unauthorized("This onboarding link was revoked by the team that sent it.");
        p.error_code = "link_revoked";
        return p;
    }
    if (now >= link.session_ends_at()) return unauthorized("This onboarding session has ended. Open the link again.");
    who.is_operator = false;
    who.api_key_id.clear();
    who.memberships = {{link.org_id, "manager"}};
    who.platforms = link.platforms;
    return ok_status();
}

}  // namespace

Status scope_client(Db& db, auth::Principal& who, int64_t now) {
    auto link = link_of_client(db, who.user_id);
    return link ? narrow(*link, who, now) : ok_status();
}

Status restrict_client(Db& db, auth::Principal& who, const http::Request& req, int64_t now) {
    auto link = link_of_client(db, who.user_id);
    if (!link) return ok_status();
    if (Status s = narrow(*link, who, now); !s) return s;
    if (!client_may_call(link->org_id, req.path))
        return forbidden("A session opened by an onboarding link can only use its organization's onboarding.");
    std::string platform = platform_connected_by(link->org_id, req);
    if (!platform.empty() && !who.may_use_platform(platform))
        return forbidden("This onboarding link does not include " + platform + ".");
    return ok_status();
}

}  // namespace onramp::onboarding
