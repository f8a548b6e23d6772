// bench_sync [--products N] [--only TEXT]: how fast the sync engine copies a catalogue
// (N products with 3 variants each, and N/2 orders) from the mock
// BigCommerce, Shopify and Amazon SP-API with their rate limits enforced,
// and how close its pacing comes to the fastest the limit allows.
//
// For each profile it prints: items synced (products + orders), pages,
// wall time, items/s, the minimum time the advertised limit allows for
// that many requests, efficiency = minimum / actual (target >= 0.95), the
// 429s the mock answered, and the process's peak RSS (the mock server runs
// in this process too, so RSS is an upper bound for the engine). --only
// runs the profiles whose name contains TEXT.
//
//   BigCommerce fixed window, Q requests per W ms: the n-th request may
//     start at floor((n - 1) / Q) * W.
//   Shopify leaky bucket of B calls leaking L per second, empty at the
//     start: n requests need (n - B) / L seconds.
//   Amazon token buckets per operation (docs/platforms/amazon_sp_api.md),
//     full at the start, listings first, then orders: each operation's
//     pages beyond its burst at its rate. The Amazon profile syncs 8,000
//     products (400 listing pages) and 4,000 orders (40 getOrders pages),
//     with the mock's clock 15 times faster (rates scaled, bursts not:
//     getOrders 0.25/s, burst 20) and getOrders' two-minute rule enforced.
//     The sync writes each page before asking for the next, so writing the
//     listings (about 5 s here) adds to the minimum, which counts only
//     waits for the limits; at 15 times the rate limits still dominate, as
//     they do at Amazon's own pace.
//
// A limit that the whole sync fits into (BigCommerce's documented 150 per
// 30 s for 60 requests) has a minimum of 0 and no efficiency; the
// "narrow window" profile keeps BigCommerce's rate (5/s) in windows of 2 s
// so pacing is what is measured.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <thread>

#include "edge/app.h"
#include "edge/connections/service.h"
#include "edge/mock/server.h"
#include "edge/platforms/amazon_sp_api/mock_limits.h"
#include "edge/platforms/bigcommerce/mock_limits.h"
#include "edge/platforms/shopify/mock_limits.h"
#include "edge/store/accounts.h"
#include "edge/sync/engine.h"
#include "edge/vault.h"

using namespace onramp;

