#include "edge/oauth/states.h"

#include "edge/crypto/digest.h"
#include "edge/crypto/random.h"

namespace onramp::oauth {

std::string PendingStates::issue(const Pending& p) {
    std::string state = crypto::random_token();
    std::lock_guard<std::mutex> lock(mu_);
    drop_expired(p.created_at);
    by_hash_[crypto::sha256(state)] = p;
    return state;
}

std::optional<Pending> PendingStates::take(const std::string& state, int64_t now) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_hash_.find(crypto::sha256(state));
    if (it == by_hash_.end()) return std::nullopt;
    Pending p = it->second;
    by_hash_.erase(it);
    if (now - p.created_at >= kStateSeconds || now < p.created_at) return std::nullopt;
    return p;
}

size_t PendingStates::size() {
    std::lock_guard<std::mutex> lock(mu_);
    return by_hash_.size();
}

// Abandoned authorizations are forgotten as new ones are issued, so the
// map stays as small as the number of authorizations in the last minutes.
void PendingStates::drop_expired(int64_t now) {
    for (auto it = by_hash_.begin(); it != by_hash_.end();)
        it = now - it->second.created_at >= kStateSeconds ? by_hash_.erase(it) : std::next(it);
}

}  // namespace onramp::oauth
