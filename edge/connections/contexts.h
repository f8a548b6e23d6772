// Per-connection call contexts: each connection keeps one RateBudget and
// one token cache for its whole life in this process, so every caller
// (test, sync worker, proxy, webhook refetch) paces against the same budget
// and the platform never sees more than its limit from us.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "edge/config.h"
#include "edge/connectors/connector.h"

namespace onramp::connections {

class Contexts {
public:
    explicit Contexts(const Config& config) : config_(config) {}

    // A fresh context for a one-off call (testing credentials before a
    // connection exists).
    connectors::CallContext one_off() const;
    // The connection's context; its budget and token cache are shared.
    connectors::CallContext for_connection(const std::string& connection_id, const connectors::Connector& entry);
    void forget(const std::string& connection_id);

    // What a connection's calls need from the rest of the edge: the clock,
    // and where credentials a platform renews during a call are stored
    // (renewals.h installs both). Unset, calls use the system clock and
    // renewed credentials live only in the token cache. Set once, before
    // the first call.
    using Saver = std::function<void(const std::string& connection_id, const connectors::Credentials& changed)>;
    void set_renewals(Saver save, std::function<int64_t()> now);

private:
    struct Shared {
        std::shared_ptr<connectors::RateBudget> budget;
        std::shared_ptr<connectors::TokenCache> tokens;
    };
    const Config& config_;
    Saver save_;
    std::function<int64_t()> now_;
    std::mutex mu_;
    std::map<std::string, Shared> shared_;
};

}  // namespace onramp::connections
