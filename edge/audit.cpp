#include "edge/audit.h"

#include "edge/auth/principal.h"
#include "edge/http/message.h"
#include "shared/json.h"

namespace onramp {

void audit(store::Db& db, int64_t now, const auth::Principal* who, const http::Request* req, const AuditEntry& e) {
    auto opt = [](const std::string& s) { return s.empty() ? std::optional<std::string>() : s; };
    db.write(
        "INSERT INTO audit_log (at, actor_id, actor_email, org_id, action, object_type, object_id, request_id, ip, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        now, who ? opt(who->user_id) : std::nullopt, who ? opt(who->email) : std::nullopt, opt(e.org_id), e.action,
        opt(e.object_type), opt(e.object_id), req ? opt(req->request_id) : std::nullopt,
        req ? opt(req->remote_addr) : std::nullopt, dump_json(e.detail));
}

}  // namespace onramp
