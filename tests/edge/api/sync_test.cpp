// Specification of /api/v1/orgs/{org_id}/connections/{id}/sync: progress
// and history of a connection's runs, the manual trigger, and the
// server-sent events stream (which also takes ?access_token=, because a
// browser's EventSource cannot send an Authorization header).
#include <doctest/doctest.h>

#include "edge/sync/sync_fixture.h"

using nlohmann::json;
using onramp::testing::Reply;
using onramp::testing::SyncApp;

namespace {

std::string sync_path(const SyncApp& s, const std::string& id) {
    return "/api/v1/orgs/" + s.org + "/connections/" + id + "/sync";
}

// An events request straight to the router, as httplib would hand it over.
onramp::http::Response open_events(SyncApp& s, const std::string& id, const std::string& query_token,
                                   const std::string& header_token = "") {
    onramp::http::Request req;
    req.method = "GET";
    req.path = sync_path(s, id) + "/events";
    req.target = req.path;
    if (!query_token.empty()) {
        req.query.emplace("access_token", query_token);
        req.target += "?access_token=" + query_token;
    }
    if (!header_token.empty()) req.headers.emplace("Authorization", "Bearer " + header_token);
    req.remote_addr = "127.0.0.1";
    req.request_id = "test-request";
    return s.t.router.dispatch(req);
}

// Runs the stream's producer once; returns what it wrote and whether it
// wants to go on.
std::pair<std::string, bool> next_events(const onramp::http::Response& res) {
    std::string out;
    bool more = res.stream([&out](std::string_view chunk) {
        out.append(chunk);
        return true;
    });
    return {out, more};
}

// The data of every event named `name`, in order.
std::vector<json> events_named(const std::string& text, const std::string& name) {
    std::vector<json> out;
    std::string marker = "event: " + name + "\ndata: ";
    for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
        size_t start = at + marker.size();
        out.push_back(json::parse(text.substr(start, text.find('\n', start) - start)));
    }
    return out;
}

}  // namespace

TEST_SUITE("sync.api") {

TEST_CASE("before any run there is no current run and an empty history") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    Reply r = s.t.get(sync_path(s, id), s.member_token);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json body = r.json();
    CHECK(body["connection_id"] == id);
    CHECK(body["current"].is_null());
    CHECK(body["history"]["items"].empty());
    CHECK(body["history"]["total"] == 0);
}

TEST_CASE("a finished initial sync shows its counts, percent and place in the history") {
    SyncApp s;
    std::string id = s.connect("bigcommerce");
    json queued = s.t.get(sync_path(s, id), s.token).json()["current"];
    CHECK(queued["state"] == "queued");
    CHECK(queued["kind"] == "initial");
    CHECK(queued["percent"].is_null());
    s.engine.drain();

    json body = s.t.get(sync_path(s, id), s.token).json();
    json cur = body["current"];
    CHECK(cur["state"] == "succeeded");
    CHECK(cur["percent"] == 100);
    CHECK(cur["created"] == s.dataset(onramp::demo::Kind::product) + s.dataset(onramp::demo::Kind::order));
    CHECK(cur["items"] == cur["created"]);
    CHECK(cur["total"] == s.dataset(onramp::demo::Kind::product));  // BigCommerce totals its products only
    CHECK(cur["pages"].get<int>() >= 4);
    CHECK(cur["errors"].empty());
    CHECK(cur["started_at"].is_string());
    CHECK(cur["finished_at"].is_string());
    REQUIRE(body["history"]["items"].size() == 1);
    CHECK(body["history"]["items"][0]["id"] == cur["id"]);
}

TEST_CASE("POST queues a manual run (202) and answers the active run while one is going") {
    SyncApp s;
    std::string id = s.connect("shopify", false);
    Reply first = s.t.call("POST", sync_path(s, id), "", s.token);
    REQUIRE_MESSAGE(first.status == 202, first.body);
    CHECK(first.json()["state"] == "queued");
    CHECK(first.json()["kind"] == "manual");
    CHECK(first.header("Location") == sync_path(s, id));
    Reply again = s.t.call("POST", sync_path(s, id), "", s.token);
    CHECK(again.status == 202);
    CHECK(again.json()["id"] == first.json()["id"]);

    s.engine.drain();
    CHECK(s.t.get(sync_path(s, id), s.token).json()["current"]["state"] == "succeeded");
    auto db = s.t.app.store->lease();
    onramp::store::Stmt st(*db, "SELECT COUNT(*) FROM audit_log WHERE action = 'sync.requested' AND object_id = ?");
    st.bind(1, id);
    REQUIRE(st.step());
    CHECK(st.i64(0) == 2);
}

