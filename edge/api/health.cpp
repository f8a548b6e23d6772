// Health and metrics for load balancers, orchestrators and scrapers.
//
//   GET /healthz  liveness: the process answers (always 200)
//   GET /readyz   readiness: 200 {"status": "ready", "checks": {...}}, or a
//                 503 problem (error_code "not_ready") whose detail and
//                 "checks" name each failing check:
//                   database        a trivial query on a pooled connection
//                                   answers within a short busy timeout
//                   vault           the master key is loaded and is the one
//                                   whose key check value the database holds
//                   sync_engine,    the worker's loop went round recently
//                   webhook_worker  (only where the worker runs)
//   GET /metrics  Prometheus text (edge/metrics/edge_metrics.h lists the
//                 metrics); operators, or the scrape token (serve
//                 --metrics-token-file / ONRAMP_METRICS_TOKEN)
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/metrics/edge_metrics.h"
#include "edge/sync/engine.h"
#include "edge/webhooks/worker.h"
#include "shared/json.h"
#include "shared/version.h"

namespace onramp::api {

using http::Call;
using http::Response;
using nlohmann::json;

namespace {

// A probe must answer before the orchestrator's own timeout, instead of
// queueing behind a long write for the pool's usual busy timeout.
constexpr int kProbeBusyTimeoutMs = 250;
// A loop goes round every few seconds when idle and once per page or
// delivery when busy; a page waits at most for the platform's timeouts and
// rate limit. Five minutes without a round means it is stuck.
constexpr int64_t kStaleAfterSeconds = 300;

// Each check returns "" when healthy, else what is wrong (never a secret).
std::string check_database(App& app) {
    try {
        auto db = app.store->lease();
        int64_t usual = 0;
        {
            store::Stmt st(*db, "PRAGMA busy_timeout");
            if (st.step()) usual = st.i64(0);
        }
        sqlite3_busy_timeout(db->raw(), kProbeBusyTimeoutMs);
        std::string problem;
        try {
            store::Stmt st(*db, "SELECT COUNT(*) FROM sqlite_schema");
            st.step();
        } catch (const std::exception& e) {
            problem = e.what();
        }
        sqlite3_busy_timeout(db->raw(), int(usual));
        return problem;
    } catch (const std::exception& e) {
        return e.what();
    }
}

std::string check_vault(App& app) {
    if (!app.vault) return "the vault is not loaded";
    try {
        auto db = app.store->lease();
        store::Stmt st(*db, "SELECT kcv, state FROM vault_keys WHERE key_id = ?");
        st.bind(1, app.vault->key_id());
        if (!st.step()) return "the database holds no key check value for the loaded key";
        if (st.text(1) == "retired") return "the loaded key was retired by a rotation; restart with the current key";
        // A key's id is derived from its key check value (edge/vault.h):
        // the stored value yields the loaded key's id only if it matches.
        if (crypto::hex_encode(crypto::sha256(st.text(0)).substr(0, 8)) != app.vault->key_id())
            return "the key check value in the database does not match the loaded key";
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

std::string check_heartbeat(int64_t beat, int64_t now) {
    if (beat == 0) return "its loop has not run";
    if (now - beat > kStaleAfterSeconds)
        return "its loop last went round " + std::to_string(now - beat) + " s ago";
    return "";
}

Result<Response> readiness(App& app) {
    std::vector<std::pair<std::string, std::string>> results = {
        {"database", check_database(app)},
        {"vault", check_vault(app)},
    };
    int64_t now = app.now();
    if (app.sync) results.emplace_back("sync_engine", check_heartbeat(app.sync->heartbeat.load(), now));
    if (app.webhooks) results.emplace_back("webhook_worker", check_heartbeat(app.webhooks->heartbeat.load(), now));

    json checks = json::object();
    std::string failing;
    for (const auto& [name, problem] : results) {
        checks[name] = problem.empty() ? json{{"ok", true}} : json{{"ok", false}, {"detail", problem}};
        if (!problem.empty()) failing += (failing.empty() ? "" : "; ") + name + ": " + problem;
    }
    if (failing.empty()) return Response::json({{"status", "ready"}, {"checks", checks}});
    Problem p;
    p.status = 503;
    p.error_code = "not_ready";
    p.title = "Not ready";
    p.detail = "Not ready: " + failing + ".";
    p.extensions_json = dump_json({{"checks", checks}});
    return p;
}

// The scrape token as a bearer token. Both sides are hashed first so the
// comparison takes the same time whatever the length of a guess.
bool has_scrape_token(const App& app, const http::Request& req) {
    const std::string& token = app.metrics.scrape_token;
    std::string header = req.header("Authorization");
    const std::string prefix = "Bearer ";
    if (token.empty() || header.compare(0, prefix.size(), prefix) != 0) return false;
    return crypto::constant_time_equal(crypto::sha256(header.substr(prefix.size())), crypto::sha256(token));
}

Result<Response> metrics_text(App& app, const Call& c) {
    if (!(c.who && c.who->is_operator) && !has_scrape_token(app, c.req)) {
        if (c.who) return forbidden("Only operators and the metrics token can read metrics.");
        return unauthorized("Send an operator's access token or the metrics token.");
    }
    auto db = app.store->lease();
    Response r;
    r.content_type = metrics::kContentType;
    r.body = metrics::scrape(app.metrics, *db, app.now() - app.started_at);
    return r;
}

}  // namespace

void add_health_routes(http::Router& r, App& app) {
    r.add({"GET", "/healthz", http::Access::Public, http::Body::None, [&app](const Call&) -> Result<Response> {
               int64_t uptime = app.now() - app.started_at;
               return Response::json({{"status", "ok"}, {"version", kVersion}, {"uptime_seconds", uptime}});
           }});
    r.add({"GET", "/readyz", http::Access::Public, http::Body::None,
           [&app](const Call&) -> Result<Response> { return readiness(app); }});
    // Public in the table: the handler accepts the scrape token, which is
    // not a user's credential.
    r.add({"GET", "/metrics", http::Access::Public, http::Body::None,
           [&app](const Call& c) { return metrics_text(app, c); }});
}

}  // namespace onramp::api
