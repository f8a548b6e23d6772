// onramp-edge serve: the server. Flags override ONRAMP_* environment
// variables, which override the defaults in edge/config.h.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "edge/api/routes.h"
#include "edge/cli/access_log.h"
#include "edge/cli/commands.h"
#include "edge/cli/flags.h"
#include "edge/cli/installed.h"
#include "edge/connections/renewals.h"
#include "edge/data_dir.h"
#include "edge/demo.h"
#include "edge/documents/ingest.h"
#include "edge/events/dispatcher.h"
#include "edge/http/server.h"
#include "edge/log.h"
#include "edge/mail/message.h"
#include "edge/mail/queue.h"
#include "edge/mail/sender.h"
#include "edge/metrics/requests.h"
#include "edge/mock/server.h"
#include "edge/sync/engine.h"
#include "edge/webhooks/worker.h"
#include "shared/validation/fields.h"

namespace onramp::cli {

namespace {

const std::vector<FlagSpec> kServeFlags = {
    {"listen", true, false, "HOST:PORT  address to listen on (ONRAMP_LISTEN; default 127.0.0.1:8080)"},
    {"data", true, false, "DIR  data directory: database, key file, uploads (ONRAMP_DATA; default ./data)"},
    {"web-root", true, false, "DIR  serve the web client from DIR at / (ONRAMP_WEB_ROOT)"},
    {"demo", false, false, "demo mode: seed a demo operator and organization"},
    {"threads", true, false, "N  worker threads that run handlers (ONRAMP_THREADS; default 8)"},
    {"max-body", true, false, "BYTES  request body limit (ONRAMP_MAX_BODY; default 1048576)"},
    {"public-url", true, false, "URL  how platforms reach this server, for webhook URLs (ONRAMP_PUBLIC_URL)"},
    {"base-url", true, true, "PLATFORM=URL  send a connector's API calls to URL instead of the platform"},
    {"smtp-url", true, false, "URL  send e-mail through this SMTP server, smtp:// or smtps:// (ONRAMP_SMTP_URL)"},
    {"mail-from", true, false, "ADDRESS  sender of e-mail, \"Name <address>\" (ONRAMP_MAIL_FROM)"},
    {"smtp-password-file", true, false, "FILE  SMTP password (else ONRAMP_SMTP_PASSWORD; user: ONRAMP_SMTP_USER)"},
    {"log-level", true, false, "LEVEL  least severe log line written: debug, info, warn, error (ONRAMP_LOG_LEVEL; default info)"},
    {"metrics-token-file", true, false, "FILE  a bearer token that may read /metrics besides operators (ONRAMP_METRICS_TOKEN)"},
    {"header-timeout", true, false, "SECONDS  time a request's header may take (ONRAMP_HEADER_TIMEOUT; default 10)"},
    {"body-min-rate", true, false,
     "BYTES  slowest average rate a body may arrive at, per second, after the header timeout (ONRAMP_BODY_MIN_RATE; "
     "default 8192)"},
    {"idle-timeout", true, false,
     "SECONDS  keep-alive connections close after this long idle (ONRAMP_IDLE_TIMEOUT; default 60)"},
    {"max-connections", true, false, "N  open connections in all (ONRAMP_MAX_CONNECTIONS; default 10000)"},
    {"max-connections-per-address", true, false,
     "N  open connections from one address (ONRAMP_MAX_CONNECTIONS_PER_ADDRESS; default 256)"},
    {"onboarding-sync-wait", true, false,
     "SECONDS  how long one-call onboarding waits for its initial sync, 0..600 (ONRAMP_ONBOARDING_SYNC_WAIT; "
     "default 20)"},
    {"outbound-allow-http", false, false, "send events to plain http:// endpoints too (tests and demos)"},
    {"outbound-allow-private", false, false,
     "send events to loopback, private and link-local addresses too (tests and demos)"},
    {"trusted-proxy", true, true,
     "CIDR  a reverse proxy whose X-Forwarded-For/-Proto are believed; repeatable (ONRAMP_TRUSTED_PROXIES, "
     "comma-separated)"},
};

bool parse_listen(const std::string& s, Config& c) {
    size_t colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    char* end = nullptr;
    long port = std::strtol(s.c_str() + colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535) return false;
    c.host = s.substr(0, colon);
    c.port = int(port);
    return true;
}

bool parse_positive(const std::string& s, long long max, long long& out) {
    char* end = nullptr;
    out = std::strtoll(s.c_str(), &end, 10);
    return !s.empty() && !*end && out > 0 && out <= max;
}

// The e-mail settings (edge/mail/). Credentials come from the environment
// or a file, never from a flag: a flag's value is visible to every user
// in the process list. False after printing a usage error.
// pick(flag, env): the flag's value, else the variable's.
template <class Pick>
bool read_mail_config(const ParsedFlags& f, Config& c, Pick pick) {
    auto url = pick("smtp-url", "ONRAMP_SMTP_URL");
    if (!url) return true;
    if (url->rfind("smtp://", 0) != 0 && url->rfind("smtps://", 0) != 0) {
        std::fprintf(stderr, "onramp-edge serve: --smtp-url wants smtp://HOST[:PORT] or smtps://HOST[:PORT]\n");
        return false;
    }
    auto from = pick("mail-from", "ONRAMP_MAIL_FROM");
    if (!from || !mail::valid_address(mail::address_of(*from))) {
        std::fprintf(stderr, "onramp-edge serve: --smtp-url needs --mail-from ADDRESS (or \"Name <address>\")\n");
        return false;
    }
    c.smtp_url = *url;
    c.mail_from = *from;
    if (const char* u = std::getenv("ONRAMP_SMTP_USER")) c.smtp_user = u;
    if (auto file = f.get("smtp-password-file")) {
        std::ifstream in(*file);
        if (!in || !std::getline(in, c.smtp_password)) {
            std::fprintf(stderr, "onramp-edge serve: cannot read the SMTP password from %s\n", file->c_str());
            return false;
        }
    } else if (const char* pw = std::getenv("ONRAMP_SMTP_PASSWORD")) {
        c.smtp_password = pw;
    }
    return true;
}

// A flag's value, else its environment variable's, else nothing.
std::optional<std::string> flag_or_env(const ParsedFlags& f, const char* flag, const char* env) {
    if (auto v = f.get(flag)) return v;
    if (const char* e = std::getenv(env); e && *e) return std::string(e);
    return std::nullopt;
}

// Reads flags over environment variables. False after printing a usage error.
bool build_config(const ParsedFlags& f, Config& c) {
    auto pick = [&f](const char* flag, const char* env) { return flag_or_env(f, flag, env); };
    if (auto v = pick("listen", "ONRAMP_LISTEN"); v && !parse_listen(*v, c)) {
        std::fprintf(stderr, "onramp-edge serve: --listen wants HOST:PORT, got '%s'\n", v->c_str());
        return false;
    }
    if (auto v = pick("data", "ONRAMP_DATA")) c.data_dir = *v;
    if (auto v = pick("web-root", "ONRAMP_WEB_ROOT")) c.web_root = *v;
    if (auto v = pick("public-url", "ONRAMP_PUBLIC_URL")) c.public_url = *v;
    long long n = 0;
    if (auto v = pick("threads", "ONRAMP_THREADS")) {
        if (!parse_positive(*v, 256, n)) {
            std::fprintf(stderr, "onramp-edge serve: --threads wants 1..256, got '%s'\n", v->c_str());
            return false;
        }
        c.threads = int(n);
    }
    if (auto v = pick("max-body", "ONRAMP_MAX_BODY")) {
        if (!parse_positive(*v, 1LL << 30, n)) {
            std::fprintf(stderr, "onramp-edge serve: --max-body wants a byte count, got '%s'\n", v->c_str());
            return false;
        }
        c.max_body = size_t(n);
    }
    if (auto v = pick("onboarding-sync-wait", "ONRAMP_ONBOARDING_SYNC_WAIT")) {
        // 0 is allowed: answer at once, the sync still running.
        if (*v != "0" && !parse_positive(*v, 600, n)) {
            std::fprintf(stderr, "onramp-edge serve: --onboarding-sync-wait wants 0..600 seconds, got '%s'\n",
                         v->c_str());
            return false;
        }
        c.onboarding_sync_wait_s = *v == "0" ? 0 : int(n);
    }
    for (const std::string& b : f.all("base-url")) {
        size_t eq = b.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == b.size()) {
            std::fprintf(stderr, "onramp-edge serve: --base-url wants PLATFORM=URL, got '%s'\n", b.c_str());
            return false;
        }
        c.base_urls[b.substr(0, eq)] = b.substr(eq + 1);
    }
    c.demo = f.has("demo");
    c.outbound_allow_http = f.has("outbound-allow-http");
    c.outbound_allow_private = f.has("outbound-allow-private");
    return read_mail_config(f, c, pick);
}

// --log-level over ONRAMP_LOG_LEVEL; false after printing a usage error.
bool set_log_level(const ParsedFlags& f) {
    std::optional<std::string> v = f.get("log-level");
    if (const char* e = std::getenv("ONRAMP_LOG_LEVEL"); !v && e && *e) v = e;
    if (!v) return true;
    auto level = logging::parse_level(*v);
    if (!level) {
        std::fprintf(stderr, "onramp-edge serve: --log-level wants debug, info, warn or error, got '%s'\n", v->c_str());
        return false;
    }
    logging::set_threshold(*level);
    return true;
}

// The /metrics token: the first line of --metrics-token-file, or
// ONRAMP_METRICS_TOKEN. False after printing a usage error. Security: a
// token short enough to guess is refused, and the token is never printed.
bool read_metrics_token(const ParsedFlags& f, std::string& token) {
    if (auto path = f.get("metrics-token-file")) {
        std::ifstream in(*path);
        if (!in || !std::getline(in, token)) {
            std::fprintf(stderr, "onramp-edge serve: cannot read --metrics-token-file '%s'\n", path->c_str());
            return false;
        }
    } else if (const char* e = std::getenv("ONRAMP_METRICS_TOKEN"); e && *e) {
        token = e;
    }
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
    if (!token.empty() && token.size() < 16) {
        std::fprintf(stderr, "onramp-edge serve: the metrics token must be at least 16 characters\n");
        return false;
    }
    return true;
}

// The front door's limits and trusted proxies, like build_config.
bool build_server_options(const ParsedFlags& f, http::ServerOptions& o) {
    struct Number {
        const char* flag;
        const char* env;
        long long max;
        std::function<void(long long)> set;
    };
    http::ServerLimits& l = o.limits;
    const Number numbers[] = {
        {"header-timeout", "ONRAMP_HEADER_TIMEOUT", 3600,
         [&](long long n) { l.header_timeout = std::chrono::seconds(n); }},
        {"body-min-rate", "ONRAMP_BODY_MIN_RATE", 1LL << 30, [&](long long n) { l.body_min_rate = size_t(n); }},
        {"idle-timeout", "ONRAMP_IDLE_TIMEOUT", 86400, [&](long long n) { l.idle_timeout = std::chrono::seconds(n); }},
        {"max-connections", "ONRAMP_MAX_CONNECTIONS", 1000000, [&](long long n) { l.max_connections = int(n); }},
        {"max-connections-per-address", "ONRAMP_MAX_CONNECTIONS_PER_ADDRESS", 1000000,
         [&](long long n) { l.max_connections_per_address = int(n); }},
    };
    for (const Number& num : numbers) {
        auto v = flag_or_env(f, num.flag, num.env);
        if (!v) continue;
        long long n = 0;
        if (!parse_positive(*v, num.max, n)) {
            std::fprintf(stderr, "onramp-edge serve: --%s wants a whole number from 1 to %lld, got '%s'\n", num.flag,
                         num.max, v->c_str());
            return false;
        }
        num.set(n);
    }
    std::vector<std::string> proxies = f.all("trusted-proxy");
    if (proxies.empty()) {
        if (const char* e = std::getenv("ONRAMP_TRUSTED_PROXIES"); e && *e) {
            std::string list = e;
            for (size_t i = 0; i <= list.size();) {
                size_t comma = std::min(list.find(',', i), list.size());
                if (std::string item = trim(list.substr(i, comma - i)); !item.empty()) proxies.push_back(item);
                i = comma + 1;
            }
        }
    }
    std::vector<http::Cidr> blocks;
    for (const std::string& p : proxies) {
        auto cidr = http::parse_cidr(p);
        if (!cidr) {
            std::fprintf(stderr, "onramp-edge serve: --trusted-proxy: %s\n", cidr.problem().detail.c_str());
            return false;
        }
        blocks.push_back(*cidr);
    }
    o.trusted_proxies = http::TrustedProxies(std::move(blocks));
    return true;
}

// Thousands of open connections need as many file descriptors: the soft
// limit is raised to the hard one (systemd units set it with LimitNOFILE=).
// Returns the limit now in force.
rlim_t raise_open_files_limit() {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) != 0) return 1024;
    if (r.rlim_cur < r.rlim_max) {
        rlimit raised = r;
        raised.rlim_cur = r.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) r = raised;
    }
    return r.rlim_cur;
}