TEST_CASE("the history is newest first and paginated") {
    SyncApp s;
    std::string id = s.connect("bigcommerce");
    s.engine.drain();
    for (int i = 0; i < 2; ++i) {
        s.t.clock += 60;
        REQUIRE(s.t.call("POST", sync_path(s, id), "", s.token).status == 202);
        s.engine.drain();
    }
    json page1 = s.t.get(sync_path(s, id) + "?per_page=2", s.token).json()["history"];
    json page2 = s.t.get(sync_path(s, id) + "?per_page=2&page=2", s.token).json()["history"];
    CHECK(page1["total"] == 3);
    REQUIRE(page1["items"].size() == 2);
    REQUIRE(page2["items"].size() == 1);
    CHECK(page1["items"][0]["kind"] == "manual");
    CHECK(page1["items"][0]["queued_at"] > page1["items"][1]["queued_at"]);
    CHECK(page2["items"][0]["kind"] == "initial");
    // Incremental runs found nothing new on the mock.
    CHECK(page1["items"][0]["items"] == 0);
}

TEST_CASE("sync routes: no auth 401, another tenant 404, members may read but not trigger, bad input 4xx") {
    SyncApp s;
    std::string id = s.connect("bigcommerce");
    std::string before = s.t.snapshot();
    CHECK(s.t.get(sync_path(s, id)).status == 401);
    CHECK(s.t.call("POST", sync_path(s, id), "").status == 401);
    CHECK(s.t.get(sync_path(s, id), s.other_token).status == 404);
    CHECK(s.t.call("POST", sync_path(s, id), "", s.other_token).status == 404);
    // The other tenant's own org in the path, this connection's id: still 404.
    CHECK(s.t.call("POST", "/api/v1/orgs/" + s.other_org + "/connections/" + id + "/sync", "", s.other_token).status ==
          404);
    CHECK(s.t.call("POST", sync_path(s, id), "", s.member_token).status == 403);
    CHECK(s.t.get(sync_path(s, id) + "?per_page=0", s.token).status == 422);
    CHECK(s.t.get(sync_path(s, id) + "?page=x", s.token).status == 422);
    // The trigger takes no body: a JSON one is refused, malformed or not.
    CHECK(s.t.call("POST", sync_path(s, id), "{\"x\":", s.token).status == 415);
    CHECK(s.t.call("POST", sync_path(s, id), std::string(2 << 20, ' '), s.token).status == 413);
    CHECK(s.t.snapshot() == before);
    CHECK(s.t.get(sync_path(s, id), s.member_token).status == 200);
}

TEST_CASE("events stream the run's progress until it finishes, then end") {
    SyncApp s;
    std::string id = s.connect("bigcommerce");
    onramp::http::Response res = open_events(s, id, "", s.token);
    REQUIRE_MESSAGE(res.status == 200, res.body);
    CHECK(res.content_type == "text/event-stream");
    REQUIRE(res.stream);

    auto [opening, more] = next_events(res);
    CHECK(opening.rfind("retry: ", 0) == 0);
    auto queued = events_named(opening, "progress");
    REQUIRE(queued.size() == 1);
    CHECK(queued[0]["state"] == "queued");
    CHECK(more);

    s.engine.drain();
    auto [closing, still] = next_events(res);
    auto progress = events_named(closing, "progress");
    auto done = events_named(closing, "done");
    REQUIRE(progress.size() == 1);
    REQUIRE(done.size() == 1);
    CHECK(done[0]["state"] == "succeeded");
    CHECK(done[0]["percent"] == 100);
    CHECK_FALSE(still);
}

TEST_CASE("an events call with no news writes nothing and returns at once: the server calls again later") {
    SyncApp s;
    std::string id = s.connect("bigcommerce");
    onramp::http::Response res = open_events(s, id, "", s.token);
    REQUIRE(res.stream);
    auto [opening, more] = next_events(res);
    CHECK(events_named(opening, "progress").size() == 1);
    CHECK(more);
    auto [nothing, still] = next_events(res);
    CHECK(nothing.empty());
    CHECK(still);
}

TEST_CASE("events accept ?access_token= (EventSource has no headers); bad or foreign tokens are refused") {
    SyncApp s;
    std::string id = s.connect("bigcommerce");
    s.engine.drain();
    onramp::http::Response ok = open_events(s, id, s.member_token);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    auto [text, more] = next_events(ok);
    CHECK(events_named(text, "done").size() == 1);
    CHECK_FALSE(more);

    CHECK(open_events(s, id, "").status == 401);
    CHECK(open_events(s, id, "not-a-token").status == 401);
    CHECK(open_events(s, id, s.other_token).status == 404);
    CHECK(open_events(s, id, "", s.other_token).status == 404);
    // Only this route reads the query: elsewhere it is not a credential.
    CHECK(s.t.get(sync_path(s, id) + "?access_token=" + s.token).status == 401);
}

TEST_CASE("events for a connection never synced are 404") {
    SyncApp s;
    std::string id = s.connect("bigcommerce", false);
    CHECK(open_events(s, id, s.token).status == 404);
}

}  // TEST_SUITE
