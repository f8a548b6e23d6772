// bench_proxy [--mib N]: the credential proxy streaming a large answer.
// A platform stand-in on loopback sends N MiB (default 256) as fast as it
// can, once chunked and once with Content-Length; a caller reads it
// through a real edge (router, server, vault, rate budget) on loopback.
//
// For each run it prints: time to the first body byte at the caller,
// total wall time, MiB/s, the bytes received, and the process's peak RSS
// (platform, edge and caller all run in this process, so RSS is an upper
// bound for the edge). A proxy that buffered the answer would need at
// least N MiB of RSS and could not answer before the platform finished.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "edge/api/routes.h"
#include "edge/app.h"
#include "edge/auth/passwords.h"
#include "edge/connections/service.h"
#include "edge/http/client.h"
#include "edge/http/server.h"
#include "edge/mock/server.h"
#include "edge/store/accounts.h"
#include "edge/vault.h"

using namespace onramp;
using clock_type = std::chrono::steady_clock;

namespace {

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "bench_proxy: %s\n", what);
    std::exit(1);
}

// A router on a loopback port, served on a thread of its own.
struct Served {
    std::unique_ptr<http::Server> server;
    std::thread thread;
    explicit Served(const http::Router& router) {
        http::ServerOptions o;
        o.port = 0;
        o.threads = 4;
        server = std::make_unique<http::Server>(router, o);
        if (!server->bind()) fail("cannot bind a loopback port");
        thread = std::thread([this] { server->run(); });
    }
    ~Served() {
        server->stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
};

constexpr int64_t kPiece = 64 << 10;

// GET /chunked/... and /sized/...: `total` bytes in 64 KiB pieces.
void add_platform(http::Router& r, int64_t total) {
    for (const char* kind : {"chunked", "sized"}) {
        bool sized = std::strcmp(kind, "sized") == 0;
        r.add({"GET", std::string("/stores/{hash}/") + kind + "/{*rest}", http::Access::Public, http::Body::None,
               [total, sized](const http::Call&) -> Result<http::Response> {
                   http::Response res;
                   res.content_type = "application/octet-stream";
                   auto sent = std::make_shared<int64_t>(0);
                   auto piece = std::make_shared<std::string>(size_t(kPiece), 'x');
                   res.stream = [total, sent, piece](const http::ChunkWriter& write) {
                       if (*sent >= total) return false;
                       int64_t n = std::min<int64_t>(kPiece, total - *sent);
                       *sent += n;
                       return write(std::string_view(*piece).substr(0, size_t(n)));
                   };
                   if (sized) res.stream_length = total;
                   return res;
               }});
    }
}

struct Figures {
    double first_byte_ms = 0, seconds = 0;
    int64_t bytes = 0;
    bool ok = false;
};

Figures read_through(const std::string& url, const std::string& token) {
    Figures f;
    http::FetchRequest req;
    req.url = url;
    req.read_timeout_ms = 60000;
    req.headers.emplace("Authorization", "Bearer " + token);
    auto t0 = clock_type::now();
    http::FetchResult r = http::fetch(req, [&](const http::FetchResponse&) -> http::ChunkWriter {
        return [&](std::string_view piece) {
            if (f.bytes == 0)
                f.first_byte_ms = std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
            f.bytes += int64_t(piece.size());
            return true;
        };
    });
    f.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
    f.ok = r.ok() && r.response.status == 200;
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    int64_t mib = 256;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--mib") == 0) mib = std::atoll(argv[++i]);
    if (mib < 1 || mib > 4096) {
        std::fprintf(stderr, "usage: bench_proxy [--mib 1..4096]\n");
        return 2;
    }

    // The connection is made against the mock BigCommerce (its test call),
    // then pointed at the stand-in.
    mock::MockPlatforms platforms;
    if (!platforms.start()) fail("cannot start the mock platforms");
    std::string dir = (std::filesystem::temp_directory_path() / "onramp-bench-XXXXXX").string();
    if (!mkdtemp(dir.data())) fail("no temporary directory");
    App app;
    app.config.data_dir = dir;
    app.config.demo = true;  // the stand-ins are on loopback
    app.config.base_urls = mock::demo_base_urls(platforms.url());
    app.config.proxy_max_answer = size_t(mib + 1) << 20;
    app.now = system_now;
    app.scrypt_log2_n = 10;
    app.store = std::make_unique<store::Store>(dir + "/onramp.db");
    std::string org;
    {
        auto db = app.store->lease();
        auto ring = open_master_key(*db, dir, nullptr);
        if (!ring) fail("no vault key");
        app.vault = std::make_unique<Vault>(std::move(ring->keys));
        org = store::insert_org(*db, "Bench", "growth", app.now()).id;
        auto user = store::insert_user(*db, "bench@onramp.test", "", auth::hash_password("bench-pw-1", 10), false,
                                       app.now());
        if (!user || !store::add_member(*db, org, user->id, "manager", app.now())) fail("no user");
    }
    app.contexts = std::make_unique<connections::Contexts>(app.config);
    http::Router router;
    api::install(router, app);
    Served edge(router);

    connections::Draft d;
    d.org_id = org;
    d.platform = "bigcommerce";
    d.name = "bench";
    d.credentials = mock::demo_credentials()["bigcommerce"];
    auto saved = connections::create(app, d, nullptr, nullptr);
    if (!saved || !saved->connection) fail("the connection test failed");

    http::FetchRequest login;
    login.method = "POST";
    login.url = edge.url() + "/api/v1/auth/login";
    login.content_type = "application/json";
    login.body = R"({"email":"bench@onramp.test","password":"bench-pw-1"})";
    http::FetchResult signed_in = http::fetch(login);
    auto body = nlohmann::json::parse(signed_in.response.body, nullptr, false);
    if (!signed_in.ok() || !body.contains("access_token")) fail("cannot sign in");
    std::string token = body["access_token"];

    http::Router platform_router;
    add_platform(platform_router, mib << 20);
    Served platform(platform_router);
    app.config.base_urls["bigcommerce"] = platform.url();

    std::printf("credential proxy: %lld MiB from a loopback platform, read through the edge\n\n",
                static_cast<long long>(mib));
    std::printf("%-16s %6s %14s %10s %10s %14s %9s\n", "platform sends", "ok", "first byte ms", "wall s", "MiB/s",
                "bytes", "rss MiB");
    for (const char* kind : {"chunked", "sized"}) {
        std::string url = edge.url() + "/api/v1/proxy/" + saved->connection->id + "/" + kind + "/data";
        Figures f = read_through(url, token);
        std::printf("%-16s %6s %14.2f %10.2f %10.1f %14lld %9.1f\n",
                    std::strcmp(kind, "sized") == 0 ? "Content-Length" : "chunked", f.ok ? "yes" : "NO",
                    f.first_byte_ms, f.seconds, double(f.bytes) / (1 << 20) / f.seconds,
                    static_cast<long long>(f.bytes), peak_rss_kib() / 1024.0);
        std::fflush(stdout);
    }
    platforms.stop();
    app.store.reset();
    std::filesystem::remove_all(dir);
    return 0;
}
