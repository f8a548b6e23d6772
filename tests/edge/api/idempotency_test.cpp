// Specification of the Idempotency-Key store as the edge keeps it
// (edge/api/install.cpp): every answer that shows a secret once replays
// that secret to its caller, yet neither the database file, its WAL nor a
// backup holds it in plain text; a stored answer opens only for the caller
// and key it was stored for; answers are kept a day and then deleted.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "edge/onboarding/onboarding_fixture.h"

using nlohmann::json;
using onramp::testing::OnboardingApp;
using onramp::testing::Reply;

namespace {

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

int64_t stored_answers(OnboardingApp& a) {
    auto db = a.t.app.store->lease();
    onramp::store::Stmt st(*db, "SELECT COUNT(*) FROM idempotency");
    st.step();
    return st.i64(0);
}

// A request with an Idempotency-Key, sent twice: the second must be the
// stored answer, replayed. Returns the answer.
json twice(OnboardingApp& a, const std::string& path, const json& body, const std::string& token,
           const std::string& key, std::map<std::string, std::string> headers = {}) {
    headers["Idempotency-Key"] = key;
    Reply first = a.post(path, body, token, headers);
    REQUIRE_MESSAGE((first.status == 200 || first.status == 201), path << ": " << first.body);
    Reply again = a.post(path, body, token, headers);
    CHECK_MESSAGE(again.status == first.status, path);
    CHECK_MESSAGE(again.body == first.body, path << ": the replay differs");
    CHECK_MESSAGE(again.header("Idempotent-Replayed") == "true", path);
    return first.json();
}

std::string invite_token(const json& answer) {
    std::string url = answer["data"]["invite_url"];
    return url.substr(url.rfind('/') + 1);
}

}  // namespace

TEST_SUITE("idempotency.api") {

TEST_CASE("every answer that shows a secret replays it, and no secret reaches the database, its WAL or a backup") {
    OnboardingApp a;
    std::vector<std::string> secrets;
    auto keep = [&](const json& v) {
        REQUIRE(v.is_string());
        REQUIRE(v.get<std::string>().size() >= 16);
        secrets.push_back(v);
    };

    json login = twice(a, "/api/v1/auth/login", {{"email", "ann@acme.test"}, {"password", "pw-123456"}}, "",
                       "key-login-0001");
    keep(login["access_token"]);
    keep(login["refresh_token"]);

    json refreshed = twice(a, "/api/v1/auth/refresh", {{"refresh_token", login["refresh_token"]}}, "",
                           "key-refresh-0001");
    keep(refreshed["access_token"]);
    keep(refreshed["refresh_token"]);

    json api_key = twice(a, "/api/v1/auth/api-keys", {{"name", "ci"}}, a.ann, "key-api-key-0001");
    keep(api_key["key"]);

    json link = twice(a, "/api/v1/orgs/" + a.acme + "/onboarding-links", json::object(), a.ann, "key-link-0001");
    keep(link["token"]);

    json session = twice(a, "/api/v1/onboarding-links/exchange", {{"token", link["token"]}}, "", "key-exchange-0001");
    keep(session["access_token"]);
    keep(session["refresh_token"]);

    json invitation = twice(a, "/api/v1/onboarding/invite-user", {{"email", "rep@acme.test"}, {"role", "sales_rep"}},
                            a.ann, "key-invite-0001");
    std::string invite = invite_token(invitation);
    REQUIRE(invite.size() >= 16);
    secrets.push_back(invite);

    json member = twice(a, "/api/v1/invitations/accept",
                        {{"token", invite}, {"password", "rep-password-1"}, {"name", "Rita Rep"}}, "",
                        "key-accept-0001");
    keep(member["access_token"]);
    keep(member["refresh_token"]);
    CHECK(stored_answers(a) == 7);

    const std::string path = a.t.dir.path + "/onramp.db";
    const std::string copy = a.t.dir.path + "/backup.db";
    auto scan = [&](const std::string& when, const std::vector<std::string>& files) {
        std::string all;
        for (const std::string& f : files) all += file_bytes(f);
        // The scan must see the rows, or finding nothing would prove nothing.
        CHECK_MESSAGE(all.find("key-api-key-0001") != std::string::npos, when << ": the scan sees no answers");
        for (const std::string& s : secrets)
            CHECK_MESSAGE(all.find(s) == std::string::npos, when << ": a secret in plain text: " << s.substr(0, 8));
        CHECK_MESSAGE(all.find("pw-123456") == std::string::npos, when << ": a password in plain text");
    };
    CHECK(file_bytes(path + "-wal").size() > 0);
    scan("database and WAL", {path, path + "-wal"});
    onramp::store::backup(path, copy);
    scan("backup", {copy});
    a.t.app.store->checkpoint();
    scan("after a checkpoint", {path, path + "-wal"});
}

TEST_CASE("a stored answer moved to another caller does not open there: 409, and nothing runs") {
    OnboardingApp a;
    std::map<std::string, std::string> key{{"Idempotency-Key", "key-moved-0001"}};
    Reply made = a.post("/api/v1/auth/api-keys", {{"name", "ci"}}, a.ann, key);
    REQUIRE_MESSAGE(made.status == 201, made.body);
    {
        auto db = a.t.app.store->lease();
        db->write("UPDATE idempotency SET principal = ? WHERE key = 'key-moved-0001'", a.carl_id);
    }
    std::string before = a.t.snapshot();
    Reply r = a.post("/api/v1/auth/api-keys", {{"name", "ci"}}, a.carl, key);
    CHECK(r.status == 409);
    CHECK(r.json()["error_code"] == "idempotency_unreadable");
    CHECK(r.body.find(made.json()["key"].get<std::string>()) == std::string::npos);
    CHECK(a.t.snapshot() == before);
}

TEST_CASE("answers are kept for a day, then a new one deletes them and the key runs afresh") {
    OnboardingApp a;
    std::map<std::string, std::string> key{{"Idempotency-Key", "key-day-0001"}};
    Reply first = a.post("/api/v1/auth/api-keys", {{"name", "ci"}}, a.ann, key);
    REQUIRE_MESSAGE(first.status == 201, first.body);
    a.t.clock += 86400 - 60;
    a.sign_in_again();
    CHECK(a.post("/api/v1/auth/api-keys", {{"name", "ci"}}, a.ann, key).body == first.body);
    CHECK(stored_answers(a) == 1);

    a.t.clock += 120;
    a.sign_in_again();
    Reply other = a.post("/api/v1/auth/api-keys", {{"name", "other"}}, a.ann, {{"Idempotency-Key", "key-day-0002"}});
    REQUIRE_MESSAGE(other.status == 201, other.body);
    CHECK_MESSAGE(stored_answers(a) == 1, "the day-old answer was not deleted");
    Reply again = a.post("/api/v1/auth/api-keys", {{"name", "ci"}}, a.ann, key);
    REQUIRE_MESSAGE(again.status == 201, again.body);
    CHECK(again.json()["id"] != first.json()["id"]);
}

}  // TEST_SUITE
