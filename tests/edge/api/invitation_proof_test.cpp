// Specification of how an account without a password accepts an
// invitation: with the code e-mailed to the invited address (one-time,
// 15 minutes, for that invitation only), or after a password reset; and
// that another tenant's manager, who holds the invitation link, still
// cannot take such an account over: without the code nothing changes.
#include <doctest/doctest.h>

#include "edge/auth/account_fixture.h"
#include "edge/store/accounts.h"

using nlohmann::json;
using onramp::testing::AccountApp;
using onramp::testing::Reply;

namespace {

const std::string kProof = "/api/v1/invitations/proof";
const std::string kAccept = "/api/v1/invitations/accept";
const std::string kCodePattern = R"(\n +(\d{8})\n)";

// Globex's account for bea, without a password (as an onboarding link or
// an operator's client creation makes one), and Acme's manager (the
// attacker of the original report) inviting the same address.
struct Invited {
    std::string bea_id, ann, token;
};

Invited invite_bea(AccountApp& s) {
    Invited out;
    {
        auto db = s.t.app.store->lease();
        out.bea_id = onramp::store::insert_user(*db, "bea@globex.test", "Bea", std::nullopt, false, s.t.clock)->id;
    }
    s.t.add_member(s.globex, out.bea_id, "csr");
    out.ann = s.t.login("ann@acme.test", "pw-123456");
    Reply r = s.t.post("/api/v1/orgs/" + s.acme + "/members", {{"email", "bea@globex.test"}, {"role", "manager"}},
                       out.ann);
    REQUIRE_MESSAGE(r.status == 202, r.body);
    std::string url = r.json()["invite_url"];
    out.token = url.substr(url.rfind('/') + 1);
    return out;
}

bool has_password(AccountApp& s, const std::string& user_id) {
    auto db = s.t.app.store->lease();
    return onramp::store::find_user(*db, user_id)->password_hash.has_value();
}

}  // namespace

