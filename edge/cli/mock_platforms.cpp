// onramp-edge mock-platforms --listen 127.0.0.1:PORT [--products N] [--seed S]
//                           [--<knob> VALUE]...
//
// Serves every platform's mock API (edge/mock/server.h) until SIGINT or
// SIGTERM, and prints the --base-url flags that point `serve` at it. The
// knobs, most often rate limits, are the ones the platform modules declare
// (platforms::MockKnob), so a platform adds its own without editing this file.
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

const std::vector<FlagSpec> kFixedFlags = {
    {"listen", true, false, "HOST:PORT  loopback address to listen on (default 127.0.0.1:9300; port 0 picks one)"},
    {"products", true, false, "N  products in the synthetic catalogue, 1..100000 (default 300)"},
    {"seed", true, false, "S  seed of the synthetic data (default 1)"},
    {"threads", true, false, "N  request threads (default 8)"},
};

// The fixed flags, then every module's knobs.
std::vector<FlagSpec> flag_specs() {
    std::vector<FlagSpec> specs = kFixedFlags;
    for (const platforms::Module* m : platforms::modules())
        for (const platforms::MockKnob& k : m->mock_knobs) {
            std::string help = std::string(k.value) + "  " + std::string(k.help) + " (default " +
                               std::string(k.default_value);
            if (!k.demo_value.empty()) help += "; serve --demo: " + std::string(k.demo_value);
            help += ")";
            specs.push_back({std::string(k.flag), true, false, help});
        }
    return specs;
}

bool parse_number(const std::string& s, long long min, long long max, long long& out) {
    char* end = nullptr;
    out = std::strtoll(s.c_str(), &end, 10);
    return !s.empty() && !*end && out >= min && out <= max;
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
    for (const platforms::Module* m : platforms::modules())
        for (const platforms::MockKnob& k : m->mock_knobs)
            if (auto v = f.get(std::string(k.flag))) o.knobs[std::string(k.flag)] = *v;
    if (std::string problem = mock::knob_problem(o.knobs); !problem.empty()) return usage_error("--" + problem);
    return true;
}

// "A, B and C": every platform module's catalog name.
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
    std::vector<FlagSpec> specs = flag_specs();
    auto flags = parse_flags("mock-platforms", specs, args);
    if (!flags) return 2;
    if (flags->help) {
        print_usage("mock-platforms", "Serves mock " + platform_names() + " APIs on loopback, for demos and tests.",
                    specs);
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
