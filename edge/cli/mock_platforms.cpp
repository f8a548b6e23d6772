// onramp-edge mock-platforms --listen 127.0.0.1:PORT [--products N] [--seed S]
//
// Serves every platform's mock API (edge/mock/server.h) until SIGINT or
// SIGTERM, and prints the --base-url flags that point `serve` at it.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "edge/cli/commands.h"
#include "edge/cli/flags.h"
#include "edge/mock/server.h"
#include "edge/platforms/module.h"
#include "shared/connectors/catalog.h"

namespace onramp::cli {

namespace {

const std::vector<FlagSpec> kFlags = {
    {"listen", true, false, "HOST:PORT  loopback address to listen on (default 127.0.0.1:9300; port 0 picks one)"},
    {"products", true, false, "N  products in the synthetic catalogue, 1..100000 (default 300)"},
    {"seed", true, false, "S  seed of the synthetic data (default 1)"},
    {"threads", true, false, "N  request threads (default 8)"},
    {"bigcommerce-quota", true, false, "N/MS  BigCommerce quota per window, e.g. 150/30000 (the default)"},
    {"shopify-bucket", true, false, "N/PER_S  Shopify call-limit bucket and leak rate, e.g. 40/2 (the default)"},
    {"amazon-time-scale", true, false, "X  refill the SP-API buckets X times faster, bursts unchanged (default 1)"},
};

bool parse_number(const std::string& s, long long min, long long max, long long& out) {
    char* end = nullptr;
    out = std::strtoll(s.c_str(), &end, 10);
    return !s.empty() && !*end && out >= min && out <= max;
}

bool parse_pair(const std::string& s, double& a, double& b) {
    size_t slash = s.find('/');
    if (slash == std::string::npos) return false;
    char* end = nullptr;
    a = std::strtod(s.substr(0, slash).c_str(), &end);
    if (*end) return false;
    b = std::strtod(s.substr(slash + 1).c_str(), &end);
    return !*end && a > 0 && b > 0;
}

// Security: the mock's fault-injection endpoints have no authentication,
// so it may only listen where nothing but this machine can reach it.
bool loopback_host(const std::string& h) {
    return h == "localhost" || h == "::1" || h == "[::1]" || h.rfind("127.", 0) == 0;
}

bool usage_error(const std::string& message) {
    std::fprintf(stderr, "onramp-edge mock-platforms: %s\n", message.c_str());
    return false;
}

bool build_options(const ParsedFlags& f, mock::Options& o) {
    std::string listen = f.get("listen").value_or("127.0.0.1:9300");
    size_t colon = listen.rfind(':');
    long long n = 0;
    if (colon == std::string::npos || !parse_number(listen.substr(colon + 1), 0, 65535, n))
        return usage_error("--listen wants HOST:PORT, got '" + listen + "'");
    o.host = listen.substr(0, colon);
    if (o.host.size() > 2 && o.host.front() == '[') o.host = o.host.substr(1, o.host.size() - 2);
    o.port = int(n);
    if (!loopback_host(o.host)) return usage_error("--listen must be a loopback address (127.0.0.1, ::1, localhost)");
    if (auto v = f.get("products")) {
        if (!parse_number(*v, 1, 100000, n)) return usage_error("--products wants 1..100000, got '" + *v + "'");
        o.products = n;
    }
    if (auto v = f.get("seed")) {
        if (!parse_number(*v, 0, (1LL << 62), n)) return usage_error("--seed wants a number, got '" + *v + "'");
        o.seed = uint64_t(n);
    }
    if (auto v = f.get("threads")) {
        if (!parse_number(*v, 1, 256, n)) return usage_error("--threads wants 1..256, got '" + *v + "'");
        o.threads = int(n);
    }
    double a = 0, b = 0;
    if (auto v = f.get("bigcommerce-quota")) {
        if (!parse_pair(*v, a, b)) return usage_error("--bigcommerce-quota wants N/MS, got '" + *v + "'");
        o.limits.bigcommerce_quota = int(a);
        o.limits.bigcommerce_window_ms = int(b);
    }
    if (auto v = f.get("shopify-bucket")) {
        if (!parse_pair(*v, a, b)) return usage_error("--shopify-bucket wants N/PER_S, got '" + *v + "'");
        o.limits.shopify_bucket = int(a);
        o.limits.shopify_leak_per_s = b;
    }
    if (auto v = f.get("amazon-time-scale")) {
        char* end = nullptr;
        double x = std::strtod(v->c_str(), &end);
        if (*end || x <= 0) return usage_error("--amazon-time-scale wants a positive number, got '" + *v + "'");
        o.limits.amazon_time_scale = x;
    }
    return true;
}

// "BigCommerce, Shopify and ...": every platform module's catalog name.
std::string platform_names() {
    std::vector<std::string> names;
    for (const platforms::Module* m : platforms::modules())
        if (const connectors::Connector* c = connectors::find_connector(m->id)) names.emplace_back(c->name);
    std::string out;
    for (size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    return out;
}

}  // namespace

int mock_platforms(const Args& args) {
    auto flags = parse_flags("mock-platforms", kFlags, args);
    if (!flags) return 2;
    if (flags->help) {
        print_usage("mock-platforms", "Serves mock " + platform_names() + " APIs on loopback, for demos and tests.",
                    kFlags);
        return 0;
    }
    mock::Options options;
    if (!build_options(*flags, options)) return 2;

    // Only the main thread takes the stop signals (sigwait below); the
    // server's threads inherit the blocked mask.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    signal(SIGPIPE, SIG_IGN);

    mock::MockPlatforms server(options);
    if (!server.start()) {
        std::fprintf(stderr, "onramp-edge mock-platforms: cannot listen on %s:%d (address in use?)\n",
                     options.host.c_str(), options.port);
        return 1;
    }
    std::string url = server.url();
    std::fprintf(stderr, "Mock platforms listening on %s (%lld products, seed %llu)\n", url.c_str(),
                 static_cast<long long>(options.products), static_cast<unsigned long long>(options.seed));
    std::fprintf(stderr, "Point the edge at it with:\n  onramp-edge serve");
    for (const auto& [platform, base] : mock::demo_base_urls(url))
        std::fprintf(stderr, " \\\n    --base-url '%s=%s'", platform.c_str(), base.c_str());
    std::fprintf(stderr, "\nDemo credentials: GET %s/_mock/credentials\n", url.c_str());
    std::printf("%s\n", url.c_str());
    std::fflush(stdout);

    int sig = 0;
    sigwait(&stop, &sig);
    server.stop();
    std::fprintf(stderr, "Mock platforms stopped\n");
    return 0;
}

}  // namespace onramp::cli