TEST_SUITE("invitations.proof") {

TEST_CASE("an account without a password accepts with the code e-mailed to its address and a new password") {
    AccountApp s;
    Invited i = invite_bea(s);
    Reply refused = s.t.post(kAccept, {{"token", i.token}, {"password", "bea-password"}});
    CHECK(refused.status == 403);
    CHECK(refused.json()["error_code"] == "password_reset_required");
    CHECK(refused.json()["detail"].get<std::string>().find("/api/v1/invitations/proof") != std::string::npos);
    CHECK(refused.json()["detail"].get<std::string>().find("password reset") != std::string::npos);

    Reply sent = s.t.post(kProof, {{"token", i.token}});
    REQUIRE_MESSAGE(sent.status == 202, sent.body);
    CHECK(sent.json()["sent_to"] == "bea@globex.test");
    auto got = s.deliver(2);  // the invitation, then the code
    CHECK(got[1].find("To: bea@globex.test\n") != std::string::npos);
    std::string code = AccountApp::find_in(got[1], kCodePattern);
    CHECK_FALSE(s.anywhere(code));

    Reply ok = s.t.post(kAccept, {{"token", i.token}, {"proof", code}, {"password", "bea-password"}});
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(ok.json()["new_account"] == false);
    CHECK(ok.json()["user"]["id"] == i.bea_id);
    CHECK(s.t.post("/api/v1/auth/login", {{"email", "bea@globex.test"}, {"password", "bea-password"}}).status == 200);
    CHECK_FALSE(s.anywhere("bea-password"));
    // Both are used up.
    CHECK(s.t.post(kAccept, {{"token", i.token}, {"proof", code}, {"password", "other-password"}}).status == 410);
}

TEST_CASE("another tenant's manager with the link cannot take over an account without a password") {
    AccountApp s;
    Invited i = invite_bea(s);
    // The attacker asks for a code: it goes to bea's inbox, not to them.
    REQUIRE(s.t.post(kProof, {{"token", i.token}}).status == 202);
    std::string code = AccountApp::find_in(s.deliver(2)[1], kCodePattern);

    std::string before = s.t.snapshot();
    Reply none = s.t.post(kAccept, {{"token", i.token}, {"password", "attacker-chosen"}, {"name", "Mallory"}});
    CHECK(none.status == 403);
    CHECK(none.json()["error_code"] == "password_reset_required");
    std::string guess = code == "12345678" ? "87654321" : "12345678";
    Reply guessed = s.t.post(kAccept, {{"token", i.token}, {"proof", guess}, {"password", "attacker-chosen"}});
    CHECK(guessed.status == 403);
    CHECK(guessed.json()["error_code"] == "proof_wrong");
    // A session of their own does not help either.
    Reply signed_in =
        s.t.post(kAccept, {{"token", i.token}, {"proof", guess}, {"password", "attacker-chosen"}}, i.ann);
    CHECK(signed_in.status == 403);
    CHECK(s.t.snapshot() == before);
    CHECK_FALSE(has_password(s, i.bea_id));
    CHECK(s.t.post("/api/v1/auth/login", {{"email", "bea@globex.test"}, {"password", "attacker-chosen"}}).status ==
          401);
}

TEST_CASE("an expired proof, or one for another invitation, changes nothing") {
    AccountApp s;
    Invited i = invite_bea(s);
    REQUIRE(s.t.post(kProof, {{"token", i.token}}).status == 202);
    std::string code = AccountApp::find_in(s.deliver(2)[1], kCodePattern);

    // Another org's invitation of the same address: the code is not for it.
    std::string other_org = s.t.make_org("Initech");
    s.t.add_member(other_org, s.t.make_user("ivy@initech.test", "pw-123456"), "manager");
    std::string ivy = s.t.login("ivy@initech.test", "pw-123456");
    Reply other = s.t.post("/api/v1/orgs/" + other_org + "/members",
                           {{"email", "bea@globex.test"}, {"role", "member"}}, ivy);
    REQUIRE(other.status == 202);
    std::string url = other.json()["invite_url"];
    std::string other_token = url.substr(url.rfind('/') + 1);

    std::string before = s.t.snapshot();
    Reply elsewhere = s.t.post(kAccept, {{"token", other_token}, {"proof", code}, {"password", "bea-password"}});
    CHECK(elsewhere.status == 403);
    CHECK(elsewhere.json()["error_code"] == "proof_wrong");
    s.t.clock += 15 * 60;
    Reply expired = s.t.post(kAccept, {{"token", i.token}, {"proof", code}, {"password", "bea-password"}});
    CHECK(expired.status == 403);
    CHECK(expired.json()["error_code"] == "proof_wrong");
    CHECK(s.t.snapshot() == before);
    CHECK_FALSE(has_password(s, i.bea_id));
}

TEST_CASE("a password reset also proves the address: the account then signs in and accepts") {
    AccountApp s;
    Invited i = invite_bea(s);
    REQUIRE(s.t.post("/api/v1/auth/password-reset", {{"email", "bea@globex.test"}}).status == 202);
    std::string reset =
        AccountApp::find_in(s.deliver(2)[1], R"(https://hub\.example\.test/#/reset/([A-Za-z0-9_-]{43}))");
    REQUIRE(s.t.post("/api/v1/auth/password-reset/confirm", {{"token", reset}, {"password", "bea-password"}}).status ==
            200);
    std::string bea = s.t.login("bea@globex.test", "bea-password");
    Reply ok = s.t.post(kAccept, {{"token", i.token}}, bea);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    CHECK(ok.json()["user"]["id"] == i.bea_id);
}

TEST_CASE("a proof is refused where none is needed, and without e-mail") {
    AccountApp s(false);
    Invited i = invite_bea(s);
    Reply no_mail = s.t.post(kProof, {{"token", i.token}});
    CHECK(no_mail.status == 409);
    CHECK(no_mail.json()["error_code"] == "mail_disabled");
    Reply invited_new = s.t.post("/api/v1/orgs/" + s.acme + "/members",
                                 {{"email", "new@acme.test"}, {"role", "member"}}, i.ann);
    std::string url = invited_new.json()["invite_url"];
    Reply not_needed = s.t.post(kProof, {{"token", url.substr(url.rfind('/') + 1)}});
    CHECK(not_needed.status == 409);
    CHECK(not_needed.json()["error_code"] == "proof_not_needed");
    CHECK(s.t.post(kProof, {{"token", "not-a-token"}}).status == 404);
}

}
