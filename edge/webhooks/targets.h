// Where a delivery goes and what verifies it: the connection, its endpoint
// and its secrets, kept in memory between deliveries. Reading them took
// three queries and a decryption per delivery, a sixth of the receiver's
// CPU under load.
//
// Why an entry cannot go stale: migration 009's triggers bump a counter on
// every write to connections, webhook endpoints and vault secrets, in
// whichever process makes it; each lookup reads the counter first and
// starts afresh when it moved. A previous secret's grace ends by the
// clock, not by a write, so an entry that carries one lives only until
// that moment.
//
// Unknown connection ids are not remembered: forged ids must not fill it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "edge/store/connections.h"
#include "edge/vault.h"
#include "edge/webhooks/endpoint.h"

namespace onramp::webhooks {

struct Target {
    store::Connection connection;
    std::optional<Endpoint> endpoint;
    const Scheme* scheme = nullptr;     // scheme_of(connection, endpoint)
    Secrets secrets;                    // as load_secrets() gave them
    int64_t valid_until = INT64_MAX;    // when the previous secret's grace ends
};

class Targets {
public:
    // The target for `connection_id`, or nullptr when there is no such
    // connection.
    std::shared_ptr<const Target> find(const Vault& vault, store::Db& db, const std::string& connection_id,
                                       int64_t now);

private:
    std::mutex mu_;
    int64_t version_ = -1;
    std::unordered_map<std::string, std::shared_ptr<const Target>> by_connection_;
};

}  // namespace onramp::webhooks
