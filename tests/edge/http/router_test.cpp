// Specification of the router: matching, the uniform problem+json errors,
// body limits and Idempotency-Key replay. Handlers are plain functions, so
// no socket is needed.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "edge/http/router.h"

using namespace onramp;
using namespace onramp::http;

namespace {

Request make(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& type = "application/json") {
    Request r;
    r.method = method;
    r.path = path;
    r.body = body;
    if (!body.empty()) r.headers.emplace("Content-Type", type);
    r.request_id = "rid";
    return r;
}

Router echo_router(int* calls = nullptr) {
    Router router;
    router.add({"GET", "/items/{id}", Access::Public, Body::None, [](const Call& c) -> Result<Response> {
                    return Response::json({{"id", c.req.param("id")}});
                }});
    router.add({"GET", "/files/{*rest}", Access::Public, Body::None, [](const Call& c) -> Result<Response> {
                    return Response::json({{"rest", c.req.param("rest")}});
                }});
    router.add({"POST", "/items", Access::Public, Body::Json, [calls](const Call& c) -> Result<Response> {
                    if (calls) ++*calls;
                    auto body = parse_json_object(c.req);
                    if (!body) return body.problem();
                    return Response::json({{"created", (*body)["name"]}, {"n", calls ? *calls : 0}}, 201);
                }});
    router.add({"POST", "/uploads", Access::Public, Body::Multipart, [calls](const Call& c) -> Result<Response> {
                    if (calls) ++*calls;
                    return Response::json({{"files", c.req.files.size()}}, 201);
                }});
    router.add({"GET", "/private", Access::User, Body::None,
                [](const Call&) -> Result<Response> { return Response::json({{"ok", true}}); }});
    router.add({"GET", "/boom", Access::Public, Body::None,
                [](const Call&) -> Result<Response> { throw std::runtime_error("disk on fire"); }});
    return router;
}

}  // namespace

