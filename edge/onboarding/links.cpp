#include "edge/onboarding/links.h"

#include <nlohmann/json.hpp>

#include "edge/crypto/random.h"
#include "edge/store/accounts.h"
#include "shared/json.h"

namespace onramp::onboarding {

using nlohmann::json;
using store::Db;
using store::Stmt;

namespace {

constexpr const char* kCols =
    "id, org_id, platforms, note, created_by, client_user_id, created_at, expires_at, used_at, revoked_at";

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
    if (!st.is_null(8)) l.used_at = st.i64(8);
    if (!st.is_null(9)) l.revoked_at = st.i64(9);
    return l;
}

std::optional<Link> one(Db& db, const std::string& where, const std::string& a, const std::string& b = "") {
    Stmt st(db, std::string("SELECT ") + kCols + " FROM onboarding_links WHERE " + where);
    st.bind(1, a);
    if (!b.empty()) st.bind(2, b);
    if (!st.step()) return std::nullopt;
    return read(st);
}

std::optional<Problem> unusable(const Link& l, int64_t now) {
    std::string s = l.status(now);
    if (s == "used")
        return gone("This onboarding link was already opened. Ask the person who sent it for a new one.", "link_used");
    if (s == "revoked") return gone("This onboarding link was withdrawn. Ask for a new one.", "link_revoked");
    if (s == "expired") return gone("This onboarding link has expired. Ask for a new one.", "link_expired");
    return std::nullopt;
}

}  // namespace

std::string Link::status(int64_t now) const {
    if (revoked_at) return "revoked";
    if (used_at) return "used";
    if (expires_at <= now) return "expired";
    return "active";
}

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
    db.write("INSERT INTO onboarding_links (id, org_id, token_hash, platforms, note, created_by, created_at, expires_at)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             l.id, l.org_id, auth::token_hash(m.token), dump_json(json(l.platforms)), l.note, l.created_by, now,
             l.expires_at);
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

bool revoke_link(Db& db, const std::string& org_id, const std::string& id, int64_t now) {
    store::Tx tx(db);
    auto link = find_link(db, org_id, id);
    if (!link || link->revoked_at) return false;
    db.write("UPDATE onboarding_links SET revoked_at = ? WHERE id = ?", now, id);
    if (link->client_user_id)
        db.write("UPDATE token_families SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now,
                 *link->client_user_id);
    tx.commit();
    return true;
}

std::string link_url(const std::string& public_url, const std::string& token) {
    return public_url + "/#/onboard/" + token;
}

Result<Exchanged> exchange(Db& db, const std::string& token, int64_t now) {
    if (token.empty()) return not_found("No such onboarding link. Check that the whole link was copied.");
    auto link = one(db, "token_hash = ?", auth::token_hash(token));
    if (!link) return not_found("No such onboarding link. Check that the whole link was copied.");
    if (auto p = unusable(*link, now)) return *p;

    store::Tx tx(db);
    // Security: single use even when two browsers open the link at once;
    // only one conditional update can change the row.
    int used = db.write("UPDATE onboarding_links SET used_at = ? WHERE id = ? AND used_at IS NULL"
                        " AND revoked_at IS NULL AND expires_at > ?",
                        now, link->id, now);
    if (used != 1) return gone("This onboarding link was already opened.", "link_used");
    // An address under .invalid (RFC 2606) can never receive mail or collide
    // with a real person's account; the account has no password.
    auto client = store::insert_user(db, "link-" + link->id + "@onboarding.invalid", "Client (onboarding link)",
                                     std::nullopt, false, now);
    if (!client) return internal_error();
    db.write("UPDATE onboarding_links SET client_user_id = ? WHERE id = ?", client->id, link->id);
    tx.commit();
    Exchanged out;
    out.tokens = auth::start_session(db, client->id, now);
    link->used_at = now;
    link->client_user_id = client->id;
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

Status restrict_client(Db& db, auth::Principal& who, const http::Request& req, int64_t now) {
    auto link = link_of_client(db, who.user_id);
    if (!link) return ok_status();
    if (link->revoked_at) return unauthorized("This onboarding link was withdrawn.");
    if (now >= link->session_ends_at()) return unauthorized("This onboarding session has ended. Ask for a new link.");
    who.is_operator = false;
    who.api_key_id.clear();
    who.memberships = {{link->org_id, "manager"}};
    who.platforms = link->platforms;
    if (!client_may_call(link->org_id, req.path))
        return forbidden("A session opened by an onboarding link can only use its organization's onboarding.");
    std::string platform = platform_connected_by(link->org_id, req);
    if (!platform.empty() && !who.may_use_platform(platform))
        return forbidden("This onboarding link does not include " + platform + ".");
    return ok_status();
}

}  // namespace onramp::onboarding
