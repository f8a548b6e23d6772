#include "edge/http/relay.h"

namespace onramp::http {

bool Relay::push(std::string_view bytes) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [&] { return stopped_ || ended_ || buffered_ == 0 || buffered_ + bytes.size() <= capacity_; });
    if (stopped_ || ended_) return false;
    if (bytes.empty()) return true;
    pieces_.emplace_back(bytes);
    buffered_ += bytes.size();
    changed_.notify_all();
    return true;
}

void Relay::finish() {
    std::lock_guard<std::mutex> lock(mu_);
    ended_ = true;
    changed_.notify_all();
}

void Relay::cut(const std::string& reason) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!ended_ && cut_reason_.empty()) cut_reason_ = reason.empty() ? "cut" : reason;
    ended_ = true;
    changed_.notify_all();
}

bool Relay::pull(std::string& out) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [&] { return !pieces_.empty() || ended_ || stopped_; });
    if (pieces_.empty()) return false;
    out = std::move(pieces_.front());
    pieces_.pop_front();
    buffered_ -= out.size();
    changed_.notify_all();
    return true;
}

void Relay::stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    changed_.notify_all();
}

std::string Relay::cut_reason() const {
    std::lock_guard<std::mutex> lock(mu_);
    return cut_reason_;
}

}  // namespace onramp::http