TEST_SUITE("router") {

TEST_CASE("path parameters and a trailing wildcard are captured") {
    Router r = echo_router();
    Request a = make("GET", "/items/42");
    CHECK(nlohmann::json::parse(r.dispatch(a).body)["id"] == "42");
    Request b = make("GET", "/files/a/b/c.txt");
    CHECK(nlohmann::json::parse(r.dispatch(b).body)["rest"] == "a/b/c.txt");
}

TEST_CASE("unknown path is a 404 problem; known path with another method is a 405 with Allow") {
    Router r = echo_router();
    Request a = make("GET", "/nowhere");
    Response ra = r.dispatch(a);
    CHECK(ra.status == 404);
    CHECK(ra.content_type == "application/problem+json");
    auto j = nlohmann::json::parse(ra.body);
    CHECK(j["status"] == 404);
    CHECK(j["title"] == "Not found");
    CHECK(j["error_code"] == "not_found");
    CHECK(j.contains("type"));
    CHECK(j.contains("detail"));

    Request b = make("DELETE", "/items/1");
    Response rb = r.dispatch(b);
    CHECK(rb.status == 405);
    bool allow = false;
    for (auto& [k, v] : rb.headers)
        if (k == "Allow" && v == "GET") allow = true;
    CHECK(allow);
}

TEST_CASE("malformed JSON is a 400 that names the byte; a non-object is a 422") {
    Router r = echo_router();
    Request a = make("POST", "/items", "{\"name\": tru");
    Response ra = r.dispatch(a);
    CHECK(ra.status == 400);
    CHECK(nlohmann::json::parse(ra.body)["detail"].get<std::string>().find("byte") != std::string::npos);
    Request b = make("POST", "/items", "\"just a string\"");
    CHECK(r.dispatch(b).status == 422);
}

TEST_CASE("a body nested 300,000 deep is a 400 from parse_json_object, before a handler can copy it") {
    Request deep = make("POST", "/items", "{\"name\": " + std::string(300'000, '[') + std::string(300'000, ']') + "}");
    auto r = parse_json_object(deep);
    REQUIRE_FALSE(r);
    CHECK(r.problem().status == 400);
    CHECK(r.problem().error_code == "json_limit_exceeded");
    // The echo handler copies "name" into its answer: that copy recursed
    // once per level and overflowed the stack.
    Router router = echo_router();
    Response res = router.dispatch(deep);
    CHECK(res.status == 400);
    CHECK(res.content_type == "application/problem+json");
}

TEST_CASE("a number beyond a double or 500,000 digits long is a 400 problem, not a 500") {
    int calls = 0;
    Router r = echo_router(&calls);
    for (const std::string& number : {std::string("1e999999"), std::string(500'000, '7')}) {
        Request a = make("POST", "/items", "{\"name\": " + number + "}");
        Response res = r.dispatch(a);
        CHECK(res.status == 400);
        auto j = nlohmann::json::parse(res.body);
        CHECK(j["status"] == 400);
        CHECK(res.body.size() < 1000);  // the number is not echoed
    }
}

TEST_CASE("bytes that are not UTF-8, echoed from the request into a problem, give a 4xx with valid JSON") {
    Router r = echo_router();
    Request a = make("GET", "/nowhere\xff\xfe/x");
    Response res = r.dispatch(a);
    CHECK(res.status == 404);
    auto j = nlohmann::json::parse(res.body, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    CHECK(j["detail"] == "No such endpoint: /nowhere\xef\xbf\xbd\xef\xbf\xbd/x");
}

TEST_CASE("a problem never throws on its way out, whatever its text") {
    Problem p = bad_request("bad \xc3", "bad\xff");
    p.errors["field\x80"] = "value\xfe";
    Response res = problem_response(p, "rid\xff");
    CHECK(res.status == 400);
    CHECK_FALSE(nlohmann::json::parse(res.body, nullptr, false).is_discarded());
}

TEST_CASE("wrong content type is a 415; an oversized body is a 413 before the handler runs") {
    int calls = 0;
    Router r = echo_router(&calls);
    Request a = make("POST", "/items", "name=x", "application/x-www-form-urlencoded");
    CHECK(r.dispatch(a).status == 415);
    Request b = make("POST", "/items", std::string((1 << 20) + 1, 'x'));
    CHECK(r.dispatch(b).status == 413);
    CHECK(r.check_length("POST", "/items", (1 << 20) + 1).has_value());
    CHECK_FALSE(r.check_length("POST", "/items", 10).has_value());
    CHECK(calls == 0);
}

TEST_CASE("a route for users answers 401 without credentials") {
    Router r = echo_router();
    Request a = make("GET", "/private");
    Response res = r.dispatch(a);
    CHECK(res.status == 401);
    bool challenge = false;
    for (auto& [k, v] : res.headers)
        if (k == "WWW-Authenticate") challenge = true;
    CHECK(challenge);
}

TEST_CASE("an exception in a handler is a 500 problem that hides the message") {
    std::string logged;
    Router r = echo_router();
    RouterHooks hooks;
    hooks.on_error = [&](const Request&, const std::string& what) { logged = what; };
    r.set_hooks(hooks);
    Request a = make("GET", "/boom");
    Response res = r.dispatch(a);
    CHECK(res.status == 500);
    CHECK(res.body.find("disk on fire") == std::string::npos);
    CHECK(logged == "disk on fire");
}

// Test hooks that keep idempotency records in a map.
RouterHooks memory_idempotency(std::map<std::string, StoredResponse>& stored) {
    RouterHooks hooks;
    hooks.idem_find = [&stored](const std::string& who, const std::string& key) -> std::optional<StoredResponse> {
        auto it = stored.find(who + "|" + key);
        if (it == stored.end()) return std::nullopt;
        return it->second;
    };
    hooks.idem_save = [&stored](const std::string& who, const std::string& key, const Request&,
                                const StoredResponse& s) { stored[who + "|" + key] = s; };
    return hooks;
}

TEST_CASE("Idempotency-Key tells multipart uploads apart by their files, not only their (empty) body") {
    int calls = 0;
    Router r = echo_router(&calls);
    std::map<std::string, StoredResponse> stored;
    r.set_hooks(memory_idempotency(stored));
    auto upload = [](const std::string& content) {
        Request q = make("POST", "/uploads");
        q.headers.emplace("Content-Type", "multipart/form-data; boundary=x");
        q.headers.emplace("Idempotency-Key", "u1");
        q.files.emplace("file", onramp::http::UploadedFile{"a.txt", "text/plain", content});
        return q;
    };
    Request first = upload("first"), again = upload("first"), other = upload("second");
    CHECK(r.dispatch(first).status == 201);
    CHECK(r.dispatch(again).status == 201);
    CHECK(calls == 1);
    CHECK(r.dispatch(other).status == 422);
    CHECK(calls == 1);
}

TEST_CASE("a streamed answer is stored for its Idempotency-Key once it went out whole, never when cut") {
    int calls = 0;
    bool cut_short = false;
    Router r;
    r.add({"POST", "/exports", Access::Public, Body::Raw, [&](const Call&) -> Result<Response> {
               ++calls;
               Response res;
               res.status = 201;
               res.content_type = "text/plain";
               auto left = std::make_shared<int>(3);
               res.stream = [left](const ChunkWriter& write) { return *left > 0 && write("piece" + std::to_string((*left)--)); };
               res.stream_cut = [&cut_short] { return cut_short; };
               return res;
           }});
    std::map<std::string, StoredResponse> stored;
    RouterHooks hooks;
    hooks.idem_find = [&](const std::string& who, const std::string& key) -> std::optional<StoredResponse> {
        auto it = stored.find(who + "|" + key);
        if (it == stored.end()) return std::nullopt;
        return it->second;
    };
    hooks.idem_save = [&](const std::string& who, const std::string& key, const Request&, const StoredResponse& s) {
        stored[who + "|" + key] = s;
    };
    r.set_hooks(hooks);
    auto drain = [](const Response& res) {
        std::string body;
        while (res.stream([&](std::string_view c) { body.append(c); return true; })) {
        }
        bool cut = res.stream_cut && res.stream_cut();
        return std::make_pair(body, cut);
    };

    Request a = make("POST", "/exports", "x", "text/plain");
    a.headers.emplace("Idempotency-Key", "k1");
    Response first = r.dispatch(a);
    REQUIRE(first.stream);
    CHECK(stored.empty());  // nothing is stored before the body has gone out
    CHECK(drain(first) == std::make_pair(std::string("piece3piece2piece1"), false));
    Request again = a;
    Response second = r.dispatch(again);
    CHECK(calls == 1);
    CHECK(second.body == "piece3piece2piece1");
    CHECK_FALSE(second.stream);

    cut_short = true;
    Request b = make("POST", "/exports", "x", "text/plain");
    b.headers.emplace("Idempotency-Key", "k2");
    CHECK(drain(r.dispatch(b)).second);
    Request b_again = b;
    Response retried = r.dispatch(b_again);
    CHECK(calls == 3);  // a cut answer was not stored: the retry ran again
    CHECK(retried.stream);
}

TEST_CASE("a deferred answer is problem+json when it is a Problem, and stored for its Idempotency-Key once it comes") {
    int calls = 0;
    Router r;
    r.add({"POST", "/later", Access::Public, Body::Raw, [&](const Call& c) -> Result<Response> {
               int n = ++calls;
               return deferred(
                   [n](Finish finish) {
                       if (n == 1)
                           finish(Response::json({{"call", n}}, 201));
                       else
                           finish(conflict("Only the first call succeeds.", "not_first"));
                   },
                   c.req.request_id);
           }});
    std::map<std::string, StoredResponse> stored;
    RouterHooks hooks;
    hooks.idem_find = [&](const std::string& who, const std::string& key) -> std::optional<StoredResponse> {
        auto it = stored.find(who + "|" + key);
        if (it == stored.end()) return std::nullopt;
        return it->second;
    };
    hooks.idem_save = [&](const std::string& who, const std::string& key, const Request&, const StoredResponse& s) {
        stored[who + "|" + key] = s;
    };
    r.set_hooks(hooks);
    auto answer_of = [](Response res) {
        REQUIRE(res.later);
        Response out;
        res.later([&out](Response a) { out = std::move(a); });
        return out;
    };

    Request a = make("POST", "/later", "x", "text/plain");
    a.headers.emplace("Idempotency-Key", "k1");
    Response first = r.dispatch(a);
    CHECK(stored.empty());  // nothing is stored before the answer has come
    Response answered = answer_of(std::move(first));
    CHECK(answered.status == 201);
    CHECK(stored.size() == 1);
    Request again = a;
    Response replayed = r.dispatch(again);
    CHECK(calls == 1);
    CHECK_FALSE(replayed.later);
    CHECK(nlohmann::json::parse(replayed.body)["call"] == 1);

    Request b = make("POST", "/later", "x", "text/plain");
    b.headers.emplace("Idempotency-Key", "k2");
    Response refused = answer_of(r.dispatch(b));
    CHECK(refused.status == 409);
    CHECK(refused.content_type == "application/problem+json");
    CHECK(nlohmann::json::parse(refused.body)["error_code"] == "not_first");
    CHECK(stored.size() == 1);  // a refusal is not stored
}

TEST_CASE("two concurrent requests with one Idempotency-Key: one runs, the other is a 409 until it is done") {
    std::mutex mu;
    std::condition_variable cv;
    bool entered = false, release = false;
    int calls = 0;
    Router r;
    r.add({"POST", "/payments", Access::Public, Body::Json, [&](const Call&) -> Result<Response> {
               std::unique_lock<std::mutex> lock(mu);
               // Only the first call waits: on a router that let the second
               // one run too, the second returns at once and the test fails.
               if (++calls == 1) {
                   entered = true;
                   cv.notify_all();
                   cv.wait(lock, [&] { return release; });
               }
               return Response::json({{"payment", calls}}, 201);
           }});
    std::map<std::string, StoredResponse> stored;
    std::mutex stored_mu;
    RouterHooks hooks;
    hooks.idem_find = [&](const std::string& who, const std::string& key) -> std::optional<StoredResponse> {
        std::lock_guard<std::mutex> lock(stored_mu);
        auto it = stored.find(who + "|" + key);
        if (it == stored.end()) return std::nullopt;
        return it->second;
    };
    hooks.idem_save = [&](const std::string& who, const std::string& key, const Request&, const StoredResponse& s) {
        std::lock_guard<std::mutex> lock(stored_mu);
        stored[who + "|" + key] = s;
    };
    r.set_hooks(hooks);
    auto request = [] {
        Request q = make("POST", "/payments", R"({"amount": 5})");
        q.headers.emplace("Idempotency-Key", "pay-1");
        return q;
    };

    Response first;
    std::thread t([&] {
        Request q = request();
        first = r.dispatch(q);
    });
    {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return entered; });
    }
    Request q2 = request();
    Response second = r.dispatch(q2);
    CHECK(second.status == 409);
    auto problem = nlohmann::json::parse(second.body);
    CHECK(problem["error_code"] == "idempotency_in_progress");
    bool retry_after = false;
    for (auto& [k, v] : second.headers) retry_after = retry_after || (k == "Retry-After" && v == "1");
    CHECK(retry_after);
    {
        std::lock_guard<std::mutex> lock(mu);
        release = true;
    }
    cv.notify_all();
    t.join();
    CHECK(first.status == 201);
    CHECK(calls == 1);

    // Once the first is answered, the key replays its answer.
    Request q3 = request();
    Response third = r.dispatch(q3);
    CHECK(third.status == 201);
    CHECK(third.body == first.body);
    CHECK(calls == 1);
}

TEST_CASE("a key held by a streamed answer is released when the stream is done with") {
    int calls = 0;
    Router r;
    r.add({"POST", "/exports", Access::Public, Body::Raw, [&](const Call&) -> Result<Response> {
               ++calls;
               Response res;
               res.status = 201;
               res.stream = [](const ChunkWriter& write) { return write("cut") && false; };
               res.stream_cut = [] { return true; };  // never stored
               return res;
           }});
    std::map<std::string, StoredResponse> stored;
    r.set_hooks(memory_idempotency(stored));
    auto request = [] {
        Request q = make("POST", "/exports", "x", "text/plain");
        q.headers.emplace("Idempotency-Key", "e1");
        return q;
    };
    {
        Request a = request();
        Response streaming = r.dispatch(a);
        REQUIRE(streaming.stream);
        Request b = request();
        CHECK(r.dispatch(b).status == 409);  // the first answer is still going out
    }
    Request c = request();
    CHECK(r.dispatch(c).status == 201);  // dropped unsent and not stored: the key is free again
    CHECK(calls == 2);
}

TEST_CASE("a stored answer the hook cannot use is its Problem, and the handler does not run") {
    int calls = 0;
    Router r = echo_router(&calls);
    RouterHooks hooks;
    hooks.idem_find = [](const std::string&, const std::string&) -> Result<std::optional<StoredResponse>> {
        return conflict("unreadable", "idempotency_unreadable");
    };
    hooks.idem_save = [](const std::string&, const std::string&, const Request&, const StoredResponse&) {};
    r.set_hooks(hooks);
    Request a = make("POST", "/items", R"({"name":"a"})");
    a.headers.emplace("Idempotency-Key", "k1");
    CHECK(r.dispatch(a).status == 409);
    CHECK(calls == 0);
}

TEST_CASE("Idempotency-Key replays the stored response; the same key with another body is a 422") {
    int calls = 0;
    Router r = echo_router(&calls);
    std::map<std::string, StoredResponse> stored;
    RouterHooks hooks;
    hooks.idem_find = [&](const std::string& who, const std::string& key) -> std::optional<StoredResponse> {
        auto it = stored.find(who + "|" + key);
        if (it == stored.end()) return std::nullopt;
        return it->second;
    };
    hooks.idem_save = [&](const std::string& who, const std::string& key, const Request&, const StoredResponse& s) {
        stored[who + "|" + key] = s;
    };
    r.set_hooks(hooks);

    Request a = make("POST", "/items", R"({"name":"a"})");
    a.headers.emplace("Idempotency-Key", "k1");
    Response first = r.dispatch(a);
    Request again = a;
    Response second = r.dispatch(again);
    CHECK(first.status == 201);
    CHECK(second.status == 201);
    CHECK(second.body == first.body);
    CHECK(calls == 1);

    Request other = make("POST", "/items", R"({"name":"b"})");
    other.headers.emplace("Idempotency-Key", "k1");
    CHECK(r.dispatch(other).status == 422);
    CHECK(calls == 1);

    // A rejected request is not remembered: fixing it and retrying works.
    Request bad = make("POST", "/items", "[]");
    bad.headers.emplace("Idempotency-Key", "k2");
    CHECK(r.dispatch(bad).status == 422);
    Request fixed = make("POST", "/items", R"({"name":"c"})");
    fixed.headers.emplace("Idempotency-Key", "k2");
    CHECK(r.dispatch(fixed).status == 201);
}

}  // TEST_SUITE