// Waits for SIGTERM or SIGINT on its own thread, so the handler may do
// real work (stop the server) instead of only async-signal-safe calls.
struct SignalWatcher {
    sigset_t set;
    std::thread thread;

    void start(http::Server& server) {
        thread = std::thread([this, &server] {
            int sig = 0;
            sigwait(&set, &sig);
            server.stop();
        });
    }
    // Wakes the watcher if no signal came (the server stopped by itself).
    void finish() {
        pthread_kill(thread.native_handle(), SIGTERM);
        thread.join();
    }
};

}  // namespace

int serve(const Args& args) {
    auto flags = parse_flags("serve", kServeFlags, args);
    if (!flags) return 2;
    if (flags->help) {
        print_usage("serve", "Runs the edge: the API, the web client's files and the background workers.", kServeFlags);
        return 0;
    }
    App app;
    if (!build_config(*flags, app.config)) return 2;
    if (!set_log_level(*flags) || !read_metrics_token(*flags, app.metrics.scrape_token)) return 2;
    if (app.config.web_root.empty()) app.config.web_root = installed_web_root();
    http::ServerOptions options;
    if (!build_server_options(*flags, options)) return 2;
    // The database, uploads, platform calls and the mock platforms need
    // descriptors too: connections get what is left after a reserve.
    constexpr rlim_t kReservedFiles = 256;
    rlim_t files = raise_open_files_limit();
    if (files != RLIM_INFINITY && rlim_t(options.limits.max_connections) + kReservedFiles > files) {
        int fit = files > kReservedFiles * 2 ? int(files - kReservedFiles) : int(files / 2);
        // Said only when someone asked for more; the default just fits.
        if (flag_or_env(*flags, "max-connections", "ONRAMP_MAX_CONNECTIONS"))
            std::fprintf(stderr, "onramp-edge serve: the open-files limit is %llu; --max-connections lowered to %d\n",
                         (unsigned long long)files, fit);
        options.limits.max_connections = fit;
    }
    app.now = system_now;
    app.started_at = app.now();

    auto dir = ensure_data_dir(app.config.data_dir);
    if (!dir) {
        logging::log(logging::Level::error, "onramp-edge serve: " + dir.problem().detail);
        return 1;
    }
    try {
        app.store = std::make_unique<store::Store>(database_path(*dir));
    } catch (const store::DbError& e) {
        logging::log(logging::Level::error, std::string("onramp-edge serve: cannot open the database: ") + e.what());
        return 1;
    }

    {
        auto db = app.store->lease();
        auto ring = open_master_key(*db, *dir, std::getenv("ONRAMP_MASTER_KEY"));
        if (!ring) {
            logging::log(logging::Level::error, "onramp-edge serve: " + ring.problem().detail);
            return 1;
        }
        if (!ring->notice.empty()) logging::log(logging::Level::warn, "onramp-edge serve: " + ring->notice);
        app.vault = std::make_unique<Vault>(std::move(ring->keys));
    }

    // Block the stop signals in every thread (each thread started from
    // here on, the mock platforms' and the server's, inherits the mask) so
    // that only the watcher receives them.
    SignalWatcher watcher;
    sigemptyset(&watcher.set);
    sigaddset(&watcher.set, SIGTERM);
    sigaddset(&watcher.set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &watcher.set, nullptr);
    signal(SIGPIPE, SIG_IGN);

    // Demo mode answers every connector from mock platforms on loopback,
    // so it works offline; they must be up before the first request.
    std::unique_ptr<mock::MockPlatforms> mocks;
    if (app.config.demo) {
        mocks = mock::start_demo_platforms(app.config.base_urls);
        if (!mocks) {
            logging::log(logging::Level::error, "onramp-edge serve: cannot start the demo mock platforms");
            return 1;
        }
    }
    app.contexts = std::make_unique<connections::Contexts>(app.config);
    connections::keep_renewed_credentials(app);

    http::Router router;
    api::install(router, app);
    AccessLog access_log(stdout);
    metrics::RequestCounter requests(router, app.metrics.http_requests);
    options.host = app.config.host;
    options.port = app.config.port;
    options.threads = app.config.threads;
    options.access_log = [&access_log, &requests](const std::string& line) {
        requests.count(line);
        access_log.write(line);
    };
    http::Server server(router, options);
    if (!server.bind()) {
        logging::log(logging::Level::error, "onramp-edge serve: cannot listen on " + app.config.host + ":" +
                                                std::to_string(app.config.port) +
                                                " (address in use or not permitted)");
        return 1;
    }
    std::string url = "http://" + app.config.host + ":" + std::to_string(server.port());
    // Without --public-url the edge is reached where it listens; known only
    // now, since port 0 asks the system for a free port.
    if (app.config.public_url.empty()) app.config.public_url = url;
    logging::announce("Onramp edge listening on " + url);
    if (app.config.demo) {
        mock::set_up_demo_apps(*mocks, app.config.public_url);
        DemoLogin login = seed_demo(app);
        logging::log(logging::Level::info,
                     "Demo mode: open " + url + " and sign in as " + login.email + " / " + login.password);
    }
    documents::IngestOptions ingest_options;
    ingest_options.data_dir = *dir;
    ingest_options.now = app.now;
    // Uploads are read in a child process, the reader installed with the
    // server (edge/documents/reader/): the server itself never maps
    // poppler and its libraries, which were most of its idle memory.
    ingest_options.extractor = reader_path();
    documents::IngestWorker ingest(*app.store, ingest_options);
    ingest.start();
    sync::Engine engine(app);
    app.sync = &engine;
    engine.start();
    webhooks::Worker webhook_worker(app);
    app.webhooks = &webhook_worker;
    webhook_worker.start();
    events::Dispatcher dispatcher(app);
    app.events = &dispatcher;
    dispatcher.start();
    // Only with --smtp-url: without it nothing is ever queued.
    std::unique_ptr<mail::Sender> mail_sender;
    if (mail::enabled(app)) {
        mail_sender = std::make_unique<mail::Sender>(app);
        app.mail = mail_sender.get();
        mail_sender->start();
    }

    watcher.start(server);
    server.run();  // returns after stop(), once in-flight requests are done
    watcher.finish();
    // Workers stop between pages and documents: what they were doing
    // resumes at the next start.
    engine.stop();
    webhook_worker.stop();
    app.webhooks = nullptr;
    dispatcher.stop();
    app.events = nullptr;
    if (mail_sender) mail_sender->stop();
    app.mail = nullptr;
    ingest.stop();
    if (mocks) mocks->stop();
    app.store->checkpoint();
    logging::announce("Onramp edge stopped");
    return 0;
}

}  // namespace onramp::cli
