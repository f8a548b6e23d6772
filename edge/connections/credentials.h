// A connection's credentials at rest: sensitive fields in the vault,
// the rest (store hash, shop domain, base URL) as plain settings on the
// connection row, and masked forms for responses.
#pragma once

#include <map>
#include <string>

#include "edge/connectors/connector.h"
#include "edge/store/connections.h"
#include "edge/vault.h"

namespace onramp::connections {

// Splits validated credentials onto the row (config, masked) and into the
// vault (each sensitive field). Call inside the caller's transaction, after
// the row exists (the vault binds each secret to the connection's id).
Status store_credentials(const Vault& vault, store::Db& db, store::Connection& row,
                         const connectors::Connector& entry, const connectors::Credentials& values);
// Replaces every stored field (rotation): old vault fields not in `values`
// are removed, so a field dropped from the form does not linger.
Status replace_credentials(const Vault& vault, store::Db& db, store::Connection& row,
                           const connectors::Connector& entry, const connectors::Credentials& values);
// The non-secret credential fields kept on the row (base URL, auth type).
connectors::Credentials settings_of(const store::Connection& row);
// Reassembles the full credentials for a platform call. The result holds
// secrets: keep it on the stack, never log it.
Result<connectors::Credentials> load_credentials(const Vault& vault, store::Db& db, const store::Connection& row,
                                                 const connectors::Connector& entry);

}  // namespace onramp::connections
