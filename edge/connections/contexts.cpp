#include "edge/connections/contexts.h"

namespace onramp::connections {

connectors::CallContext Contexts::one_off() const {
    connectors::CallContext ctx;
    ctx.base_urls = config_.base_urls;
    ctx.now = now_;
    // Security: only demo mode, whose platforms are mocks on loopback, may
    // reach private addresses; elsewhere that would be SSRF.
    ctx.allow_private_addresses = config_.demo;
    // An interactive test waits for a platform's Retry-After up to this
    // long; beyond it the client is told when to try again.
    ctx.retry.max_delay_ms = 10000;
    return ctx;
}

connectors::CallContext Contexts::for_connection(const std::string& connection_id, const connectors::Connector& entry) {
    connectors::CallContext ctx = one_off();
    // Background work waits out a long Retry-After instead of failing.
    ctx.retry.max_delay_ms = 60000;
    std::lock_guard<std::mutex> lock(mu_);
    Shared& s = shared_[connection_id];
    if (!s.budget) s.budget = std::make_shared<connectors::RateBudget>(entry.rate_limit);
    if (!s.tokens) s.tokens = std::make_shared<connectors::TokenCache>();
    ctx.budget = s.budget;
    ctx.tokens = s.tokens;
    if (save_) ctx.save_credentials = [save = save_, connection_id](const connectors::Credentials& changed) {
        save(connection_id, changed);
    };
    return ctx;
}

void Contexts::set_renewals(Saver save, std::function<int64_t()> now) {
    save_ = std::move(save);
    now_ = std::move(now);
}

void Contexts::forget(const std::string& connection_id) {
    std::lock_guard<std::mutex> lock(mu_);
    shared_.erase(connection_id);
}

}  // namespace onramp::connections