namespace {

struct Profile {
    const char* name;
    const char* platform;
    std::map<std::string, std::string> knobs;  // mock::Options::knobs; none: the documented limits
    int64_t products;
};

struct Figures {
    int64_t items = 0, pages = 0, requests = 0, rate_limited = 0;
    double seconds = 0, minimum = 0;
    std::string state;
};

mock::Options mock_options(const Profile& p) {
    mock::Options o;
    o.knobs = p.knobs;
    return o;
}

// Amazon's two operations a sync pages through: searchListingsItems (20 a
// page, rate 5/s, burst 5) then getOrders (100 a page, 0.0167/s, burst 20).
double amazon_minimum_seconds(const Profile& p, int64_t products) {
    double scale = platforms::amazon_sp_api::mock_time_scale(mock_options(p));
    auto op = [scale](int64_t pages, double rate, double burst) {
        return pages > burst ? (pages - burst) / (rate * scale) : 0.0;
    };
    return op((products + 19) / 20, 5, 5) + op((products / 2 + 99) / 100, 0.0167, 20);
}

double minimum_seconds(const Profile& p, int64_t n, int64_t products) {
    if (n <= 0) return 0;
    if (std::strcmp(p.platform, "amazon_sp_api") == 0) return amazon_minimum_seconds(p, products);
    if (std::strcmp(p.platform, "bigcommerce") == 0) {
        platforms::bigcommerce::MockQuota q = platforms::bigcommerce::mock_quota(mock_options(p));
        return double((n - 1) / q.requests) * q.window_ms / 1000.0;
    }
    platforms::shopify::MockBucket b = platforms::shopify::mock_bucket(mock_options(p));
    double over = double(n - b.size);
    return over > 0 ? over / b.leak_per_s : 0;
}

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

Figures run(const Profile& profile, int64_t products) {
    mock::Options o = mock_options(profile);
    o.products = products;
    mock::MockPlatforms platforms(o);
    if (!platforms.start()) {
        std::fprintf(stderr, "bench_sync: cannot start the mock platforms\n");
        std::exit(1);
    }

    std::string dir = (std::filesystem::temp_directory_path() / "onramp-bench-XXXXXX").string();
    if (!mkdtemp(dir.data())) std::exit(1);
    App app;
    app.config.data_dir = dir;
    app.config.demo = true;  // the mock is on loopback
    app.config.base_urls = mock::demo_base_urls(platforms.url());
    app.now = system_now;
    app.store = std::make_unique<store::Store>(dir + "/onramp.db");
    std::string org;
    {
        auto db = app.store->lease();
        auto ring = open_master_key(*db, dir, nullptr);
        if (!ring) std::exit(1);
        app.vault = std::make_unique<Vault>(std::move(ring->keys));
        org = store::insert_org(*db, "Bench", "growth", app.now()).id;
    }
    app.contexts = std::make_unique<connections::Contexts>(app.config);

    connections::Draft d;
    d.org_id = org;
    d.platform = profile.platform;
    d.name = "bench";
    d.credentials = mock::demo_credentials()[profile.platform];
    d.perform_initial_sync = true;
    auto saved = connections::create(app, d, nullptr, nullptr);
    if (!saved || !saved->connection) {
        std::fprintf(stderr, "bench_sync: the connection test failed\n");
        std::exit(1);
    }
    // Let the limit recover from the connection test, so the sync starts
    // with the full allowance the minimum assumes.
    // Amazon's test uses getMarketplaceParticipations, a bucket of its own.
    double settle = 0;
    if (std::strcmp(profile.platform, "bigcommerce") == 0) {
        settle = platforms::bigcommerce::mock_quota(o).window_ms / 1000.0;
    } else if (std::strcmp(profile.platform, "shopify") == 0) {
        platforms::shopify::MockBucket b = platforms::shopify::mock_bucket(o);
        settle = b.size / b.leak_per_s;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(int64_t(settle * 1000) + 200));

    mock::Stats before = platforms.stats(profile.platform);
    sync::Engine engine(app, 1);
    auto t0 = std::chrono::steady_clock::now();
    engine.drain();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    mock::Stats after = platforms.stats(profile.platform);

    Figures f;
    {
        auto db = app.store->lease();
        auto r = sync::latest_run(*db, saved->connection->id);
        f.state = r ? r->state : "none";
        f.items = r ? r->created + r->updated : 0;
        f.pages = r ? r->pages : 0;
    }
    f.requests = after.requests - before.requests;
    f.rate_limited = after.rate_limited - before.rate_limited;
    f.seconds = seconds;
    f.minimum = minimum_seconds(profile, f.requests, products);
    platforms.stop();
    app.store.reset();
    std::filesystem::remove_all(dir);
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    int64_t products = 10000;
    const char* only = "";
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--products") == 0) products = std::atoll(argv[++i]);
        else if (std::strcmp(argv[i], "--only") == 0) only = argv[++i];
    }
    if (products < 1 || products > 100000) {
        std::fprintf(stderr, "usage: bench_sync [--products 1..100000] [--only PROFILE-TEXT]\n");
        return 2;
    }

    const std::map<std::string, std::string> documented;  // the platforms' published limits
    const std::map<std::string, std::string> narrow = {{"bigcommerce-quota", "10/2000"}};
    const std::map<std::string, std::string> amazon = {{"amazon-time-scale", "15"}};
    const Profile profiles[] = {
        {"bigcommerce, documented limit 150/30s", "bigcommerce", documented, products},
        {"bigcommerce, narrow window 10/2s", "bigcommerce", narrow, products},
        {"shopify, documented bucket 40 at 2/s", "shopify", documented, products},
        {"amazon, documented buckets, clock x15", "amazon_sp_api", amazon, 8000},
    };

    std::printf("sync of %lld products (3 variants each) and %lld orders from the mock platforms\n\n",
                static_cast<long long>(products), static_cast<long long>(products / 2));
    std::printf("%-40s %9s %6s %8s %9s %9s %8s %10s %5s %9s\n", "profile", "state", "pages", "items", "wall s",
                "items/s", "min s", "efficiency", "429s", "rss MiB");
    for (const Profile& p : profiles) {
        if (!std::strstr(p.name, only)) continue;
        Figures f = run(p, p.products);
        char efficiency[32];
        if (f.minimum > 0)
            std::snprintf(efficiency, sizeof efficiency, "%.3f", f.minimum / f.seconds);
        else
            std::snprintf(efficiency, sizeof efficiency, "n/a");
        std::printf("%-40s %9s %6lld %8lld %9.2f %9.0f %8.2f %10s %5lld %9.1f\n", p.name, f.state.c_str(),
                    static_cast<long long>(f.pages), static_cast<long long>(f.items), f.seconds, f.items / f.seconds,
                    f.minimum, efficiency, static_cast<long long>(f.rate_limited), peak_rss_kib() / 1024.0);
        std::fflush(stdout);
    }
    return 0;
}
