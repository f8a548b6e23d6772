#include "edge/support/test_app.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <future>

#include "edge/api/routes.h"
#include "edge/auth/passwords.h"
#include "edge/connections/renewals.h"
#include "edge/metrics/registry.h"
#include "edge/store/accounts.h"

namespace onramp::testing {

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "onramp-test-XXXXXX").string();
    path = mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

namespace {

// A deferred response's answer (http::Response::later), as the server
// would write it once it comes.
http::Response wait_for(std::function<void(http::Completion)> later) {
    std::promise<http::Response> answer;
    auto got = answer.get_future();
    later([&answer](http::Response r) { answer.set_value(std::move(r)); });
    return got.get();
}

}  // namespace

nlohmann::json Reply::json() const { return nlohmann::json::parse(body, nullptr, false); }

std::string Reply::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
}

TestApp::TestApp() {
    app.config.data_dir = dir.path;
    app.now = [this] { return clock; };
    app.started_at = clock;
    app.scrypt_log2_n = 10;
    app.store = std::make_unique<store::Store>(dir.path + "/onramp.db");
    {
        auto db = app.store->lease();
        auto ring = open_master_key(*db, dir.path, nullptr);
        REQUIRE(ring);
        app.vault = std::make_unique<Vault>(std::move(ring->keys));
    }
    app.contexts = std::make_unique<connections::Contexts>(app.config);
    connections::keep_renewed_credentials(app);
    api::install(router, app);
}

Reply TestApp::call(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& token, std::map<std::string, std::string> headers) {
    http::Request req;
    req.method = method;
    size_t q = path.find('?');
    req.path = path.substr(0, q);
    req.target = path;
    if (q != std::string::npos) {
        std::string query = path.substr(q + 1);
        size_t i = 0;
        while (i <= query.size()) {
            size_t amp = query.find('&', i);
            if (amp == std::string::npos) amp = query.size();
            std::string pair = query.substr(i, amp - i);
            size_t eq = pair.find('=');
            if (!pair.empty()) req.query.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
            i = amp + 1;
        }
    }
    req.body = body;
    req.remote_addr = remote_addr;
    if (!body.empty() && !headers.count("Content-Type")) headers["Content-Type"] = "application/json";
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    for (const auto& [k, v] : headers) req.headers.emplace(k, v);
    return send(std::move(req));
}

Reply TestApp::send(http::Request req) {
    if (req.remote_addr.empty()) req.remote_addr = "127.0.0.1";
    if (req.request_id.empty()) req.request_id = "test-request";
    if (req.target.empty()) req.target = req.path;
    http::Response res = router.dispatch(req);
    if (res.later) res = wait_for(std::move(res.later));
    Reply r{res.status, res.content_type, res.body, {}};
    for (const auto& [k, v] : res.headers) r.headers[k] = v;
    if (res.stream) {
        auto append = [&r](std::string_view chunk) {
            r.body.append(chunk);
            return true;
        };
        while (res.stream(append)) {
        }
        r.cut = res.stream_cut && res.stream_cut();
    }
    return r;
}

std::string TestApp::make_user(const std::string& email, const std::string& password, bool is_operator,
                               const std::string& full_name) {
    auto db = app.store->lease();
    auto u = store::insert_user(*db, email, full_name, auth::hash_password(password, app.scrypt_log2_n), is_operator,
                                clock);
    REQUIRE(u);
    return u->id;
}

std::string TestApp::make_org(const std::string& name) {
    auto db = app.store->lease();
    return store::insert_org(*db, name, "growth", clock).id;
}

void TestApp::add_member(const std::string& org_id, const std::string& user_id, const std::string& role) {
    auto db = app.store->lease();
    REQUIRE(store::add_member(*db, org_id, user_id, role, clock));
}

std::string TestApp::login(const std::string& email, const std::string& password) {
    Reply r = post("/api/v1/auth/login", {{"email", email}, {"password", password}});
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return r.json()["access_token"].get<std::string>();
}

std::string TestApp::snapshot() {
    auto db = app.store->lease();
    std::string out;
    store::Stmt tables(*db,
                       "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                       " AND name != 'audit_log' ORDER BY name");
    while (tables.step()) {
        std::string name = tables.text(0);
        out += "[" + name + "]\n";
        store::Stmt rows(*db, "SELECT * FROM \"" + name + "\" ORDER BY rowid");
        while (rows.step()) {
            // A value is escaped as a Prometheus label value is (backslash,
            // quote and line feed; edge/metrics/registry.h), so that a row
            // is one line: a sealed value is random bytes, and one holding a
            // line feed followed by '[' would otherwise split its row and
            // start what reads as a table's name (the rows after it would
            // seem to change whenever that value is sealed again). The
            // escaping is one-to-one, so it hides no change of a value, and
            // it leaves the text of tokens and secrets as it is, for the
            // tests that look for them.
            for (int c = 0; c < rows.columns(); ++c)
                out += (rows.is_null(c) ? "NULL" : metrics::escape_label_value(rows.text(c))) + "|";
            out += "\n";
        }
    }
    return out;
}

}  // namespace onramp::testing
