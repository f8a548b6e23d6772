// The audit log: an append-only record of who did what to which object.
// Entries never carry secrets: callers pass ids and names, never values.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "edge/store/db.h"

namespace onramp {

namespace auth { struct Principal; }
namespace http { struct Request; }

struct AuditEntry {
    std::string action;       // "login.succeeded", "org.created", "credential.rotated", ...
    std::string org_id;       // empty when not about one org
    std::string object_type;  // "org", "user", "connection", ...
    std::string object_id;
    nlohmann::json detail = nlohmann::json::object();
};

// Records the entry with actor, request id and address taken from the call.
void audit(store::Db& db, int64_t now, const auth::Principal* who, const http::Request* req, const AuditEntry& e);

}  // namespace onramp
