// The running edge's services, gathered in one struct that is passed to
// every handler and worker (no hidden globals): configuration, the store,
// the clock. Tests build one over a temporary directory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "edge/auth/login_limiter.h"
#include "edge/config.h"
#include "edge/connections/contexts.h"
#include "edge/log.h"
#include "edge/metrics/edge_metrics.h"
#include "edge/oauth/states.h"
#include "edge/store/db.h"
#include "edge/vault.h"

namespace onramp {

namespace events { class Dispatcher; }
namespace mail { class Sender; }
namespace sync { class Engine; }
namespace webhooks { class Worker; }

struct App {
    Config config;
    std::unique_ptr<store::Store> store;
    std::function<int64_t()> now;  // Unix seconds; tests move time forward
    auth::LoginLimiter login_limiter;
    // Requests that e-mail an account (password resets, invitation proofs),
    // per client address and per recipient.
    auth::RequestLimiter mail_limiter;
    // scrypt cost (log2 N). Production uses 15 (32 MiB, ~0.1 s); tests
    // lower it so that hundreds of users can be made in a suite.
    int scrypt_log2_n = 15;
    int64_t started_at = 0;
    std::unique_ptr<Vault> vault;
    // Call contexts per connection; made once config is final.
    std::unique_ptr<connections::Contexts> contexts;
    // Background sync; null where no workers run (one-shot commands).
    sync::Engine* sync = nullptr;
    // Applies webhook deliveries; null where none runs. Woken after each inbox commit.
    webhooks::Worker* webhooks = nullptr;
    // Sends queued e-mail; null where none runs. Woken after each enqueue.
    mail::Sender* mail = nullptr;
    // Sends event deliveries to their endpoints (edge/events/); null where none runs.
    events::Dispatcher* events = nullptr;
    // OAuth authorizations in progress (edge/oauth/states.h).
    oauth::PendingStates oauth_states;
    // Operational events that are neither requests (the access log) nor
    // state changes (the audit log), such as a proxied answer cut short:
    // one JSON line each, never a secret. Written to stderr with "ts" and
    // "level" (a line's own "level" is kept; info otherwise) and filtered
    // by --log-level (edge/log.h). Tests replace it to read them.
    std::function<void(const std::string& line)> log = [](const std::string& line) { logging::log_line(line); };
    // Counters and gauges for GET /metrics (edge/metrics/edge_metrics.h).
    metrics::EdgeMetrics metrics;
    // Reads an environment variable, "" when unset: the process-wide
    // settings (CHATWOOT_*, SHOPIFY_API_*). Tests replace it.
    std::function<std::string(const std::string&)> env = [](const std::string& name) {
        const char* v = std::getenv(name.c_str());
        return std::string(v ? v : "");
    };
};

int64_t system_now();

}  // namespace onramp
